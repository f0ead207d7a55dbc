"""The main window: navigation rail, client header strip, screens, menus, status bar.

It is built in two steps so that it shows at once: the frame (rail, Clients screen with its
search box, menus) needs no database; `finish()` adds what does (the demo mark, backups,
the filled client list) and turns the rail and the menus on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk import __version__
from frontdesk.paths import is_server_address
from ui.client_header import ClientHeader
from ui.navigation import NavigationRail
from ui.screens.clients import ClientsScreen
from ui.widgets import icon

if TYPE_CHECKING:
    from frontdesk.services.receipts import Problem
    from ui.backup_jobs import BackupOutcome
    from ui.screens.insurers import InsurersScreen
    from ui.screens.prescriptions import PrescriptionsScreen
    from ui.screens.receipts import ReceiptsScreen
    from ui.screens.settings import SettingsScreen
    from ui.screens.visits import VisitsScreen

DEFAULT_SIZE = QSize(1280, 800)
DEMO_TITLE = "Front Desk — DEMO clinic (made-up clients)"
SCREENS = (  # title and icon, in the rail's order; all but Clients are built when first wanted
    ("Clients", "clients"),
    ("Prescriptions", "prescriptions"),
    ("Insurers", "insurers"),
    ("Visits", "visits"),
    ("Receipts", "receipts"),
    ("Settings", "settings"),
)


def database_name(location: Path | str) -> str:
    """How the status bar names the database: the file's name, or "clinic on server1"."""
    if is_server_address(location):
        from urllib.parse import urlsplit

        address = urlsplit(str(location))
        return f"{address.path.lstrip('/')} on {address.hostname}"
    return Path(location).name


