"""The Receipts screen: every receipt issued, searchable; a new one; a duplicate of an old one."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from frontdesk import formatting
from frontdesk.services import receipts
from frontdesk.services.receipts import ReceiptRow
from frontdesk.storage_errors import StorageError
from ui.dialogs.new_receipt import NewReceiptDialog
from ui.dialogs.receipt_flow import print_document
from ui.errors import refusal
from ui.pdf_view import PdfPreviewDialog
from ui.tables import Column, RecordTableModel, record_table
from ui.widgets import button_bar, chain_tab_order, error_label, show_text, title

SEARCH_DELAY_MS = 200
COLUMNS = (
    Column("No.", lambda row: str(row.number)),
    Column("Date", lambda row: formatting.us_date(row.issued_on)),
    Column("Client", lambda row: row.client_name),
    Column("Kind", lambda row: row.kind_label),
    Column("Amount", lambda row: formatting.money(row.amount_cents)),
)
ACTIONS = (("New receipt", "add"), ("Print duplicate", "print"))


class ReceiptsScreen(QWidget):
    """Receipts newest first; `fix_requested` carries a problem to fix in another screen."""

    fix_requested = Signal(object)  # a receipts.Problem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = title("Receipts", self)
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Find receipt")
        self.search.setPlaceholderText("Number, client or kind")
        self.search.setClearButtonEnabled(True)
        self.model = RecordTableModel(COLUMNS, lambda row: row.receipt_id, self)
        self.table = record_table("Receipts issued", self.model, self)
        self.actions, action_row = button_bar(self, ACTIONS, primary="New receipt")
        self.count = QLabel(self)
        self.count.setAccessibleName("Count")
        self.message = error_label("Message", self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(action_row)
        layout.addWidget(self.message)
        layout.addWidget(self.count)
        chain_tab_order([self.search, self.table, *self.actions.values()])
        self.search.textChanged.connect(self.timer.start)
        self.timer.timeout.connect(self.refresh)
        self.actions["New receipt"].clicked.connect(self.new_receipt)
        self.actions["Print duplicate"].clicked.connect(self.print_duplicate)

    def show_start(self) -> None:
        self.search.clear()
        self.refresh()
        self.search.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        try:
            rows = receipts.list_receipts(self.search.text())
        except StorageError as error:
            show_text(self.message, refusal("Could not list the receipts", error))
            return
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if rows:
            self.table.selectRow(0)
        self.count.setText(_count(len(rows), bool(self.search.text().strip())))
        self.actions["Print duplicate"].setEnabled(bool(rows))

    def selected(self) -> ReceiptRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def new_receipt(self) -> None:
        show_text(self.message, "")
        dialog = NewReceiptDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        fix = print_document(self, dialog.make_draft)
        self.refresh()
        if fix is not None:
            self.fix_requested.emit(fix)

    def print_duplicate(self) -> None:
        """The receipt exactly as first printed, marked as a duplicate of it."""
        row = self.selected()
        if row is None:
            return
        try:
            pdf = receipts.duplicate_pdf(row.receipt_id)
        except StorageError as error:
            show_text(self.message, refusal("Could not make the duplicate", error))
            return
        title_text = f"Duplicate of receipt {row.number}"
        PdfPreviewDialog(pdf, title_text, f"receipt-{row.number}-duplicate.pdf", self).exec()


def _count(number: int, searching: bool) -> str:
    if number == 0:
        return "No receipt matches." if searching else "No receipts issued yet."
    return "1 receipt" if number == 1 else f"{number} receipts"
