"""The clinic's profile and a therapist's details, each in a window of its own.

Opened wherever a document finds them incomplete (a missing EIN, NPI or license number).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.models import ClinicProfile, Therapist
from frontdesk.services import clinic
from frontdesk.services.clinic import PROFILE_RULES, THERAPIST_RULES
from ui.dialogs.form_dialog import FormDialog
from ui.form_page import RecordFormPage


class _RulesPage(RecordFormPage):
    """A record's form laid out from its rules."""

    rules: tuple = ()

    def __init__(self, heading: str, save_text: str, parent: QWidget | None = None) -> None:
        super().__init__(heading, save_text, parent)
        body = QWidget(self)
        body.setLayout(self.form.form_layout(self.rules))
        self.lay_out(body)

    def start_edit(self, record) -> None:
        self.load_record(record)

    def changed_labels(self, current) -> list[str]:
        return [r.label for r in self.rules if self.opened.get(r.name) != getattr(current, r.name)]


class ClinicProfilePage(_RulesPage):
    noun = "clinic's profile"
    rules = PROFILE_RULES

    def write(self) -> ClinicProfile:
        return clinic.update_clinic_profile(self.form.values(), self.opened["version"])


class TherapistPage(_RulesPage):
    noun = "therapist"
    rules = THERAPIST_RULES

    def write(self) -> Therapist:
        if self.record_id is None:
            return clinic.add_therapist(self.form.values())
        return clinic.save_therapist(self.form.values(), self.record_id, self.opened["version"])


def clinic_profile_dialog(parent: QWidget | None = None) -> FormDialog:
    page = ClinicProfilePage("Clinic", "Save clinic")
    page.start_edit(clinic.clinic_profile())
    return FormDialog(page, "Clinic", parent)


def therapist_dialog(therapist_id: int, parent: QWidget | None = None) -> FormDialog:
    therapist = Therapist.get_by_id(therapist_id)
    page = TherapistPage(f"Therapist: {therapist.display_name}", "Save therapist")
    page.start_edit(therapist)
    return FormDialog(page, "Therapist", parent)


def new_therapist_dialog(parent: QWidget | None = None) -> FormDialog:
    page = TherapistPage("New therapist", "Save therapist")
    page.load({})
    return FormDialog(page, "New therapist", parent)
