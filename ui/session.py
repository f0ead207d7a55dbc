"""The person at the window: who is signed in (in the status bar), what their role shows,
locking after idle time, signing out and switching user, and changing one's password.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QWidget

from frontdesk import access
from frontdesk.access import Can
from frontdesk.services import clinic
from ui.change_watch import ChangeWatch
from ui.lock import IdleWatch, Lock

if TYPE_CHECKING:
    from ui.main_window import MainWindow

SCREEN_NEEDS = {  # a screen shown in the rail only to the roles that may use it
    "Insurers": Can.LOOK_UP_PAYERS,
    "Receipts": Can.ISSUE_RECEIPTS,
    "Settings": Can.EDIT_CLINIC,
}
ACTION_NEEDS = {"&New client": Can.EDIT_CLIENTS}


class SessionControls(QObject):
    """Signs people in and out of the window, locks it when it is left alone, and shows
    each person only the screens their role may use."""

    def __init__(self, window: MainWindow, file_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.person_label = QLabel(window)
        self.person_label.setAccessibleName("Signed in")
        window.statusBar().insertPermanentWidget(0, self.person_label)
        self.curtains = Lock(window)
        self.curtains.unlock.panel.signed_in.connect(self._carry_on)
        self.idle = IdleWatch(clinic.lock_minutes(), self)
        self.idle.idle.connect(self.lock)
        self.changes = ChangeWatch(window, lambda: self.covered)
        self._add_actions(file_menu)
        self.show_person()
        self.changes.start()

    def _add_actions(self, menu: QMenu) -> None:
        first = menu.actions()[1] if len(menu.actions()) > 1 else None  # after New client
        entries = (
            ("Change my &password…", None, self.change_password),
            ("&Lock the window", QKeySequence("Ctrl+L"), self.lock),
            ("S&witch user…", None, self.sign_out),
            ("Sign &out", None, self.sign_out),
        )
        for text, keys, slot in entries:
            action = QAction(text, self.window)
            if keys is not None:
                action.setShortcut(keys)
            action.triggered.connect(slot)
            menu.insertAction(first, action)
        menu.insertSeparator(first)

    @property
    def covered(self) -> bool:
        return self.curtains.covered

    @property
    def unlock(self) -> QWidget:
        """The sign-in shown above the covered windows."""
        return self.curtains.unlock

    def show_person(self) -> None:
        """The status bar names the person; the rail and menus show what their role may use."""
        person = access.signed_in()
        self.person_label.setText(
            f"Signed in: {person.full_name or person.username} ({person.role_name})"
            if person
            else "Nobody signed in"
        )
        nav = self.window.nav
        for row, title in enumerate(self.window.screen_titles()):
            needed = SCREEN_NEEDS.get(title)
            nav.setRowHidden(row, needed is not None and not access.may(needed))
        for action in self.window.findChildren(QAction):
            needed = ACTION_NEEDS.get(action.text()) or SCREEN_NEEDS.get(action.text())
            if needed is not None:
                action.setVisible(access.may(needed))
        self.window.clients_screen.list_page.follow_role()

    # --- covering the window --------------------------------------------------------------

    def lock(self) -> None:
        """Cover every window until the person, or an owner, signs in again; all is kept."""
        if not self.covered and access.signed_in() is not None:
            self.curtains.cover(access.signed_in())

    def sign_out(self) -> None:
        """End the person's session: unsaved work is asked about, dialogs left open are
        cancelled, the screens start afresh (for the next person's role) and the window
        waits for anyone to sign in."""
        if self.covered or not self.window.may_leave_all():
            return
        close_dialogs(keep=self.unlock)
        self.window.start_afresh()
        access.sign_out()
        self.show_person()
        self.curtains.cover(None)

    def _carry_on(self, person: access.Actor) -> None:
        """Someone signed in above the curtains: the windows are theirs now. An owner who
        takes over another person's locked window gets none of that person's work."""
        before = self.curtains.unlock.locked_for
        if before is not None and person.user_id != before.user_id:
            self.curtains.close_covered_dialogs()
            self.window.start_afresh()
        access.sign_in_as(person)
        self.curtains.uncover()
        self.show_person()
        self.idle.set_minutes(clinic.lock_minutes())
        if before is None or person.user_id != before.user_id:
            self.window.find_client()

    def stop(self) -> None:
        """The window is going: no more locking, nothing covered, no filters left behind."""
        self.idle.stop()
        self.changes.stop()
        self.curtains.uncover()

    def change_password(self) -> None:
        from ui.dialogs.change_password import change_my_password

        said = change_my_password(self.window)
        if said:
            self.window.statusBar().showMessage(said, 5000)


def close_dialogs(keep: QWidget) -> None:
    """Cancel the program's open dialogs (all but `keep`)."""
    from PySide6.QtWidgets import QDialog

    for window in QApplication.topLevelWidgets():
        if isinstance(window, QDialog) and window.isVisible() and window is not keep:
            window.reject()
