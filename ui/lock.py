"""The window's cover: when the program is left alone (or locked, or signed out) it covers
every client detail until someone may carry on. What was typed underneath stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QVBoxLayout, QWidget

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


class Cover(QWidget):
    """Covers the whole window with a sign-in: after a lock, the same person or an owner;
    after signing out, anyone. `uncovered` fires with the person signed in."""

    uncovered = Signal(object)  # the access.Actor

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.locked_for: access.Actor | None = None
        self.panel = SignInPanel("Front Desk is locked", self._check, self)
        self.panel.setFixedWidth(460)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.panel.signed_in.connect(self.uncovered)
        self.hide()

    def cover(self, locked_for: access.Actor | None) -> None:
        """Shown over everything; `locked_for` None: signed out (anyone may sign in)."""
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
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()

    def _check(self, username: str, password: str) -> access.Actor:
        if self.locked_for is None:
            return users.sign_in(username, password)
        return users.may_unlock(self.locked_for, username, password)


class HiddenWindows:
    """The program's other windows (dialogs) hidden while the cover is up, and shown again."""

    def __init__(self, keep: QWidget) -> None:
        self.keep = keep
        self.hidden: list[QWidget] = []

    def hide_all(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget is not self.keep and widget.isVisible() and widget.isWindow():
                widget.hide()
                self.hidden.append(widget)

    def close_all(self) -> None:
        """Someone else carries on: the other person's dialogs are closed, not shown to them."""
        for widget in self.hidden:
            widget.reject() if isinstance(widget, QDialog) else widget.close()
        self.hidden = []

    def show_again(self, then: Callable[[], None] | None = None) -> None:
        for widget in self.hidden:
            widget.show()
        self.hidden = []
        if then is not None:
            then()
