"""Backups made in the background (at the first start of a day, at close, on request), the
backup folder chosen on this PC, and the strip over the work area that warns when the last
good backup is old or a backup failed."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from frontdesk.services import backup
from frontdesk.services.backup import BackupInfo, BackupResult
from frontdesk.storage_errors import StorageError
from ui.background import in_background
from ui.errors import failure_text
from ui.widgets import button

log = logging.getLogger(__name__)

TOO_OLD = timedelta(days=2)
FOLDER_KEY = "backups/folder"
START_DELAY_MS = 3_000  # the day's backup waits until the window is up
CHECK_EVERY_MS = 60 * 60 * 1000  # a window left open overnight backs up the next day too


def age_text(taken_at: datetime, now: datetime) -> str:
    """How long ago, in words: "today", "yesterday", "5 days ago"."""
    days = (now.date() - taken_at.date()).days
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


class BackupFolder:
    """The backup folder chosen on this PC (a USB stick belongs to one PC), in its settings.

    Without settings the choice lasts as long as the object; the default is
    backup.default_backup_folder().
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings
        self._chosen = ""

    @property
    def path(self) -> Path:
        chosen = self._chosen
        if self._settings is not None:
            chosen = self._settings.value(FOLDER_KEY, "", type=str)
        return Path(chosen) if chosen else backup.default_backup_folder()

    def change(self, folder: Path) -> None:
        """Use `folder` from now on; FolderNotWritable (nothing changed) if it cannot be written."""
        backup.check_writable(folder)
        if self._settings is None:
            self._chosen = str(folder)
            return
        self._settings.setValue(FOLDER_KEY, str(folder))
        self._settings.sync()


# --- backups in the background ---------------------------------------------------------------


class Task(StrEnum):
    CHECK = "check"  # find the last good backup only
    DAILY = "daily"  # back up when the folder holds no good backup of today
    NOW = "now"  # back up


@dataclass(frozen=True)
class BackupOutcome:
    """What a background backup did: `made` one (None when none was needed), or `problem`."""

    made: BackupResult | None = None
    last_good: BackupInfo | None = None
    problem: str = ""


def back_up(folder: Path, task: Task) -> BackupOutcome:
    """Do the task: a backup (rotated afterwards) is checked; the last good backup is found."""
    if task is Task.CHECK:
        return BackupOutcome(last_good=_last_good(folder))
    try:
        made = (
            backup.daily_backup(folder) if task is Task.DAILY else backup.automatic_backup(folder)
        )
    except (backup.BackupError, StorageError) as error:
        action = "The automatic backup failed" if task is Task.DAILY else "Not backed up"
        problem = failure_text(action, error, (backup.BackupError,))
        return BackupOutcome(last_good=_last_good(folder), problem=problem)
    if made is None:
        return BackupOutcome(last_good=_last_good(folder))
    return BackupOutcome(made, info_of(made))


def info_of(made: BackupResult) -> BackupInfo:
    return BackupInfo(made.path, made.taken_at, made.path.stat().st_size)


def _last_good(folder: Path) -> BackupInfo | None:
    try:
        return backup.last_good_backup(folder)
    except OSError:
        return None  # the folder cannot be read: as good as none


def _backup_failed(error: Exception) -> BackupOutcome:
    return BackupOutcome(problem=failure_text("Not backed up", error))


class BackupRunner(QObject):
    """Backups into the chosen folder in the background, one at a time (a task asked for
    meanwhile waits its turn)."""

    started = Signal()
    finished = Signal(object)  # a BackupOutcome

    def __init__(self, folder: BackupFolder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.automatic = False
        self._done: threading.Event | None = None  # set when the job running is over
        self._next: Task | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check_the_day)

    @property
    def running(self) -> bool:
        return self._done is not None

    def start_automatic(self, delay_ms: int = START_DELAY_MS) -> None:
        """Find the last good backup now; after `delay_ms` make the day's backup when the
        folder has none of today yet, and look again every hour."""
        self.automatic = True
        self.run(Task.CHECK)
        self._timer.start(delay_ms)

    def _check_the_day(self) -> None:
        self._timer.setInterval(CHECK_EVERY_MS)
        self.run(Task.DAILY)

    def run(self, task: Task) -> None:
        """Do the task in the background, after the one running (if any)."""
        if self._done is not None:
            if task is not Task.CHECK:
                self._next = task
            return
        folder = self.folder.path
        job = in_background(lambda: back_up(folder, task), self._finished, _backup_failed)
        self._done = job.done
        if task is not Task.CHECK:
            self.started.emit()

    def _finished(self, outcome: BackupOutcome) -> None:
        self._done = None
        self.finished.emit(outcome)
        if self._next is not None:
            task, self._next = self._next, None
            self.run(task)

    def wait(self) -> None:
        """Until the backup running in the background, if any, is done (no time limit)."""
        if self._done is not None:
            self._done.wait()

    def back_up_at_close(self) -> None:
        """After the one running, the backup as the program closes (skipped when one was made
        in the last minute or no database is open). Failures are logged, never raised."""
        self.wait()
        try:
            made = backup.backup_at_close(self.folder.path)
        except Exception as error:  # its kind only: a message may name folders or values
            log.error("the backup at close failed with %s", type(error).__qualname__)
        else:
            log.info("backup at close: %s", "made" if made else "skipped, a recent one is there")


def age_warning(last_good: BackupInfo | None, now: datetime | None = None) -> str:
    """What to say when the last good backup is missing or too old; "" when it is recent."""
    now = now or datetime.now()
    if last_good is None:
        return "No backup has been made yet."
    if now - last_good.taken_at > TOO_OLD:
        return f"The last backup was made {age_text(last_good.taken_at, now)}."
    return ""


class BackupWarning(QFrame):
    """A strip over the work area: the last backup is old or missing (amber) or a backup
    failed (red, with the reason); its Back up now runs one in the background."""

    def __init__(self, runner: BackupRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupWarning")
        self.text = QLabel(self)
        self.text.setAccessibleName("Backup warning")
        self.text.setWordWrap(True)
        self.button = button("Back up now", "save", parent=self)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 12, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.button.clicked.connect(lambda: runner.run(Task.NOW))
        runner.started.connect(lambda: self.button.setEnabled(False))
        runner.finished.connect(self.show_outcome)
        self.hide()

    def show_outcome(self, outcome: BackupOutcome) -> None:
        self.button.setEnabled(True)
        if outcome.problem:
            self._show("problem", f"{outcome.problem} {age_warning(outcome.last_good)}".strip())
        else:
            self.show_age(outcome.last_good)

    def show_age(self, last_good: BackupInfo | None) -> None:
        """Amber when the last good backup is missing or too old; hidden otherwise."""
        warning = age_warning(last_good)
        if warning:
            self._show("warning", warning)
        else:
            self.hide()

    def _show(self, role: str, text: str) -> None:
        self.text.setText(text)
        self.setProperty("role", role)
        for widget in (self, self.text):
            widget.style().polish(widget)
        self.show()
