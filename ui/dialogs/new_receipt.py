"""A new receipt: the client, the kind, and the payment or the dates it covers."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services import receipts
from frontdesk.services.receipts import Draft
from ui.pickers import client_picker
from ui.widgets import button, chain_tab_order, error_label, show_text


def _date_edit(name: str, day: date, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate(day), parent)
    edit.setAccessibleName(name)
    edit.setDisplayFormat("MM/dd/yyyy")
    edit.setCalendarPopup(True)
    return edit


class NewReceiptDialog(QDialog):
    """Asks what to print; accepted with `make_draft` ready to build the document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New receipt")
        self.client = client_picker(self)
        self.client.setAccessibleName("Client")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        for key, label in receipts.KINDS:
            self.kind.addItem(label, key)
        self.payment = QComboBox(self)
        self.payment.setAccessibleName("Payment")
        start, end = receipts.last_calendar_year()
        self.start = _date_edit("From", start, self)
        self.end = _date_edit("To", end, self)
        self.error = error_label("Receipt error", self)
        self.preview_button = button("Preview", "print", primary=True, parent=self)
        self.back_button = button("Back", parent=self)
        self._lay_out()
        self.client.value_changed.connect(self._offer_payments)
        self.kind.currentIndexChanged.connect(self._follow_kind)
        self.preview_button.clicked.connect(self._preview)
        self.back_button.clicked.connect(self.reject)
        self._follow_kind()
        self.resize(560, 0)

    def _lay_out(self) -> None:
        form = self.form = QFormLayout()
        for label, field in (
            ("Client", self.client),
            ("Kind", self.kind),
            ("Payment", self.payment),
            ("From", self.start),
            ("To", self.end),
        ):
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        chain_tab_order(
            [
                self.client,
                self.kind,
                self.payment,
                self.start,
                self.end,
                self.back_button,
                self.preview_button,
            ]
        )

    def _follow_kind(self) -> None:
        """A receipt is for a payment; a superbill or a statement for a range of dates."""
        by_payment = self.kind.currentData() == "hsa_fsa"
        self.form.setRowVisible(self.payment, by_payment)
        self.form.setRowVisible(self.start, not by_payment)
        self.form.setRowVisible(self.end, not by_payment)
        if self.kind.currentData() == "superbill":
            self.start.setDate(QDate(date.today() - timedelta(days=30)))
            self.end.setDate(QDate(date.today()))
        elif self.kind.currentData() == "year_end":
            start, end = receipts.last_calendar_year()
            self.start.setDate(QDate(start))
            self.end.setDate(QDate(end))

    def _offer_payments(self) -> None:
        self.payment.clear()
        if self.client.record_id is None:
            return
        for choice in receipts.payment_choices(self.client.record_id):
            self.payment.addItem(choice.label, choice.payment_id)

    def make_draft(self) -> Draft:
        client_id = self.client.record_id
        kind = self.kind.currentData()
        if kind == "hsa_fsa":
            return receipts.draft_receipt(client_id, payment_id=self.payment.currentData())
        start, end = self.start.date().toPython(), self.end.date().toPython()
        if kind == "superbill":
            return receipts.draft_superbill(client_id, start, end)
        return receipts.draft_statement(client_id, start, end)

    def _preview(self) -> None:
        show_text(self.error, "")
        if self.client.record_id is None:
            show_text(self.error, "Choose the client: type part of the name, then pick.")
            self.client.setFocus()
        elif self.kind.currentData() == "hsa_fsa" and self.payment.currentData() is None:
            show_text(self.error, "This client has no payment to print a receipt for.")
        elif self.start.date() > self.end.date():
            show_text(self.error, "The From date is after the To date.")
        else:
            self.accept()
