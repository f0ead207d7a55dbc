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

from frontdesk import catalog
from frontdesk.models import Prescription
from frontdesk.services import booking, clinic, visits
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError
from ui.errors import refusal
from ui.forms import CheckList
from ui.pickers import client_picker
from ui.widgets import button, chain_tab_order, error_label

DEFAULT_MINUTES = 60
FIRST_HOUR = time(9, 0)


class BookVisitDialog(QDialog):
    """Books a visit through visits.book_visit; `booking` holds it once accepted.

    Once the client is picked, the prescription the day falls under, its injury case and
    the primary coverage are chosen, and the prescription's body areas ticked.
    """

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
        self.choices = {name: _combo(label, self) for name, label in LINKS}
        self.body_areas = CheckList(catalog.body_areas(), 4, self, "Body areas to treat")
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason for wellness care")
        self.reason.setPlaceholderText("e.g. Prescription used up; client chose wellness massage")
        self.warnings = QLabel(self)
        self.warnings.setProperty("role", "warning")
        self.warnings.setAccessibleName("Prescription warnings")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        self.error = error_label("Booking error", self)
        self.book_button = button("Book visit", "visits", primary=True, parent=self)
        self.cancel_button = button("Cancel", parent=self)
        self._lay_out()
        self.client.value_changed.connect(self._client_chosen)
        self.choices["prescription"].currentIndexChanged.connect(self._prescription_chosen)
        self.book_button.clicked.connect(self.book)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(760, 520)

    def _lay_out(self) -> None:
        form = self.form = QFormLayout()
        rows = [
            ("Client", self.client),
            ("Therapist", self.therapist),
            ("Date and time", self.starts_at),
            ("Minutes", self.minutes),
            *((label, self.choices[name]) for name, label in LINKS),
            ("Body areas to treat", self.body_areas),
            ("Reason for wellness care", self.reason),
        ]
        for label, field in rows:
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
        fields = [field for _label, field in rows if field is not self.body_areas]
        areas = list(self.body_areas.boxes.values())
        chain_tab_order([*fields[:-1], *areas, self.reason, self.cancel_button, self.book_button])

    # --- the client's records -------------------------------------------------------

    def _day(self) -> date:
        return self.starts_at.date().toPython()

    def _client_chosen(self) -> None:
        """Offer the picked client's records, the day's defaults chosen."""
        if self.client.record_id is None:
            return
        try:
            offered = booking.booking_choices(self.client.record_id, self._day())
        except StorageError as error:
            self.show_error(refusal("Could not read the client's records", error))
            return
        for name, _label in LINKS:
            _offer(self.choices[name], getattr(offered, f"{name}s"), getattr(offered, f"{name}_id"))
        self.body_areas.set_keys(offered.body_areas)

    def _prescription_chosen(self) -> None:
        rx_id = self.choices["prescription"].currentData()
        if rx_id is None:
            return
        prescription = Prescription.get_or_none(Prescription.id == rx_id)
        if prescription is not None:
            self.body_areas.set_keys(prescription.body_areas)
            _select(self.choices["case"], prescription.injury_case_id)

    # --- booking --------------------------------------------------------------------

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

    def _chosen(self, name: str) -> int | None:
        return self.choices[name].currentData()

    def book(self) -> None:
        """Book it; a refusal is shown in red here and nothing is saved."""
        if self.client.record_id is None:
            self.show_error("Choose the client: type part of the name, then pick from the list.")
            return
        if self.therapist.currentData() is None:
            self.show_error("No active therapist: add one in Settings first.")
            return
        starts_at = self.starts_at.dateTime().toPython().replace(second=0, microsecond=0)
        client_id, areas = self.client.record_id, self.body_areas.keys()
        try:
            warnings = booking.booking_warnings(
                client_id, starts_at.date(), self._chosen("prescription"), areas
            )
            if warnings and not self.reason.text().strip():
                self._ask_why_wellness(warnings)
                return
            self.booking = visits.book_visit(
                client_id,
                self.therapist.currentData(),
                starts_at,
                self.minutes.value(),
                prescription_id=self._chosen("prescription"),
                case_id=self._chosen("case"),
                coverage_id=self._chosen("coverage"),
                body_areas=areas,
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


LINKS = (("prescription", "Prescription"), ("case", "Injury case"), ("coverage", "Coverage"))


def _combo(label: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(label)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


def _offer(combo: QComboBox, choices: tuple[booking.Choice, ...], chosen: int | None) -> None:
    combo.blockSignals(True)
    combo.clear()
    for choice in choices:
        combo.addItem(choice.label, choice.id)
    combo.blockSignals(False)
    _select(combo, chosen)


def _select(combo: QComboBox, record_id: int | None) -> None:
    combo.setCurrentIndex(max(combo.findData(record_id), 0))
