"""Start the desktop program: the application object, the main window, first-run set-up."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from frontdesk import db
from frontdesk.resources import resource_path
from frontdesk.services import clinic
from ui.dialogs.setup import SetupDialog
from ui.errors import install_last_resort_handler
from ui.main_window import MainWindow
from ui.platform_check import platform_problem

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
    settings = QSettings(str(settings_path or default_settings_path()), QSettings.Format.IniFormat)
    return MainWindow(Path(db_path), settings)


def run(db_path: Path) -> int:
    """Start the program over a database file; returns the exit code."""
    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = create_application()
    install_last_resort_handler()
    try:
        window = build_main_window(db_path)
    except db.DatabaseUnavailable as error:
        log.error("could not open the database")
        QMessageBox.critical(None, "Front Desk", f"The database could not be opened.\n\n{error}")
        return 1
    if clinic.needs_setup() and SetupDialog(window).exec() != QDialog.DialogCode.Accepted:
        return 0
    window.show()
    code = app.exec()
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
