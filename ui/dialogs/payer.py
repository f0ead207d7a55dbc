"""Add or edit an insurer in the payer directory."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.models import Payer
from frontdesk.services import payers
from frontdesk.services.payers import PAYER_RULES
from ui.dialogs.form_dialog import FormDialog
from ui.form_page import RecordFormPage


class PayerPage(RecordFormPage):
    """One payer's details: name, aliases, kind, acceptance, plan types, phone, payer ID, notes."""

    noun = "insurer"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New insurer", "Save insurer", parent)
        body = QWidget(self)
        body.setLayout(self.form.form_layout(PAYER_RULES))
        self.lay_out(body)

    def start_new(self, name: str = "") -> None:
        self.load({"name": name.strip()})

    def start_edit(self, payer: Payer) -> None:
        self.heading.setText(f"Edit insurer: {payer.name}")
        self.load_record(payer)
        self.opened_values = payers.payer_form_values(payer)

    def changed_labels(self, current: Payer) -> list[str]:
        now = payers.payer_form_values(current)
        return [
            rule.label for rule in PAYER_RULES if now[rule.name] != self.opened_values[rule.name]
        ]

    def write(self) -> Payer:
        return payers.save_payer(
            self.form.values(), self.record_id, version=self.opened.get("version")
        )


def payer_dialog(parent: QWidget, payer: Payer | None = None, name: str = "") -> FormDialog:
    """The insurer's form in a window: a new one (starting from `name`) or `payer` to edit."""
    page = PayerPage()
    if payer is None:
        page.start_new(name)
    else:
        page.start_edit(payer)
    return FormDialog(page, "Edit insurer" if payer else "New insurer", parent)
