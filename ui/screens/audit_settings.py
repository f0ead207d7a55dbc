"""Settings ▸ Audit: whether the audit trail is intact, and its events by date, kind and
record."""

from __future__ import annotations

import logging

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk import formatting
from frontdesk.services import audit
from frontdesk.storage_errors import StorageError
from frontdesk.validation import ValidationErrors
from ui.background import BackgroundJob, in_background
from ui.errors import failure_text, refusal
from ui.forms import Form
from ui.tables import Column, RecordTableModel, record_table
from ui.widgets import chain_tab_order, error_label, show_text

log = logging.getLogger(__name__)

ALL_KINDS = "All kinds"
CHECKING = "Checking the audit trail…"


def _words(name: str) -> str:
    """A stored name as words: "prescription_scan" → "prescription scan"."""
    return name.replace("_", " ")


COLUMNS = (
    Column("When", lambda e: formatting.us_date_time(e.at)),
    Column("Who", lambda e: e.actor),
    Column("Action", lambda e: _words(e.action)),
    Column("Kind", lambda e: _words(e.entity)),
    Column("Record", lambda e: "" if e.entity_id is None else str(e.entity_id)),
    Column("Detail", lambda e: e.detail),
)


# --- checking the chain in the background ---------------------------------------------------


def _not_checked(error: Exception) -> str:
    """Why the chain could not be walked, as the page says it."""
    return failure_text("Not checked", error)


# --- the page ------------------------------------------------------------------------------


class AuditSection(QWidget):
    """The audit trail: a line saying whether it is intact, filters, and its events, newest
    first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chain = QLabel(self)
        self.chain.setAccessibleName("Audit trail")
        self.chain.setWordWrap(True)
        self.form = Form(self)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        self.shown = QLabel(self)
        self.shown.setAccessibleName("Events shown")
        self.model = RecordTableModel(COLUMNS, lambda event: event.id, self)
        self.table = record_table("Audit events", self.model, self)
        self.message = error_label("Message", self)
        self._job: BackgroundJob | None = None
        self._lay_out()
        for editor in self.form.editors.values():
            editor.input.editingFinished.connect(self.show_events)
        self.kind.currentIndexChanged.connect(self.show_events)

    def _lay_out(self) -> None:
        dates = QFormLayout()
        self.form.add_rows(dates, (audit.START_RULE, audit.END_RULE))
        which = QFormLayout()
        kind_label = QLabel("Kind", self)
        kind_label.setBuddy(self.kind)
        which.addRow(kind_label, self.kind)
        self.form.add_rows(which, (audit.RECORD_RULE,))
        filters = QHBoxLayout()
        filters.addLayout(dates, 1)
        filters.addLayout(which, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chain)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.shown)
        layout.addWidget(self.table, 1)
        inputs = self.form.inputs()
        chain_tab_order([*inputs[:2], self.kind, *inputs[2:], self.table])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """The kinds to choose from, the events, and a fresh check of the chain."""
        show_text(self.message, "")
        try:
            kinds = audit.entity_kinds()
        except StorageError as error:
            show_text(self.message, refusal("Not shown", error))
            return
        self._offer_kinds(kinds)
        self.show_events()
        self.check_chain()

    def _offer_kinds(self, kinds: list[str]) -> None:
        chosen = self.kind.currentData()
        self.kind.blockSignals(True)  # the events are shown once the choices are back
        self.kind.clear()
        self.kind.addItem(ALL_KINDS, "")
        for kind in kinds:
            self.kind.addItem(_words(kind), kind)
        self.kind.setCurrentIndex(max(self.kind.findData(chosen), 0))
        self.kind.blockSignals(False)

    def show_events(self) -> None:
        """The events the filters ask for; a bad filter is shown beside its field and the
        list stays as it was."""
        try:
            chosen = audit.filters(self.form.values())
        except ValidationErrors as errors:
            self.form.show_errors(errors)
            return
        for editor in self.form.editors.values():
            editor.show_error("")
        try:
            events = audit.list_events(
                chosen["start"], chosen["end"], self.kind.currentData(), chosen["record_id"]
            )
        except StorageError as error:
            show_text(self.message, refusal("Not shown", error))
            return
        show_text(self.message, "")
        self.model.set_rows(events)
        self.table.resizeColumnsToContents()
        self.shown.setText(_shown_text(len(events)))

    def check_chain(self) -> None:
        """Walk the chain in the background; the line at the top says what was found."""
        self._say(CHECKING, "")
        job: BackgroundJob | None = None

        def checked(outcome: audit.ChainCheck | str) -> None:
            if job is self._job:  # else a newer check is on its way
                self._checked(outcome)

        self._job = job = in_background(audit.verify_chain, checked, _not_checked)

    def _checked(self, outcome: audit.ChainCheck | str) -> None:
        self._job = None
        if isinstance(outcome, audit.ChainCheck):
            self._say(outcome.summary(), "ok" if outcome.intact else "contraindication")
        else:
            self._say("The audit trail could not be checked.", "warning")
            show_text(self.message, outcome)

    def _say(self, text: str, role: str) -> None:
        self.chain.setText(text)
        self.chain.setProperty("role", role)
        self.chain.style().polish(self.chain)

    @property
    def checking(self) -> bool:
        return self._job is not None


def _shown_text(count: int) -> str:
    if count >= audit.LIST_LIMIT:
        return f"The newest {count} events that match; narrow the filters to see older ones."
    if count == 0:
        return "No events match."
    return f"{count} event{'s' if count != 1 else ''} match."
