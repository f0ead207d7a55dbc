"""The prescription entry form: new, edit, renew."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QWidget,
)

from frontdesk import catalog, formatting, icd10
from frontdesk.models import Client, Prescription
from frontdesk.services import cases, prescriptions
from frontdesk.services.prescriptions import CHECKLIST_LABELS, PRESCRIPTION_RULES
from ui.dialogs.physician import PhysicianDialog
from ui.form_page import RecordFormPage
from ui.forms import CheckList
from ui.prescription_inputs import CaseChoice, DiagnosisCodesInput, physician_picker
from ui.widgets import chain_tab_order

RULES_BY_NAME = {rule.name: rule for rule in PRESCRIPTION_RULES}
ORDER_FIELDS = ("physician_id", "written_on", "reason", "diagnosis_codes", "injury_case_id")
PLAN_FIELDS = ("modality", "treatments_prescribed", "frequency", "duration", "end_date")
LABELS = {
    **{rule.name: rule.label for rule in PRESCRIPTION_RULES},
    **CHECKLIST_LABELS,
}


def _warm_up_code_search() -> None:
    """Build the ICD-10-CM word index in the background before the first search needs it."""
    threading.Thread(target=icd10.search, args=("back pain", 1), daemon=True).start()


class PrescriptionFormPage(RecordFormPage):
    """Enter a client's prescription; the end date follows the duration until typed over."""

    noun = "prescription"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New prescription", "Save prescription", parent)
        self.client_id: int | None = None
        self.opened_values: dict[str, Any] = {}
        self.computed_end = ""  # the end date last filled in from the duration
        self.physician = physician_picker(self)
        self.diagnoses = DiagnosisCodesInput(self)
        self.case_choice = CaseChoice(self)
        self.techniques = CheckList(
            catalog.techniques(), 3, self, label=CHECKLIST_LABELS["techniques"]
        )
        self.body_areas = CheckList(
            catalog.body_areas(), 4, self, label=CHECKLIST_LABELS["body_areas"]
        )
        self.plan_warning = QLabel(self)
        self.plan_warning.setProperty("role", "warning")
        self.plan_warning.setWordWrap(True)
        self.plan_warning.setAccessibleName("Plan warning")
        self.plan_warning.hide()
        self.lay_out(self._body())
        self.form.add_check_list("techniques", self.techniques)
        self.form.add_check_list("body_areas", self.body_areas)
        self._set_tab_order()
        self.form.changed.connect(self._follow_plan)
        self.physician.add_requested.connect(self._add_physician)

    # --- layout ---------------------------------------------------------------------

    def _rows(self, heading: str, names: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(heading, self)
        widgets = {
            "physician_id": self.physician,
            "diagnosis_codes": self.diagnoses,
            "injury_case_id": self.case_choice,
        }
        layout = self.form.form_layout((RULES_BY_NAME[name] for name in names), widgets)
        box.setLayout(layout)
        return box

    def _checklist_row(self, layout: QFormLayout, name: str, boxes: CheckList) -> None:
        label = QLabel(CHECKLIST_LABELS[name], self)
        layout.addRow(label, boxes)

    def _treatment_box(self) -> QGroupBox:
        box = self._rows("Treatment ordered", PLAN_FIELDS)
        layout = box.layout()
        layout.insertRow(4, "", self.plan_warning)
        self._checklist_row(layout, "techniques", self.techniques)
        self._checklist_row(layout, "body_areas", self.body_areas)
        return box

    def _body(self) -> QWidget:
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.addWidget(self._rows("The physician's order", ORDER_FIELDS), 0, 0)
        grid.addWidget(self._treatment_box(), 1, 0)
        notes = QGroupBox("Notes", self)
        notes_layout = self.form.form_layout([RULES_BY_NAME["notes"]])
        notes.setLayout(notes_layout)
        grid.addWidget(notes, 2, 0)
        grid.setRowStretch(3, 1)
        return body

    def _set_tab_order(self) -> None:
        inputs: list[QWidget] = [self.physician.search, self.physician.add_button]
        inputs += [self.form.input(name) for name in ORDER_FIELDS[1:3]]
        inputs += [self.diagnoses.entry, self.diagnoses.codes]
        inputs += [self.diagnoses.up_button, self.diagnoses.down_button]
        inputs += [self.diagnoses.remove_button, self.case_choice.combo]
        inputs += [self.form.input(name) for name in PLAN_FIELDS]
        inputs += list(self.techniques.boxes.values()) + list(self.body_areas.boxes.values())
        inputs += [self.form.input("notes"), self.cancel_button, self.save_button]
        chain_tab_order(inputs)

    # --- opening --------------------------------------------------------------------

    def start_new(self, client: Client) -> None:
        today = formatting.us_date(date.today())
        self._open(client, None, "New prescription", {"written_on": today})

    def start_edit(self, prescription: Prescription) -> None:
        values = prescriptions.form_values(prescription)
        self._open(prescription.client, prescription, "Edit prescription", values)

    def start_renewal(self, prescription: Prescription) -> None:
        values = prescriptions.renew_values(prescription.id)
        self._open(prescription.client, None, "Renew prescription", values)

    def _open(
        self,
        client: Client,
        prescription: Prescription | None,
        heading: str,
        values: dict[str, Any],
    ) -> None:
        _warm_up_code_search()
        self.client_id = client.id
        self.record_id = prescription.id if prescription else None
        self.heading.setText(f"{heading}: {client.display_name}")
        self.opened_values = values if prescription else {}
        self.computed_end = self._end_if_computed(values)
        self._count_visits_used(prescription)
        self.case_choice.set_cases(cases.client_cases(client.id))
        self.load(values, opened=prescription.__data__ if prescription else None)
        self._follow_plan()

    def _count_visits_used(self, prescription: Prescription | None) -> None:
        """Number of treatments is checked against the visits this prescription already has."""
        used = prescriptions.visits_used([prescription.id]) if prescription else {}
        self.form.use_rules(
            prescriptions.prescription_rules(visits_already_used=sum(used.values()))
        )

    @staticmethod
    def _end_if_computed(values: dict[str, Any]) -> str:
        """The opened end date when it is date written + duration (so it follows), else ""."""
        plan = prescriptions.check_plan(values)
        computed = formatting.us_date(plan.end_date) if plan.end_date else ""
        return computed if values.get("end_date", "") == computed else ""

    def begin(self) -> None:
        """Once on screen: the top in view, the cursor in Physician (or Date written)."""
        self.scroll.verticalScrollBar().setValue(0)
        self.physician.setFocus()

    # --- the plan: end date and warning ------------------------------------------------

    def _follow_plan(self) -> None:
        """Fill in the end date from the duration (unless typed over); warn in amber."""
        plan = prescriptions.check_plan(self.form.values())
        end_input = self.form.input("end_date")
        if plan.end_date is not None and end_input.text() in ("", self.computed_end):
            self.computed_end = formatting.us_date(plan.end_date)
            end_input.setText(self.computed_end)
        self.plan_warning.setText(plan.warning)
        self.plan_warning.setVisible(bool(plan.warning))

    def _add_physician(self, typed: str) -> None:
        dialog = PhysicianDialog(typed, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.physician_id is not None:
            self.physician.choose(dialog.physician_id)
            self.form.input("written_on").setFocus()

    # --- saving ---------------------------------------------------------------------

    def write(self) -> Prescription:
        return prescriptions.save_prescription(
            self.form.values(),
            self.client_id,
            self.record_id,
            version=self.opened.get("version"),
        )

    def changed_labels(self, current: Prescription) -> list[str]:
        now = prescriptions.form_values(current)
        return [LABELS[name] for name in now if now[name] != self.opened_values.get(name)]
