"""A client's account: balance or credit, every ledger entry, and voids and refunds.

Nothing is deleted or edited here: a mistaken payment is voided, money given back is
refunded, each by a new entry that keeps its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from frontdesk import formatting
from frontdesk.models import Client, Payment
from frontdesk.services import ledger
from frontdesk.storage_errors import StorageError
from ui.dialogs.amount_reason import AmountReasonDialog, Ask
from ui.dialogs.payment import PaymentDialog
from ui.errors import refusal
from ui.tables import MUTED_COLOUR, Column, RecordTableModel, colour_brush, record_table
from ui.widgets import button_bar, error_label, show_text, title


@dataclass(frozen=True)
class EntryRow:
    entry: Payment
    voided: bool

    @property
    def what(self) -> str:
        label = ledger.KIND_LABELS.get(self.entry.kind, self.entry.kind)
        return f"{label} of #{self.entry.reverses_id}" if self.entry.reverses_id else label

    @property
    def note(self) -> str:
        return self.entry.reason or self.entry.notes


def _muted(row: EntryRow) -> QBrush | None:
    return colour_brush(MUTED_COLOUR if row.voided or row.entry.kind == "void" else None)


COLUMNS = (
    Column("No.", lambda row: f"#{row.entry.id}", _muted),
    Column("Date", lambda row: formatting.us_date(row.entry.received_on), _muted),
    Column("Entry", lambda row: row.what, _muted),
    Column("Method", lambda row: ledger.METHOD_LABELS.get(row.entry.method, ""), _muted),
    Column("Amount", lambda row: formatting.money(row.entry.amount_cents), _muted),
    Column("Gratuity", lambda row: formatting.money(row.entry.gratuity_cents), _muted),
    Column("Reference", lambda row: row.entry.reference, _muted),
    Column("State", lambda row: "Voided" if row.voided else "", _muted),
    Column("Note or reason", lambda row: row.note, _muted),
)
ACTIONS = (("Take payment", "add"), ("Void entry", ""), ("Refund", ""), ("Close", ""))


class ClientAccountDialog(QDialog):
    """The client's balance and ledger; take a payment, void an entry or refund a payment."""

    def __init__(self, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client_id = client_id
        client = Client.get_by_id(client_id)
        self.setWindowTitle(f"Account: {client.display_name}")
        self.heading = title(f"Account: {client.display_name}", self)
        self.balance = QLabel(self)
        self.balance.setAccessibleName("Balance")
        self.balance.setWordWrap(True)
        self.model = RecordTableModel(COLUMNS, lambda row: row.entry.id, self)
        self.table = record_table("Ledger", self.model, self)
        self.actions, action_row = button_bar(self, ACTIONS, primary="Take payment")
        self.message = error_label("Message", self)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.balance, self.table):
            layout.addWidget(widget, 1 if widget is self.table else 0)
        layout.addWidget(self.message)
        layout.addLayout(action_row)
        self.actions["Take payment"].clicked.connect(self.take_payment)
        self.actions["Void entry"].clicked.connect(self.void_entry)
        self.actions["Refund"].clicked.connect(self.refund)
        self.actions["Close"].clicked.connect(self.accept)
        self.resize(900, 480)
        self.refresh()

    def refresh(self) -> None:
        try:
            entries = ledger.client_entries(self.client_id)
            account = ledger.client_balance(self.client_id)
        except StorageError as error:
            show_text(self.message, refusal("Could not show the account", error))
            return
        voided = ledger.voided_ids(entries)
        self.model.set_rows([EntryRow(entry, entry.id in voided) for entry in reversed(entries)])
        self.table.resizeColumnsToContents()
        if entries:
            self.table.selectRow(0)
        self.balance.setText(_balance_text(account))

    def selected(self) -> EntryRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def take_payment(self) -> None:
        PaymentDialog(self.client_id, parent=self).exec()
        self.refresh()

    def void_entry(self) -> None:
        row = self._chosen()
        if row is None:
            return
        ask = Ask(
            title="Void entry",
            intro=f"Void {row.what.lower()} #{row.entry.id} of "
            f"{formatting.money(row.entry.amount_cents)}? It stays in the ledger, marked "
            "voided, and stops counting.",
            action="Void entry",
            reason_required=True,
            reason_hint="e.g. entered twice (required)",
        )
        self._ask(ask, lambda _cents, reason: ledger.void_entry(row.entry.id, reason))

    def refund(self) -> None:
        row = self._chosen()
        if row is None:
            return
        left = ledger.unapplied_cents(row.entry) if row.entry.kind == "payment" else 0
        ask = Ask(
            title="Refund",
            intro=f"Give back money from payment #{row.entry.id}: up to "
            f"{formatting.money(left)} is not on any visit.",
            action="Record refund",
            amount_label="Refund amount",
            amount_required=True,
            amount_text=formatting.money(left) if left else "",
            reason_required=True,
            reason_hint="e.g. overpaid (required)",
        )
        self._ask(ask, lambda cents, reason: ledger.refund_payment(row.entry.id, cents, reason))

    def _chosen(self) -> EntryRow | None:
        show_text(self.message, "")
        row = self.selected()
        if row is None:
            show_text(self.message, "Choose an entry in the ledger first.")
        return row

    def _ask(self, ask: Ask, act) -> None:
        AmountReasonDialog(ask, act, self).exec()
        self.refresh()


def _balance_text(account: ledger.Balance) -> str:
    parts = (
        f"Charges {formatting.money(account.charges_cents)}",
        f"discounts {formatting.money(account.discounts_cents)}",
        f"payments {formatting.money(account.payments_cents)}",
        f"refunds {formatting.money(account.refunds_cents)}",
    )
    if account.credit_cents:
        standing = f"Credit: {formatting.money(account.credit_cents)}"
    else:
        standing = f"Balance owed: {formatting.money(account.owed_cents)}"
    return f"{standing}  ({', '.join(parts)})"
