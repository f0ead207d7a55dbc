"""The day sheet: one day's visits; book, check in, complete, miss or cancel, take payment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QBrush, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk import access, formatting
from frontdesk.access import Can
from frontdesk.services import receipts, visits
from frontdesk.services.records import RecordChanged
from frontdesk.services.visits import DaySheetRow
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError
from ui.dialogs import visit_outcome as outcome
from ui.dialogs.book_visit import BookVisitDialog
from ui.dialogs.client_account import ClientAccountDialog
from ui.dialogs.payment import PaymentDialog
from ui.dialogs.receipt_flow import print_document
from ui.errors import refusal
from ui.tables import (
    CAUTION_COLOUR,
    CONTRAINDICATION_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    STATE_COLOURS,
    Column,
    RecordTableModel,
    colour_brush,
    record_table,
)
from ui.widgets import allowed, button, button_bar, chain_tab_order, error_label, title

STATUS_COLOURS = {  # only where the status carries meaning
    "completed": OK_COLOUR,
    "no_show": CONTRAINDICATION_COLOUR,
    "cancelled": MUTED_COLOUR,
}


def _prescription_colour(key: str) -> QBrush | None:
    """The prescription's state in its colour; no prescription in amber."""
    return colour_brush(STATE_COLOURS.get(key) or (CAUTION_COLOUR if key == "none" else None))


def _balance_text(row: DaySheetRow) -> str:
    """What is still to pay on the visit; "—" for a login that may not see balances."""
    return formatting.money(row.balance_cents) if row.balance_shown else "—"


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
        "Status",
        lambda row: row.status_label,
        lambda row: colour_brush(STATUS_COLOURS.get(row.status)),
    ),
    Column("Balance", _balance_text),
)
BALANCE_COLUMN = len(COLUMNS) - 1
ACTION_NEEDS = {  # each action on the chosen visit, and what the person must be allowed
    "Check in": Can.BOOK_VISITS,
    "Complete": Can.BOOK_VISITS,
    "No-show": Can.BOOK_VISITS,
    "Cancel visit": Can.BOOK_VISITS,
    "Treatment note": Can.READ_NOTES,
    "Take payment": Can.TAKE_PAYMENTS,
    "Receipt": Can.ISSUE_RECEIPTS,
    "Account": Can.TAKE_PAYMENTS,
    "History": Can.READ_CLIENTS,
}
ACTIONS = tuple((text, "") for text in ACTION_NEEDS)


class DaySheetPage(QWidget):
    """One day's visits in time order; move day by day, book, and act on the chosen visit."""

    open_note = Signal(int)  # a visit's id
    open_history = Signal(int)  # a client's id
    fix_requested = Signal(object)  # a receipts.Problem chosen to fix elsewhere

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
        self.message = error_label("Message", self)
        self._offer_what_the_role_may_do()
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
        self.actions["Take payment"].clicked.connect(lambda: self._act(self._take_payment))
        self.actions["Account"].clicked.connect(lambda: self._act(self._account))
        self.actions["Receipt"].clicked.connect(lambda: self._act(self._receipt))
        self.actions["Treatment note"].clicked.connect(
            lambda: self._act(lambda row: self.open_note.emit(row.visit_id))
        )
        self.actions["History"].clicked.connect(
            lambda: self._act(lambda row: self.open_history.emit(row.client_id))
        )
        self.table.doubleClicked.connect(self._open_note_of_chosen)

    def _offer_what_the_role_may_do(self) -> None:
        """Book visit, the actions and the Balance column only for those who may use them."""
        allowed(Can.BOOK_VISITS, self.book_button)
        self.offered = {
            text: allowed(can, self.actions[text]) for text, can in ACTION_NEEDS.items()
        }
        self.table.setColumnHidden(BALANCE_COLUMN, not access.may(Can.TAKE_PAYMENTS))

    def _open_note_of_chosen(self, *_index) -> None:
        if self.offered["Treatment note"]:
            self.actions["Treatment note"].click()

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
        self.select_visit(booked.id)

    def select_visit(self, visit_id: int) -> None:
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
            self.show_message(str(error))
        except ValidationError as error:
            self.show_message(f"{error.field}: {error.message}")
        except StorageError as error:
            self.show_message(refusal("Not saved", error))
        self.refresh()
        self.select_visit(row.visit_id)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _check_in(self, row: DaySheetRow) -> None:
        outcome.check_in(self, row)

    def _complete(self, row: DaySheetRow) -> None:
        outcome.complete(self, row)

    def _no_show(self, row: DaySheetRow) -> None:
        outcome.no_show(self, row)

    def _cancel(self, row: DaySheetRow) -> None:
        outcome.cancel(self, row)

    def _take_payment(self, row: DaySheetRow) -> None:
        dialog = PaymentDialog(row.client_id, row.visit_id, self)
        dialog.fix_requested.connect(self.fix_requested)
        dialog.exec()

    def _receipt(self, row: DaySheetRow) -> None:
        """The HSA/FSA receipt of the visit, with what was paid on it."""
        fix = print_document(
            self, lambda: receipts.draft_receipt(row.client_id, visit_ids=[row.visit_id])
        )
        if fix is not None:
            self.fix_requested.emit(fix)

    def _account(self, row: DaySheetRow) -> None:
        ClientAccountDialog(row.client_id, self).exec()
