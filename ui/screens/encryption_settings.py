"""Settings ▸ Users ▸ Encryption: whether the clinic's file is encrypted, encrypting it with
a passphrase, and changing the passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from frontdesk import encryption
from frontdesk.paths import is_server_address
from ui.passphrase import ChoosePassphrase
from ui.widgets import button, folder_text

ENCRYPT = "Encrypt the file…"
CHANGE = "Change passphrase…"
PLAIN_TEXT = (
    "The clinic's file is not encrypted: anyone who copies it from this PC can read it. "
    "Encrypt it with a passphrase, which Front Desk then asks for at every start."
)
ENCRYPTED_TEXT = (
    "The clinic's file is encrypted, and so are the backups made of it: without the "
    "passphrase they cannot be read. Front Desk asks for it at every start. Backups and "
    "copies made before the file was encrypted are not encrypted."
)
SERVER_TEXT = (
    "The clinic's records are on the clinic server, not in a file on this PC: the server's "
    "logins and its disk protect them (see docs/clinic-server.md), and there is no file "
    "passphrase to set here."
)


class EncryptionBox(QGroupBox):
    """The file's state in words, and the one action that fits it."""

    def __init__(self, db_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__("Encryption", parent)
        self.db_path = db_path
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Encryption")
        self.encrypt_button = button(ENCRYPT, parent=self)
        self.change_button = button(CHANGE, parent=self)
        self.done_note = QLabel(self)
        self.done_note.setAccessibleName("Encryption done")
        self.done_note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.encrypt_button)
        row.addWidget(self.change_button)
        row.addWidget(self.done_note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(row)
        self.encrypt_button.clicked.connect(self.encrypt)
        self.change_button.clicked.connect(self.change_passphrase)
        self.show_state()

    def show_state(self) -> None:
        on_server = is_server_address(self.db_path)
        encrypted = not on_server and encryption.is_encrypted(self.db_path)
        self.state.setText(
            SERVER_TEXT if on_server else ENCRYPTED_TEXT if encrypted else PLAIN_TEXT
        )
        self.encrypt_button.setVisible(not on_server and not encrypted)
        self.change_button.setVisible(encrypted)

    def encrypt(self) -> None:
        made = []

        def encrypt_with(_current: str, new: str) -> None:
            with busy():
                made.append(encryption.encrypt_database(self.db_path, new))

        dialog = ChoosePassphrase("Encrypt the clinic's file", "Encrypt", encrypt_with, parent=self)
        if dialog.exec() and made:
            plain = [made[0].path, *encryption.plain_copies_beside(self.db_path)]
            self.done_note.setText(
                "Encrypted. These copies of the file as it was are not encrypted: "
                + ", ".join(folder_text(path) for path in plain)
                + ". Delete them, and older backups, once Front Desk has opened with the "
                "passphrase."
            )
        self.show_state()

    def change_passphrase(self) -> None:
        def change(current: str, new: str) -> None:
            with busy():
                encryption.change_passphrase(current, new)

        dialog = ChoosePassphrase("Change the passphrase", "Change passphrase", change, True, self)
        if dialog.exec():
            self.done_note.setText("The passphrase was changed; use the new one from now on.")
        self.show_state()


@contextmanager
def busy() -> Iterator[None]:
    """The wait cursor while the file is rewritten (a few seconds for a large clinic)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def database_path() -> Path | str:
    """The open clinic file's path, or the clinic server's address."""
    from frontdesk.models import database_proxy
    from frontdesk.paths import as_location

    return as_location(database_proxy.obj.location)
