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
from ui.lock import Cover, HiddenWindows, IdleWatch

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
        self.cover = Cover(window)
        self.cover.uncovered.connect(self._carry_on)
        self.hidden_windows = HiddenWindows(window)
        self.focus_before: QWidget | None = None
        self.idle = IdleWatch(clinic.lock_minutes(), self)
        self.idle.idle.connect(self.lock)
        self._add_actions(file_menu)
        window.installEventFilter(self)
        self.show_person()

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
        return self.cover.isVisible()

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
        """Cover the window until the person, or an owner, signs in again; all is kept."""
        if not self.covered and access.signed_in() is not None:
            self._cover(access.signed_in())

    def sign_out(self) -> None:
        """End the person's session: unsaved work is asked about, the screens start afresh
        (for the next person's role) and the window waits for anyone to sign in."""
        if self.covered or not self.window.may_leave_all():
            return
        self.window.start_afresh()
        access.sign_out()
        self.show_person()
        self._cover(None)

    def _cover(self, locked_for: access.Actor | None) -> None:
        self.focus_before = QApplication.focusWidget()
        self.hidden_windows.hide_all()
        self._set_working(False)
        self.cover.cover(locked_for)

    def _carry_on(self, person: access.Actor) -> None:
        """Someone signed in on the cover: the window is theirs again."""
        same = self.cover.locked_for is not None and person.user_id == self.cover.locked_for.user_id
        was_signed_out = self.cover.locked_for is None
        if not same and not was_signed_out:
            self.window.start_afresh()  # an owner took over: nothing of the other person's
        access.sign_in_as(person)
        self.cover.hide()
        self._set_working(True)
        self.show_person()
        self.idle.set_minutes(clinic.lock_minutes())
        if same:
            focus = self.focus_before
            self.hidden_windows.show_again(focus.setFocus if focus is not None else None)
        else:
            self.hidden_windows.close_all()
            self.window.find_client()

    def _set_working(self, working: bool) -> None:
        """Menus, shortcuts and the work area answer only while the window is uncovered."""
        self.window.centralWidget().setEnabled(working)
        self.window.menuBar().setEnabled(working)

    def eventFilter(self, watched: QObject, event) -> bool:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.Resize and self.covered:
            self.cover.setGeometry(self.window.rect())
        return False

    def change_password(self) -> None:
        from ui.dialogs.change_password import change_my_password

        said = change_my_password(self.window)
        if said:
            self.window.statusBar().showMessage(said, 5000)
