"""One client's treatment history: alerts and prescriptions on top, then every visit, newest first.

A list of the visits (one line each, to scan) beside the selected visit's whole note, a
filter by prescription or injury case, and "Print history", which makes the PDF in the
background and opens it in the preview to print or save.
"""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from frontdesk import formatting
from frontdesk.access import Can
from frontdesk.services import clinic
from frontdesk.services.history import (
    NOTES_WITHHELD,
    SHOW_ALL,
    HistoryFilter,
    PrescriptionProgress,
    TreatmentHistory,
    VisitEntry,
    record_printed,
    treatment_history,
    when_text,
)
from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.flow_layout import FlowLayout
from ui.prescription_table import STATE_LABELS
from ui.tables import (
    CAUTION_COLOUR,
    CONTRAINDICATION_COLOUR,
    MUTED_COLOUR,
    STATE_COLOURS,
    Column,
    RecordTableModel,
    colour_brush,
    record_table,
)
from ui.widgets import alert_chips, allowed, button, chain_tab_order, title

if TYPE_CHECKING:
    from frontdesk.models import ClinicProfile
    from ui.pdf_view import PageJob, PdfPreviewDialog

FILE_NAME = "treatment-history.pdf"
NOTE_TEXTS = {"signed": "Signed", "draft": "Draft", "none": "No note"}
NOTE_COLOURS = {"draft": CAUTION_COLOUR, "none": MUTED_COLOUR}
PREPARING = "Preparing the history for print…"
SIZED_ROWS = 40  # columns fit the first rows: sizing to hundreds of visits is slow


def _pain_text(entry: VisitEntry) -> str:
    if entry.pain_before is None and entry.pain_after is None:
        return ""
    shown = (
        "–" if value is None else str(value) for value in (entry.pain_before, entry.pain_after)
    )
    return " → ".join(shown)


def _note_text(entry: VisitEntry) -> str:
    """Signed, Draft or No note ("—" for a missed visit, which has nothing to write)."""
    return "—" if entry.missed and entry.note_state == "none" else NOTE_TEXTS[entry.note_state]


COLUMNS = (  # the care last: it is the longest, and takes the width left
    Column("Date", lambda e: e.when),
    Column(
        "Status",
        lambda e: e.status_label,
        lambda e: colour_brush(MUTED_COLOUR if e.missed else None),
    ),
    Column("Note", _note_text, lambda e: colour_brush(NOTE_COLOURS.get(e.note_state))),
    Column("Pain", _pain_text),
    Column("Therapist", lambda e: e.therapist),
    Column("Care", lambda e: e.care),
)
PAIN_COLUMN = 3  # hidden from a login that may not read notes: blank would read as no pain


# --- what the page shows, as HTML -------------------------------------------------------------


def _coloured(text: str, colour: str, bold: bool = True) -> str:
    weight = "font-weight:600;" if bold else ""
    return f'<span style="color:{colour};{weight}">{text}</span>'


