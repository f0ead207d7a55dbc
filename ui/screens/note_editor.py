"""The treatment note of one visit: techniques, body areas, pain, SOAP; drafts, signing, addenda.

A draft saves as the therapist types (and on leaving). Signing records who and when and
locks the note; after that it is read-only and only dated addenda, each with its author,
can be added.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk import access, formatting
from frontdesk.access import Can
from frontdesk.catalog import CatalogItem
from frontdesk.models import Visit
from frontdesk.services import clinic, notes, visits
from frontdesk.services.notes import CHECKLISTS, NOTE_RULES
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationError, ValidationErrors
from ui.errors import refusal
from ui.form_page import RecordFormPage
from ui.forms import CheckList
from ui.widgets import button, chain_tab_order, confirm, error_label, show_text

AUTOSAVE_MS = 1500
RULE_ORDER = ("pain_before", "subjective", "objective", "assessment", "plan", "pain_after")
PRESCRIBED = "On the prescription"
NOT_PRESCRIBED = "Not on the prescription"


def visit_facts(visit: Visit) -> str:
    """The visit in a line: when, how long, with whom, and under which prescription."""
    if visit.wellness:
        care = f"Wellness (non-medical): {visit.wellness_reason}"
    elif visit.prescription_id is None:
        care = "No prescription"
    else:
        rx = visit.prescription
        care = (
            f"Prescription of {formatting.us_date(rx.written_on)} for {rx.reason}, "
            f"by {rx.physician.display_name}"
        )
    return (
        f"{formatting.us_date_time(visit.starts_at)} · {visit.minutes} minutes · "
        f"{visit.therapist.display_name} · {care}"
    )


def may_write_note(visit: Visit) -> bool:
    """Whether the person signed in may write, sign and add to this visit's note: a
    therapist only on their own visits, the owner on any."""
    person = access.signed_in()
    if person is None or not person.may(Can.WRITE_NOTES):
        return False
    return person.role != access.THERAPIST or person.therapist_id == visit.therapist_id


def _prescribed_first(items: tuple[CatalogItem, ...], prescribed: list[str]) -> list[CatalogItem]:
    """The prescription's items first (so marked), then the others (flagged when ticked)."""
    if not prescribed:
        return list(items)
    ordered = sorted(items, key=lambda item: item.key not in prescribed)
    return [
        CatalogItem(item.key, item.label, item.severity, PRESCRIBED)
        if item.key in prescribed
        else CatalogItem(item.key, item.label, item.severity, NOT_PRESCRIBED)
        for item in ordered
    ]


def _embolden(widget: QWidget) -> None:
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)


