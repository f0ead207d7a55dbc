"""The printed treatment history: a header and "Page N of M" on every page, nothing lost."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import pypdfium2 as pdfium
import pytest

from frontdesk.catalog import CatalogItem
from frontdesk.documents.treatment_history import treatment_history_pdf
from frontdesk.models import ClinicProfile
from frontdesk.services import notes, visits
from frontdesk.services.history import (
    SHOW_ALL,
    Addendum,
    PrescriptionProgress,
    ServiceCharge,
    TreatmentHistory,
    VisitEntry,
    treatment_history,
)
from tests.core.conftest import TODAY

LETTER = (612, 792)
CLINIC = ClinicProfile(name="Harbor Medical Massage")
HEADER = ("Harbor Medical Massage", "Treatment history", "Ana Silva")
BORN = "Date of birth 04/17/1980"
PRINTED = "Printed 11/27/2026"
CARE = "Prescription of 10/01/2026: Low back pain"


def _visit(number: int, **changes) -> VisitEntry:
    starts = datetime(2026, 10, 1, 10) + timedelta(days=number)
    entry = VisitEntry(
        visit_id=number,
        starts_at=starts,
        when=f"{starts:%m/%d/%Y} 10:00 AM",
        therapist="Hannah Okafor, LMT",
        minutes=60,
        status="completed",
        status_label="Completed",
        wellness=False,
        wellness_reason="",
        care=CARE,
        prescription_id=1,
        case_id=None,
        case="",
        techniques=("Myofascial release",),
        body_areas=("Lower back (lumbar)",),
        pain_before=6,
        pain_after=3,
        soap=(("Subjective", f"Visit {number}: pain 6/10."), ("Plan", "Continue.")),
        note_state="signed",
        signature=f"Signed by Hannah Okafor, LMT on {starts:%m/%d/%Y} 5:00 PM",
        signed_by="Hannah Okafor, LMT",
        signed_at=starts + timedelta(hours=7),
        addenda=(),
        services=(ServiceCharge("97124", "Medical massage", 4, 14000, 0),),
        fee_cents=0,
        status_reason="",
    )
    return replace(entry, **changes)


PROGRESS = PrescriptionProgress(
    prescription_id=1,
    label=CARE,
    physician="Alicia Chen, MD",
    written_on=date(2026, 10, 1),
    reason="Low back pain",
    diagnoses=(("M54.50", "Low back pain, unspecified"),),
    case_id=None,
    visits_prescribed=12,
    visits_used=3,
    visits_left=9,
    end_date=date(2027, 3, 31),
    state="active",
    state_label="Active, 3 of 12 visits",
)
BLOOD_CLOTS = CatalogItem(
    "blood_clots", "Blood clots / deep vein thrombosis (DVT)", "contraindication", "Do not."
)


def _history(*entries: VisitEntry, **changes) -> TreatmentHistory:
    history = TreatmentHistory(
        client_id=1,
        client_name="Ana Silva",
        display_name="Silva, Ana",
        date_of_birth=date(1980, 4, 17),
        today=TODAY,
        alerts=(BLOOD_CLOTS,),
        health_notes="",
        prescriptions=(PROGRESS,),
        filters=(SHOW_ALL,),
        shown=SHOW_ALL,
        entries=entries,
    )
    return replace(history, **changes)


def _page_texts(pdf: bytes) -> list[str]:
    """Each page's text, its whitespace made single spaces."""
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-32:]
    document = pdfium.PdfDocument(pdf)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def _page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [tuple(round(side) for side in page.get_size()) for page in document]
    finally:
        document.close()


