"""First run: the clinic's profile, its first therapist and the owner's login."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk import access
from frontdesk.services import clinic, users
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationErrors
from ui.errors import refusal
from ui.forms import Form
from ui.passphrase import EncryptAtSetup
from ui.sign_in import OwnerLoginFields
from ui.widgets import button, chain_tab_order, confirm, title

ROOM_FOR_MESSAGES = 120  # px below the fields, so the first error lines fit without growing
FIELDS_MESSAGE = "Not saved: correct the fields marked in red."


INTRODUCTION = (
    "These details print on every receipt and superbill. You can change them later in "
    "Settings. Your login is the owner's: you add everyone else's in Settings ▸ Users. "
)
TRY_DEMO = (
    "Just looking? Try the demo clinic: made-up clients in a file of its own, kept apart from "
    "yours."
)
ON_SERVER = "The clinic's records go on the clinic server, where every PC of the clinic sees them."


def _on_clinic_server() -> bool:
    from frontdesk.models import database_proxy

    return getattr(database_proxy.obj, "is_server", False)


class SetupDialog(QDialog):
    """Asks for the clinic, one therapist and the owner's login; saves them together or
    nothing, and signs the owner in.

    "Try the demo clinic" ends the dialog with TRY_DEMO: the caller opens the demo
    clinic's own file, and this database stays untouched, ready for the real set-up.
    """

    TRY_DEMO = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up your clinic")
        self.clinic_form = Form(self)
        self.therapist_form = Form(self)
        self.owner_fields = OwnerLoginFields(self)
        self.encrypt_box = EncryptAtSetup(self)
        self.message = QLabel(self)
        self.message.setProperty("class", "fieldError")
        self.message.setWordWrap(True)
        self.message.hide()
        self.message_about_fields = False
        self.buttons = QDialogButtonBox(self)
        self.save_button = button("Save and start", primary=True, parent=self)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(button("Quit", parent=self), QDialogButtonBox.ButtonRole.RejectRole)
        self.demo_button = button("Try the demo clinic", parent=self)
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.demo_button.clicked.connect(lambda: self.done(self.TRY_DEMO))
        if _on_clinic_server():  # no file to encrypt, and the demo clinic is a file
            self.encrypt_box.hide()
            self.demo_button.hide()
        self._lay_out()
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for form in self.forms:
            form.errors_changed.connect(self._follow_fields)
        fields = [
            *self.clinic_form.inputs(),
            *self.therapist_form.inputs(),
            *self.owner_fields.inputs(),
            self.encrypt_box,
            *self.encrypt_box.inputs(),
        ]
        chain_tab_order([*fields, *self.buttons.buttons()])
        fields[0].setFocus()

    def _lay_out(self) -> None:
        clinic_box = QGroupBox("Clinic", self)
        clinic_box.setLayout(self.clinic_form.form_layout(clinic.CLINIC_RULES))
        therapist_box = QGroupBox("First therapist", self)
        therapist_box.setLayout(self.therapist_form.form_layout(clinic.THERAPIST_RULES))
        owner_box = QGroupBox("Your login (the clinic's owner)", self)
        owner_layout = QVBoxLayout(owner_box)
        owner_layout.setContentsMargins(0, 0, 0, 0)
        owner_layout.addWidget(self.owner_fields)
        right = QVBoxLayout()
        right.addWidget(therapist_box)
        right.addWidget(owner_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(clinic_box, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title("Welcome to Front Desk", self))
        introduction = QLabel(INTRODUCTION + (ON_SERVER if _on_clinic_server() else TRY_DEMO), self)
        introduction.setWordWrap(True)
        layout.addWidget(introduction)
        layout.addLayout(columns)
        layout.addWidget(self.encrypt_box)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(920, self.sizeHint().height() + ROOM_FOR_MESSAGES)

    @property
    def forms(self) -> tuple[Form, Form, Form]:
        return self.clinic_form, self.therapist_form, self.owner_fields.form

    def save(self) -> None:
        valid = [form.check_all() for form in self.forms]
        password = self.owner_fields.checked_password()
        passphrase = self.encrypt_box.chosen()
        if not all(valid) or password is None or passphrase is None:
            self._say(FIELDS_MESSAGE, about_fields=True)
            return
        try:
            owner = users.set_up_clinic(
                self.clinic_form.values(),
                self.therapist_form.values(),
                self.owner_fields.form.values(),
                password,
            )
        except ValidationErrors as errors:
            self.clinic_form.show_errors(errors)
            self.therapist_form.show_errors(errors)
            self.owner_fields.show_errors(errors)
            self._say(str(errors), about_fields=True)
            return
        except StorageError as error:
            self._say(refusal("Not saved", error))
            return
        access.sign_in_as(owner)
        if passphrase:
            self._encrypt(passphrase)
        self.accept()

    def _encrypt(self, passphrase: str) -> None:
        """The set-up is saved; the file is encrypted now, or later from Settings ▸ Users."""
        from frontdesk import encryption
        from ui.passphrase import REFUSALS
        from ui.screens.encryption_settings import database_path

        try:
            encryption.encrypt_database(database_path(), passphrase)
        except (StorageError, *REFUSALS) as error:
            QMessageBox.warning(
                self,
                "Front Desk",
                f"The clinic is set up, but its file could not be encrypted: {error}\n\n"
                "You can encrypt it later in Settings ▸ Users.",
            )

    def reject(self) -> None:
        """Quit (Esc, the Quit button, closing the window) asks first when anything was typed."""
        typed = any(text.strip() for form in self.forms for text in form.values().values())
        question = "Quit without saving? The details you typed will be lost."
        if not typed or confirm(self, "Quit set-up", question):
            super().reject()

    def _say(self, text: str, about_fields: bool = False) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message_about_fields = about_fields
        self._grow_to_fit()

    def _follow_fields(self) -> None:
        """An error line came or went: once every field is fixed, their message goes too."""
        if self.message_about_fields and not any(form.invalid_editors() for form in self.forms):
            self._say("")
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Taller (never wider) until every wrapped line shows whole."""
        needed = self.layout().totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
