"""One prescription at a glance: the order, visits used and left, and the scanned paper copy."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk import catalog, formatting
from frontdesk.access import Can
from frontdesk.models import InjuryCase, Prescription
from frontdesk.services import cases, prescriptions
from frontdesk.services.prescriptions import MAX_SCAN_BYTES, ScanRefused
from frontdesk.storage_errors import StorageError
from ui.dialogs.request_form import show_request_form
from ui.errors import refusal
from ui.prescription_inputs import physician_text
from ui.prescription_table import STATE_LABELS
from ui.widgets import allowed, button_bar, chip, confirm, title

if TYPE_CHECKING:
    from ui.scan_view import ScanView

STATE_ROLES = {
    "not_started": "warning",
    "active": "ok",
    "ending_soon": "warning",
    "used_up": "contraindication",
    "expired": "contraindication",
}
SCAN_FILES = "Scans (*.pdf *.png *.jpg *.jpeg);;All files (*)"


def _labels(keys: list[str], items: tuple[catalog.CatalogItem, ...]) -> str:
    known = catalog.by_key(items)
    return ", ".join(known[key].label for key in keys if key in known) or "—"


def _case_text(case: InjuryCase | None) -> str:
    if case is None:
        return "—"
    kind = dict(cases.CASE_KIND_CHOICES).get(case.kind, case.kind)
    return f"{kind}, claim {case.claim_number}" if case.claim_number else kind


def describe(prescription: Prescription) -> list[tuple[str, str]]:
    """The prescription's fields as label and text, in the order of the form."""
    status = prescriptions.status_of(prescription)
    values = prescriptions.form_values(prescription)
    diagnoses = prescriptions.diagnoses_of(prescription)
    physician = prescription.physician
    return [
        ("Physician", physician_text(physician)),
        ("Date written", values["written_on"]),
        ("Reason for medical necessity", prescription.reason),
        ("Diagnosis codes", "\n".join(f"{d.code}  {d.description}" for d in diagnoses)),
        ("Injury case", _case_text(prescription.injury_case)),
        ("Modality", dict(prescriptions.MODALITY_CHOICES)[prescription.modality]),
        ("Techniques", _labels(prescription.techniques, catalog.techniques())),
        ("Body areas", _labels(prescription.body_areas, catalog.body_areas())),
        ("Number of treatments", values["treatments_prescribed"]),
        ("Frequency", values["frequency"]),
        ("Duration", values["duration"]),
        ("End date", values["end_date"]),
        ("Visits", f"{status.visits_used} used, {status.visits_left} left"),
        ("Notes", prescription.notes or "—"),
    ]


