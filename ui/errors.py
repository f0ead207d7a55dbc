"""How the shell reports what went wrong: beside the action, or, as a last resort, calmly.

Storage errors carry their own plain message (what happened, what to do). Anything
unexpected is logged with its traceback but without its message, which could hold
a client's details, and shown in a dialog while the program keeps running.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from frontdesk.storage_errors import StorageError

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Something unexpected went wrong, and what you were doing may not have been saved. "
    "Front Desk is still running: check the record on screen, then try again. "
    "If it happens again, restart Front Desk and tell whoever looks after your PCs."
)


UNEXPECTED_IN_BACKGROUND = "something unexpected went wrong; try again"


def refusal(prefix: str, error: StorageError) -> str:
    """One line for beside the action: "Not saved: the disk holding clinic.db is full. ..." """
    return f"{prefix}: {error.problem}. {error.remedy}"


def failure_text(prefix: str, error: Exception, expected: tuple[type[Exception], ...] = ()) -> str:
    """One line for beside an action that failed (often in the background): a storage
    error in its own words, an `expected` refusal's message, else, logged by its kind only,
    that something unexpected went wrong."""
    if isinstance(error, StorageError):
        return refusal(prefix, error)
    if isinstance(error, expected):
        return f"{prefix}: {error}"
    log.error("%s: unexpected %s", prefix, type(error).__qualname__)
    return f"{prefix}: {UNEXPECTED_IN_BACKGROUND}."


def _log_without_details(kind: type[BaseException], tb: TracebackType | None) -> None:
    """The error's kind and where it happened (file, line, function): no message, no values."""
    frames = [
        f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(tb)
    ]
    log.error("unexpected %s.%s\n%s", kind.__module__, kind.__qualname__, "\n".join(frames))


def show_unexpected(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    """The last-resort handler: log it, tell the person calmly, keep running."""
    _log_without_details(kind, tb)
    if issubclass(kind, KeyboardInterrupt) or QApplication.instance() is None:
        sys.__excepthook__(kind, error, tb)
        return
    text = str(error) if isinstance(error, StorageError) else UNEXPECTED
    QMessageBox.warning(QApplication.activeWindow(), "Front Desk", text)


def install_last_resort_handler() -> None:
    sys.excepthook = show_unexpected