def _paragraphs(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def progress_html(progress: PrescriptionProgress) -> str:
    """One prescription's line: its label, state in its colour, visits left and end date."""
    state = _coloured(STATE_LABELS[progress.state], STATE_COLOURS[progress.state])
    visits = (
        f"{progress.visits_used} used, {progress.visits_left} left of {progress.visits_prescribed}"
    )
    ends = formatting.us_date(progress.end_date)
    return f"<b>{escape(progress.label)}</b> — {state} · {visits} · ends {ends}"


def visit_html(entry: VisitEntry) -> str:
    """The whole visit as the detail pane shows it: when, care, note, addenda, billing."""
    parts = [
        f"<h3>{escape(entry.when)} · {entry.minutes} min · {escape(entry.status_label)}</h3>",
        f"<p>{escape(entry.therapist)}</p>",
        _care_html(entry),
        f"<p>{escape(entry.missed_text)}.</p>" if entry.missed else "",
        _treatment_html(entry),
        f"<p><i>{escape(NOTES_WITHHELD)}</i></p>" if entry.note_withheld else "",
        *(
            f"<p><b>{escape(heading)}</b><br>{_paragraphs(text)}</p>"
            for heading, text in entry.soap
        ),
        _signature_html(entry),
        *(
            f"<p><b>Addendum {escape(when_text(a.written_at))}, {escape(a.author)}</b><br>"
            f"{_paragraphs(a.text)}</p>"
            for a in entry.addenda
        ),
        _billing_html(entry),
    ]
    return "".join(parts)


def _care_html(entry: VisitEntry) -> str:
    """What the visit was given under (a wellness visit with its reason), and its case."""
    care = f"<b>{escape(entry.care)}</b>"
    if entry.wellness and entry.wellness_reason:
        care += f": {escape(entry.wellness_reason)}"
    if entry.case:
        care += f"<br>{escape(entry.case)}"
    return f"<p>{care}</p>"


def _treatment_html(entry: VisitEntry) -> str:
    rows = (
        ("Techniques", ", ".join(entry.techniques)),
        ("Body areas", ", ".join(entry.body_areas)),
        ("Pain", entry.pain),
    )
    lines = [f"<b>{label}:</b> {escape(text)}" for label, text in rows if text]
    return f"<p>{'<br>'.join(lines)}</p>" if lines else ""


def _signature_html(entry: VisitEntry) -> str:
    if entry.note_state == "draft":
        return f"<p>{_coloured('Draft: this note is not signed yet.', CAUTION_COLOUR)}</p>"
    if entry.note_state == "none" and entry.missed:
        return ""
    return f"<p><i>{escape(entry.signature)}</i></p>"


def _billing_html(entry: VisitEntry) -> str:
    lines = [
        f"{escape(s.code)} · {s.units} unit{'s' if s.units != 1 else ''} · "
        f"{formatting.money(s.charge_cents)}"
        for s in entry.services
    ]
    if not lines:
        return ""
    return _coloured(f"Billed: {'; '.join(lines)}", MUTED_COLOUR, bold=False)


# --- the page ----------------------------------------------------------------------------------


class TreatmentHistoryPage(QWidget):
    """A client's visits newest first, filtered by prescription or case; printable."""

    note_requested = Signal(int)  # the visit whose note to open
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: TreatmentHistory | None = None
        self.preview: PdfPreviewDialog | None = None
        self._print_job: PageJob | None = None
        self._made: list[bytes] = []
        self.heading = title("Treatment history", self)
        self.back_button = button("Back", "back", parent=self)
        self.note_button = button("Open note", parent=self)
        self.print_button = button("Print history", "print", primary=True, parent=self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.hide()
        self.alerts_box = QGroupBox("Alerts", self)
        self.prescriptions_box = QGroupBox("Prescriptions", self)
        self.filter = QComboBox(self)
        self.filter.setAccessibleName("Show")
        self.count_label = QLabel(self)
        self.model = RecordTableModel(COLUMNS, lambda entry: entry.visit_id, self)
        self.table = record_table("Visits", self.model, self)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setResizeContentsPrecision(SIZED_ROWS)
        self.details = QTextBrowser(self)
        self.details.setAccessibleName("Visit details")
        self.details.setOpenLinks(False)
        self.details.setTabChangesFocus(True)
        self.notes_shown = allowed(Can.READ_NOTES, self.note_button)
        self.table.setColumnHidden(PAIN_COLUMN, not self.notes_shown)
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        for push in (self.back_button, self.note_button, self.print_button):
            top.addWidget(push)
        for box in (self.alerts_box, self.prescriptions_box):
            QVBoxLayout(box).setAlignment(Qt.AlignmentFlag.AlignTop)
        boxes = QHBoxLayout()
        boxes.addWidget(self.alerts_box, 1)
        boxes.addWidget(self.prescriptions_box, 1)
        show = QLabel("Show", self)
        show.setBuddy(self.filter)
        choose = QHBoxLayout()
        choose.addWidget(show)
        choose.addWidget(self.filter)
        choose.addWidget(self.count_label, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(boxes)
        layout.addLayout(choose)
        layout.addWidget(split, 1)
        chain_tab_order(
            [
                self.filter,
                self.table,
                self.details,
                self.note_button,
                self.print_button,
                self.back_button,
            ]
        )

    def _connect(self) -> None:
        self.back_button.clicked.connect(self.back_requested)
        self.note_button.clicked.connect(self._open_note)
        self.print_button.clicked.connect(self.print_history)
        self.filter.activated.connect(self._refilter)
        self.table.activated.connect(self._open_note)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back_requested.emit)

    # --- showing ----------------------------------------------------------------------

    def show_client(self, client_id: int) -> None:
        """Show all of the client's visits, the newest selected."""
        self._show(client_id, SHOW_ALL)
        self.table.setFocus()

    def _show(self, client_id: int, choice: HistoryFilter) -> None:
        try:
            history = _history_for(client_id, choice)
        except StorageError as error:
            self._say(refusal("Could not show the treatment history", error))
            return
        self._say("")
        self.history = history
        self.heading.setText(f"Treatment history: {history.display_name}")
        self._fill_filters(history)
        self._fill_alerts(history)
        self._fill_prescriptions(history)
        self._fill_visits(history)

    def _say(self, text: str) -> None:
        self.message.setProperty("class", "fieldError" if text else "")
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _fill_filters(self, history: TreatmentHistory) -> None:
        self.filter.blockSignals(True)
        self.filter.clear()
        for choice in history.filters:
            self.filter.addItem(choice.label, choice)
        self.filter.setCurrentIndex(history.filters.index(history.shown))
        self.filter.blockSignals(False)

    def _fill_alerts(self, history: TreatmentHistory) -> None:
        layout = _emptied(self.alerts_box.layout())
        chips = FlowLayout()
        for alert_chip in alert_chips(history.alerts, self.alerts_box):
            chips.addWidget(alert_chip)
        layout.addLayout(chips)
        for alert in history.alerts:
            if alert.severity == "contraindication":
                layout.addWidget(_rich_label(self.alerts_box, _contraindication_html(alert)))
        if history.health_notes.strip():
            notes = f"<b>Health notes:</b> {_paragraphs(history.health_notes)}"
            layout.addWidget(_rich_label(self.alerts_box, notes))
        if not history.alerts and not history.health_notes.strip():
            layout.addWidget(QLabel("No contraindications or cautions recorded.", self.alerts_box))

    def _fill_prescriptions(self, history: TreatmentHistory) -> None:
        layout = _emptied(self.prescriptions_box.layout())
        for progress in history.prescriptions:
            layout.addWidget(_rich_label(self.prescriptions_box, progress_html(progress)))
        if not history.prescriptions:
            text = "No prescription: visits are wellness (non-medical) care."
            layout.addWidget(QLabel(text, self.prescriptions_box))

    def _fill_visits(self, history: TreatmentHistory) -> None:
        self.model.set_rows(list(history.entries))
        self.table.resizeColumnsToContents()
        count = len(history.entries)
        self.count_label.setText(_count_text(count))
        if count:
            self.table.selectRow(0)
        else:
            self.details.setHtml("<p>No visits to show.</p>")
        self.note_button.setEnabled(bool(count))

    def _show_current(self, *_indexes) -> None:
        entry = self.current_entry()
        self.details.setHtml(visit_html(entry) if entry else "")

    def current_entry(self) -> VisitEntry | None:
        """The visit selected in the list, if any."""
        row = self.table.currentIndex().row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def _refilter(self, index: int) -> None:
        assert self.history is not None
        self._show(self.history.client_id, self.filter.itemData(index))

    # --- actions ----------------------------------------------------------------------

    def _open_note(self, *_index) -> None:
        entry = self.current_entry()
        if entry is not None and self.notes_shown:
            self.note_requested.emit(entry.visit_id)

    def print_history(self) -> None:
        """Make the PDF of the visits shown (fresh from storage) and open it in the preview."""
        from ui.pdf_view import PageJob  # pdfium loads when first needed

        if self.history is None or self._print_job is not None:
            return
        try:
            history = _history_for(self.history.client_id, self.history.shown)
            profile = clinic.clinic_profile()
            if profile is None:
                self._say("Not printed: set up the clinic's profile in Settings first.")
                return
            record_printed(history)
        except StorageError as error:
            self._say(refusal("Not printed", error))
            return
        self._made = []
        self._print_job = PageJob(partial(_make_pdf, history, profile, self._made))
        self._print_job.signals.finished.connect(self._pdf_made)
        self.print_button.setEnabled(False)
        self._say("")
        self.count_label.setText(PREPARING)
        self._print_job.start()

    def _pdf_made(self, problem: str) -> None:
        from ui.pdf_view import PdfPreviewDialog

        self._print_job = None
        self.print_button.setEnabled(True)
        self.count_label.setText(_count_text(len(self.history.entries)))
        if problem or not self._made:
            self._say(f"Not printed: {problem or 'the history could not be made'}.")
            return
        self.preview = PdfPreviewDialog(self._made[0], "Treatment history", FILE_NAME, self)
        self.preview.finished.connect(self._preview_closed)
        self.preview.open()

    def _preview_closed(self) -> None:
        """Let the closed preview go: a long history's page pictures take much memory."""
        if self.preview is not None:
            self.preview.deleteLater()
            self.preview = None


def _history_for(client_id: int, choice: HistoryFilter) -> TreatmentHistory:
    """The client's history with the visits `choice` picks (all, a prescription's, a case's)."""
    by = {"prescription": "prescription_id", "case": "case_id"}.get(choice.kind)
    return treatment_history(client_id, **({by: choice.record_id} if by else {}))


def _count_text(count: int) -> str:
    return f"{count} visit{'s' if count != 1 else ''}, newest first"


def _make_pdf(history: TreatmentHistory, profile: ClinicProfile, made: list[bytes], _job) -> None:
    """Draw the PDF (in a background thread: it reads no database)."""
    from frontdesk.documents.treatment_history import treatment_history_pdf  # reportlab

    made.append(treatment_history_pdf(history, profile))


def _emptied(layout) -> QVBoxLayout:
    """The layout with every widget and inner layout it held taken out."""
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().hide()
            item.widget().deleteLater()
        elif item.layout() is not None:
            _emptied(item.layout())
            item.layout().deleteLater()
    return layout


def _rich_label(parent: QWidget, html: str) -> QLabel:
    label = QLabel(html, parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _contraindication_html(alert) -> str:
    return f"{_coloured(escape(alert.label) + ':', CONTRAINDICATION_COLOUR)} {escape(alert.hint)}"