class PrescriptionViewPage(QWidget):
    """Shows one prescription with Edit, Renew, the scan and the request form."""

    back = Signal(int)  # to the client's summary
    edit = Signal(int)
    renew = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prescription: Prescription | None = None
        self.heading = title("Prescription", self)
        self.state_chip = chip("", "ok", self)
        self.details = QFormLayout()
        self.message = QLabel(self)
        self.message.setProperty("class", "fieldError")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Prescription message")
        self.message.hide()
        self.scan_box = QGroupBox("Scanned copy", self)
        self._scan_view: ScanView | None = None
        self.buttons, self.actions = button_bar(
            self,
            (
                ("Back to client", "back"),
                ("Print request", "print"),
                ("Attach scan", "add"),
                ("Remove scan", ""),
                ("Renew prescription", ""),
                ("Edit prescription", ""),
            ),
            primary="Edit prescription",
        )
        self.may_edit = allowed(Can.EDIT_PRESCRIPTIONS, *self._changes())
        if not self.may_edit:  # where opening a prescription puts the focus
            self.buttons["Edit prescription"].setFocusProxy(self.buttons["Back to client"])
        self._lay_out()
        self._connect()

    def _changes(self) -> list[QPushButton]:
        """The buttons that change the prescription or its papers (all but Back)."""
        return [push for text, push in self.buttons.items() if text != "Back to client"]

    def _lay_out(self) -> None:
        order = QGroupBox("The physician's order", self)
        column = QVBoxLayout(order)
        column.addWidget(self.state_chip, 0, Qt.AlignmentFlag.AlignLeft)
        column.addLayout(self.details)
        column.addStretch(1)
        QVBoxLayout(self.scan_box)
        body = QHBoxLayout()
        body.addWidget(order, 1)
        body.addWidget(self.scan_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.heading)
        layout.addLayout(self.actions)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

    def _connect(self) -> None:
        self.buttons["Back to client"].clicked.connect(self._back)
        self.buttons["Edit prescription"].clicked.connect(lambda: self.edit.emit(self._id()))
        self.buttons["Renew prescription"].clicked.connect(lambda: self.renew.emit(self._id()))
        self.buttons["Print request"].clicked.connect(self._print_request)
        self.buttons["Attach scan"].clicked.connect(self._attach)
        self.buttons["Remove scan"].clicked.connect(self._remove)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._back)

    @property
    def scan_view(self) -> ScanView:
        """The scan viewer, made when first needed (its PDF library loads then)."""
        if self._scan_view is None:
            from ui.scan_view import ScanView

            self._scan_view = ScanView(self.scan_box, name="Scanned copy")
            self.scan_box.layout().addWidget(self._scan_view)
        return self._scan_view

    def _id(self) -> int:
        assert self.prescription is not None
        return self.prescription.id

    def _back(self) -> None:
        self.back.emit(self.prescription.client_id)

    # --- showing ----------------------------------------------------------------------

    def show_prescription(self, prescription_id: int) -> None:
        """Show the prescription as stored now (RecordMissing when it was deleted)."""
        self.prescription = prescription = prescriptions.get_prescription(prescription_id)
        self.heading.setText(f"Prescription of {formatting.us_date(prescription.written_on)}")
        state = prescriptions.status_of(prescription).state
        self.state_chip.setText(STATE_LABELS[state])
        self.state_chip.setProperty("role", STATE_ROLES[state])
        self.state_chip.style().polish(self.state_chip)
        while self.details.rowCount():
            self.details.removeRow(0)
        for label, text in describe(prescription):
            value = QLabel(text, self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addRow(label, value)
        self.message.hide()
        self._show_scan()

    def _show_scan(self) -> None:
        scan = prescriptions.current_scan(self._id())
        self.scan_view.show_scan(scan.data if scan else None, scan.media_type if scan else None)
        self.buttons["Attach scan"].setText("Replace scan" if scan else "Attach scan")
        self.buttons["Remove scan"].setVisible(self.may_edit and scan is not None)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- actions ----------------------------------------------------------------------

    def _print_request(self) -> None:
        shown = show_request_form(self, self.prescription.client_id, self._id())
        if isinstance(shown, str):
            self._say(shown)

    def choose_scan_file(self) -> Path | None:
        """Ask for the scan's file (tests answer this in place of the file dialog)."""
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach the scanned prescription", "", SCAN_FILES
        )
        return Path(name) if name else None

    def _attach(self) -> None:
        path = self.choose_scan_file()
        if path is None:
            return
        replacing = prescriptions.current_scan(self._id()) is not None
        question = "Replace the scanned copy kept now with this file?"
        if replacing and not confirm(self, "Replace scan", question):
            return
        try:
            with path.open("rb") as file:
                data = file.read(MAX_SCAN_BYTES + 1)
            prescriptions.attach_scan(self._id(), data, path.name)
        except OSError as error:
            self._say(f"Not attached: {path.name} could not be read ({error.strerror}).")
            return
        except ScanRefused as refused:
            self._say(f"Not attached: {refused.message}")
            return
        except StorageError as error:
            self._say(refusal("Not attached", error))
            return
        self._say("")
        self._show_scan()

    def _remove(self) -> None:
        if not confirm(self, "Remove scan", "Remove the scanned copy of this prescription?"):
            return
        try:
            prescriptions.remove_scan(self._id())
        except StorageError as error:
            self._say(refusal("Not removed", error))
            return
        self._show_scan()
