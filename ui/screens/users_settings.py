"""Settings ▸ Users: the clinic's logins (the owner's page), when an idle window locks, and
the clinic file's encryption."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk import access, formatting
from frontdesk.fieldrules import FieldRule
from frontdesk.models import User
from frontdesk.services import clinic, users
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError
from ui.dialogs.login_form import login_dialog, new_login_dialog, reset_password_dialog
from ui.errors import refusal
from ui.forms import FieldEditor
from ui.screens.encryption_settings import EncryptionBox, database_path
from ui.tables import (
    CAUTION_COLOUR,
    MUTED_COLOUR,
    Column,
    RecordTableModel,
    colour_brush,
    record_table,
)
from ui.widgets import button, button_bar, chain_tab_order, error_label, show_text

ADD, EDIT, DISABLE, ENABLE, RESET = (
    "Add login…",
    "Edit…",
    "Disable",
    "Enable",
    "Reset password…",
)
ACTIONS = ((ADD, "add"), (EDIT, ""), (DISABLE, ""), (RESET, ""))
SAVE_LOCK = "Save lock time"
INTRO = (
    "Who may sign in, and what each may do: the front desk registers clients and takes "
    "payments, a therapist reads and writes notes, an owner does everything. A login that "
    "is no longer needed is disabled: its history stays. Resetting a password also ends a "
    "lockout after too many wrong passwords."
)
LOCK_INTRO = "An unattended window locks itself; signing in again opens it where it was."


def _locked_until(user: User, now: datetime) -> datetime | None:
    return user.locked_until if user.locked_until and user.locked_until > now else None


def status_text(user: User, now: datetime | None = None) -> str:
    """Active or Disabled; an active login that too many wrong passwords locked says until when."""
    if not user.active:
        return "Disabled"
    until = _locked_until(user, now or datetime.now())
    if until is None:
        return "Active"
    when = (
        formatting.clock(until) if until.date() == date.today() else formatting.us_date_time(until)
    )
    return f"Active, locked until {when}"


def _status_colour(user: User) -> QBrush | None:
    if not user.active:
        return colour_brush(MUTED_COLOUR)
    return colour_brush(CAUTION_COLOUR if _locked_until(user, datetime.now()) else None)


def _muted(user: User) -> QBrush | None:
    return colour_brush(None if user.active else MUTED_COLOUR)


def _therapist_text(user: User) -> str:
    return user.therapist.display_name if user.therapist_id is not None else "—"


COLUMNS = (
    Column("Login name", lambda u: u.username, _muted),
    Column("Full name", lambda u: u.full_name or "—", _muted),
    Column("Role", lambda u: access.ROLE_NAMES.get(u.role, u.role), _muted),
    Column("Therapist", _therapist_text, _muted),
    Column("Status", status_text, _status_colour),
)


class LockMinutesRow(QGroupBox):
    """How many idle minutes before the window locks, saved with its own button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Window lock", parent)
        rule = FieldRule("lock_minutes", clinic.LOCK_MINUTES, lambda text, _label: text)
        self.field = FieldEditor(rule, self)
        self.input: QLineEdit = self.field.input
        self.input.editingFinished.disconnect(self.field.check)  # the service checks on save
        self.input.setPlaceholderText("1 to 240")
        self.input.setMaximumWidth(120)
        self.save_button = button(SAVE_LOCK, parent=self)
        self.saved_note = QLabel(self)
        self.saved_note.setAccessibleName("Lock time saved")
        row = QHBoxLayout()
        row.addWidget(self.field.container)
        row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.saved_note, 1, Qt.AlignmentFlag.AlignTop)
        fields = QFormLayout()
        fields.addRow(self.field.label, row)
        column = QVBoxLayout(self)
        column.addWidget(QLabel(LOCK_INTRO, self))
        column.addLayout(fields)
        self.save_button.clicked.connect(self.save)
        self.input.returnPressed.connect(self.save)
        self.input.textEdited.connect(lambda _text: self.saved_note.setText(""))

    def show_saved(self) -> None:
        try:
            self.input.setText(str(clinic.lock_minutes()))
        except StorageError as error:
            self.field.show_error(refusal("Could not read it", error))

    def save(self) -> None:
        self.saved_note.setText("")
        try:
            minutes = clinic.set_lock_minutes(self.input.text())
        except ValidationError as refused:
            self.field.show_error(refused.message)
            return
        except StorageError as error:
            self.field.show_error(refusal("Not saved", error))
            return
        self.field.show_error("")
        self.input.setText(str(minutes))
        self.saved_note.setText("Saved.")


class UsersSection(QWidget):
    """The clinic's logins: add, change, disable or enable, reset a password."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.model = RecordTableModel(COLUMNS, lambda u: u.id, self)
        self.table = record_table("Logins", self.model, self)
        self.actions, action_row = button_bar(self, ACTIONS, primary=ADD)
        self.message = error_label("Message", self)
        self.done_note = QLabel(self)
        self.done_note.setAccessibleName("Done")
        self.lock = LockMinutesRow(self)
        self.encryption = EncryptionBox(database_path(), self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(action_row)
        layout.addWidget(self.message)
        layout.addWidget(self.done_note)
        layout.addWidget(self.lock)
        layout.addWidget(self.encryption)
        chain_tab_order(
            [
                self.table,
                *self.actions.values(),
                self.lock.input,
                self.lock.save_button,
                self.encryption.encrypt_button,
                self.encryption.change_button,
            ]
        )
        self._connect()

    def _connect(self) -> None:
        self.actions[ADD].clicked.connect(self.add)
        self.actions[EDIT].clicked.connect(self.edit)
        self.actions[DISABLE].clicked.connect(self.toggle_active)
        self.actions[RESET].clicked.connect(self.reset_password)
        self.table.activated.connect(lambda _index: self.edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._follow())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self.lock.show_saved()
        self.encryption.show_state()

    def show_start(self) -> None:
        self.refresh()
        self.lock.show_saved()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self, chosen: int | None = None) -> None:
        try:
            logins = users.list_users()
        except StorageError as error:
            self.model.set_rows([])
            self._say(refusal("Could not list the logins", error))
            self._follow()
            return
        self.model.set_rows(logins)
        self.table.resizeColumnsToContents()
        ids = [u.id for u in logins]
        if ids:
            self.table.selectRow(ids.index(chosen) if chosen in ids else 0)
        self._follow()

    def selected(self) -> User | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _follow(self) -> None:
        user = self.selected()
        self.actions[DISABLE].setText(ENABLE if user is not None and not user.active else DISABLE)
        for name in (EDIT, DISABLE, RESET):
            self.actions[name].setEnabled(user is not None)

    def _say(self, problem: str, done: str = "") -> None:
        show_text(self.message, problem)
        self.done_note.setText(done)

    def add(self) -> None:
        self._say("")
        dialog = new_login_dialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh(dialog.record_id)
            self._say("", "Login added.")

    def edit(self) -> None:
        user = self.selected()
        if user is None:
            return
        self._say("")
        if login_dialog(user, self).exec() == QDialog.DialogCode.Accepted:
            self._say("", "Login saved.")
        self.refresh(user.id)

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        self._say("")
        try:
            users.set_user_active(user.id, user.version, not user.active)
        except RecordChanged as changed:
            self._say(str(changed))
        except StorageError as error:
            self._say(refusal("Not changed", error))
        else:
            self._say("", f"{user.username} {'disabled' if user.active else 'enabled'}.")
        self.refresh(user.id)

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        self._say("")
        dialog = reset_password_dialog(user, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._say("", dialog.done_text)
        self.refresh(user.id)
