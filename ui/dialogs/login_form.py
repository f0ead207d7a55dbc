"""A login in a window of its own: add one (with its first password) or change one, and the
owner's reset of someone's password."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from frontdesk import access
from frontdesk.fieldrules import FieldRule
from frontdesk.models import User
from frontdesk.services import clinic, users
from frontdesk.validation import ValidationError, ValidationErrors
from ui.dialogs.change_password import (
    PASSWORDS_DIFFER,
    PasswordsDialog,
    add_password_rows,
    strong_password_rule,
    typed_password_rule,
)
from ui.dialogs.form_dialog import FormDialog
from ui.form_page import RecordFormPage

THERAPIST = "Therapist"
CONFIRM_PASSWORD = "Confirm password"
NO_THERAPIST = "None"
LOGIN_INTRO = (
    "A therapist's login belongs to their therapist record, so their notes are signed as "
    "theirs. An owner who also treats clients may have one too; the front desk has none."
)


def _therapist_choices(keep: int | None) -> tuple[tuple[str, str], ...]:
    """The active therapists (and the login's own, though inactive), "None" first."""
    shown = [t for t in clinic.all_therapists() if t.active or t.id == keep]
    listed = [(str(t.id), t.display_name + ("" if t.active else " (inactive)")) for t in shown]
    return (("", NO_THERAPIST), *listed)


def therapist_rule(keep: int | None = None) -> FieldRule:
    """The therapist a login is tied to, picked from a list (the service checks the rest)."""
    return FieldRule(
        "therapist_id",
        THERAPIST,
        lambda text, _label: text,
        choices=_therapist_choices(keep),
        show=lambda value: "" if value is None else str(value),
    )


class LoginPage(RecordFormPage):
    """A login's name, full name, role and therapist; a new one also has its first password."""

    noun = "login"

    def __init__(self, heading: str, user: User | None = None, parent=None) -> None:
        super().__init__(heading, "Save login", parent)
        self.rules = (*users.USER_RULES, therapist_rule(user.therapist_id if user else None))
        body = QWidget(self)
        intro = QLabel(LOGIN_INTRO, body)
        intro.setWordWrap(True)
        fields = self.form.form_layout(self.rules)
        if user is None:
            add_password_rows(
                self.form,
                fields,
                (
                    strong_password_rule("password", users.PASSWORD),
                    typed_password_rule("confirm", CONFIRM_PASSWORD),
                ),
            )
        column = QVBoxLayout(body)
        column.addWidget(intro)
        column.addLayout(fields)
        column.addStretch(1)
        self.lay_out(body)
        self.role_input.currentIndexChanged.connect(lambda _index: self._follow_role())
        self._follow_role()

    @property
    def role_input(self) -> QComboBox:
        return self.form.input("role")

    @property
    def therapist_input(self) -> QComboBox:
        return self.form.input("therapist_id")

    def _follow_role(self) -> None:
        """The front desk's logins have no therapist: the list is emptied and turned off."""
        front_desk = self.role_input.currentData() == access.FRONT_DESK
        if front_desk:
            self.therapist_input.setCurrentIndex(0)
        self.therapist_input.setEnabled(not front_desk)

    def load(self, values: dict[str, Any], opened: dict[str, Any] | None = None) -> None:
        super().load(values, opened)
        self._follow_role()

    def start_edit(self, record: User) -> None:
        self.record_id = record.id
        self.load(self._stored(record), opened=self._stored(record) | {"version": record.version})

    @staticmethod
    def _stored(user: User) -> dict[str, Any]:
        return {
            "username": user.username,
            "full_name": user.full_name,
            "role": user.role,
            "therapist_id": user.therapist_id,
        }

    def changed_labels(self, current: User) -> list[str]:
        now = self._stored(current)
        return [rule.label for rule in self.rules if self.opened.get(rule.name) != now[rule.name]]

    def write(self) -> User:
        values = self.form.values()
        raw = {name: values[name] for name in ("username", "full_name", "role")}
        therapist_id = int(values["therapist_id"]) if values["therapist_id"] else None
        if self.record_id is not None:
            return users.update_user(self.record_id, self.opened["version"], raw, therapist_id)
        if values["password"] != values["confirm"]:
            raise ValidationErrors([ValidationError(CONFIRM_PASSWORD, PASSWORDS_DIFFER)])
        return users.add_user(raw, values["password"], therapist_id)


def new_login_dialog(parent: QWidget | None = None) -> FormDialog:
    page = LoginPage("New login")
    page.load({"role": access.FRONT_DESK})
    dialog = FormDialog(page, "New login", parent)
    dialog.resize(560, 440)
    return dialog


def login_dialog(user: User, parent: QWidget | None = None) -> FormDialog:
    page = LoginPage(f"Login: {user.username}", user)
    page.start_edit(user)
    dialog = FormDialog(page, "Login", parent)
    dialog.resize(560, 380)
    return dialog


def reset_password_dialog(user: User, parent: QWidget | None = None) -> PasswordsDialog:
    """The owner gives `user` a new password (which also ends a lockout)."""
    return PasswordsDialog(
        "Reset password",
        f"A new password for {user.full_name or user.username} (login {user.username}). "
        "Tell them to change it once they are signed in.",
        "Reset password",
        (
            strong_password_rule("new", users.NEW_PASSWORD),
            typed_password_rule("confirm", "Confirm new password"),
        ),
        lambda values: users.reset_password(user.id, values["new"]),
        f"Password reset for {user.username}.",
        parent,
    )
