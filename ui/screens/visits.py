"""The Visits screen: the day sheet for one day; book, check in, complete, cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk import formatting
from frontdesk.services import visits
from frontdesk.services.records import RecordChanged
from frontdesk.services.visits import DaySheetRow
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError
from ui.dialogs.book_visit import BookVisitDialog
from ui.errors import refusal
from ui.tables import (
    CAUTION_COLOUR,
    CONTRAINDICATION_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    STATE_COLOURS,
    Column,
    RecordTableModel,
    record_table,
    state_brush,
)
from ui.widgets import button, button_bar, chain_tab_order, confirm, title

STATUS_COLOURS = {  # only where the status carries meaning
    "completed": OK_COLOUR,
    "no_show": CONTRAINDICATION_COLOUR,
    "cancelled": MUTED_COLOUR,
}


def _brush(colour: str | None) -> QBrush | None:
    return QBrush(QColor(colour)) if colour else None


def _prescription_colour(key: str) -> QBrush | None:
    """The prescription's state in its colour; no prescription in amber."""
    if key in STATE_COLOURS:
        return state_brush(key)
    return _brush(CAUTION_COLOUR if key == "none" else None)


COLUMNS = (
    Column("Time", lambda row: row.time),
    Column("Client", lambda row: row.client),
    Column("Therapist", lambda row: row.therapist),
    Column("Minutes", lambda row: str(row.minutes)),
    Column(
        "Prescription",
        lambda row: row.prescription_state,
        lambda row: _prescription_colour(row.prescription_key),
    ),
    Column("Payer", lambda row: row.payer),
    Column(
        "Status", lambda row: row.status_label, lambda row: _brush(STATUS_COLOURS.get(row.status))
    ),
    Column("Balance", lambda row: formatting.money(row.balance_cents)),
)
ACTIONS = (("Check in", ""), ("Complete", ""), ("No-show", ""), ("Cancel visit", ""))


class VisitsScreen(QWidget):
    """One day's visits in time order; move day by day, book, and act on the chosen visit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = title("Visits", self)
        self.previous_button = button("Previous day", parent=self)
        self.next_button = button("Next day", parent=self)
        self.day_edit = QDateEdit(self)
        self.day_edit.setAccessibleName("Day")
        self.day_edit.setDisplayFormat("MM/dd/yyyy")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDate(QDate(date.today()))
        self.book_button = button("Book visit", "add", primary=True, parent=self)
        self.model = RecordTableModel(COLUMNS, lambda row: row.visit_id, self)
        self.table = record_table("Day sheet", self.model, self)
        self.actions, self.action_row = button_bar(self, ACTIONS)
        self.count_label = QLabel(self)
        self.count_label.setWordWrap(True)
        self.count_label.setAccessibleName("Count")
        self.message = QLabel(self)
        self.message.setProperty("class", "fieldError")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.hide()
        self._lay_out()
        self.today_shortcut = QShortcut(QKeySequence("Ctrl+T"), self)
        self.today_shortcut.activated.connect(self.show_today)
        self.previous_button.clicked.connect(lambda: self.move_day(-1))
        self.next_button.clicked.connect(lambda: self.move_day(1))
        self.day_edit.dateChanged.connect(self.refresh)
        self.book_button.clicked.connect(self.book_visit)
        self.actions["Check in"].clicked.connect(lambda: self._act(self._check_in))
        self.actions["Complete"].clicked.connect(lambda: self._act(self._complete))
        self.actions["No-show"].clicked.connect(lambda: self._act(self._no_show))
        self.actions["Cancel visit"].clicked.connect(lambda: self._act(self._cancel))

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.previous_button)
        day = QLabel("Day", self)
        day.setBuddy(self.day_edit)
        top.addWidget(day)
        top.addWidget(self.day_edit)
        top.addWidget(self.next_button)
        top.addStretch(1)
        top.addWidget(self.book_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.action_row)
        layout.addWidget(self.message)
        layout.addWidget(self.count_label)
        chain_tab_order(
            [
                self.previous_button,
                self.day_edit,
                self.next_button,
                self.book_button,
                self.table,
                *self.actions.values(),
            ]
        )

    # --- the day shown ------------------------------------------------------------------

    def day(self) -> date:
        return self.day_edit.date().toPython()

    def show_day(self, day: date) -> None:
        if day == self.day():
            self.refresh()
        else:
            self.day_edit.setDate(QDate(day))  # which refreshes

    def move_day(self, days: int) -> None:
        self.show_day(self.day() + timedelta(days=days))

    def show_today(self) -> None:
        self.show_day(date.today())

    def show_start(self) -> None:
        """Today's sheet, the first visit selected."""
        self.show_today()
        self.table.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        day = self.day()
        self.heading.setText(f"Visits on {formatting.us_date(day)}")
        try:
            rows = visits.day_sheet(day)
        except StorageError as error:
            self.count_label.setText(refusal("Could not show the day sheet", error))
            return
        chosen = self.selected_row()
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        ids = [row.visit_id for row in rows]
        if rows:
            kept = chosen is not None and chosen.visit_id in ids
            self.table.selectRow(ids.index(chosen.visit_id) if kept else 0)
        noun = "visit" if len(rows) == 1 else "visits"
        self.count_label.setText(
            f"{len(rows)} {noun}" if rows else f"No visits on {formatting.us_date(day)}."
        )
        for push in self.actions.values():
            push.setEnabled(bool(rows))

    def selected_row(self) -> DaySheetRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    # --- booking and changes ------------------------------------------------------------

    def book_visit(self) -> None:
        self.message.hide()
        dialog = BookVisitDialog(self.day(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.booking is None:
            return
        booked = dialog.booking.visit
        self.show_day(booked.starts_at.date())
        self._select(booked.id)

    def _select(self, visit_id: int) -> None:
        ids = [row.visit_id for row in self.model.rows]
        if visit_id in ids:
            self.table.selectRow(ids.index(visit_id))

    def _act(self, change: Callable[[DaySheetRow], object]) -> None:
        """Change the selected visit; a refusal is shown in the message line."""
        row = self.selected_row()
        if row is None:
            return
        self.message.hide()
        try:
            change(row)
        except (RecordChanged, visits.VisitRefused) as error:
            self._show_message(str(error))
        except ValidationError as error:
            self._show_message(f"{error.field}: {error.message}")
        except StorageError as error:
            self._show_message(refusal("Not saved", error))
        self.refresh()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    @staticmethod
    def _check_in(row: DaySheetRow) -> None:
        visits.check_in(row.visit_id, row.version)

    @staticmethod
    def _complete(row: DaySheetRow) -> None:
        visits.complete_visit(row.visit_id, row.version)

    @staticmethod
    def _no_show(row: DaySheetRow) -> None:
        visits.mark_no_show(row.visit_id, row.version)

    def _cancel(self, row: DaySheetRow) -> None:
        question = f"Cancel {row.client}'s visit at {row.time} with {row.therapist}?"
        if confirm(self, "Cancel visit", question):
            visits.cancel_visit(row.visit_id, row.version)
