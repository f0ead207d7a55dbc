"""The prescription request a client takes (or the clinic faxes) to their physician.

One US Letter page, pre-filled with the clinic and the client, asking the physician for
exactly what HSA/FSA administrators look for in a letter of medical necessity: the reason,
the ICD-10-CM codes, the number, frequency and duration of treatments, the modality and
body areas, and the physician's signature, date and NPI.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from frontdesk import catalog, formatting
from frontdesk.documents.layout import (
    ACCENT,
    BAND,
    BOLD,
    INK,
    ITALIC,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    REGULAR,
    RULE,
    WIDTH,
    fit,
    wrap,
)
from frontdesk.models import Client, ClinicProfile, Prescription
from frontdesk.services.prescriptions import Duration, Frequency, diagnoses_of

TITLE = "Prescription for Medical Massage Therapy"
MODALITIES = ("Massage therapy (97124)", "Manual therapy (97140)")
DIAGNOSIS_LINES = 4
CERTIFICATION = (
    "I have examined this patient and prescribe the massage therapy above as medically "
    "necessary to treat the diagnosed condition(s). It is not for general health or relaxation."
)


@dataclass(frozen=True)
class _Previous:
    """What the form may show of the prescription it renews."""

    physician_name: str
    physician_npi: str
    practice: str
    phone: str
    fax: str
    written_on: date
    end_date: date
    summary: str


class _Page:
    """A canvas with a cursor moving down the page, and the form's few drawing shapes."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.y = PAGE_HEIGHT - MARGIN

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 9,
        font: str = REGULAR,
        color: colors.Color = INK,
    ) -> None:
        self.canvas.setFont(font, size)
        self.canvas.setFillColor(color)
        self.canvas.drawString(x, y, text)

    def right_text(
        self, x: float, y: float, text: str, size: float = 9, font: str = REGULAR
    ) -> None:
        self.canvas.setFont(font, size)
        self.canvas.setFillColor(INK)
        self.canvas.drawRightString(x, y, text)

    def rule(
        self, x1: float, y: float, x2: float, width: float = 0.6, color: colors.Color = RULE
    ) -> None:
        self.canvas.setStrokeColor(color)
        self.canvas.setLineWidth(width)
        self.canvas.line(x1, y, x2, y)

    def field(self, x: float, y: float, width: float, label: str, value: str = "") -> None:
        """A label with a line to write on (holding `value` when it is known)."""
        self.text(x, y, label, 8, color=MUTED)
        start = x + (stringWidth(label, REGULAR, 8) + 4 if label else 0)
        self.rule(start, y - 2, x + width)
        if value:
            room = x + width - start - 6
            size = _size_tofit(value, room, 10, 7.5)
            self.text(start + 3, y + 0.5, fit(value, room, size), size, BOLD)

    def checkbox(self, x: float, y: float, label: str, size: float = 8.5) -> float:
        """An empty box and its label; returns the x after the label."""
        self.canvas.setStrokeColor(INK)
        self.canvas.setLineWidth(0.7)
        self.canvas.rect(x, y - 1, 8, 8, stroke=1, fill=0)
        self.text(x + 12, y, label, size)
        return x + 12 + stringWidth(label, REGULAR, size)

    def section(self, number: int, title: str) -> None:
        """A shaded band naming the next part of the form."""
        self.y -= 6
        self.canvas.setFillColor(BAND)
        self.canvas.rect(MARGIN, self.y - 5, WIDTH, 17, stroke=0, fill=1)
        self.text(MARGIN + 6, self.y, f"{number}.  {title.upper()}", 9, BOLD, ACCENT)
        self.y -= 22


def _size_tofit(text: str, width: float, largest: float, smallest: float) -> float:
    """The largest bold font size, down to `smallest`, at which the text fits `width`."""
    size = largest
    while size > smallest and stringWidth(text, BOLD, size) > width:
        size -= 0.5
    return size


# --- the parts of the form ---------------------------------------------------------------