def _char_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every character on every page."""
    document = pdfium.PdfDocument(pdf)
    try:
        boxes = []
        for page in document:
            text = page.get_textpage()
            boxes += [text.get_charbox(i) for i in range(text.count_chars())]
        return boxes
    finally:
        document.close()


def _long_note(start: int, words: int = 600) -> str:
    """Numbered words, so that a word lost anywhere shows."""
    return " ".join(f"w{number:05d}" for number in range(start, start + words))


@pytest.fixture
def long_history() -> TreatmentHistory:
    """Twelve visits whose notes run to several pages."""
    entries = [
        _visit(
            number,
            soap=(
                ("Subjective", _long_note(number * 1000)),
                ("Objective", _long_note(number * 1000 + 600, 20)),
            ),
        )
        for number in range(12, 0, -1)
    ]
    return _history(*entries)


def test_every_page_has_the_header_and_its_number_of_all(long_history):
    pdf = treatment_history_pdf(long_history, CLINIC)
    pages = _page_texts(pdf)
    assert len(pages) >= 3
    assert set(_page_sizes(pdf)) == {LETTER}
    for number, text in enumerate(pages, start=1):
        for part in (*HEADER, BORN, PRINTED, f"Page {number} of {len(pages)}"):
            assert part in text, f"page {number} lacks {part!r}"


def _note_words(visit: int) -> list[str]:
    first = visit * 1000
    return [f"w{number:05d}" for number in range(first, first + 620)]


def test_a_long_note_runs_on_to_the_next_page_without_losing_a_word(long_history):
    pages = _page_texts(treatment_history_pdf(long_history, CLINIC))
    printed = re.findall(r"w\d{5}", " ".join(pages))
    assert printed == [word for visit in range(12, 0, -1) for word in _note_words(visit)]
    pages_of_a_note = [
        [number for number, page in enumerate(pages) if any(w in page for w in _note_words(v))]
        for v in range(12, 0, -1)
    ]
    assert any(len(numbers) > 1 for numbers in pages_of_a_note), "no note ran on to a page"


def test_typed_text_with_markup_characters_prints_as_typed():
    typed = 'Pain <5> & "worse" </para> at 3 < 4 > 2; R&D <b>not bold</b>'
    history = _history(
        _visit(1, soap=(("Subjective", typed),)),
        client_name="Ana <Silva> & Sons",
        health_notes="Allergic to nut oils & <lanolin>.",
    )
    text = _page_texts(treatment_history_pdf(history, CLINIC))[0]
    assert typed in text
    assert "Ana <Silva> & Sons" in text
    assert "Allergic to nut oils & <lanolin>." in text


def test_no_text_runs_off_the_page_even_a_very_long_word():
    history = _history(_visit(1, soap=(("Subjective", "x" * 900 + " end"),)))
    pdf = treatment_history_pdf(history, CLINIC)
    margin = 0.6 * 72 - 0.5  # the text's margins: 0.6 inch
    width, height = LETTER
    for left, bottom, right, top in _char_boxes(pdf):
        assert left >= margin and right <= width - margin
        assert bottom >= 0.25 * 72 and top <= height - margin  # the footer sits lower
    [text] = _page_texts(pdf)
    assert "x" * 900 + "end" in "".join(text.split())  # broken across lines, all there


def test_alerts_and_prescriptions_come_before_the_visits():
    text = _page_texts(treatment_history_pdf(_history(_visit(1)), CLINIC))[0]
    alert = text.index("Contraindication: Blood clots / deep vein thrombosis (DVT).")
    progress = text.index("Active, 3 of 12 visits")
    first_visit = text.index("10/02/2026 10:00 AM")
    assert alert < progress < first_visit
    assert "M54.50 Low back pain, unspecified" in text
    assert "3 used, 9 left" in text and "03/31/2027" in text


def test_a_draft_a_wellness_visit_a_cancellation_and_addenda_are_marked():
    entries = (
        _visit(4, note_state="draft", signature="Draft (not signed)", signed_at=None),
        _visit(
            3,
            wellness=True,
            wellness_reason="Relaxation",
            care="Wellness (non-medical)",
            prescription_id=None,
            services=(ServiceCharge("WELL60", "Wellness massage", 1, 9500, 0),),
        ),
        _visit(
            2,
            status="cancelled",
            status_label="Cancelled",
            fee_cents=2500,
            status_reason="Car trouble",
            soap=(),
            note_state="none",
            signature="No note",
            services=(),
        ),
        _visit(1, addenda=(Addendum(datetime(2026, 10, 3, 9), "Hannah Okafor, LMT", "Better."),)),
    )
    text = _page_texts(treatment_history_pdf(_history(*entries), CLINIC))[0]
    assert "DRAFT NOTE" in text
    assert "Draft: this note is not signed by the therapist." in text
    assert "Wellness (non-medical): Relaxation" in text
    assert "Cancelled" in text and "Reason: Car trouble. Late-cancel fee $25.00." in text
    assert "Addendum 10/03/2026 9:00 AM, Hannah Okafor, LMT: Better." in text
    assert "Signed by Hannah Okafor, LMT on 10/02/2026 5:00 PM" in text


def test_a_history_from_the_database_prints(patient, therapist, prescribe):
    prescribe()
    booked = visits.book_visit(patient.id, therapist.id, datetime(2026, 10, 6, 10), 60).visit
    visit = visits.check_in(booked.id, booked.version)
    notes.save_draft(visit.id, visit.version, {"subjective": "Stiff & sore <today>."})
    history = treatment_history(patient.id, today=TODAY)
    clinic = ClinicProfile.get()
    [text] = _page_texts(treatment_history_pdf(history, clinic))
    assert clinic.name in text and "Ana Silva" in text and "Page 1 of 1" in text
    assert "Subjective: Stiff & sore <today>." in text
    assert "Showing: All visits (1 visit, newest first)" in text