class NoteEditorPage(RecordFormPage):
    """Writes one visit's note; `signed` carries the visit's id once the note is signed."""

    noun = "treatment note"
    signed = Signal(int)

    def __init__(self, visit: Visit, parent: QWidget | None = None) -> None:
        super().__init__("Treatment note", "Save draft", parent)
        self.visit = visit
        self.opened_from: QWidget | None = None  # the page Back returns to
        self.writable = may_write_note(visit)
        self.prescribed = self._prescribed(visit)
        self.facts = QLabel(visit_facts(visit), self)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Visit")
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Note state")
        self.flags: dict[str, QLabel] = {}
        self.sign_button = button("Sign note", parent=self)
        self.cancel_button.setText("Back")
        self.addenda = AddendaBox(visit, self.writable, self)
        self._lay_out_body()
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_quietly)
        self.form.changed.connect(self._typed)
        self.sign_button.clicked.connect(self.sign)
        self.addenda.added.connect(self._show_visit)
        self.start_edit(visit)

    @staticmethod
    def _prescribed(visit: Visit) -> dict[str, list[str]]:
        if visit.prescription_id is None or visit.wellness:
            return {name: [] for name in CHECKLISTS}
        return {name: list(getattr(visit.prescription, name)) for name in CHECKLISTS}

    def _lay_out_body(self) -> None:
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addWidget(self.facts)
        column.addWidget(self.state)
        for name, (label, items) in CHECKLISTS.items():
            column.addWidget(self._check_list_box(name, label, items()))
        by_name = {rule.name: rule for rule in NOTE_RULES}
        column.addLayout(self.form.form_layout(by_name[name] for name in RULE_ORDER))
        column.addWidget(self.addenda)
        column.addStretch(1)
        self.lay_out(body)
        row = self.button_row
        row.insertWidget(row.indexOf(self.save_button), self.sign_button)
        boxes = [box for lst in self.form.check_lists.values() for box in lst.boxes.values()]
        chain_tab_order(
            [*boxes, *self.form.inputs(), self.cancel_button, self.sign_button, self.save_button]
        )

    def _check_list_box(self, name: str, label: str, items: tuple[CatalogItem, ...]) -> QGroupBox:
        group = QGroupBox(label, self)
        column = QVBoxLayout(group)
        prescribed = self.prescribed[name]
        check_list = CheckList(_prescribed_first(items, prescribed), 3, group, label)
        self.form.add_check_list(name, check_list)
        if prescribed:
            column.addWidget(QLabel("In bold: on the prescription.", group))
        for key in prescribed:
            if key in check_list.boxes:
                _embolden(check_list.boxes[key])
        flag = QLabel(group)
        flag.setProperty("role", "warning")
        flag.setWordWrap(True)
        flag.setAccessibleName(f"{label} not prescribed")
        flag.hide()
        self.flags[name] = flag
        column.addWidget(check_list)
        column.addWidget(flag)
        return group

    # --- opening ----------------------------------------------------------------------

    def start_edit(self, visit: Visit) -> None:
        self.visit = visit
        self.heading.setText(f"Treatment note: {visit.client.display_name}")
        self.load_record(visit)
        self._show_visit(visit)

    def load_record(self, record: Visit) -> None:
        super().load_record(record)
        for name, check_list in self.form.check_lists.items():
            check_list.set_keys(getattr(record, name))
        self.form.dirty = False
        self._follow_flags()

    def _show_visit(self, visit: Visit) -> None:
        """Show the note's state; a signed note is read-only and takes addenda."""
        self.visit = visit
        self.opened = dict(visit.__data__)
        locked = visit.signed_at is not None
        if locked:
            when = formatting.us_date_time(visit.signed_at)
            adding = ": add a dated addendum to correct or add to it" if self.writable else ""
            self.state.setText(
                f"Signed by {visit.signed_by.display_name} on {when}. The note is locked{adding}."
            )
        elif not self.writable:
            self.state.setText(
                f"Draft: not signed. Only {visit.therapist.display_name} writes and signs "
                "this note; it is shown here to read."
            )
        elif not self.state.text().startswith("Draft saved"):
            self.state.setText("Draft: not signed. It saves as you type.")
        self._lock(locked or not self.writable)
        self.addenda.show_visit(visit)

    def _lock(self, locked: bool) -> None:
        for editor in self.form.editors.values():
            widget = editor.input
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(locked)
        for check_list in self.form.check_lists.values():
            check_list.setEnabled(not locked)
        self.save_button.setVisible(not locked)
        self.sign_button.setVisible(not locked)

    def focus_first(self) -> None:
        """The cursor where the work starts: the first technique, or a new addendum."""
        self.scroll.verticalScrollBar().setValue(0)
        if not self.writable:
            self.cancel_button.setFocus()
            return
        if self.visit.signed_at is not None:
            self.addenda.text.setFocus()
            return
        first_list = next(iter(self.form.check_lists.values()))
        next(iter(first_list.boxes.values())).setFocus()

    def changed_labels(self, current: Visit) -> list[str]:
        """The note's parts another desk changed since this page opened the visit."""
        labels = [
            r.label for r in NOTE_RULES if self.opened.get(r.name) != getattr(current, r.name)
        ]
        labels += [
            label
            for name, (label, _items) in CHECKLISTS.items()
            if self.opened.get(name) != getattr(current, name)
        ]
        if current.signed_at is not None and self.opened.get("signed_at") is None:
            labels.append("signed")
        return labels

    # --- saving as you go ---------------------------------------------------------------

    def _typed(self) -> None:
        self._follow_flags()
        if self.writable and self.visit.signed_at is None:
            self.autosave.start()

    def _follow_flags(self) -> None:
        for name, flag in self.flags.items():
            prescribed = self.prescribed[name]
            off = [
                box.text()
                for key, box in self.form.check_lists[name].boxes.items()
                if prescribed and box.isChecked() and key not in prescribed
            ]
            show_text(flag, f"{NOT_PRESCRIBED}: {', '.join(off)}." if off else "")

    def write(self) -> Visit:
        try:
            visit = notes.save_draft(self.visit_id, self.opened["version"], self.form.values())
        except RecordChanged as changed:
            if self.changed_labels(changed.current):
                raise  # the note itself changed elsewhere: offer to reload it
            # only the visit moved on (checked in, completed at the desk): the note is ours
            visit = notes.save_draft(self.visit_id, changed.current.version, self.form.values())
        self.state.setText(f"Draft saved at {formatting.clock(datetime.now())}. Not signed yet.")
        self._show_visit(visit)
        return visit

    @property
    def visit_id(self) -> int:
        return self.visit.id

    def save(self) -> bool:
        """Save the draft; a note signed elsewhere meanwhile is shown as signed, unchanged."""
        if not self.writable:
            return False
        try:
            return super().save()
        except visits.VisitRefused as refused:
            self.autosave.stop()
            self.form.dirty = False
            self.start_edit(visits.get_visit(self.visit_id))
            self.show_summary(f"Not saved: {refused}")
            return False

    def save_quietly(self) -> None:
        """The timer's save: only when everything typed is valid (errors show on leaving)."""
        if not self.form.dirty or self.visit.signed_at is not None:
            return
        try:
            notes.validate_note(self.form.values())
        except ValidationErrors:
            return
        self.save()

    def confirm_leave(self) -> bool:
        """A draft is saved on leaving; only when that fails is the therapist asked."""
        self.autosave.stop()
        if not self.writable:
            return True  # nothing here was typed: the note is only shown
        if self.form.dirty and self.visit.signed_at is None and self.save():
            return True
        return super().confirm_leave()

    # --- signing ------------------------------------------------------------------------

    def sign(self) -> None:
        """Save what is typed, then sign and lock the note once the therapist confirms."""
        self.autosave.stop()
        if self.form.dirty and not self.save():
            return
        therapist = self.visit.therapist
        question = (
            f"Sign this note as {therapist.display_name}? Once signed it is locked: "
            "only dated addenda can be added."
        )
        if not confirm(self, "Sign note", question):
            return
        try:
            visit = notes.sign_note(self.visit_id, therapist.id, self.opened["version"])
        except (visits.VisitRefused, RecordChanged) as error:
            self.show_summary(str(error))
            return
        except StorageError as error:
            self.show_summary(refusal("Not signed", error))
            return
        self.show_summary("")
        self._show_visit(visit)
        self.signed.emit(visit.id)


