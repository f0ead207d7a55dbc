"""The clinic file's passphrase: asked at start for an encrypted file (before anyone signs
in), chosen when the owner encrypts the file, and changed later.

A passphrase is passed to the core exactly as typed and never shown again. Whoever loses it
loses the clinic's records, backups included: the dialogs say so before one is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.db import DatabaseUnavailable
from frontdesk.services.backup import BackupError
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError
from ui.errors import refusal
from ui.sign_in import password_input
from ui.widgets import button, error_label, show_text, title

LOST_PASSPHRASE = (
    "Keep the passphrase somewhere safe, away from this PC. Without it nobody, not even "
    "Front Desk's makers, can open the clinic's records or their backups: a lost "
    "passphrase means the records are lost."
)
DIFFERENT = "The two passphrases differ; type the same one twice."
REFUSALS = (DatabaseUnavailable, BackupError)  # they say in their words why not


class _PassphraseForm(QDialog):
    """Rows of passphrase inputs, each with its error line, and one action button (each
    kind connects it to what it does)."""

    def __init__(self, heading: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.fields = QFormLayout()
        self.inputs: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.message = error_label("Problem", self)
        self.buttons = QDialogButtonBox(self)
        self.action_button = button(action, primary=True, parent=self)
        self.cancel_button = button("Cancel", parent=self)
        self.buttons.addButton(self.action_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title(heading, self))
        layout.addWidget(self.explanation)
        layout.addLayout(self.fields)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def add_input(self, label: str) -> QLineEdit:
        line = password_input(label, self)
        error = error_label(f"{label} problem", self)
        self.fields.addRow(label, line)
        self.fields.addRow("", error)
        self.inputs[label], self.errors[label] = line, error
        if len(self.inputs) == 1:
            line.setFocus()
        return line

    def text(self, label: str) -> str:
        return self.inputs[label].text()

    def show_problem(self, label: str, text: str) -> None:
        self.say(self.errors[label], text)

    def say(self, line: QLabel, text: str) -> None:
        """Show `text` on the line (beside its field, or below) and grow to show it whole."""
        show_text(line, text)
        self.adjustSize()

    def clear_problems(self) -> None:
        for error in self.errors.values():
            show_text(error, "")
        show_text(self.message, "")


class AskPassphrase(_PassphraseForm):
    """At start: the passphrase that opens an encrypted clinic file, or Quit."""

    def __init__(
        self, path: Path, try_open: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__("Open the clinic's file", "Open", parent)
        self.try_open = try_open
        self.explanation.setText(f"{path.name} is encrypted. Type its passphrase to open it.")
        self.add_input("Passphrase")
        self.cancel_button.setText("Quit")
        self.buttons.accepted.connect(self.act)

    def act(self) -> None:
        from frontdesk import db

        self.clear_problems()
        try:
            self.try_open(self.text("Passphrase"))
        except db.WrongPassphrase as wrong:
            self.inputs["Passphrase"].clear()
            self.show_problem("Passphrase", str(wrong))
            return
        except (db.DatabaseUnavailable, StorageError) as error:  # locked, gone, unreadable
            self.say(self.message, str(error))
            return
        self.accept()


class ChoosePassphrase(_PassphraseForm):
    """A new passphrase typed twice (the current one first when `current` is True); `done`
    does the work with them, and its refusals show beside their fields."""

    def __init__(
        self,
        heading: str,
        action: str,
        done: Callable[[str, str], None],
        current: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(heading, action, parent)
        self.done_with = done
        self.explanation.setText(LOST_PASSPHRASE)
        if current:
            self.add_input("Current passphrase")
        self.add_input("New passphrase")
        self.add_input("Confirm new passphrase")
        self.buttons.accepted.connect(self.act)

    def act(self) -> None:
        self.clear_problems()
        new = self.text("New passphrase")
        if new != self.text("Confirm new passphrase"):
            self.show_problem("Confirm new passphrase", DIFFERENT)
            return
        current = self.text("Current passphrase") if "Current passphrase" in self.inputs else ""
        try:
            self.done_with(current, new)
        except ValidationError as refused:
            label = refused.field if refused.field in self.inputs else "New passphrase"
            self.show_problem(label, refused.message)
            return
        except StorageError as error:
            self.say(self.message, refusal("Not done", error))
            return
        except REFUSALS as error:
            self.say(self.message, f"Not done: {error}")
            return
        self.accept()


class EncryptAtSetup(QGroupBox):
    """At the first start: encrypt the clinic's file with a passphrase, if ticked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Encrypt the clinic's file with a passphrase (optional)", parent)
        self.setAccessibleName("Encrypt the clinic's file")
        self.setCheckable(True)
        self.setChecked(False)
        self.passphrase_input = password_input("Passphrase", self)
        self.passphrase_error = error_label("Passphrase problem", self)
        self.confirmation = password_input("Confirm passphrase", self)
        self.confirmation_error = error_label("Confirm passphrase problem", self)
        note = QLabel(LOST_PASSPHRASE, self)
        note.setWordWrap(True)
        fields = QFormLayout()
        fields.addRow("Passphrase", self.passphrase_input)
        fields.addRow("", self.passphrase_error)
        fields.addRow("Confirm passphrase", self.confirmation)
        fields.addRow("", self.confirmation_error)
        layout = QHBoxLayout(self)
        layout.addLayout(fields, 1)
        layout.addWidget(note, 1)

    def inputs(self) -> list[QWidget]:
        return [self.passphrase_input, self.confirmation]

    def chosen(self) -> str | None:
        """The passphrase ("" when not ticked); None when it was refused (it says why)."""
        from frontdesk import encryption

        show_text(self.passphrase_error, "")
        show_text(self.confirmation_error, "")
        if not self.isChecked():
            return ""
        text = self.passphrase_input.text()
        try:
            encryption.check_passphrase(text)
        except ValidationError as refused:
            show_text(self.passphrase_error, refused.message)
            return None
        if text != self.confirmation.text():
            show_text(self.confirmation_error, DIFFERENT)
            return None
        return text
