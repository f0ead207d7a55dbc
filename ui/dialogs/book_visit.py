"""Book a visit: client, therapist, date and time, minutes; refusals shown in red."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk import formatting
from frontdesk.models import Client
from frontdesk.services import clients, clinic, visits
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError
from ui.errors import refusal
from ui.record_picker import MAX_SUGGESTIONS, RecordPicker
from ui.widgets import button, chain_tab_order

DEFAULT_MINUTES = 60
FIRST_HOUR = time(9, 0)


def client_text(client) -> str:
    """How a client reads in the picker: "Last, First (MM/DD/YYYY)"."""
    name = getattr(client, "name", None) or client.display_name
    return f"{name} ({formatting.us_date(client.date_of_birth)})"


def client_picker(parent: QWidget | None = None) -> RecordPicker:
    """Find a client by name, phone or birth date; its value is the client's id."""
    return RecordPicker(
        lambda text: clients.search_clients(text, limit=MAX_SUGGESTIONS),
        client_text,
        lambda client_id: Client.get_or_none(Client.id == client_id),
        "Type part of the name, then pick (required)",
        parent=parent,
    )


class BookVisitDialog(QDialog):
    """Books a visit through visits.book_visit; `booking` holds it once accepted."""

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Book visit")
        self.booking: visits.Booking | None = None
        self.client = client_picker(self)
        self.client.setAccessibleName("Client")
        self.therapist = QComboBox(self)
        self.therapist.setAccessibleName("Therapist")
        for therapist in clinic.active_therapists():
            self.therapist.addItem(therapist.display_name, therapist.id)
        self.starts_at = QDateTimeEdit(self)
        self.starts_at.setAccessibleName("Date and time")
        self.starts_at.setDisplayFormat("MM/dd/yyyy h:mm AP")
        self.starts_at.setCalendarPopup(True)
        self.starts_at.setDateTime(QDateTime(datetime.combine(day, FIRST_HOUR)))
        self.minutes = QSpinBox(self)
        self.minutes.setAccessibleName("Minutes")
        self.minutes.setRange(1, visits.MAX_MINUTES)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason for wellness care")
        self.reason.setPlaceholderText("e.g. Prescription used up; client chose wellness massage")
        self.warnings = QLabel(self)
        self.warnings.setProperty("role", "warning")
        self.warnings.setAccessibleName("Prescription warnings")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        self.error = QLabel(self)
        self.error.setProperty("class", "fieldError")
        self.error.setAccessibleName("Booking error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.book_button = button("Book visit", "visits", primary=True, parent=self)
        self.cancel_button = button("Cancel", parent=self)
        self._lay_out()
        self.book_button.clicked.connect(self.book)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(520, 300)

    def _lay_out(self) -> None:
        form = self.form = QFormLayout()
        for label, field in (
            ("Client", self.client),
            ("Therapist", self.therapist),
            ("Date and time", self.starts_at),
            ("Minutes", self.minutes),
            ("Reason for wellness care", self.reason),
        ):
            form.addRow(label, field)
        form.setRowVisible(self.reason, False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.book_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.warnings)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        chain_tab_order(
            [
                self.client,
                self.therapist,
                self.starts_at,
                self.minutes,
                self.reason,
                self.cancel_button,
                self.book_button,
            ]
        )

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _ask_why_wellness(self, warnings: list[visits.VisitWarning]) -> None:
        """The visit cannot be medical: it is booked only as wellness care, with a reason."""
        lines = "\n".join(f"• {warning.message}" for warning in warnings)
        self.warnings.setText(
            f"This visit cannot count as medical care:\n{lines}\n"
            "To book it anyway as wellness (non-medical) care, type why, then Book visit."
        )
        self.warnings.show()
        self.form.setRowVisible(self.reason, True)
        self.reason.setFocus()

    def book(self) -> None:
        """Book it; a refusal is shown in red here and nothing is saved."""
        if self.client.record_id is None:
            self.show_error("Choose the client: type part of the name, then pick from the list.")
            return
        if self.therapist.currentData() is None:
            self.show_error("No active therapist: add one in Settings first.")
            return
        starts_at = self.starts_at.dateTime().toPython().replace(second=0, microsecond=0)
        try:
            warnings = visits.booking_warnings(self.client.record_id, starts_at)
            if warnings and not self.reason.text().strip():
                self._ask_why_wellness(warnings)
                return
            self.booking = visits.book_visit(
                self.client.record_id,
                self.therapist.currentData(),
                starts_at,
                self.minutes.value(),
                wellness_reason=self.reason.text() if warnings else "",
            )
        except ValidationError as error:
            self.show_error(f"{error.field}: {error.message}")
        except (visits.VisitRefused, RecordChanged) as error:
            self.show_error(str(error))
        except StorageError as error:
            self.show_error(refusal("Not booked", error))
        else:
            self.accept()
