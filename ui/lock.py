"""The lock: when the program is left alone (or locked, or signed out) every one of its
windows is covered by an opaque curtain, and a sign-in above them all asks who carries on.

Nothing underneath is closed or changed: a half-typed form and a dialog that was open stay
as they were. A window that opens while the program is locked (a document finished in the
background, say) is covered as it appears.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDialog, QVBoxLayout, QWidget
from shiboken6 import isValid

from frontdesk import access
from frontdesk.services import users
from ui.sign_in import SignInPanel

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
MINUTE_MS = 60_000


class IdleWatch(QObject):
    """Emits `idle` once no key, click or mouse move reached the program for `minutes`."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(minutes * MINUTE_MS)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.timer.start()
        return False

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)
        self.timer.stop()


class Curtain(QWidget):
    """An opaque sheet over all of one window, following its size."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCurtain")
        self.setAutoFillBackground(True)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())
        return False


class UnlockWindow(QDialog):
    """The sign-in above every other window while the program is locked. Only a sign-in
    ends it: Esc and closing it do nothing."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Front Desk is locked")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.locked_for: access.Actor | None = None
        self.panel = SignInPanel("Front Desk is locked", self._check, self)
        self.panel.setFixedWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)

    def ask(self, locked_for: access.Actor | None) -> None:
        """After a lock, the same person or an owner; after signing out (None), anyone."""
        self.locked_for = locked_for
        if locked_for is None:
            self.panel.heading.setText("Sign in to Front Desk")
            self.panel.start(explanation="Nobody is signed in.")
        else:
            who = locked_for.full_name or locked_for.username
            others = "another owner" if locked_for.role == access.OWNER else "the clinic's owner"
            self.panel.heading.setText("Front Desk is locked")
            self.panel.start(
                locked_for.username,
                f"Locked while {who} was away. {who} or {others} can carry on; what was on "
                "screen is kept as it was.",
            )
        self.show()
        self.raise_()
        self.activateWindow()

    def _check(self, username: str, password: str) -> access.Actor:
        if self.locked_for is None:
            return users.sign_in(username, password)
        return users.may_unlock(self.locked_for, username, password)

    def reject(self) -> None:
        """Esc does not unlock."""

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()


class Lock(QObject):
    """Covers every window of the program until `unlock` signs someone in."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.unlock = UnlockWindow(window)
        self.curtains: list[Curtain] = []
        self.active_before: QWidget | None = None  # given back its focus when uncovered
        self.focus_before: QWidget | None = None

    @property
    def covered(self) -> bool:
        return self.unlock.isVisible()

    def cover(self, locked_for: access.Actor | None) -> None:
        self.active_before = QApplication.activeWindow()
        self.focus_before = QApplication.focusWidget()
        close_popups()
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and self._needs_curtain(window):
                self.curtains.append(Curtain(window))
        QApplication.instance().installEventFilter(self)
        self.unlock.ask(locked_for)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A window shown while locked is covered too, and the sign-in shown again above
        it (a modal window that opened later would otherwise take the keyboard)."""
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and self._needs_curtain(watched)
            and not any(c.parentWidget() is watched for c in self._live_curtains())
        ):
            self.curtains.append(Curtain(watched))
            QTimer.singleShot(0, self._sign_in_on_top)
        return False

    def _needs_curtain(self, widget: QWidget) -> bool:
        """A window of the program's own, not the sign-in nor anything of it (its menus),
        nor a tooltip."""
        if not widget.isWindow() or widget.windowType() == Qt.WindowType.ToolTip:
            return False
        return widget is not self.unlock and not self.unlock.isAncestorOf(widget)

    def _sign_in_on_top(self) -> None:
        if self.covered:
            self.unlock.hide()
            self.unlock.show()  # the newest modal window: it takes the keyboard again
            self.unlock.activateWindow()
            self.unlock.panel.password.setFocus()

    def uncover(self) -> None:
        QApplication.instance().removeEventFilter(self)
        for curtain in self._live_curtains():
            curtain.hide()
            curtain.deleteLater()
        self.curtains = []
        self.unlock.hide()
        self._give_focus_back()

    def _give_focus_back(self) -> None:
        active, focus = self.active_before, self.focus_before
        self.active_before = self.focus_before = None
        if active is not None and isValid(active) and active.isVisible():
            active.activateWindow()
        if focus is not None and isValid(focus) and focus.isVisible():
            focus.setFocus()

    def close_covered_dialogs(self) -> None:
        """Someone else carries on: the dialogs left open are ended, without a question
        (their unsaved changes are the other person's), and not shown to them."""
        for curtain in self._live_curtains():
            window = curtain.parentWidget()
            if isinstance(window, QDialog) and window.isVisible():
                QDialog.done(window, QDialog.DialogCode.Rejected)

    def _live_curtains(self) -> list[Curtain]:
        """The curtains whose windows still exist (a dialog may be deleted once closed)."""
        return [curtain for curtain in self.curtains if isValid(curtain)]


def close_popups() -> None:
    """Menus and suggestion lists that are open close (each closes on its own first)."""
    for _ in range(10):
        popup = QApplication.activePopupWidget()
        if popup is None:
            return
        popup.close()
