"""Signing in: the panel that asks for a login name and password, the dialog that shows it
at start, and the dialog that makes the owner's login of a clinic from before logins.

Passwords are passed to the core exactly as typed (never trimmed or normalized), and never
shown again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk import access
from frontdesk.services import users
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationErrors
from ui.errors import refusal
from ui.forms import Form
from ui.widgets import button, chain_tab_order, error_label, show_text, title

Check = Callable[[str, str], access.Actor]  # (login name, password) -> the person, or refused
MISMATCH = "The two passwords differ; type the same password twice."


def password_input(name: str, parent: QWidget) -> QLineEdit:
    """A line whose text shows as dots; its accessible name is its label."""
    line = QLineEdit(parent)
    line.setEchoMode(QLineEdit.EchoMode.Password)
    line.setAccessibleName(name)
    return line


class SignInPanel(QWidget):
    """Login name, password and Sign in. `check` decides who may; `signed_in` says who did."""

    signed_in = Signal(object)  # the access.Actor

    def __init__(self, heading: str, check: Check, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.heading = title(heading, self)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setAccessibleName("Login name")
        self.password = password_input("Password", self)
        self.message = error_label("Sign-in problem", self)
        self.sign_in_button = button("Sign in", primary=True, parent=self)
        self.sign_in_button.setDefault(False)  # Enter in the password signs in, once
        self.sign_in_button.setAutoDefault(False)
        self._lay_out()
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_sign_in)
        chain_tab_order([self.username, self.password, self.sign_in_button])

    def _lay_out(self) -> None:
        fields = QFormLayout()
        fields.addRow("Login name", self.username)
        fields.addRow("Password", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explanation)
        layout.addLayout(fields)
        layout.addWidget(self.message)
        layout.addWidget(self.sign_in_button)

    def start(self, username: str = "", explanation: str = "") -> None:
        """Ready for a sign-in: the login name given (or blank), no password, no message."""
        self.username.setText(username)
        self.password.clear()
        show_text(self.message, "")
        self.explanation.setText(explanation)
        self.explanation.setVisible(bool(explanation))
        (self.password if username else self.username).setFocus()

    def try_sign_in(self) -> None:
        try:
            person = self.check(self.username.text(), self.password.text())
        except users.SignInRefused as refused:
            self._refused(str(refused))
            return
        except StorageError as error:
            self._refused(refusal("Could not sign in", error))
            return
        self.password.clear()
        show_text(self.message, "")
        self.signed_in.emit(person)

    def _refused(self, text: str) -> None:
        show_text(self.message, text)
        self.password.clear()
        self.password.setFocus()


class SignInDialog(QDialog):
    """At start: sign in, or quit. The person signed in is then `access.signed_in()`."""

    def __init__(self, clinic_name: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to Front Desk")
        self.panel = SignInPanel(clinic_name or "Front Desk", users.sign_in, self)
        self.panel.signed_in.connect(self._accept_person)
        quit_buttons = QDialogButtonBox(self)
        quit_button = button("Quit", parent=self)
        quit_button.setAutoDefault(False)  # Enter never quits
        quit_buttons.addButton(quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        quit_buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(quit_buttons)
        self.setMinimumWidth(420)
        self.panel.start(explanation=hint)

    def _accept_person(self, person: access.Actor) -> None:
        access.sign_in_as(person)
        self.accept()


class OwnerLoginFields(QWidget):
    """Login name, full name and a password typed twice: the owner's first login."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = Form(self)
        layout = self.form.form_layout(users.USER_RULES[:2])
        self.password = password_input("Password", self)
        self.password.setPlaceholderText(f"At least {users.MIN_PASSWORD_LENGTH} characters")
        self.password_error = error_label("Password problem", self)
        self.confirmation = password_input("Confirm password", self)
        self.confirmation_error = error_label("Confirm password problem", self)
        layout.addRow("Password", self.password)
        layout.addRow("", self.password_error)
        layout.addRow("Confirm password", self.confirmation)
        layout.addRow("", self.confirmation_error)
        self.setLayout(layout)

    def inputs(self) -> list[QWidget]:
        return [*self.form.inputs(), self.password, self.confirmation]

    def typed(self) -> bool:
        return any(text.strip() for text in self.form.values().values()) or bool(
            self.password.text()
        )

    def checked_password(self) -> str | None:
        """The password, when both fields hold the same one (else the confirmation says so)."""
        show_text(self.password_error, "")
        matches = self.password.text() == self.confirmation.text()
        show_text(self.confirmation_error, "" if matches else MISMATCH)
        return self.password.text() if matches else None

    def create_owner(self) -> access.Actor | None:
        """The owner's login made and signed in; None when a field was refused (it says why)."""
        fields_ok, password = self.form.check_all(), self.checked_password()
        if not fields_ok or password is None:
            return None
        try:
            owner = users.create_first_owner(self.form.values(), password)
        except ValidationErrors as errors:
            self.show_errors(errors)
            return None
        access.sign_in_as(owner)
        return owner

    def show_errors(self, errors: ValidationErrors) -> None:
        self.form.show_errors(errors)
        for error in errors.errors:
            if error.field == "Password":
                show_text(self.password_error, error.message)


class OwnerLoginDialog(QDialog):
    """A clinic from before logins: its owner makes their login, once, then is signed in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Make the owner's login")
        self.fields = OwnerLoginFields(self)
        self.message = error_label("Problem", self)
        buttons = QDialogButtonBox(self)
        buttons.addButton(
            button("Make the login and sign in", primary=True, parent=self),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        buttons.addButton(button("Quit", parent=self), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        explanation = QLabel(
            "Front Desk now asks everyone to sign in with a login of their own. Make the "
            "clinic owner's login first; the owner then adds everyone else's in Settings ▸ "
            "Users. Use at least 10 characters for the password.",
            self,
        )
        explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title("Your login", self))
        layout.addWidget(explanation)
        layout.addWidget(self.fields)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        chain_tab_order([*self.fields.inputs(), *buttons.buttons()])
        self.fields.inputs()[0].setFocus()

    def save(self) -> None:
        try:
            owner = self.fields.create_owner()
        except StorageError as error:
            show_text(self.message, refusal("Not saved", error))
            return
        if owner is not None:
            self.accept()
