"""Add a physician to the directory on the spot, from the prescription form."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.models import Physician
from frontdesk.services import physicians
from frontdesk.services.physicians import PHYSICIAN_RULES
from ui.dialogs.form_dialog import FormDialog
from ui.form_page import KEEP_EDITING, RecordFormPage
from ui.widgets import choose

USE_EXISTING = "Use the existing physician"


class PhysicianPage(RecordFormPage):
    """The physician's details; a second physician with the same NPI is refused."""

    noun = "physician"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New physician", "Save physician", parent)
        body = QWidget(self)
        body.setLayout(self.form.form_layout(PHYSICIAN_RULES))
        self.lay_out(body)

    def start_new(self, typed: str = "") -> None:
        """A blank form; a typed name or NPI from the picker starts it off."""
        words = typed.split()
        if typed.strip().isdigit():
            self.load({"npi": typed.strip()})
        else:
            self.load({"first_name": " ".join(words[:-1]), "last_name": " ".join(words[-1:])})

    def start_edit(self, physician: Physician) -> None:
        self.heading.setText(f"Edit physician: {physician.display_name}")
        self.load_record(physician)

    def changed_labels(self, current: Physician) -> list[str]:
        return [
            rule.label
            for rule in PHYSICIAN_RULES
            if self.opened.get(rule.name) != getattr(current, rule.name)
        ]

    def write(self) -> Physician:
        return physicians.save_physician(
            self.form.values(), self.record_id, version=self.opened.get("version")
        )

    def save(self) -> bool:
        try:
            return super().save()
        except physicians.DuplicateNpi as duplicate:
            return self._offer_existing(duplicate.existing)

    def _offer_existing(self, existing: Physician) -> bool:
        answer = choose(
            self,
            "Physician already in the directory",
            f"{existing.display_name} already has NPI {existing.npi}.",
            [USE_EXISTING, KEEP_EDITING],
            detail="Use that physician, or check the NPI you typed.",
            warning=True,
        )
        if answer != USE_EXISTING:
            return False
        self.form.dirty = False
        self.saved.emit(existing.id)
        return True


class PhysicianDialog(FormDialog):
    """A new physician in a window of its own; `physician_id` is set once saved."""

    def __init__(self, typed: str = "", parent: QWidget | None = None) -> None:
        page = PhysicianPage()
        page.start_new(typed)
        super().__init__(page, "New physician", parent)

    @property
    def physician_id(self) -> int | None:
        return self.record_id
