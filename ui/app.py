"""Start the desktop program: the application object, the main window, first-run set-up."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from frontdesk import db
from frontdesk.resources import resource_path
from frontdesk.services import clinic, recovery
from frontdesk.services.backup import BackupError
from frontdesk.services.recovery import GoodBackup
from frontdesk.storage_errors import StorageError
from ui.dialogs.damaged_database import DamagedDatabaseDialog
from ui.dialogs.setup import SetupDialog
from ui.errors import install_last_resort_handler
from ui.main_window import MainWindow
from ui.platform_check import platform_problem
from ui.screens.backups_settings import BackupFolder

log = logging.getLogger(__name__)


def default_settings_path() -> Path:
    return Path(platformdirs.user_config_dir(db.APP_NAME, appauthor=False)) / "window.ini"


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


def open_settings(settings_path: Path | None = None) -> QSettings:
    """This PC's settings for the program (window geometry, backup folder)."""
    return QSettings(str(settings_path or default_settings_path()), QSettings.Format.IniFormat)


def backup_folder(settings_path: Path | None = None) -> Path:
    """The backup folder chosen on this PC, else the default one."""
    return BackupFolder(open_settings(settings_path)).path


def open_or_recover(
    db_path: Path, parent: QWidget | None = None, settings_path: Path | None = None
) -> bool:
    """Open and check the database; when it is damaged, offer the newest good backup.

    True when the database is fit to use (as it was, or restored); False when the person
    chose Quit or the restore failed. The database is left closed either way.
    Raises db.DatabaseUnavailable when the file cannot be opened for another reason.
    """
    problems = _start_up_problems(Path(db_path))
    if not problems:
        return True
    log.error("the database failed its start-up check")
    folder = backup_folder(settings_path)
    newest = recovery.newest_good_backup(folder)
    dialog = DamagedDatabaseDialog(Path(db_path), problems, newest, folder, parent)
    dialog.exec()
    if newest is None or not dialog.restore_chosen():
        return False
    return _restore(Path(db_path), newest, parent)


def _start_up_problems(db_path: Path) -> list[str]:
    """What the start-up check found (opening a damaged file counts); closes the file."""
    try:
        database = db.open_database(db_path)
    except db.DatabaseUnavailable as error:
        if not recovery.is_damage(error):
            raise
        return [error.__cause__.problem]
    try:
        return db.startup_check(database)
    finally:
        db.close_database()


def _restore(db_path: Path, newest: GoodBackup, parent: QWidget | None) -> bool:
    try:
        recovery.restore_over_damaged(db_path, newest)
    except (BackupError, StorageError, db.DatabaseUnavailable, OSError) as error:
        log.error("the newest good backup could not be put in place")
        QMessageBox.critical(parent, "Front Desk", f"The backup could not be restored.\n\n{error}")
        return False
    finally:
        db.close_database()
    return True


def run(db_path: Path) -> int:
    """Start the program over a database file; returns the exit code."""
    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = create_application()
    install_last_resort_handler()
    try:
        if not open_or_recover(db_path):
            return 1
        window = build_main_window(db_path)
    except db.DatabaseUnavailable as error:
        log.error("could not open the database")
        QMessageBox.critical(None, "Front Desk", f"The database could not be opened.\n\n{error}")
        return 1
    if clinic.needs_setup() and SetupDialog(window).exec() != QDialog.DialogCode.Accepted:
        return 0
    window.show()
    window.start_automatic_backups()
    code = app.exec()
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
