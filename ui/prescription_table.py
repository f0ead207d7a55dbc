"""A table of prescriptions, coloured by state; its columns are chosen by the screen using it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from frontdesk import formatting
from frontdesk.services.prescriptions import PrescriptionRow
from ui.tables import state_brush

ModelIndex = QModelIndex | QPersistentModelIndex
STATE_LABELS = {
    "not_started": "Not started yet",
    "active": "Active",
    "ending_soon": "Ending soon",
    "used_up": "Used up",
    "expired": "Expired",
}


@dataclass(frozen=True)
class Column:
    heading: str
    text: Callable[[PrescriptionRow], str]
    coloured: bool = False  # written in the colour of the prescription's state


CLIENT = Column("Client", lambda row: row.client_name)
PHYSICIAN = Column("Physician", lambda row: row.physician_name)
WRITTEN = Column("Written", lambda row: formatting.us_date(row.written_on))
REASON = Column("Reason", lambda row: row.reason)
DIAGNOSIS = Column("Primary code", lambda row: row.primary_code)
STATE = Column("State", lambda row: STATE_LABELS[row.state], coloured=True)
VISITS = Column("Visits used", lambda row: row.status.usage, coloured=True)
ENDS = Column("End date", lambda row: formatting.us_date(row.end_date))
SCAN = Column("Scan", lambda row: "Attached" if row.has_scan else "None")


class PrescriptionTableModel(QAbstractTableModel):
    """Rows of prescriptions; the prescription's id is each row's UserRole data."""

    def __init__(self, columns: tuple[Column, ...], parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.rows: list[PrescriptionRow] = []

    def set_rows(self, rows: list[PrescriptionRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].heading
        return None

    def data(self, index: ModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.coloured:
            return state_brush(row.state)
        if role == Qt.ItemDataRole.UserRole:
            return row.prescription_id
        return None
