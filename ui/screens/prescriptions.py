"""The Prescriptions screen: the clinic's prescriptions that need attention."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk.access import Can
from frontdesk.services import prescriptions
from frontdesk.services.prescriptions import FILTERS
from frontdesk.storage_errors import StorageError
from ui import prescription_table as columns
from ui.dialogs.request_form import show_request_form
from ui.errors import refusal
from ui.prescription_table import prescription_model
from ui.tables import record_table
from ui.widgets import allowed, button, chain_tab_order, title

COLUMNS = (
    columns.CLIENT,
    columns.PHYSICIAN,
    columns.STATE,
    columns.VISITS,
    columns.ENDS,
    columns.DIAGNOSIS,
    columns.SCAN,
)
EMPTY = {
    "attention": "No prescription needs attention: none ends within 30 days, is used up "
    "or expired lately.",
    "ending_soon": "No prescription ends within 30 days or has two visits or fewer left.",
    "used_up": "No prescription is used up.",
    "expired": "No prescription expired in the last 90 days.",
    "all": "No prescriptions yet. Enter one from a client's summary.",
}


class PrescriptionsScreen(QWidget):
    """Prescriptions ending soon, used up or expired; open the client or ask for a renewal."""

    open_client = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QComboBox(self)
        self.filter.setAccessibleName("Show")
        for key, text in FILTERS:
            self.filter.addItem(text, key)
        self.model = prescription_model(COLUMNS, self)
        self.table = record_table("Prescriptions", self.model, self)
        self.count_label = QLabel(self)
        self.count_label.setWordWrap(True)
        self.open_button = button("Open client", parent=self)
        self.renew_button = button("Request renewal", "print", primary=True, parent=self)
        allowed(Can.EDIT_PRESCRIPTIONS, self.renew_button)
        self._lay_out()
        self.filter.currentIndexChanged.connect(self.refresh)
        self.table.activated.connect(self._open)
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))
        self.renew_button.clicked.connect(self._request_renewal)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        show = QLabel("Show", self)
        show.setBuddy(self.filter)
        top.addWidget(show)
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.open_button)
        top.addWidget(self.renew_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title("Prescriptions", self))
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        chain_tab_order([self.filter, self.table, self.open_button, self.renew_button])

    def show_start(self) -> None:
        """The list of prescriptions that need attention, the first one selected."""
        if self.filter.currentIndex() != 0:
            self.filter.setCurrentIndex(0)  # which lists them again
        else:
            self.refresh()
        self.table.selectRow(0)
        self.table.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        shown = self.filter.currentData()
        try:
            rows = prescriptions.clinic_prescriptions(shown)
        except StorageError as error:
            self.count_label.setText(refusal("Could not list the prescriptions", error))
            return
        chosen = self._selected_row()
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        ids = [row.prescription_id for row in rows]
        if rows:
            kept = chosen is not None and chosen.prescription_id in ids
            self.table.selectRow(ids.index(chosen.prescription_id) if kept else 0)
        noun = "prescription" if len(rows) == 1 else "prescriptions"
        self.count_label.setText(f"{len(rows)} {noun}" if rows else EMPTY[shown])
        for push in (self.open_button, self.renew_button):
            push.setEnabled(bool(rows))

    def _selected_row(self, index: QModelIndex | None = None):
        index = index if index is not None and index.isValid() else self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _open(self, index: QModelIndex) -> None:
        row = self._selected_row(index)
        if row is not None:
            self.open_client.emit(row.client_id)

    def _request_renewal(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        shown = show_request_form(self, row.client_id, row.prescription_id)
        if isinstance(shown, str):
            self.count_label.setText(shown)
