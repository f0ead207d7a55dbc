"""Start the desktop program: the application object, the main window, first-run set-up
(or the demo clinic), and starting again after a damaged database was restored.

The window is shown first (its frame needs no database); the database is opened and the
window finished on the next turns of the event loop, once it is on screen.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PySide6 import QtCore  # QtCore.Qt at call time: see ui/tables.py
from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from frontdesk.paths import APP_NAME, as_location, is_server_address
from frontdesk.resources import resource_path
from ui.errors import install_last_resort_handler
from ui.main_window import MainWindow
from ui.platform_check import platform_problem
from ui.startup import backup_opens_with, offer_recovery, open_or_recover, open_settings

log = logging.getLogger(__name__)
SIGNED_IN = "signed in"
_shown_early: dict[Path, MainWindow] = {}  # the window run() shows before opening the database


def create_application() -> QApplication:
    """The one QApplication, with Fusion style and the program's stylesheet."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Front Desk")
    app.setOrganizationName(APP_NAME)
    app.setStyle("Fusion")
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    return app


def build_main_window(db_path: Path | str, settings_path: Path | None = None) -> MainWindow:
    """Open the database and build the whole window, without starting the event loop.

    At start this finishes the window already shown for the database (see `run`).
    """
    from frontdesk import db

    create_application()
    db.open_if_closed(db_path)
    window = _shown_early.pop(as_location(str(db_path)), None)
    if window is None:
        window = MainWindow(as_location(str(db_path)), open_settings(settings_path))
    window.finish()
    return window


@contextmanager
def _shown_at_start(window: MainWindow) -> Iterator[None]:
    """While inside, `build_main_window` finishes `window` instead of building another."""
    _shown_early[window.db_path] = window
    try:
        yield
    finally:
        _shown_early.pop(window.db_path, None)


def run(db_path: Path | str) -> int:
    """Start the program over a database file or a clinic server's database; returns the exit
    code."""
    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = create_application()
    install_last_resort_handler()
    path, code = as_location(str(db_path)), None
    while code is None:  # again after a damaged database was restored
        path, code = _session(app, path)
    return code


@dataclass
class _Start:
    """What happened while the shown window was being finished."""

    window: MainWindow | None = None  # finished, and running until it closes
    demo: bool = False  # the person chose to try the demo clinic
    code: int = 0  # the exit code when the window could not be finished
    damage: list[str] = field(default_factory=list)  # found by the check in the background


def _session(app: QApplication, path: Path) -> tuple[Path, int | None]:
    """Show the window, open the database once it is on screen and run until the window
    closes; the exit code (None: start again)."""
    shell = MainWindow(path, open_settings())
    start = _Start()
    _FirstPaint(shell, lambda: QTimer.singleShot(0, lambda: _finish(app, path, shell, start)))
    shell.show()
    code = app.exec()
    if start.demo:
        return _session_over_demo(app, path, shell)
    if start.window is None:
        shell.deleteLater()
        return path, code
    return path, _after(path, start, code)


class _FirstPaint(QObject):
    """Calls `then` once, when the window is first painted."""

    def __init__(self, window: MainWindow, then: Callable[[], object]) -> None:
        super().__init__(window)
        self.then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.then()
        return False


def _finish(app: QApplication, path: Path, shell: MainWindow, start: _Start) -> None:
    """Open the database (offering a backup when it is damaged) and finish the window; on the
    first run, the set-up. The window closes when the program cannot go on."""
    from frontdesk import db
    from frontdesk.demo_mark import DatabaseNotEmpty

    if not shell.isVisible():
        return  # closed before it was finished
    try:
        unlocked, passphrase = _file_passphrase(path, shell)
        if not unlocked:
            return _give_up(app, shell, 0)
        if not open_or_recover(path, shell, passphrase=passphrase):
            return _give_up(app, shell, 1)
        db.open_if_closed(path, passphrase=passphrase)
        answer = _who_works(shell)
        if answer != SIGNED_IN:
            start.demo = answer == "demo"
            return _give_up(app, shell, 0)
        with _shown_at_start(shell):
            window = build_main_window(path)
    except (db.DatabaseUnavailable, DatabaseNotEmpty) as error:
        return _give_up(app, shell, _cannot_open(error, shell))
    start.window = window
    _start_background_work(app, start)
    return None


def _give_up(app: QApplication, shell: MainWindow, code: int) -> None:
    """End the event loop with the code; the window goes (hidden, so it is not closed)."""
    shell.hide()
    app.exit(code)


def _start_background_work(app: QApplication, start: _Start) -> None:
    """The full check of the database (damage closes the window) and the day's backup."""
    from ui.startup import StartupCheck

    window = start.window
    check = StartupCheck(window)
    check.damaged.connect(
        lambda problems: (
            start.damage.extend(problems),
            window.stop_session(),
            window.hide(),
            app.quit(),
        )
    )
    check.start()
    window.start_automatic_backups()


