"""The columns a list of prescriptions can show, coloured by the prescription's state."""

from __future__ import annotations

from PySide6.QtGui import QBrush

from frontdesk import formatting
from frontdesk.services.prescriptions import PrescriptionRow
from ui.tables import Column, RecordTableModel, state_brush

STATE_LABELS = {
    "not_started": "Not started yet",
    "active": "Active",
    "ending_soon": "Ending soon",
    "used_up": "Used up",
    "expired": "Expired",
}


def _state_colour(row: PrescriptionRow) -> QBrush:
    return state_brush(row.state)


CLIENT = Column("Client", lambda row: row.client_name)
PHYSICIAN = Column("Physician", lambda row: row.physician_name)
WRITTEN = Column("Written", lambda row: formatting.us_date(row.written_on))
REASON = Column("Reason", lambda row: row.reason)
DIAGNOSIS = Column("Primary code", lambda row: row.primary_code)
STATE = Column("State", lambda row: STATE_LABELS[row.state], _state_colour)
VISITS = Column("Visits used", lambda row: row.status.usage, _state_colour)
ENDS = Column("End date", lambda row: formatting.us_date(row.end_date))
SCAN = Column("Scan", lambda row: "Attached" if row.has_scan else "None")


def prescription_model(columns: tuple[Column, ...], parent=None) -> RecordTableModel:
    """A table model of PrescriptionRows with these columns (a row's id: its prescription's)."""
    return RecordTableModel(columns, lambda row: row.prescription_id, parent)
