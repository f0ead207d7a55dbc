"""A client's coverage and injury cases on their summary, with Add and Edit for those who may."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGroupBox, QLabel, QTableView, QVBoxLayout, QWidget

from frontdesk import formatting
from frontdesk.access import Can
from frontdesk.services import cases, coverage, payers
from frontdesk.services.cases import CaseRow
from frontdesk.services.coverage import CoverageRow
from ui.tables import ACCEPTANCE_COLOURS, MUTED_COLOUR, Column, RecordTableModel, record_table
from ui.widgets import allowed, button_bar

ROW_HEIGHT = 30


def _acceptance_colour(row: CoverageRow) -> QBrush:
    return QBrush(
        QColor(MUTED_COLOUR if row.ended else ACCEPTANCE_COLOURS.get(row.acceptance, MUTED_COLOUR))
    )


def _visits(row: CoverageRow) -> str:
    allowed = f" of {row.visits_allowed}" if row.visits_allowed else ""
    return f"{row.visits_used}{allowed}"


def _dates(row: CoverageRow) -> str:
    ends = f"ended {formatting.us_date(row.ends_on)}" if row.ended and row.ends_on else ""
    return ends or "Current"


COVERAGE_COLUMNS = (
    Column("Payer", lambda row: row.payer_name, _acceptance_colour),
    Column(
        "Accepted",
        lambda row: dict(payers.ACCEPTANCE_CHOICES).get(row.acceptance, ""),
        _acceptance_colour,
    ),
    Column("Plan", lambda row: row.plan_type or "—"),
    Column("Member ID", lambda row: row.member_id or "—"),
    Column("Order", lambda row: row.order),
    Column("Visits this year", _visits),
    Column("Status", _dates),
)
CASE_COLUMNS = (
    Column("Case", lambda row: row.kind_label),
    Column("Claim number", lambda row: row.claim_number or "—"),
    Column("Date", lambda row: f"{row.date_label} {formatting.us_date(row.date)}"),
    Column("Carrier", lambda row: row.carrier_name or "—"),
    Column("Status", lambda row: row.status_label),
)


class ClientCoverage(QGroupBox):
    """The client's coverages (current first) and injury cases (open first)."""

    add_coverage = Signal(int)  # the client's id
    edit_coverage = Signal(int)  # a coverage's id
    add_case = Signal(int, str)  # the client's id, the kind of case
    edit_case = Signal(int)  # a case's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Coverage and cases", parent)
        self.client_id: int | None = None
        self.coverage_model = RecordTableModel(COVERAGE_COLUMNS, lambda row: row.id, self)
        self.case_model = RecordTableModel(CASE_COLUMNS, lambda row: row.id, self)
        self.coverage_table = record_table("Client's coverage", self.coverage_model, self)
        self.case_table = record_table("Client's injury cases", self.case_model, self)
        self.no_coverage = QLabel("No coverage on file (self-pay).", self)
        self.no_cases = QLabel("No workers' compensation or auto accident case.", self)
        self.buttons, self.actions = button_bar(
            self,
            (
                ("Add coverage", "add"),
                ("Edit coverage", ""),
                ("Add workers' comp case", "add"),
                ("Add auto case", "add"),
                ("Edit case", ""),
            ),
        )
        self.may_edit = allowed(Can.EDIT_CLIENTS, *self.buttons.values())
        self._lay_out()
        if self.may_edit:
            self._connect()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self.actions)
        for widget in (self.coverage_table, self.no_coverage, self.case_table, self.no_cases):
            layout.addWidget(widget)

    def _connect(self) -> None:
        self.buttons["Add coverage"].clicked.connect(lambda: self.add_coverage.emit(self.client_id))
        self.buttons["Edit coverage"].clicked.connect(
            lambda: self._emit_selected(self.coverage_table, self.edit_coverage)
        )
        self.buttons["Add workers' comp case"].clicked.connect(
            lambda: self.add_case.emit(self.client_id, "workers_comp")
        )
        self.buttons["Add auto case"].clicked.connect(
            lambda: self.add_case.emit(self.client_id, "auto")
        )
        self.buttons["Edit case"].clicked.connect(
            lambda: self._emit_selected(self.case_table, self.edit_case)
        )
        self.coverage_table.activated.connect(
            lambda: self._emit_selected(self.coverage_table, self.edit_coverage)
        )
        self.case_table.activated.connect(
            lambda: self._emit_selected(self.case_table, self.edit_case)
        )

    def show_for(self, client_id: int) -> None:
        self.client_id = client_id
        self._fill(self.coverage_table, self.no_coverage, coverage.client_coverages(client_id))
        self._fill(self.case_table, self.no_cases, cases.client_cases(client_id))
        has_coverage, has_cases = self.coverage_model.rowCount() > 0, self.case_model.rowCount() > 0
        self.buttons["Edit coverage"].setVisible(self.may_edit and has_coverage)
        self.buttons["Edit case"].setVisible(self.may_edit and has_cases)

    @staticmethod
    def _fill(table: QTableView, empty: QLabel, rows: list[CoverageRow] | list[CaseRow]) -> None:
        table.model().set_rows(rows)
        table.setVisible(bool(rows))
        table.setFixedHeight(ROW_HEIGHT * (min(len(rows), 5) + 1) + 4)
        table.resizeColumnsToContents()
        if rows:
            table.selectRow(0)
        empty.setVisible(not rows)

    @staticmethod
    def _emit_selected(table: QTableView, signal) -> None:
        index = table.currentIndex()
        if index.isValid():
            signal.emit(table.model().rows[index.row()].id)
