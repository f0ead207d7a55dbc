"""Passwords: changing one's own, and the small window both it and the owner's reset use.

Password inputs hide what is typed, pass it on exactly as typed (never tidied), and show
each refusal beside the field it is about; a confirmation that differs is caught here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.fieldrules import FieldRule
from frontdesk.services import users
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError, ValidationErrors
from ui.errors import refusal
from ui.forms import FieldEditor, Form
from ui.widgets import button, chain_tab_order, error_label, show_text

CURRENT_PASSWORD = "Current password"
CONFIRM_NEW_PASSWORD = "Confirm new password"
PASSWORDS_DIFFER = "The two passwords differ."
PASSWORD_CHANGED = "Your password was changed."


def _as_typed(text: str, _label: str) -> str:
    return text


def _strong(text: str, label: str) -> str:
    return users.check_password(text, field=label)


def strong_password_rule(name: str, label: str) -> FieldRule:
    """A new password: checked on leaving it as the service checks it on save."""
    return FieldRule(name, label, _strong, required=True)


def typed_password_rule(name: str, label: str) -> FieldRule:
    """A password that is only needed (the current one, a confirmation)."""
    return FieldRule(name, label, _as_typed, required=True)


class PasswordEditor(FieldEditor):
    """A password field: what is typed is hidden and kept exactly as typed."""

    def __init__(self, rule: FieldRule, parent: QWidget | None = None) -> None:
        super().__init__(rule, parent)
        self.input.setEchoMode(QLineEdit.EchoMode.Password)

    def _show_normalized(self, value: object) -> None:
        """Never rewrite a password on screen."""


def add_password_rows(form: Form, layout: QFormLayout, rules: Iterable[FieldRule]) -> None:
    """Add a hidden-text row to `layout` for each rule, read and checked with `form`."""
    for rule in rules:
        editor = PasswordEditor(rule, form.parent_widget)
        editor.changed.connect(form.changed)
        editor.error_shown.connect(form.errors_changed)
        layout.addRow(editor.label, editor.container)
        form.editors[rule.name] = editor
        form.saved[rule.name] = editor.text()


def confirmation_differs(form: Form, password: str, confirmation: str) -> bool:
    """Show the refusal beside the confirmation when it differs from the password."""
    values = form.values()
    if values[password] == values[confirmation]:
        return False
    form.editors[confirmation].show_error(PASSWORDS_DIFFER)
    return True


def show_refusal(form: Form, error: ValidationError | ValidationErrors) -> None:
    """Show a service's refusal beside the field it names."""
    errors = error if isinstance(error, ValidationErrors) else ValidationErrors([error])
    form.show_errors(errors)


class PasswordsDialog(QDialog):
    """Asks for a new password twice (and the current one, when `rules` holds it), then calls
    `act(values)`; closes once it succeeds, with `done_text` saying so."""

    def __init__(
        self,
        heading: str,
        intro: str,
        action: str,
        rules: tuple[FieldRule, ...],
        act: Callable[[Mapping[str, str]], object],
        done_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.act, self.success_text, self.done_text = act, done_text, ""
        self.form = Form(self)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.message = error_label("Message", self)
        self.action_button = button(action, primary=True, parent=self)
        self.cancel_button = button("Cancel", parent=self)
        self._lay_out(rules)
        self.action_button.clicked.connect(self.apply)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(520, 0)

    def _lay_out(self, rules: tuple[FieldRule, ...]) -> None:
        fields = QFormLayout()
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_password_rows(self.form, fields, rules)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.action_button)
        fields.setVerticalSpacing(10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(12)
        layout.addWidget(self.intro)
        layout.addLayout(fields)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        inputs = self.form.inputs()
        chain_tab_order([*inputs, self.cancel_button, self.action_button])
        inputs[0].setFocus()

    def apply(self) -> None:
        """Make the change; on a refusal say why beside the field and keep the window."""
        show_text(self.message, "")
        if not self.form.check_all() or confirmation_differs(self.form, "new", "confirm"):
            self._focus_first_invalid()
            return
        try:
            self.act(self.form.values())
        except (ValidationError, ValidationErrors) as error:
            show_refusal(self.form, error)
            self._focus_first_invalid()
        except StorageError as error:
            show_text(self.message, refusal("Not changed", error))
        else:
            self.done_text = self.success_text
            self.accept()

    def _focus_first_invalid(self) -> None:
        invalid = self.form.invalid_editors()
        if invalid:
            invalid[0].input.setFocus()


class ChangePasswordDialog(PasswordsDialog):
    """The person signed in changes their own password (their current one first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Change my password",
            f"Type your current password, then the new one twice. Use at least "
            f"{users.MIN_PASSWORD_LENGTH} characters; a short sentence works well.",
            "Change password",
            (
                typed_password_rule("current", CURRENT_PASSWORD),
                strong_password_rule("new", users.NEW_PASSWORD),
                typed_password_rule("confirm", CONFIRM_NEW_PASSWORD),
            ),
            lambda values: users.change_own_password(values["current"], values["new"]),
            PASSWORD_CHANGED,
            parent,
        )


def change_my_password(parent: QWidget | None = None) -> str:
    """Open the window; what to show in the status bar once changed ("" when cancelled)."""
    dialog = ChangePasswordDialog(parent)
    dialog.exec()
    return dialog.done_text
