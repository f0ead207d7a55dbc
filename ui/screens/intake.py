"""The intake form, for new and existing clients."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk import catalog, formatting
from frontdesk.models import Client
from frontdesk.services import clients
from frontdesk.services.clients import RULES_BY_NAME
from ui.form_page import KEEP_EDITING, RecordFormPage
from ui.forms import CheckList
from ui.widgets import chain_tab_order, choose

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Identity",
        ("first_name", "middle_name", "last_name", "preferred_name", "date_of_birth", "sex"),
    ),
    (
        "Contact",
        (
            "address_line1",
            "address_line2",
            "city",
            "state",
            "zip_code",
            "mobile_phone",
            "home_phone",
            "email",
            "preferred_contact",
        ),
    ),
    (
        "Emergency contact and work",
        ("emergency_name", "emergency_relation", "emergency_phone", "employer", "occupation"),
    ),
    ("Consent and notes", ("consent_signed_on", "privacy_notice_on", "referral_source", "notes")),
)
HEALTH_FIELDS = ("health_notes", "current_complaint")
OPEN_EXISTING, SAVE_AS_NEW = "Open existing client", "Save as new client"


class IntakePage(RecordFormPage):
    """Register a new client or edit one; nothing is saved while anything is invalid."""

    open_existing = Signal(int)
    noun = "client"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New client", "Save client", parent)
        self.allow_duplicate = False
        labels = clients.CHECKLIST_LABELS
        self.conditions = CheckList(
            catalog.health_conditions(), 2, self, label=labels["health_conditions"]
        )
        self.pain_areas = CheckList(catalog.body_areas(), 4, self, label=labels["pain_areas"])
        self.lay_out(self._body())
        self._set_tab_order()
        self.form.add_check_list("health_conditions", self.conditions)
        self.form.add_check_list("pain_areas", self.pain_areas)

    @property
    def client_id(self) -> int | None:
        return self.record_id

    # --- layout ---------------------------------------------------------------------

    def _section(self, heading: str, names: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(heading, self)
        box.setLayout(self.form.form_layout(RULES_BY_NAME[name] for name in names))
        return box

    def _health_section(self) -> QGroupBox:
        box = QGroupBox("Health history", self)
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel("Conditions (hover for what each means for treatment)", box))
        layout.addWidget(self.conditions)
        notes = QFormLayout()
        self.form.add_rows(notes, (RULES_BY_NAME[name] for name in HEALTH_FIELDS))
        layout.addLayout(notes)
        layout.addWidget(QLabel("Areas of pain", box))
        layout.addWidget(self.pain_areas)
        return box

    def _body(self) -> QWidget:
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(16)
        grid.addWidget(self._section(*SECTIONS[0]), 0, 0)
        grid.addWidget(self._section(*SECTIONS[1]), 0, 1, 2, 1)
        grid.addWidget(self._section(*SECTIONS[2]), 1, 0)
        grid.addWidget(self._health_section(), 2, 0, 1, 2)
        grid.addWidget(self._section(*SECTIONS[3]), 3, 0, 1, 2)
        return body

    def _set_tab_order(self) -> None:
        """Tab follows the form as laid out: sections, health history, then the buttons."""
        names = [name for _, section in SECTIONS[:3] for name in section]
        inputs: list[QWidget] = [self.form.input(name) for name in names]
        inputs += list(self.conditions.boxes.values())
        inputs += [self.form.input(name) for name in HEALTH_FIELDS]
        inputs += list(self.pain_areas.boxes.values())
        inputs += [self.form.input(name) for name in SECTIONS[3][1]]
        inputs += [self.cancel_button, self.save_button]
        chain_tab_order(inputs)

    # --- data -----------------------------------------------------------------------

    def start_new(self) -> None:
        self.record_id = None
        self.heading.setText("New client")
        self.load({})

    def start_edit(self, client: Client) -> None:
        self.record_id = client.id
        self.heading.setText(f"Edit client: {client.display_name}")
        self.load(client.__data__, opened=client.__data__)

    def begin(self) -> None:
        """Once the page is on screen: the top of the form in view, the cursor in First name."""
        self.scroll.verticalScrollBar().setValue(0)
        self.form.input("first_name").setFocus()

    def raw_values(self) -> dict[str, Any]:
        return self.form.values()

    def changed_labels(self, current: Client) -> list[str]:
        return clients.changed_field_labels(self.opened, current)

    # --- actions --------------------------------------------------------------------

    def write(self) -> Client:
        return clients.save_client(
            self.raw_values(),
            self.client_id,
            version=self.opened.get("version"),
            allow_duplicate=self.allow_duplicate,
        )

    def save(self, allow_duplicate: bool = False) -> bool:
        """Save if everything is valid (asking first about a likely duplicate); True when saved."""
        self.allow_duplicate = allow_duplicate
        try:
            return super().save()
        except clients.PossibleDuplicate as duplicate:
            return self._ask_about_duplicate(duplicate.existing)

    def _ask_about_duplicate(self, twin: Client) -> bool:
        """Open the existing client, save anyway, or keep editing; True when saved."""
        answer = choose(
            self,
            "Possible duplicate",
            f"{twin.display_name}, born {formatting.us_date(twin.date_of_birth)}, "
            "is already registered.",
            [OPEN_EXISTING, SAVE_AS_NEW, KEEP_EDITING],
            detail="Open the existing client, or save this one as a different person?",
            warning=True,
        )
        if answer == OPEN_EXISTING:
            self.form.dirty = False
            self.open_existing.emit(twin.id)
            return False
        return answer == SAVE_AS_NEW and self.save(allow_duplicate=True)
