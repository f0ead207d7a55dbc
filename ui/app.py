"""Start the desktop program: the application object, the main window, first-run set-up
(or the demo clinic), and starting again after a damaged database was restored."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from frontdesk import db
from frontdesk.demo_mark import DatabaseNotEmpty
from frontdesk.resources import resource_path
from frontdesk.services import clinic
from frontdesk.storage_errors import StorageError
from ui.errors import install_last_resort_handler
from ui.main_window import MainWindow
from ui.platform_check import platform_problem
from ui.startup import StartupCheck, offer_recovery, open_or_recover, open_settings

log = logging.getLogger(__name__)


def create_application() -> QApplication:
    """The one QApplication, with Fusion style and the program's stylesheet."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Front Desk")
    app.setOrganizationName(db.APP_NAME)
    app.setStyle("Fusion")
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    return app


def build_main_window(db_path: Path | str, settings_path: Path | None = None) -> MainWindow:
    """Open the database and build the whole window, without starting the event loop."""
    create_application()
    db.open_database(db_path)
    return MainWindow(Path(db_path), open_settings(settings_path))


def run(db_path: Path) -> int:
    """Start the program over a database file; returns the exit code."""
    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = create_application()
    install_last_resort_handler()
    path, code = Path(db_path), None
    while code is None:  # again after a damaged database was restored
        path, code = _session(app, path)
    return code


def _session(app: QApplication, path: Path) -> tuple[Path, int | None]:
    """Open the database, show the window until it closes; the exit code (None: start again)."""
    try:
        if not open_or_recover(path):
            return path, 1
        window = build_main_window(path)
    except (db.DatabaseUnavailable, DatabaseNotEmpty) as error:
        return path, _cannot_open(error)
    if clinic.needs_setup():
        answer = _ask_setup(window)
        if answer == "demo":
            return _session_over_demo(app, path, window)
        if answer == "cancel":
            return path, 0
    return path, _show(app, path, window)


def _ask_setup(window: MainWindow) -> str:
    """First run: "set up", "demo" or "cancel" (the dialog loads only when it is needed)."""
    from ui.dialogs.setup import SetupDialog

    answer = SetupDialog(window).exec()
    if answer == SetupDialog.TRY_DEMO:
        return "demo"
    return "set up" if answer == QDialog.DialogCode.Accepted else "cancel"


def _session_over_demo(
    app: QApplication, path: Path, window: MainWindow
) -> tuple[Path, int | None]:
    """The demo clinic's own file instead of the clinic's database (which stays as it is)."""
    from frontdesk.demo import open_demo_clinic  # its made-up data loads only when asked for

    window.deleteLater()
    db.close_database()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # built in a few seconds
    try:
        demo_path = open_demo_clinic(path)
        db.close_database()
    except (db.DatabaseUnavailable, DatabaseNotEmpty, StorageError) as error:
        return path, _cannot_open(error)
    finally:
        QApplication.restoreOverrideCursor()
    return _session(app, demo_path)


def _cannot_open(error: Exception) -> int:
    log.error("could not open the database")
    QMessageBox.critical(None, "Front Desk", f"The database could not be opened.\n\n{error}")
    return 1


def _show(app: QApplication, path: Path, window: MainWindow) -> int | None:
    """Run the window; a damage found by the check in the background closes it and offers
    the newest good backup (None once restored: start again)."""
    damage: list[str] = []
    check = StartupCheck(window)
    check.damaged.connect(lambda problems: (damage.extend(problems), window.hide(), app.quit()))
    window.show()
    check.start()
    window.start_automatic_backups()
    code = app.exec()
    if damage:
        window.backup_runner.wait()
        QThreadPool.globalInstance().waitForDone()
        db.close_database()
        return None if offer_recovery(path, damage) else 1
    window.back_up_at_close()  # the window is gone; the program ends once this is done
    QThreadPool.globalInstance().waitForDone(5000)  # pages still being drawn or printed
    db.close_database()
    return code


def self_test(db_path: Path) -> int:
    """Build the whole window over a database and close it: proves Qt and the screens load."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    window = build_main_window(db_path)
    window.show()
    QApplication.processEvents()
    titles = window.screen_titles()
    window.close()
    db.close_database()
    print(f"{db_path}: the main window opened with {', '.join(titles)}")
    return 0