class MainWindow(QMainWindow):
    """One window: the rail on the left picks the screen shown on the right."""

    def __init__(self, db_path: Path | str, settings: QSettings) -> None:
        """The frame, ready to show before the database is open; then call `finish()`."""
        super().__init__()
        self.db_path = db_path
        self.settings = settings
        self.demo = False  # made-up clients: said in the title, never backed up (see finish)
        self.finished = False
        self.setWindowTitle("Front Desk")
        self.setWindowIcon(icon("app"))
        self.header = ClientHeader(self)
        self.clients_screen = ClientsScreen(self)
        self._built: dict[str, QWidget] = {}
        self._actions: list[tuple[QAction, QKeySequence | None]] = []
        self.nav = NavigationRail(self)
        self.stack = QStackedWidget(self)
        self._lay_out()
        self.add_screen("Clients", "clients", self.clients_screen)
        for title, icon_name in SCREENS[1:]:
            self.nav.add_entry(title, icon_name)
            self.stack.addWidget(QWidget(self.stack))  # stands in until the screen is wanted
        self._make_menus()
        self.nav.setCurrentRow(0)
        self.database_label = QLabel(f"Database: {database_name(db_path)}", self)
        self.database_label.setToolTip(str(db_path))
        self.statusBar().addPermanentWidget(self.database_label)
        self._restore_geometry()
        self.clients_screen.list_page.focus_search()

    def finish(self) -> None:
        """Add what needs the open database, fill the client list and turn everything on.

        What was typed in the search box meanwhile is kept and searched; a screen picked in
        the rail meanwhile is shown. Does nothing the second time.
        """
        if self.finished:
            return
        from frontdesk.demo_mark import is_demo_clinic

        self.finished = True
        self.demo = is_demo_clinic()
        if self.demo:
            self.setWindowTitle(DEMO_TITLE)
        self._set_up_backups()
        self._connect()
        for action, shortcut in self._actions:
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.setEnabled(True)
        self.clients_screen.start()
        if self.nav.currentRow() != self.stack.currentIndex():
            self._switch_screen(self.nav.currentRow())
        from ui.session import SessionControls

        self.session = SessionControls(self, self.file_menu)

    def _lay_out(self) -> None:
        work_area = QWidget(self)
        self._column = column = QVBoxLayout(work_area)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        column.addWidget(self.stack, 1)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(work_area, 1)
        self.setCentralWidget(central)

    def add_screen(self, title: str, icon_name: str, screen: QWidget) -> None:
        """Put a screen in the rail under its title.

        A screen may offer `show_start()` (back to its starting view) and
        `confirm_leave()` (asks about unsaved changes; False keeps it open).
        """
        self.nav.add_entry(title, icon_name)
        self.stack.addWidget(screen)
        self._built[title] = screen

    # --- screens built when first wanted --------------------------------------------------

    def _screen(self, title: str) -> QWidget:
        """The screen under its title, built (in place of its stand-in) the first time."""
        screen = self._built.get(title)
        if screen is None:
            build = getattr(self, "_build_" + title.lower())
            screen = self._built[title] = build()
            self._put_in_place(self.screen_titles().index(title), screen)
        return screen

    def _put_in_place(self, row: int, screen: QWidget) -> None:
        """`screen` in the stack at `row`, in place of what was there."""
        before = self.stack.widget(row)
        shown = self.stack.currentIndex() == row
        self.stack.removeWidget(before)
        before.deleteLater()
        self.stack.insertWidget(row, screen)
        if shown:
            self.stack.setCurrentIndex(row)

    def start_afresh(self) -> None:
        """For the next person: the client list, no client in focus, and every other screen
        made again, for that person's role, when next wanted."""
        self.header.clear()
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(0)
        self.nav.blockSignals(False)
        self.stack.setCurrentIndex(0)
        for title in [title for title in self._built if title != "Clients"]:
            del self._built[title]
            self._put_in_place(self.screen_titles().index(title), QWidget(self.stack))
        self.clients_screen.start_afresh()

    def may_leave_all(self) -> bool:
        """Whether the screen shown may be left (asks first about unsaved changes)."""
        return self._may_leave(self.stack.currentWidget())

    @property
    def prescriptions_screen(self) -> PrescriptionsScreen:
        return self._screen("Prescriptions")

    @property
    def insurers_screen(self) -> InsurersScreen:
        return self._screen("Insurers")

    @property
    def visits_screen(self) -> VisitsScreen:
        return self._screen("Visits")

    @property
    def receipts_screen(self) -> ReceiptsScreen:
        return self._screen("Receipts")

    @property
    def settings_screen(self) -> SettingsScreen:
        return self._screen("Settings")

    def _build_prescriptions(self) -> PrescriptionsScreen:
        from ui.screens.prescriptions import PrescriptionsScreen

        screen = PrescriptionsScreen(self)
        screen.open_client.connect(self.open_client)
        return screen

    def _build_insurers(self) -> InsurersScreen:
        from ui.screens.insurers import InsurersScreen

        return InsurersScreen(self)

    def _build_visits(self) -> VisitsScreen:
        from ui.screens.visits import VisitsScreen

        screen = VisitsScreen(self)
        screen.client_opened.connect(self.header.show_client)
        screen.fix_requested.connect(self.fix)
        return screen

    def _build_receipts(self) -> ReceiptsScreen:
        from ui.screens.receipts import ReceiptsScreen

        screen = ReceiptsScreen(self)
        screen.fix_requested.connect(self.fix)
        return screen

    def _build_settings(self) -> SettingsScreen:
        """Settings, its Backups tab working through the window's backup runner."""
        from ui.screens.settings import SettingsScreen

        screen = SettingsScreen(self)
        page = screen.backups
        page.use_runner(self.backup_runner)
        if self.demo:
            page.for_demo()
        elif self.backup_runner.running:
            page.actions["Back up now"].setEnabled(False)
        page.backed_up.connect(self.backup_warning.show_age)
        page.folder_changed.connect(self._backup_folder_changed)
        page.restored.connect(self._database_restored)
        return screen

    def _database_restored(self) -> None:
        """The database was replaced by a backup: the client list and the strip show it."""
        self.header.clear()
        self.clients_screen.list_page.refresh()

    def screen_titles(self) -> list[str]:
        return self.nav.titles()

    def go_to(self, title: str) -> None:
        """Show the screen; when it is already shown, return it to its starting view."""
        row = self.screen_titles().index(title)
        if row == self.stack.currentIndex():
            self._restart_screen(row)
        else:
            self.show_screen(title)

    def _restart_screen(self, row: int) -> None:
        restart = getattr(self.stack.widget(row), "show_start", None)
        if restart is not None:
            restart()

    def _make_menus(self) -> None:
        self.file_menu = file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New client", QKeySequence.StandardKey.New, self.new_client)
        file_menu.addSeparator()
        quit_keys = QKeySequence("Ctrl+Q")  # StandardKey.Quit has no keys on Windows
        self._action(file_menu, "&Quit", quit_keys, self.close).setEnabled(True)
        go_menu = self.menuBar().addMenu("&Go")
        self._action(go_menu, "&Find client", QKeySequence.StandardKey.Find, self.find_client)
        for number, title in enumerate(self.screen_titles(), start=1):
            self._action(
                go_menu,
                title,
                QKeySequence(f"Ctrl+{number}"),
                lambda _checked=False, t=title: self.go_to(t),
            )
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About Front Desk", None, self._about)

    def _action(self, menu, text: str, shortcut, slot) -> QAction:
        """A menu entry, off until `finish()` turns it on and gives it its shortcut (setting
        one makes Qt's own enums, which the first frame need not wait for: see ui/tables.py)."""
        action = QAction(text, self)
        action.triggered.connect(slot)
        action.setEnabled(self.finished)
        self._actions.append((action, shortcut))
        menu.addAction(action)
        return action

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self._switch_screen)
        self.nav.reselected.connect(self._restart_screen)
        self.clients_screen.client_opened.connect(self.header.show_client)
        self.clients_screen.client_closed.connect(self.header.clear)
        self.clients_screen.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 5000)
        )

    def _set_up_backups(self) -> None:
        """The backup folder of this PC, backups in the background, and the warning strip."""
        from ui.backup_jobs import BackupFolder, BackupRunner, BackupWarning

        self.backup_folder = BackupFolder(self.settings)
        self.backup_runner = BackupRunner(self.backup_folder, self)
        self.backup_warning = BackupWarning(self.backup_runner, self)
        self._column.insertWidget(0, self.backup_warning)
        self.backup_runner.finished.connect(self._backup_finished)

    def start_automatic_backups(self, delay_ms: int | None = None) -> None:
        """The day's backup shortly after the start (when the folder has none of today yet).

        Not for the demo clinic: its copies would crowd the clinic's own out of rotation.
        """
        from ui.backup_jobs import START_DELAY_MS

        if not self.demo:
            self.backup_runner.start_automatic(START_DELAY_MS if delay_ms is None else delay_ms)

    def back_up_at_close(self) -> None:
        """The backup as the program closes, once the window is closed; waits for it to end."""
        if not self.demo:
            self.backup_runner.back_up_at_close()

    def _backup_folder_changed(self) -> None:
        from ui.backup_jobs import Task

        self.backup_runner.run(Task.DAILY if self.backup_runner.automatic else Task.CHECK)

    def _backup_finished(self, outcome: BackupOutcome) -> None:
        if outcome.problem:
            self.statusBar().showMessage(outcome.problem)
        elif outcome.made is not None:
            self.statusBar().showMessage(f"Backed up ({outcome.made.summary()}).", 10_000)

    def _switch_screen(self, row: int) -> None:
        current = self.stack.currentWidget()
        if row != self.stack.currentIndex() and not self._may_leave(current):
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self.stack.currentIndex())
            self.nav.blockSignals(False)
            return
        self._screen(self.screen_titles()[row])
        self.stack.setCurrentIndex(row)

    @staticmethod
    def _may_leave(screen: QWidget | None) -> bool:
        confirm = getattr(screen, "confirm_leave", None)
        return confirm() if confirm else True

    def show_screen(self, title: str) -> bool:
        """Bring a screen to the front as it is; False when the shown one may not be left."""
        self.nav.setCurrentRow(self.screen_titles().index(title))
        return self.stack.currentIndex() == self.nav.currentRow()

    def new_client(self) -> None:
        if self.show_screen("Clients"):
            self.clients_screen.new_client()

    def open_client(self, client_id: int) -> None:
        if self.show_screen("Clients"):
            self.clients_screen.open_client(client_id)

    def fix(self, problem: Problem) -> None:
        """Open the place to fix a document's problem: a client, a prescription, a visit."""
        if problem.record_id is None:
            return
        if problem.fix == "visit":
            if self.show_screen("Visits"):
                self.visits_screen.open_note(problem.record_id)
        elif problem.fix == "client":
            if self.show_screen("Clients"):
                self.clients_screen.edit_client(problem.record_id)
        elif problem.fix == "prescription" and self.show_screen("Clients"):
            self.clients_screen.edit_prescription(problem.record_id)

    def find_client(self) -> None:
        if self.show_screen("Clients"):
            self.clients_screen.show_list()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Front Desk",
            f"Front Desk {__version__}\nIntake, prescriptions, payers and receipts for "
            f"medical-massage clinics.\n\nDatabase: {self.db_path}",
        )

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE)

    def closeEvent(self, event: QCloseEvent) -> None:
        covered = self.finished and self.session.covered  # no questions over the cover
        if not covered and not self._may_leave(self.stack.currentWidget()):
            event.ignore()
            return
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.sync()
        self.stop_session()
        event.accept()

    def stop_session(self) -> None:
        """No more locking or signing in on this window (it closes, or the program starts
        again over a restored database)."""
        if self.finished:
            self.session.stop()
