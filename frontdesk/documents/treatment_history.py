"""A client's treatment history on US Letter, for a records request or a referral.

Every page carries the clinic, the client's name and date of birth, the day printed and
"Page N of M". The alerts and the prescriptions' progress come first, then each visit,
newest first, with its note; long notes wrap and run on to the next page. Everything a
person typed is escaped before it reaches reportlab's markup.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from frontdesk import formatting
from frontdesk.documents.layout import (
    ACCENT,
    ALERT_RED,
    BAND,
    BOLD,
    CAUTION_AMBER,
    INK,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    REGULAR,
    RULE,
    WIDTH,
    NumberedCanvas,
    fit,
)
from frontdesk.models import ClinicProfile
from frontdesk.services.history import (
    NOTES_WITHHELD,
    PrescriptionProgress,
    TreatmentHistory,
    VisitEntry,
    when_text,
)

TITLE = "Treatment history"
VISIT_BAND = colors.HexColor("#F3F6F9")  # lighter than a section's band
HEADER_HEIGHT = 44  # points from the top margin down to the header's rule
FOOTER_TEXT = "Confidential: this record holds protected health information."

STYLES = {
    "body": ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, textColor=INK),
    "small": ParagraphStyle("small", fontName=REGULAR, fontSize=8, leading=10, textColor=MUTED),
    "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5, textColor=INK),
    "section": ParagraphStyle(
        "section",
        fontName=BOLD,
        fontSize=9,
        leading=12,
        textColor=ACCENT,
        backColor=BAND,
        borderPadding=(3, 6, 3, 6),
        spaceBefore=12,
        spaceAfter=8,
        keepWithNext=1,
    ),
    "visit": ParagraphStyle(
        "visit",
        fontName=REGULAR,
        fontSize=10,
        leading=13,
        textColor=INK,
        backColor=VISIT_BAND,
        borderPadding=(2, 6, 2, 6),
        spaceBefore=12,
        spaceAfter=5,
        keepWithNext=1,
    ),
}
STYLES["lead"] = ParagraphStyle("lead", parent=STYLES["body"], keepWithNext=1)
STYLES["note"] = ParagraphStyle("note", parent=STYLES["body"], leftIndent=10, spaceBefore=2)
STYLES["billing"] = ParagraphStyle("billing", parent=STYLES["small"], leftIndent=10, spaceBefore=3)
PRESCRIPTION_COLUMNS = (  # heading, share of the width
    ("Prescription", 0.25),
    ("Physician", 0.15),
    ("Diagnoses", 0.3),
    ("State", 0.18),
    ("Ends", 0.12),
)


def _text(value: str) -> str:
    """Typed text made safe for reportlab's markup, its line breaks kept."""
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def _coloured(text: str, colour: colors.Color) -> str:
    return f'<font color="{colour.hexval()}">{text}</font>'


def _join(parts: Iterable[str], between: str = " &nbsp;·&nbsp; ") -> str:
    return between.join(part for part in parts if part)


# --- pages: header, footer, numbers ------------------------------------------------------------


def _number_page(canvas: Canvas, number: int, total: int) -> None:
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(INK)
    canvas.drawRightString(MARGIN + WIDTH, MARGIN - 14, f"Page {number} of {total}")


def _draw_page_frame(
    history: TreatmentHistory, clinic: ClinicProfile, canvas: Canvas, _doc
) -> None:
    """The header and footer every page carries (the page number comes at the end)."""
    canvas.saveState()
    top, half = PAGE_HEIGHT - MARGIN, WIDTH / 2 - 8
    right = MARGIN + WIDTH
    canvas.setFillColor(ACCENT)
    canvas.setFont(BOLD, 12)
    canvas.drawString(MARGIN, top - 12, fit(clinic.name, half, 12))
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 10)
    canvas.drawString(MARGIN, top - 28, TITLE)
    canvas.setFont(BOLD, 11)
    canvas.drawRightString(right, top - 12, fit(history.client_name, half, 11))
    canvas.setFont(REGULAR, 9)
    canvas.setFillColor(MUTED)
    born, printed = (formatting.us_date(day) for day in (history.date_of_birth, history.today))
    canvas.drawRightString(right, top - 28, f"Date of birth {born}   ·   Printed {printed}")
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, top - 36, right, top - 36)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, MARGIN - 2, right, MARGIN - 2)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawString(MARGIN, MARGIN - 14, FOOTER_TEXT)
    canvas.restoreState()


# --- the parts of the history ------------------------------------------------------------------


def _section(title: str) -> Paragraph:
    return Paragraph(escape(title.upper()), STYLES["section"])


def _shown(history: TreatmentHistory) -> Paragraph:
    count = len(history.entries)
    visits = "1 visit" if count == 1 else f"{count} visits"
    line = f"<b>Showing:</b> {escape(history.shown.label)} ({visits}, newest first)"
    return Paragraph(line, STYLES["body"])


def _alerts(history: TreatmentHistory) -> list[Flowable]:
    story: list[Flowable] = [_section("Alerts")]
    for alert in history.alerts:
        serious = alert.severity == "contraindication"
        kind = "Contraindication" if serious else "Caution"
        colour = ALERT_RED if serious else CAUTION_AMBER
        line = _coloured(f"<b>{kind}: {escape(alert.label)}.</b>", colour)
        story.append(Paragraph(f"{line} {escape(alert.hint)}", STYLES["body"]))
    if history.health_notes.strip():
        notes = f"<b>Health notes:</b> {_text(history.health_notes)}"
        story.append(Paragraph(notes, STYLES["body"]))
    if len(story) == 1:
        story.append(Paragraph("No contraindications or cautions recorded.", STYLES["body"]))
    return story


