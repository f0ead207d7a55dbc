"""Fixtures for the widget tests: the main window over a test database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import LOGIN_PASSWORD, StrayDialogGuard, focused_name
from PySide6.QtCore import QEvent

from frontdesk import access, db
from frontdesk.services import users
from ui.app import build_main_window
from ui.form_page import RecordFormPage
from ui.main_window import MainWindow

BuildWindow = Callable[..., MainWindow]


@pytest.fixture
def open_window(qtbot, tmp_path: Path) -> Iterator[BuildWindow]:
    """Build (and show) main windows over a database file; closes the database afterwards."""

    def build(db_path: Path, settings_path: Path | None = None) -> MainWindow:
        db.close_database()  # the window opens the file itself
        window = build_main_window(db_path, settings_path=settings_path or tmp_path / "window.ini")
        qtbot.addWidget(window, before_close_func=_forget_unsaved_changes)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        return window

    yield build
    db.close_database()


def _forget_unsaved_changes(window: MainWindow) -> None:
    """Closing at teardown must not stop on an "Unsaved changes" box a test left behind."""
    for page in window.findChildren(RecordFormPage):
        page.form.dirty = False


@pytest.fixture
def window(open_window: BuildWindow, set_up_clinic, db_path: Path) -> MainWindow:
    """The main window over a set-up clinic with no clients."""
    return open_window(db_path)


@pytest.fixture
def window_for(
    qtbot, open_window: BuildWindow, db_path: Path, logins
) -> Callable[[str], MainWindow]:
    """The main window with one of the test module's `logins` signed in (by login name)."""

    def build(username: str) -> MainWindow:
        access.sign_in_as(users.sign_in(username, LOGIN_PASSWORD))
        window = open_window(db_path)
        qtbot.waitUntil(lambda: focused_name() == "Find client")
        return window

    return build


@pytest.fixture
def demo_window(open_window: BuildWindow, demo_clinic, db_path: Path) -> MainWindow:
    """The main window over the demo clinic (about 40 clients with history)."""
    return open_window(db_path)


@pytest.fixture(autouse=True)
def no_stray_dialogs(qapp) -> Iterator[None]:
    """Fail (instead of hanging) when a modal dialog opens that the test does not answer.

    Afterwards, really delete the widgets pytest-qt closed (deleteLater waits for an
    event loop that never runs here), so windows do not pile up from test to test.
    """
    guard = StrayDialogGuard()
    yield
    guard.stop()
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not guard.strays, f"unanswered dialogs were closed: {guard.strays}"