def _after(path: Path, start: _Start, code: int) -> int | None:
    """The window has closed: the backup at close; or, when the check found damage, the
    offer of the newest good backup (None once restored: start again)."""
    from frontdesk import db

    if start.damage:
        start.window.backup_runner.wait()
        QThreadPool.globalInstance().waitForDone()
        passphrase = db.current_passphrase()
        db.close_database()
        return None if offer_recovery(path, start.damage, passphrase=passphrase) else 1
    start.window.back_up_at_close()  # the window is gone; the program ends once this is done
    QThreadPool.globalInstance().waitForDone(5000)  # pages still being drawn or printed
    db.close_database()
    return code


def _file_passphrase(path: Path, shell: MainWindow) -> tuple[bool, str | None]:
    """An encrypted clinic file's passphrase, asked (before anyone signs in) until it opens
    the file: (True, the passphrase); (False, None) when the person chose Quit. A plain
    file, or a clinic server's database, needs none: (True, None)."""
    from frontdesk import db, encryption
    from ui.passphrase import AskPassphrase

    if is_server_address(path) or not path.exists() or not encryption.is_encrypted(path):
        return True, None
    opened: list[str] = []

    def try_open(passphrase: str) -> None:
        try:
            db.open_database(path, passphrase=passphrase, migrate=False)
        except db.WrongPassphrase:
            if not backup_opens_with(passphrase):
                raise
            # the clinic's passphrase, and its file damaged: the start offers a backup
        else:
            db.close_database()
        opened.append(passphrase)

    if AskPassphrase(path, try_open, shell).exec() != QDialog.DialogCode.Accepted:
        return False, None
    return True, opened[-1]


def _who_works(shell: MainWindow) -> str:
    """Before the window shows any record, someone signs in: SIGNED_IN, "demo" (the first
    run's set-up chose the demo clinic) or "quit". The first run sets the clinic up with
    the owner's login; a clinic from before logins makes the owner's, once."""
    from frontdesk import access
    from frontdesk.services import clinic, users
    from ui.sign_in import OwnerLoginDialog, SignInDialog

    if clinic.needs_setup():
        return _ask_setup(shell)
    person = access.signed_in()
    if person is not None and users.still_signed_in(person):
        return SIGNED_IN  # signed in before the database was restored, and still there
    access.sign_out()
    if users.has_logins():
        dialog = SignInDialog(_clinic_name(), demo_logins_hint(), shell)
    else:
        dialog = OwnerLoginDialog(shell)
    return SIGNED_IN if dialog.exec() == QDialog.DialogCode.Accepted else "quit"


def _clinic_name() -> str:
    from frontdesk.services import clinic

    profile = clinic.clinic_profile()
    return profile.name if profile is not None else ""


def demo_logins_hint() -> str:
    """For the demo clinic, its made-up logins (they are in the README too)."""
    from frontdesk.demo_mark import is_demo_clinic

    if not is_demo_clinic():
        return ""
    from frontdesk.demo import DEMO_LOGINS, DEMO_PASSWORD

    names = ", ".join(f"{name} ({role})" for name, role in DEMO_LOGINS)
    return f"Demo clinic logins: {names}; password for each: {DEMO_PASSWORD}"


def _ask_setup(parent: MainWindow) -> str:
    """First run: SIGNED_IN (set up, the owner signed in), "demo" or "quit" (the dialog
    loads only when it is needed)."""
    from ui.dialogs.setup import SetupDialog

    answer = SetupDialog(parent).exec()
    if answer == SetupDialog.TRY_DEMO:
        return "demo"
    return SIGNED_IN if answer == QDialog.DialogCode.Accepted else "quit"


def _session_over_demo(
    app: QApplication, path: Path, window: MainWindow
) -> tuple[Path, int | None]:
    """The demo clinic's own file instead of the clinic's database (which stays as it is)."""
    from frontdesk import db
    from frontdesk.demo import open_demo_clinic  # its made-up data loads only when asked for
    from frontdesk.demo_mark import DatabaseNotEmpty
    from frontdesk.storage_errors import StorageError

    window.deleteLater()
    db.close_database()
    QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)  # built in a few seconds
    try:
        demo_path = open_demo_clinic(path)
        db.close_database()
    except (db.DatabaseUnavailable, DatabaseNotEmpty, StorageError) as error:
        return path, _cannot_open(error)
    finally:
        QApplication.restoreOverrideCursor()
    return _session(app, demo_path)


def _cannot_open(error: Exception, parent: MainWindow | None = None) -> int:
    log.error("could not open the database")
    QMessageBox.critical(parent, "Front Desk", f"The database could not be opened.\n\n{error}")
    return 1


def self_test(db_path: Path) -> int:
    """Build the whole window over a database and close it: proves Qt and the screens load."""
    from frontdesk import db

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    window = build_main_window(db_path)
    window.show()
    QApplication.processEvents()
    titles = window.screen_titles()
    window.close()
    db.close_database()
    print(f"{db_path}: the main window opened with {', '.join(titles)}")
    return 0