def _cell(markup: str) -> Paragraph:
    return Paragraph(markup, STYLES["cell"])


def _prescription_row(progress: PrescriptionProgress) -> list[Paragraph]:
    diagnoses = "<br/>".join(
        f"<b>{escape(code)}</b> {escape(text)}" for code, text in progress.diagnoses
    )
    used = f"{progress.visits_used} used, {progress.visits_left} left"
    state = f"<b>{escape(progress.state_label)}</b><br/>{used}"
    return [
        _cell(f"<b>{escape(progress.label)}</b>"),
        _cell(escape(progress.physician)),
        _cell(diagnoses or "—"),
        _cell(state),
        _cell(formatting.us_date(progress.end_date)),
    ]


def _prescriptions(history: TreatmentHistory) -> list[Flowable]:
    story: list[Flowable] = [_section("Prescriptions")]
    if not history.prescriptions:
        text = "No prescription on file: visits are wellness (non-medical) care."
        return [*story, Paragraph(text, STYLES["body"])]
    headings = [_cell(f"<b>{heading}</b>") for heading, _ in PRESCRIPTION_COLUMNS]
    rows = [headings, *(_prescription_row(p) for p in history.prescriptions)]
    table = Table(
        rows, colWidths=[WIDTH * share for _, share in PRESCRIPTION_COLUMNS], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), BAND),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [*story, table]


def _visit_heading(entry: VisitEntry) -> Paragraph:
    status = f"<b>{escape(entry.status_label)}</b>"
    if entry.note_state == "draft":
        status += " &nbsp;·&nbsp; " + _coloured("<b>DRAFT NOTE</b>", CAUTION_AMBER)
    parts = (
        f"<b>{escape(entry.when)}</b>",
        f"{entry.minutes} min",
        escape(entry.therapist),
        status,
    )
    return Paragraph(_join(parts), STYLES["visit"])


def _care_line(entry: VisitEntry) -> Paragraph:
    care = f"<b>{escape(entry.care)}</b>"
    if entry.wellness and entry.wellness_reason:
        care += f": {escape(entry.wellness_reason)}"
    return Paragraph(_join((care, escape(entry.case))), STYLES["lead"])


def _treatment_line(entry: VisitEntry) -> Paragraph | None:
    parts = (
        f"<b>Techniques:</b> {escape(', '.join(entry.techniques))}" if entry.techniques else "",
        f"<b>Body areas:</b> {escape(', '.join(entry.body_areas))}" if entry.body_areas else "",
        f"<b>Pain:</b> {escape(entry.pain)}" if entry.pain else "",
    )
    line = _join(parts)
    return Paragraph(line, STYLES["note"]) if line else None


def _signature(entry: VisitEntry) -> Paragraph:
    if entry.note_state == "draft":
        line = _coloured("<b>Draft: this note is not signed by the therapist.</b>", CAUTION_AMBER)
    else:
        line = f"<i>{escape(entry.signature)}</i>"
    return Paragraph(line, STYLES["note"])


def _billing(entry: VisitEntry) -> Paragraph | None:
    lines = [
        f"{escape(s.code)} {escape(s.description)}, {s.units} unit{'s' if s.units != 1 else ''}, "
        f"{formatting.money(s.charge_cents)}"
        + (f" less {formatting.money(s.discount_cents)}" if s.discount_cents else "")
        for s in entry.services
    ]
    if not lines:
        return None
    return Paragraph("<b>Billed:</b> " + "; ".join(lines), STYLES["billing"])


def _visit(entry: VisitEntry) -> list[Flowable]:
    story: list[Flowable | None] = [_visit_heading(entry), _care_line(entry)]
    if entry.missed:
        story.append(Paragraph(escape(entry.missed_text) + ".", STYLES["note"]))
    story.append(_treatment_line(entry))
    if entry.note_withheld:
        story.append(Paragraph(f"<i>{escape(NOTES_WITHHELD)}</i>", STYLES["note"]))
    for heading, text in entry.soap:
        story.append(Paragraph(f"<b>{escape(heading)}:</b> {_text(text)}", STYLES["note"]))
    if entry.note_state != "none" or not entry.missed:
        story.append(_signature(entry))
    for addendum in entry.addenda:
        said = f"Addendum {when_text(addendum.written_at)}, {addendum.author}"
        story.append(Paragraph(f"<b>{escape(said)}:</b> {_text(addendum.text)}", STYLES["note"]))
    story.append(_billing(entry))
    return [flowable for flowable in story if flowable is not None]


def _visits(history: TreatmentHistory) -> list[Flowable]:
    story: list[Flowable] = [_section("Visits, newest first")]
    if not history.entries:
        return [*story, Paragraph("No visits to show.", STYLES["body"])]
    for entry in history.entries:
        story.extend(_visit(entry))
    return story


# --- the document ----------------------------------------------------------------------------


def treatment_history_pdf(history: TreatmentHistory, clinic: ClinicProfile) -> bytes:
    """The history as PDF bytes (US Letter), a header and "Page N of M" on every page."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + 6,
        title=TITLE,
        author=clinic.name,
        subject="Treatment history",
        pageCompression=1,
    )
    story = [
        _shown(history),
        *_alerts(history),
        *_prescriptions(history),
        *_visits(history),
    ]
    frame = partial(_draw_page_frame, history, clinic)
    numbered = partial(NumberedCanvas, finish=_number_page)
    document.build(story, onFirstPage=frame, onLaterPages=frame, canvasmaker=numbered)
    return buffer.getvalue()
