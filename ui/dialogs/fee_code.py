"""Add a code to the fee schedule, or edit a code's description, minutes, kind and status."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from frontdesk.models import ServiceCode
from frontdesk.services import fee_schedule
from ui.dialogs.form_dialog import FormDialog
from ui.form_page import RecordFormPage

MINUTES_NOTE = (
    "A timed code is billed in units of its minutes (15 by the 8-minute rule); a session "
    "is one charge, and its minutes are the session's length."
)
NEW_NOTE = (
    "Describe the service in your own words (the official CPT descriptions are "
    f"copyrighted). {MINUTES_NOTE}"
)
EDIT_NOTE = (
    "The code itself cannot change: it is on past receipts. To change the price from a "
    f"date on, use Change price. {MINUTES_NOTE}"
)


def _note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class ServiceCodePage(RecordFormPage):
    """A code's fields: all of them for a new code; an existing one's without code and price."""

    noun = "service code"

    def __init__(self, new: bool, parent: QWidget | None = None) -> None:
        super().__init__("New code" if new else "Edit code", "Save code", parent)
        self.rules = fee_schedule.code_rules(new)
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addWidget(_note(NEW_NOTE if new else EDIT_NOTE, body))
        column.addSpacing(6)
        column.addLayout(self.form.form_layout(self.rules))
        column.addStretch(1)
        self.lay_out(body)

    def start_new(self) -> None:
        self.load(dict(fee_schedule.NEW_CODE_DEFAULTS))

    def start_edit(self, code: ServiceCode) -> None:
        self.heading.setText(f"Edit code: {code.code}")
        self.load_record(code)

    def changed_labels(self, current: ServiceCode) -> list[str]:
        return [
            rule.label
            for rule in self.rules
            if self.opened.get(rule.name) != getattr(current, rule.name)
        ]

    def write(self) -> ServiceCode:
        return fee_schedule.save_code(
            self.form.values(), self.record_id, version=self.opened.get("version")
        )


def code_dialog(parent: QWidget, code: ServiceCode | None = None) -> FormDialog:
    """The code's form in a window: a new code, or `code` to edit."""
    page = ServiceCodePage(new=code is None)
    if code is None:
        page.start_new()
    else:
        page.start_edit(code)
    dialog = FormDialog(page, "Edit code" if code else "New code", parent)
    dialog.resize(600, 480)
    return dialog
