"""The fee schedule in Settings: the clinic's codes, today's prices and the changes to come."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import QDialog, QHeaderView, QLabel, QVBoxLayout, QWidget

from frontdesk.formatting import money, us_date
from frontdesk.services import fee_schedule
from frontdesk.services.fee_schedule import CodeInUse, FeeRow
from frontdesk.storage_errors import StorageError
from ui.dialogs.fee_code import code_dialog
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.price_change import price_dialog
from ui.errors import refusal
from ui.tables import MUTED_COLOUR, Column, RecordTableModel, record_table
from ui.widgets import button_bar, chain_tab_order, confirm, error_label

INTRO = (
    "What each service is billed by and what it costs. A new price applies from a date on; "
    "visits already charged keep their price. A code on past visits is made inactive, "
    "never deleted."
)
ACTIONS = (("Add code", "add"), ("Edit code", ""), ("Change price", ""), ("Delete code", ""))


def billed_text(row: FeeRow) -> str:
    """ "Per 15 minutes" for a timed code, "60-minute session" for one charged per session."""
    if row.timed:
        return f"Per {row.unit_minutes} minutes"
    return f"{row.unit_minutes}-minute session"


def next_change_text(row: FeeRow) -> str:
    change = row.next_change
    if change is None:
        return "—"
    return f"{money(change.price_cents)} from {us_date(change.effective_on)}"


def _muted(row: FeeRow) -> QBrush | None:
    """An inactive code is written in grey."""
    return None if row.active else QBrush(QColor(MUTED_COLOUR))


def _column(heading: str, text: Callable[[FeeRow], str]) -> Column:
    return Column(heading, text, _muted)


COLUMNS = (
    _column("Code", lambda row: row.code),
    _column("Description", lambda row: row.description),
    _column("Billed", billed_text),
    _column("Kind", lambda row: "Medical" if row.medical else "Wellness"),
    _column("Price today", lambda row: money(row.price_cents)),
    _column("Next change", next_change_text),
    _column("Status", lambda row: "Active" if row.active else "Inactive"),
)
DESCRIPTION_COLUMN = 1


class FeeScheduleSection(QWidget):
    """Every code with today's price; add, edit, change a price from a date, delete."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordTableModel(COLUMNS, lambda row: row.code_id, self)
        self.table = record_table("Fee schedule", self.model, self)
        two_lines = 2 * self.table.fontMetrics().lineSpacing() + 10
        self.table.verticalHeader().setDefaultSectionSize(two_lines)  # a long description wraps
        self.actions, self.action_row = button_bar(self, ACTIONS, primary="Change price")
        self.message = error_label("Message", self)
        self._lay_out()
        self.table.activated.connect(lambda _index: self.edit_code())
        self.actions["Add code"].clicked.connect(self.add_code)
        self.actions["Edit code"].clicked.connect(self.edit_code)
        self.actions["Change price"].clicked.connect(self.change_price)
        self.actions["Delete code"].clicked.connect(self.delete_code)

    def _lay_out(self) -> None:
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.action_row)
        layout.addWidget(self.message)
        chain_tab_order([self.table, *self.actions.values()])

    # --- showing --------------------------------------------------------------------

    def show_start(self) -> None:
        """The whole schedule, the first code selected, the cursor in the list."""
        self.refresh()
        self.table.selectRow(0)
        self.table.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        if not self.isAncestorOf(self.focusWidget()):
            self.table.setFocus()

    def refresh(self, select_id: int | None = None) -> None:
        """List the codes again, keeping (or moving to `select_id`) the selected one."""
        chosen = select_id or self._selected_id()
        try:
            rows = fee_schedule.fee_schedule()
        except StorageError as error:
            self._say(refusal("Could not show the fee schedule", error))
            return
        self.model.set_rows(rows)
        self._fit_columns()
        ids = [row.code_id for row in rows]
        if rows:
            self.table.selectRow(ids.index(chosen) if chosen in ids else 0)
        for text in ("Edit code", "Change price", "Delete code"):
            self.actions[text].setEnabled(bool(rows))

    def _fit_columns(self) -> None:
        """Every column as wide as its text; the description takes the rest."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DESCRIPTION_COLUMN, QHeaderView.ResizeMode.Stretch)

    def selected_row(self) -> FeeRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _selected_id(self) -> int | None:
        row = self.selected_row()
        return row.code_id if row is not None else None

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- changes --------------------------------------------------------------------

    def add_code(self) -> None:
        self._open(lambda: code_dialog(self))

    def edit_code(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._open(lambda: code_dialog(self, fee_schedule.get_code(row.code_id)))

    def change_price(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._open(lambda: price_dialog(self, row), selects_saved=False)

    def _open(self, make_dialog: Callable[[], FormDialog], selects_saved: bool = True) -> None:
        """Open a dialog; once it saves, list the codes again with the code it saved selected
        (`selects_saved`) or the one selected before."""
        self._say("")
        chosen = self._selected_id()
        try:
            dialog = make_dialog()
        except StorageError as error:
            self._say(refusal("Could not open the code", error))
            self.refresh()
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh(dialog.record_id if selects_saved else chosen)
        self.table.setFocus()

    def delete_code(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        self._say("")
        if not confirm(self, "Delete code", f"Delete {row.code} from the fee schedule?"):
            return
        try:
            fee_schedule.delete_code(row.code_id)
        except CodeInUse as refused:
            self._say(str(refused))
        except StorageError as error:
            self._say(refusal("Not deleted", error))
        self.refresh()