def _letterhead(page: _Page, clinic: ClinicProfile, today: date) -> None:
    top = page.y
    room = WIDTH - stringWidth(TITLE, BOLD, 12) - 18
    size = _size_tofit(clinic.name, room, 17, 12)
    names = wrap(clinic.name, room, size, BOLD)
    if len(names) > 2:
        names = [names[0], fit(" ".join(names[1:]), room, size)]
    for number, line in enumerate(names):
        page.text(MARGIN, top - 14 - number * (size + 1), line, size, BOLD, ACCENT)
    top -= (len(names) - 1) * (size + 1)  # a two-line name moves the address down
    address = formatting.address(
        clinic.address_line1, clinic.address_line2, clinic.city, clinic.state, clinic.zip_code
    )
    contact = [f"Phone {formatting.phone(clinic.phone)}"] if clinic.phone else []
    if clinic.fax:
        contact.append(f"Fax {formatting.phone(clinic.fax)}")
    if clinic.npi:
        contact.append(f"NPI {clinic.npi}")
    page.text(MARGIN, top - 29, fit(address, room, 9, REGULAR), 9, color=MUTED)
    page.text(MARGIN, top - 41, "   ·   ".join(contact), 9, color=MUTED)
    right, title_top = MARGIN + WIDTH, page.y
    page.canvas.setFont(BOLD, 8)
    page.canvas.setFillColor(MUTED)
    page.canvas.drawRightString(right, title_top - 8, "PRESCRIPTION REQUEST")
    page.right_text(right, title_top - 24, TITLE, 12, BOLD)
    page.right_text(right, title_top - 38, f"Requested on {formatting.us_date(today)}", 9)
    page.y = top - 52
    page.rule(MARGIN, page.y, right, 1.6, ACCENT)
    page.y -= 16


def _introduction(page: _Page, clinic: ClinicProfile) -> None:
    back = f"fax it to {formatting.phone(clinic.fax)}" if clinic.fax else "return it to us"
    text = (
        "Dear Doctor: your patient asks for a prescription for medical massage therapy. "
        "Health savings and flexible spending account (HSA/FSA) administrators require every "
        f"item below. Please complete and sign this form, then {back} or give it to the patient."
    )
    for line in wrap(text, WIDTH, 9):
        page.text(MARGIN, page.y, line, 9)
        page.y -= 12
    page.y -= 2


def _patient(page: _Page, client: Client) -> None:
    page.section(1, "Patient")
    half = WIDTH * 0.62
    page.field(MARGIN, page.y, half - 12, "Name", client.full_name)
    dob = formatting.us_date(client.date_of_birth)
    page.field(MARGIN + half, page.y, WIDTH - half, "Date of birth", dob)
    page.y -= 14


def _physician(page: _Page, previous: _Previous | None) -> None:
    page.section(2, "Prescribing physician")
    p = previous
    wide, half, quarter = WIDTH * 0.62, WIDTH / 2, WIDTH / 4
    page.field(MARGIN, page.y, wide - 12, "Name and credentials", p.physician_name if p else "")
    page.field(MARGIN + wide, page.y, WIDTH - wide, "NPI", p.physician_npi if p else "")
    page.y -= 22
    page.field(MARGIN, page.y, half - 12, "Practice", p.practice if p else "")
    page.field(MARGIN + half, page.y, quarter - 10, "Phone", p.phone if p else "")
    page.field(MARGIN + half + quarter, page.y, quarter, "Fax", p.fax if p else "")
    page.y -= 14


