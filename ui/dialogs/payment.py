"""Take a payment: how it was paid, how much (and any gratuity), and the visits it pays.

A visit paid in parts (some on an HSA/FSA card, the rest in cash) is one payment after
another: once a part is saved the window stays open for the rest, with the amount still
owed filled in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from frontdesk import formatting, validation
from frontdesk.models import Client, Payment
from frontdesk.services import allocation, ledger, receipts
from frontdesk.services.ledger import PAYER_KINDS, PAYMENT_RULES
from frontdesk.validation import ValidationError
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.receipt_flow import print_document
from ui.form_page import RecordFormPage
from ui.pickers import payer_picker
from ui.widgets import button

ACCOUNT_CHANGED = (
    "the account changed meanwhile (a payment was taken at another desk). Check where this "
    "payment now goes, then record it again."
)


class PaymentPage(RecordFormPage):
    """One payment from one client, spread over the visits they owe on (`first_visit` first)."""

    noun = "payment"

    def __init__(self, client_id: int, first_visit: int | None, parent=None) -> None:
        super().__init__("Take payment", "Record payment", parent)
        self.client_id, self.first_visit = client_id, first_visit
        self.paid: list[Payment] = []  # saved in this window, oldest first
        self.shown_shares: dict[int, int] = {}  # where the window says the payment goes
        self.account = QLabel(self)
        self.account.setWordWrap(True)
        self.account.setAccessibleName("Account")
        self.applies = QLabel(self)
        self.applies.setWordWrap(True)
        self.applies.setAccessibleName("Applies to")
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addWidget(self.account)
        self.layout_rows = self.form.form_layout(PAYMENT_RULES, {"payer_id": payer_picker()})
        column.addLayout(self.layout_rows)
        column.addWidget(self.applies)
        column.addStretch(1)
        self.lay_out(body)
        self.cancel_button.setText("Close")
        self.form.changed.connect(self._follow_form)
        self.start_next()

    # --- the form -------------------------------------------------------------------

    def start_next(self) -> None:
        """A fresh payment: today, the first method, the amount still owed filled in."""
        client = Client.get_by_id(self.client_id)
        self.heading.setText(f"Take payment: {client.display_name}")
        owed = self._owed_on_first()
        amount = owed if owed > 0 else None
        self.load({"received_on": date.today(), "amount_cents": amount, "method": "cash"})
        self.form.dirty = False
        self._follow_form()
        self.form.input("method").setFocus()

    def _owed_on_first(self) -> int:
        owing = allocation.owing_visits(self.client_id)
        if self.first_visit is not None:
            return sum(v.owed_cents for v in owing if v.visit_id == self.first_visit)
        return sum(v.owed_cents for v in owing)

    def _follow_form(self) -> None:
        method = self.form.values()["method"]
        needs_payer = method in PAYER_KINDS
        self.layout_rows.setRowVisible(self.form.editors["payer_id"].container, needs_payer)
        self._show_account()
        self.applies.setText(self._applies_text())

    def _show_account(self) -> None:
        account = ledger.client_balance(self.client_id)
        if account.credit_cents:
            text = f"The client has a credit of {formatting.money(account.credit_cents)}."
        else:
            text = f"Balance owed on the account: {formatting.money(account.owed_cents)}."
        done = [f"{formatting.money(p.amount_cents)} by {_method(p)}" for p in self.paid]
        self.account.setText(f"Recorded here: {', '.join(done)}. {text}" if done else text)

    def _amount(self) -> int | None:
        try:
            return validation.money(self.form.values()["amount_cents"], required=False) or 0
        except ValidationError:
            return None

    def _shares(self, amount: int) -> dict[int, int]:
        return allocation.spread(amount, allocation.owing_visits(self.client_id), self.first_visit)

    def _applies_text(self) -> str:
        amount = self._amount()
        if amount is None:
            return ""
        shares = self.shown_shares = self._shares(amount)
        owing = {v.visit_id: v for v in allocation.owing_visits(self.client_id)}
        lines = [_share_line(owing[visit_id], cents) for visit_id, cents in shares.items()]
        left = amount - sum(shares.values())
        if left:
            lines.append(f"{formatting.money(left)} stays on the account as a credit.")
        return "\n".join(["Puts the payment on:", *lines]) if shares else "\n".join(lines)

    # --- saving ---------------------------------------------------------------------

    def write(self) -> Payment:
        """Record the payment, put on the visits exactly as the window shows."""
        values = self.form.values()
        amount = self._amount()
        shares = self._shares(amount) if amount else {}
        if amount is not None and shares != self.shown_shares:  # a payment taken elsewhere
            self._follow_form()
            raise ledger.LedgerRefused(ACCOUNT_CHANGED)
        return ledger.record_payment(values, self.client_id, allocations=shares)

    def save(self) -> bool:
        try:
            return super().save()
        except ledger.LedgerRefused as refused:
            self.show_summary(f"Not saved: {refused}")
            return False

    def start_edit(self, record: Any) -> None:  # a payment is never edited: voided instead
        self.start_next()

    def changed_labels(self, current: Any) -> list[str]:
        return []

    def paid_up(self) -> bool:
        return self._owed_on_first() <= 0


def _method(payment: Payment) -> str:
    return ledger.METHOD_LABELS.get(payment.method, payment.method)


def _share_line(visit: allocation.OwingVisit, cents: int) -> str:
    owed = formatting.money(visit.owed_cents)
    paid = "paid in full" if cents == visit.owed_cents else f"of {owed}"
    when = formatting.us_date_time(visit.starts_at)
    return f"• the visit of {when}: {formatting.money(cents)} ({paid})"


class PaymentDialog(FormDialog):
    """Takes one or more payments, then prints their receipt; Close ends it.

    Once the chosen visit is paid, "Print receipt" becomes the button Enter presses.
    """

    fix_requested = Signal(object)  # a receipts.Problem chosen to fix elsewhere

    def __init__(self, client_id: int, visit_id: int | None = None, parent=None) -> None:
        self.payment_page = PaymentPage(client_id, visit_id)
        super().__init__(self.payment_page, "Take payment", parent)
        page = self.payment_page
        self.receipt_button = button("Print receipt", "print", parent=page)
        self.receipt_button.setEnabled(False)
        page.button_row.insertWidget(
            page.button_row.indexOf(page.cancel_button), self.receipt_button
        )
        self.receipt_button.clicked.connect(self.print_receipt)
        self.resize(560, 640)

    def _saved(self, record_id: int) -> None:
        page = self.payment_page
        page.paid.append(Payment.get_by_id(record_id))
        self.record_id = record_id
        page.start_next()
        page.show_summary("")
        self.receipt_button.setEnabled(True)
        if page.paid_up():
            page.save_button.setDefault(False)
            self.receipt_button.setDefault(True)
            self.receipt_button.setFocus()

    def print_receipt(self) -> None:
        """The receipt of the visit paid here, or of the payments taken here."""
        page = self.payment_page
        if page.first_visit is not None:
            visits = [page.first_visit]
            fix = print_document(
                self, lambda: receipts.draft_receipt(page.client_id, visit_ids=visits)
            )
        else:
            last = page.paid[-1].id
            fix = print_document(
                self, lambda: receipts.draft_receipt(page.client_id, payment_id=last)
            )
        if fix is not None:
            self.fix_requested.emit(fix)
            self.reject()
