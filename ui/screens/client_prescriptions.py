"""A client's prescriptions on their summary: newest first, with New, Open and Renew."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from frontdesk.access import Can
from frontdesk.services import prescriptions
from ui import prescription_table as columns
from ui.prescription_table import prescription_model
from ui.tables import record_table
from ui.widgets import allowed, button

COLUMNS = (
    columns.WRITTEN,
    columns.PHYSICIAN,
    columns.REASON,
    columns.STATE,
    columns.VISITS,
    columns.ENDS,
)
ROW_HEIGHT = 30


class ClientPrescriptions(QGroupBox):
    """The list of one client's prescriptions and what can be done with them."""

    new_prescription = Signal(int)  # the client's id
    open_prescription = Signal(int)  # a prescription's id
    renew_prescription = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Prescriptions", parent)
        self.client_id: int | None = None
        self.model = prescription_model(COLUMNS, self)
        self.table = record_table("Client's prescriptions", self.model, self)
        self.empty = QLabel("No prescriptions yet.", self)
        self.new_button = button("New prescription", "add", parent=self)
        self.open_button = button("Open prescription", parent=self)
        self.renew_button = button("Renew prescription", parent=self)
        self.may_edit = allowed(Can.EDIT_PRESCRIPTIONS, self.new_button, self.renew_button)
        buttons = QHBoxLayout()
        for push in (self.new_button, self.open_button, self.renew_button):
            buttons.addWidget(push)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        self.new_button.clicked.connect(lambda: self.new_prescription.emit(self.client_id))
        self.open_button.clicked.connect(lambda: self._emit_selected(self.open_prescription))
        self.renew_button.clicked.connect(lambda: self._emit_selected(self.renew_prescription))
        self.table.activated.connect(lambda: self._emit_selected(self.open_prescription))

    def show_for(self, client_id: int) -> None:
        self.client_id = client_id
        rows = prescriptions.client_prescriptions(client_id)
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.table.setFixedHeight(ROW_HEIGHT * (min(len(rows), 6) + 1) + 4)
        self.table.resizeColumnsToContents()
        if rows:
            self.table.selectRow(0)
        self.empty.setVisible(not rows)
        self.open_button.setVisible(bool(rows))
        self.renew_button.setVisible(self.may_edit and bool(rows))

    def _emit_selected(self, signal) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            signal.emit(self.model.rows[index.row()].prescription_id)
