"""The prescription request to print: one Letter page asking for what HSA/FSA plans need."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PIL import ImageChops

from frontdesk.documents.prescription_request import prescription_request_pdf
from tests.core.conftest import TODAY

LETTER = (612, 792)
ASKS = (
    "Reason for medical necessity",
    "ICD-10-CM diagnosis codes, primary first",
    "Number of treatments",
    "Frequency",
    "times per week",
    "times per month",
    "Duration",
    "weeks",
    "months",
    "Modality",
    "Massage therapy (97124)",
    "Manual therapy (97140)",
    "Techniques (check all that apply)",
    "Body areas (check all that apply)",
    "Lower back (lumbar)",
    "Right ankle and foot",
    "Physician's signature",
    "Date",
    "Printed name",
    "NPI",
    "medically necessary",
)


def _pages(pdf: bytes) -> pdfium.PdfDocument:
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-32:]
    return pdfium.PdfDocument(pdf)


def _text(pdf: bytes) -> str:
    document = _pages(pdf)
    try:
        return " ".join(document[0].get_textpage().get_text_range().split())
    finally:
        document.close()


def _char_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    document = _pages(pdf)
    try:
        text = document[0].get_textpage()
        return [text.get_charbox(i) for i in range(text.count_chars())]
    finally:
        document.close()


@pytest.fixture
def request_pdf(set_up_clinic, patient):
    profile, _ = set_up_clinic

    def make(prescription=None) -> bytes:
        return prescription_request_pdf(profile, patient, prescription, today=TODAY)

    return make


def test_one_letter_page(request_pdf):
    document = _pages(request_pdf())
    assert len(document) == 1
    assert tuple(round(side) for side in document[0].get_size()) == LETTER
    assert document.get_metadata_dict()["Title"] == "Prescription for Medical Massage Therapy"
    document.close()


def test_prefilled_with_the_clinic_and_the_client(request_pdf):
    text = _text(request_pdf())
    for shown in (
        "Harbor Medical Massage",
        "12 Front St, Salem, OR 97301",
        "Phone (503) 555-0100",
        "NPI 1234567893",
        "Ana Silva",
        "04/17/1980",
        "Requested on 11/27/2026",
    ):
        assert shown in text


def test_asks_for_everything_an_hsa_fsa_plan_needs(request_pdf):
    text = _text(request_pdf())
    for ask in ASKS:
        assert ask in text
    assert "Prescribing physician".upper() in text


def test_a_renewal_names_the_physician_and_the_current_prescription(request_pdf, prescribe):
    rx = prescribe()
    text = _text(request_pdf(rx))
    for shown in (
        "Alicia Chen, MD",
        "1003000126",
        "Eastside Family Medicine",
        "(503) 555-0142",
        "(503) 555-0143",
        "written 10/01/2026 and ends 03/31/2027",
        "M54.50, M62.830",
        "12 treatments, 2 per month for 6 months",
    ):
        assert shown in text


def test_a_clinic_fax_tells_where_to_send_it(request_pdf, set_up_clinic):
    assert "then return it to us or give it to the patient" in _text(request_pdf())
    profile, _ = set_up_clinic
    profile.fax = "+15035550101"
    text = _text(request_pdf())
    assert "then fax it to (503) 555-0101 or give it to the patient" in text
    assert "Fax (503) 555-0101" in text


def _inside_the_printable_area(pdf: bytes) -> None:
    """Every character inside the margins; nothing printed within 0.3 in of the paper's edge."""
    (width, height), side, foot = LETTER, 0.5 * 72, 0.3 * 72
    for left, bottom, right, top in _char_boxes(pdf):
        assert side - 1 <= left <= right <= width - side + 1
        assert foot <= bottom <= top <= height - side
    document = _pages(pdf)
    picture = document[0].render(scale=1).to_pil().convert("L")
    document.close()
    edge = 22  # points: 0.3 in
    inner = picture.crop((edge, edge, picture.width - edge, picture.height - edge))
    blank = picture.copy()
    blank.paste(255, (0, 0, picture.width, picture.height))
    blank.paste(inner, (edge, edge))
    assert ImageChops.difference(picture, blank).getbbox() is None
    assert inner.getextrema()[0] < 128  # something is printed


def test_everything_fits_on_the_page(request_pdf, prescribe, patient, physician):
    _inside_the_printable_area(request_pdf())
    _inside_the_printable_area(request_pdf(prescribe()))


def test_long_names_are_fitted_not_spilled(set_up_clinic, prescribe, patient, physician):
    profile, _ = set_up_clinic
    profile.name = "Willamette Valley Medical & Therapeutic Massage Center of Greater Salem"
    profile.address_line2 = "Building C, Suite 2100, Riverfront Professional Plaza"
    patient.first_name, patient.middle_name = "Maximiliana", "Josefina Concepción"
    patient.last_name = "Wolfeschlegelsteinhausen-Bergerdorff"
    physician.practice = "Northwest Comprehensive Orthopaedic, Spine and Sports Medicine Group"
    physician.save()
    rx = prescribe(reason="Chronic low back pain with radiculopathy after a fall at work " * 3)
    pdf = prescription_request_pdf(profile, patient, rx, today=TODAY)
    _inside_the_printable_area(pdf)
    assert "Willamette Valley Medical" in _text(pdf)