def _diagnosis(page: _Page) -> None:
    page.section(3, "Diagnosis and medical necessity")
    page.field(MARGIN, page.y, WIDTH, "Reason for medical necessity (condition treated)")
    page.y -= 22
    page.rule(MARGIN, page.y - 2, MARGIN + WIDTH)
    page.y -= 20
    page.text(MARGIN, page.y, "ICD-10-CM diagnosis codes, primary first", 8, BOLD, MUTED)
    page.y -= 18
    half = WIDTH / 2
    for number in range(DIAGNOSIS_LINES):
        x = MARGIN + (number % 2) * half
        y = page.y - (number // 2) * 22
        page.text(x, y, f"{number + 1}.", 9, BOLD)
        page.field(x + 14, y, 62, "Code")
        page.field(x + 84, y, half - 84 - (14 if number % 2 == 0 else 0), "Description")
    page.y -= 22 * (DIAGNOSIS_LINES // 2) - 8


def _plan(page: _Page) -> None:
    page.section(4, "Treatment ordered")
    page.text(MARGIN, page.y, "Modality", 8, BOLD, MUTED)
    x = MARGIN + 60
    for modality in MODALITIES:
        x = page.checkbox(x, page.y, modality) + 20
    right = MARGIN + WIDTH * 0.62
    page.text(right, page.y, "Number of treatments", 8, BOLD, MUTED)
    page.field(right + 92, page.y, WIDTH * 0.38 - 92, "")
    page.y -= 24
    page.text(MARGIN, page.y, "Frequency", 8, BOLD, MUTED)
    page.field(MARGIN + 60, page.y, 50, "")
    x = page.checkbox(MARGIN + 118, page.y, "times per week") + 14
    page.checkbox(x, page.y, "times per month")
    page.text(right, page.y, "Duration", 8, BOLD, MUTED)
    page.field(right + 46, page.y, 50, "")
    x = page.checkbox(right + 104, page.y, "weeks") + 14
    page.checkbox(x, page.y, "months")
    page.y -= 24
    _checklist(page, "Techniques", [item.label for item in catalog.techniques()], 3)
    _checklist(page, "Body areas", [item.label for item in catalog.body_areas()], 4)


def _checklist(page: _Page, title: str, labels: Sequence[str], columns: int) -> None:
    page.text(MARGIN, page.y, f"{title} (check all that apply)", 8, BOLD, MUTED)
    page.y -= 15
    rows = -(-len(labels) // columns)
    width = WIDTH / columns
    for index, label in enumerate(labels):
        column, row = divmod(index, rows)
        page.checkbox(
            MARGIN + column * width, page.y - row * 14, fit(label, width - 18, 8.5, REGULAR)
        )
    page.y -= rows * 14 + 4


def _certification(page: _Page) -> None:
    page.section(5, "Physician's certification")
    for line in wrap(CERTIFICATION, WIDTH, 9, ITALIC):
        page.text(MARGIN, page.y, line, 9, ITALIC)
        page.y -= 12
    page.y -= 18
    wide = WIDTH * 0.62
    page.field(MARGIN, page.y, wide - 12, "Physician's signature")
    page.field(MARGIN + wide, page.y, WIDTH - wide, "Date")
    page.y -= 26
    page.field(MARGIN, page.y, wide - 12, "Printed name")
    page.field(MARGIN + wide, page.y, WIDTH - wide, "NPI")
    page.y -= 10


def _reference(page: _Page, previous: _Previous) -> None:
    """A grey note about the prescription being renewed."""
    written, ends = (formatting.us_date(day) for day in (previous.written_on, previous.end_date))
    text = f"For reference, the current prescription was written {written} and ends {ends}: "
    text += previous.summary
    lines = wrap(text, WIDTH, 8)
    if len(lines) > 2:
        lines = [lines[0], fit(" ".join(lines[1:]), WIDTH, 8, REGULAR)]
    for line in lines:
        page.text(MARGIN, page.y, line, 8, color=MUTED)
        page.y -= 10


def _footer(page: _Page, clinic: ClinicProfile) -> None:
    y = MARGIN - 14
    page.rule(MARGIN, y + 12, MARGIN + WIDTH, 0.5)
    page.text(
        MARGIN, y, "Confidential: this form holds protected health information.", 7.5, color=MUTED
    )
    page.canvas.setFont(REGULAR, 7.5)
    signature = fit(f"{clinic.name} · prescription request", WIDTH / 2 - 12, 7.5, REGULAR)
    page.canvas.drawRightString(MARGIN + WIDTH, y, signature)


# --- the document -----------------------------------------------------------------------------


def _previous(prescription: Prescription) -> _Previous:
    physician = prescription.physician
    codes = ", ".join(diagnosis.code for diagnosis in diagnoses_of(prescription))
    frequency = Frequency(prescription.frequency_count, prescription.frequency_period)
    duration = Duration(prescription.duration_count, prescription.duration_unit)
    summary = (
        f"{prescription.reason}; {codes}; {prescription.treatments_prescribed} treatments, "
        f"{frequency} for {duration}."
    )
    return _Previous(
        physician_name=physician.display_name,
        physician_npi=physician.npi,
        practice=physician.practice,
        phone=formatting.phone(physician.phone),
        fax=formatting.phone(physician.fax),
        written_on=prescription.written_on,
        end_date=prescription.end_date,
        summary=summary,
    )


def prescription_request_pdf(
    clinic: ClinicProfile,
    client: Client,
    prescription: Prescription | None = None,
    *,
    today: date | None = None,
) -> bytes:
    """The one-page request as PDF bytes; with `prescription`, a renewal of it."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, pageCompression=1)
    canvas.setTitle(TITLE)
    canvas.setAuthor(clinic.name)
    canvas.setSubject("Prescription request")
    page = _Page(canvas)
    previous = _previous(prescription) if prescription is not None else None
    _letterhead(page, clinic, today or date.today())
    _introduction(page, clinic)
    _patient(page, client)
    _physician(page, previous)
    if previous is not None:
        _reference(page, previous)
    _diagnosis(page)
    _plan(page)
    _certification(page)
    _footer(page, clinic)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