class AddendaBox(QGroupBox):
    """A signed note's addenda, oldest first, and the box to add one (by its author)."""

    added = Signal(object)  # the visit

    def __init__(self, visit: Visit, writable: bool, parent: QWidget | None = None) -> None:
        super().__init__("Addenda", parent)
        self.visit = visit
        self.listing = QLabel(self)
        self.listing.setWordWrap(True)
        self.listing.setTextFormat(Qt.TextFormat.PlainText)
        self.listing.setAccessibleName("Addenda")
        self.author = QComboBox(self)
        self.author.setAccessibleName("Author")
        for therapist in clinic.active_therapists():
            self.author.addItem(therapist.display_name, therapist.id)
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName("Addendum")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(72)
        self.text.setPlaceholderText("What to add or correct; it is dated and signed by its author")
        self.error = error_label("Addendum error", self)
        self.add_button = button("Add addendum", "add", parent=self)
        self.adding = QWidget(self)
        form = QFormLayout(self.adding)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Author", self.author)
        form.addRow("Addendum", self.text)
        self.adding.setVisible(writable)
        self.add_button.setVisible(writable)
        person = access.signed_in()
        self.author.setEnabled(person is not None and person.role != access.THERAPIST)
        column = QVBoxLayout(self)
        column.addWidget(self.listing)
        column.addWidget(self.adding)
        column.addWidget(self.error)
        column.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        chain_tab_order([self.author, self.text, self.add_button])
        self.add_button.clicked.connect(self.add)

    def show_visit(self, visit: Visit) -> None:
        self.visit = visit
        self.setVisible(visit.signed_at is not None)
        index = self.author.findData(visit.therapist_id)
        if index >= 0 and not self.text.toPlainText():
            self.author.setCurrentIndex(index)
        written = notes.addenda(visit.id)
        lines = [
            f"{formatting.us_date_time(a.created_at)}, {a.author.display_name}:\n{a.text}"
            for a in written
        ]
        self.listing.setText("\n\n".join(lines) or "No addenda yet.")

    def add(self) -> None:
        show_text(self.error, "")
        try:
            notes.add_addendum(self.visit.id, self.author.currentData(), self.text.toPlainText())
        except ValidationError as error:
            show_text(self.error, f"{error.field}: {error.message}")
            return
        except visits.VisitRefused as error:
            show_text(self.error, str(error))
            return
        except StorageError as error:
            show_text(self.error, refusal("Not saved", error))
            return
        self.text.clear()
        self.added.emit(visits.get_visit(self.visit.id))
