"""The intake form, for new and existing clients."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from frontdesk import catalog, formatting
from frontdesk.models import Client
from frontdesk.services import clients
from frontdesk.services.clients import RULES_BY_NAME
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationErrors
from ui.errors import refusal
from ui.forms import CheckList, Form
from ui.widgets import button, chain_tab_order, choose, title

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
SAVE, DISCARD, KEEP_EDITING = "Save", "Discard changes", "Keep editing"
RELOAD = "Reload their version"


class IntakePage(QWidget):
    """Register a new client or edit one; nothing is saved while anything is invalid."""

    saved = Signal(int)
    cancelled = Signal()
    open_existing = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client_id: int | None = None
        self.opened: dict[str, Any] = {}  # the client as stored when the form was opened
        self.form = Form(self)
        self.heading = title("New client", self)
        self.conditions = CheckList(catalog.health_conditions(), columns=2, parent=self)
        self.pain_areas = CheckList(catalog.body_areas(), columns=4, parent=self)
        self.summary = QLabel(self)
        self.summary.setProperty("class", "fieldError")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.save_button = button("Save client", primary=True, parent=self)
        self.cancel_button = button("Cancel", parent=self)
        self._lay_out()
        self._set_tab_order()
        self.form.add_check_list("health_conditions", self.conditions)
        self.form.add_check_list("pain_areas", self.pain_areas)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        self.form.errors_changed.connect(self._update_summary)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel)

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

    def _lay_out(self) -> None:
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(16)
        grid.addWidget(self._section(*SECTIONS[0]), 0, 0)
        grid.addWidget(self._section(*SECTIONS[1]), 0, 1, 2, 1)
        grid.addWidget(self._section(*SECTIONS[2]), 1, 0)
        grid.addWidget(self._health_section(), 2, 0, 1, 2)
        grid.addWidget(self._section(*SECTIONS[3]), 3, 0, 1, 2)
        scroll = self.scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

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
        self.client_id = None
        self.opened = {}
        self.heading.setText("New client")
        self._load({})

    def start_edit(self, client: Client) -> None:
        self.client_id = client.id
        self.opened = dict(client.__data__)
        self.heading.setText(f"Edit client: {client.display_name}")
        self._load(client.__data__)

    def _load(self, values: dict[str, Any]) -> None:
        self.form.load(values)
        self._show_summary("")

    def begin(self) -> None:
        """Once the page is on screen: the top of the form in view, the cursor in First name."""
        self.scroll.verticalScrollBar().setValue(0)
        self.form.input("first_name").setFocus()

    def raw_values(self) -> dict[str, Any]:
        return self.form.values()

    @property
    def has_unsaved_changes(self) -> bool:
        return self.form.dirty

    # --- actions --------------------------------------------------------------------

    def save(self, allow_duplicate: bool = False) -> bool:
        """Save if everything is valid (asking first about a likely duplicate); True when saved."""
        try:
            client = clients.save_client(
                self.raw_values(),
                self.client_id,
                version=self.opened.get("version"),
                allow_duplicate=allow_duplicate,
            )
        except StorageError as error:
            self._show_summary(refusal("Not saved", error))
            return False
        except RecordChanged as changed:
            return self._offer_reload(changed.current)
        except ValidationErrors as errors:
            self.form.check_all()
            self.form.show_errors(errors)
            self._show_summary(self._summary_text() or str(errors))
            self._focus_first_invalid()
            return False
        except clients.PossibleDuplicate as duplicate:
            return self._ask_about_duplicate(duplicate.existing)
        self.client_id = client.id
        self.form.dirty = False
        self.saved.emit(client.id)
        return True

    def _offer_reload(self, current: Client) -> bool:
        """Someone saved this client meanwhile: show theirs, or keep what was typed here."""
        fields = clients.changed_field_labels(self.opened, current)
        listed = ", ".join(fields) or "nothing you can see"
        answer = choose(
            self,
            "Changed elsewhere",
            "Not saved: this client was changed in another window or on another computer "
            f"after you opened it. Changed there: {listed}.",
            [RELOAD, KEEP_EDITING],
            detail="Reload shows the client as now saved; what you typed here is dropped. "
            "Keep editing keeps your typing on screen so you can copy it first.",
            warning=True,
        )
        if answer == RELOAD:
            self.start_edit(current)
            self._show_summary(f"Reloaded: changed elsewhere: {listed}.")
        else:
            self._show_summary(f"Not saved: changed elsewhere ({listed}). Reload to see it.")
        return False

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

    def confirm_leave(self) -> bool:
        """Ask before unsaved changes are lost; True when it is fine to leave."""
        if not self.has_unsaved_changes:
            return True
        answer = choose(
            self,
            "Unsaved changes",
            "This client has changes that are not saved.",
            [SAVE, DISCARD, KEEP_EDITING],
        )
        if answer == SAVE:
            return self.save()
        if answer == DISCARD:
            self.form.dirty = False
            return True
        return False

    def cancel(self) -> None:
        if self.confirm_leave():
            self.cancelled.emit()

    def _summary_text(self) -> str:
        labels = [editor.rule.label for editor in self.form.invalid_editors()]
        if not labels:
            return ""
        listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
        return f"Not saved: check {listed}."

    def _update_summary(self) -> None:
        """Once a failed save is shown, keep its list of fields in step with the form."""
        if not self.summary.isHidden():
            self._show_summary(self._summary_text())

    def _focus_first_invalid(self) -> None:
        invalid = self.form.invalid_editors()
        if invalid:
            invalid[0].input.setFocus()
            self.scroll.ensureWidgetVisible(invalid[0].container)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves from any input but a multi-line note, or presses the focused button."""
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        focused = QApplication.focusWidget()
        if isinstance(focused, QPushButton):
            focused.click()
        else:
            self.save()

    def _show_summary(self, message: str) -> None:
        self.summary.setText(message)
        self.summary.setVisible(bool(message))
