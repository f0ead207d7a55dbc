"""The printed receipt, superbill and statement: every field a plan or insurer needs, on Letter.

Each PDF's text is extracted (PDFium) and checked; each passes `qpdf --check`; a reprint is
the original, byte for byte deterministic, with only the duplicate's mark added.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageChops

from frontdesk.documents.layout import PAGE_HEIGHT
from frontdesk.documents.receipt_parts import duplicate_text, mark_box
from frontdesk.models import ClinicProfile, Receipt, Therapist
from frontdesk.services import clinic, ledger, receipts
from tests.core.conftest import TODAY
from tests.core.receipt_fixtures import (
    YEAR_2026,
    page_count,
    pay,
    text_of,
    treat,
)

LETTER = (612, 792)
SCALE = 2  # pixels per point when comparing pages


def _issued(draft: receipts.Draft) -> tuple[Receipt, bytes]:
    receipt = receipts.issue(draft, today=TODAY)
    return receipt, receipts.receipt_pdf(receipt.id)


def _every_visit_receipt(scenario) -> receipts.Draft:
    visit_ids = [visit.id for visit in scenario.visits.values()]
    return receipts.draft_receipt(scenario.client.id, visit_ids=visit_ids)


def _check_pdf(pdf: bytes, folder: Path) -> None:
    """qpdf finds nothing wrong (or, without qpdf, PDFium opens and draws every page)."""
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-32:]
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        document = pdfium.PdfDocument(pdf)
        for page in document:
            page.render(scale=0.5).to_pil()
        document.close()
        return
    path = folder / "checked.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _pages(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


# --- the HSA/FSA receipt ----------------------------------------------------------------------


RECEIPT_FIELDS = (
    # the clinic
    "Harbor Medical Massage",
    "12 Front St, Salem, OR 97301",
    "Phone (503) 555-0100",
    "Tax ID (EIN) 93-1234567",
    "NPI 1234567893",
    # the treating therapist
    "Hannah Okafor, LMT",
    "OR license LMT-21873",
    # the client
    "Emily Rose Lee",
    "Date of birth 03/09/1985",
    "455 Oak Ave, Apt 3",
    "Salem, OR 97302",
    # the receipt
    "HSA/FSA PAYMENT RECEIPT",
    "Receipt no. 1",
    "Issued 11/27/2026",
    # each visit: date, description, minutes, code, units, charge, discount, amount
    "11/02/2026 Medical massage of the prescribed areas",
    "97124 60 4 $140.00 — $140.00",
    "11/27/2026 Medical massage",
    "97124 45 3 $105.00 -$5.00 $100.00",
    "Dx M54.50, M62.830",
    "Courtesy discount",
    # diagnoses, the prescription
    "M54.50 Low back pain, unspecified",
    "M62.830 Muscle spasm of back",
    "Prescribed by Alicia Chen, MD (NPI 1003000126) on 10/01/2026 for Low back pain",
    # payments, with method and reference; the gratuity apart
    "11/02/2026 HSA/FSA card 1234 $140.00 —",
    "11/27/2026 HSA/FSA card 1234 $60.00 —",
    "11/27/2026 Credit card 4242 $40.00 $20.00",
    # the money
    "Charges $245.00",
    "Discounts -$5.00",
    "Paid $240.00",
    "Balance $0.00",
    "PAID IN FULL",
    "HSA/FSA-eligible amount paid $240.00",
    "Gratuity, paid apart (not eligible) $20.00",
    # who gave the services, and a line to sign
    "provided by a licensed massage therapist, as prescribed by the physician",
    "Signature of the licensed massage therapist: Hannah Okafor, LMT",
    "Page 1 of 1",
)


def test_a_receipt_shows_everything_a_plan_needs(emily, tmp_path):
    visit_ids = [emily.visits["first"].id, emily.visits["split"].id]
    _, pdf = _issued(receipts.draft_receipt(emily.client.id, visit_ids=visit_ids))
    text = text_of(pdf)
    for field in RECEIPT_FIELDS:
        assert field in text, field
    assert "Non-medical" not in text and "Wellness" not in text
    _check_pdf(pdf, tmp_path)
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1
    assert tuple(round(side) for side in document[0].get_size()) == LETTER
    assert document.get_metadata_dict()["Title"] == "HSA/FSA receipt: Receipt no. 1"
    document.close()


def test_a_tip_and_a_wellness_visit_stay_outside_the_eligible_total(emily):
    text = text_of(receipts.preview_pdf(_every_visit_receipt(emily)))
    assert "11/20/2026 Wellness massage, 60 minutes (non-medical)" in text
    assert "Non-medical service: not HSA/FSA eligible" in text
    assert "WELL60 60 1 $95.00 — $95.00" in text
    assert "11/20/2026 Cash — $95.00 $15.00" in text
    assert "HSA/FSA-eligible amount paid $240.00" in text  # 140 + 100: no tip, no wellness
    assert "Non-medical services (not eligible) $95.00" in text
    assert "Gratuity, paid apart (not eligible) $35.00" in text
    assert "Paid $335.00" in text and "PAID IN FULL" in text


def test_only_wellness_says_so_and_claims_no_prescription(emily):
    draft = receipts.draft_receipt(emily.client.id, payment_id=emily.payments["cash"].id)
    text = text_of(receipts.preview_pdf(draft))
    assert "HSA/FSA-eligible amount paid $0.00" in text
    assert "The services above were provided by a licensed massage therapist." in text
    assert "prescribed" not in text and "DIAGNOSES" not in text


def test_an_unpaid_balance_is_shown_due(emily, therapist):
    visit = treat(emily.client, therapist, date(2026, 11, 24))
    pay(emily.client, date(2026, 11, 24), "hsa_fsa_card", {visit.id: 4000})
    text = text_of(
        receipts.preview_pdf(receipts.draft_receipt(emily.client.id, visit_ids=[visit.id]))
    )
    assert "Balance $100.00" in text and "BALANCE DUE $100.00" in text
    assert "PAID IN FULL" not in text


def test_a_preview_says_the_number_comes_when_printed(emily):
    pdf = receipts.preview_pdf(_every_visit_receipt(emily))
    text = text_of(pdf)
    assert "Receipt no. assigned when printed" in text
    assert "Preview: not issued yet" in text and "Preview · Page 1 of 1" in text
    assert not Receipt.select().exists()


# --- copies -----------------------------------------------------------------------------------


def _images(pdf: bytes) -> list:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=SCALE).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def _inside_the_mark(box: tuple[int, int, int, int] | None, number: int) -> bool:
    x, y, width, height = mark_box(duplicate_text(number))
    left, top = x * SCALE - 2, (PAGE_HEIGHT - y - height) * SCALE - 2
    right, bottom = (x + width) * SCALE + 2, (PAGE_HEIGHT - y) * SCALE + 2
    return (
        box is not None
        and left <= box[0]
        and top <= box[1]
        and box[2] <= right
        and (box[3] <= bottom)
    )


def test_a_reprint_is_the_original_marked_duplicate_on_every_page(emily, therapist, tmp_path):
    for day in range(2, 27):  # enough visits for a statement of several pages
        if date(2026, 11, day).weekday() < 5 and day not in (2, 20):
            treat(emily.client, therapist, date(2026, 11, day), 30, hour=8)
    receipt, original = _issued(receipts.draft_statement(emily.client.id, *YEAR_2026))
    assert receipts.receipt_pdf(receipt.id) == original  # drawn again: the very same bytes
    duplicate = receipts.duplicate_pdf(receipt.id)
    assert receipts.duplicate_pdf(receipt.id) == duplicate
    mark = f"DUPLICATE of receipt {receipt.number}"
    pages, marked = _pages(original), _pages(duplicate)
    assert len(pages) == len(marked) >= 2
    for number, (plain, copy) in enumerate(zip(pages, marked, strict=True), start=1):
        assert mark not in plain and copy.count(mark) == 1
        assert f"Page {number} of {len(pages)}" in copy
        assert " ".join(copy.replace(mark, "").split()) == plain
    for plain, copy in zip(_images(original), _images(duplicate), strict=True):
        changed = ImageChops.difference(plain, copy).getbbox()
        assert _inside_the_mark(changed, receipt.number), changed
    _check_pdf(duplicate, tmp_path)


def test_a_reprint_shows_what_was_printed_not_what_changed_since(emily):
    draft = receipts.draft_receipt(emily.client.id, payment_id=emily.payments["hsa"].id)
    receipt, _ = _issued(draft)
    ClinicProfile.update(name="Renamed Clinic", ein="").execute()
    Therapist.update(license_number="LMT-00001").execute()
    copy = text_of(receipts.duplicate_pdf(receipt.id))
    assert "Harbor Medical Massage" in copy and "Tax ID (EIN) 93-1234567" in copy
    assert "LMT-21873" in copy and "Renamed" not in copy and "LMT-00001" not in copy


# --- the superbill ----------------------------------------------------------------------------


SUPERBILL_FIELDS = (
    "SUPERBILL",
    "Receipt no. 1",
    "Marco Diaz",
    "Date of birth 07/21/1979",
    # the payer, the claim
    "Workers' compensation carrier (other)",
    "Authorization no. AUTH-7781",
    "Workers' compensation",
    "Claim no. WC-2026-0042",
    "Date of injury 09/14/2026",
    "Employer Columbia Freight",
    # providers
    "BILLING PROVIDER",
    "NPI 1234567893",
    "Tax ID (EIN) 93-1234567",
    "Place of service 11 (Office)",
    "RENDERING PROVIDER",
    "Hannah Okafor, LMT",
    "OR license LMT-21873",
    "PRESCRIBING PHYSICIAN",
    "Alicia Chen, MD",
    "NPI 1003000126",
    "Prescription dated 09/20/2026",
    # diagnoses lettered
    "A S39.012A Strain of muscle, fascia and tendon of lower back, initial encounter",
    "B M54.50 Low back pain, unspecified",
    # each line: date, place, code, description, pointers, units, charge
    "10/06/2026 11 97124 Medical massage",
    "AB 4 $140.00",
    "10/20/2026 11 97124",
    "11/03/2026 11 97124",
    "Services from 09/01/2026 to 11/30/2026",
    "Total charges $420.00",
    "Amount paid $280.00",
    "Balance due $140.00",
    "I certify that the services listed were medically necessary",
    "Provider's signature: Hannah Okafor, LMT",
)


def test_a_superbill_shows_the_payer_the_claim_and_lettered_diagnoses(marco, tmp_path):
    _, pdf = _issued(
        receipts.draft_superbill(marco.client.id, date(2026, 9, 1), date(2026, 11, 30))
    )
    text = text_of(pdf)
    for field in SUPERBILL_FIELDS:
        assert field in text, field
    assert text.count("AB 4 $140.00") == 3
    _check_pdf(pdf, tmp_path)


def test_a_superbill_never_lists_a_wellness_visit(emily):
    text = text_of(receipts.preview_pdf(receipts.draft_superbill(emily.client.id, *YEAR_2026)))
    assert "WELL60" not in text and "Wellness massage" not in text
    assert "Not listed: 1 visit that was not medical" in text
    assert "No insurance on file (self-pay)" in text
    assert "Total charges $245.00" in text


# --- the statement ----------------------------------------------------------------------------


def test_a_statement_lists_every_visit_and_entry_with_totals(emily, tmp_path):
    extra = ledger.record_payment(
        {"method": "check", "received_on": "11/28/2026", "amount_cents": "30.00",
         "reference": "1017"}, emily.client.id,
    )  # fmt: skip
    ledger.refund_payment(extra.id, 1000, "Overpaid", on=date(2026, 11, 29))
    mistake = ledger.record_payment(
        {"method": "cash", "received_on": "11/28/2026", "amount_cents": "75.00",
         "gratuity_cents": "5.00"}, emily.client.id,
    )  # fmt: skip
    ledger.void_entry(mistake.id, "Keyed twice", on=date(2026, 11, 28))
    _, pdf = _issued(receipts.draft_statement(emily.client.id, *YEAR_2026))
    text = text_of(pdf)
    for field in (
        "YEAR-END STATEMENT",
        "01/01/2026 to 12/31/2026",
        "Calendar year 2026",
        "3 visits charged",
        "11/02/2026 Medical massage",
        "11/20/2026 Wellness massage, 60 minutes (non-medical)",
        "Non-medical service: not HSA/FSA eligible",
        "M54.50 Low back pain, unspecified",
        "11/28/2026 Payment Check 1017 $30.00",
        "11/29/2026 Refund of the payment of 11/28/2026 Check — -$10.00 —",
        "11/28/2026 Payment (voided) not counted Cash — $75.00 $5.00",
        "11/28/2026 Void of the payment of 11/28/2026 not counted Cash — $75.00 $5.00",
        "Charges $340.00",
        "Discounts -$5.00",
        "Payments -$365.00",
        "Refunds $10.00",
        "Balance for the period -$20.00",
        "Medical services (after discounts) $240.00",
        "Non-medical services and fees $95.00",
        "Gratuities, paid apart (not counted) $35.00",
        "HSA/FSA-eligible medical services paid: $240.00",
        "All services were provided by a licensed massage therapist",
    ):
        assert field in text, field
    _check_pdf(pdf, tmp_path)


# --- what a person typed ----------------------------------------------------------------------


def test_typed_text_is_printed_as_typed_and_long_text_stays_on_the_page(emily):
    ClinicProfile.update(
        name="The Very Long Named Harbor Medical Massage & Bodywork Therapy Center of Salem",
        receipt_footer="Thank you! " * 40,
    ).execute()
    emily.client.first_name = "Emily <b>&amp;"
    emily.client.save()
    pdf = receipts.preview_pdf(_every_visit_receipt(emily))
    text = text_of(pdf)
    assert "Emily <b>&amp; Rose Lee" in text
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            width, height = page.get_size()
            textpage = page.get_textpage()
            for i in range(textpage.count_chars()):
                left, bottom, right, top = textpage.get_charbox(i)
                if right > left:  # not a space
                    assert left >= 18 and right <= width - 18, textpage.get_text_range(i, 1)
                    assert bottom >= 18 and top <= height - 18
    finally:
        document.close()
    assert page_count(pdf) >= 1


def test_a_logo_in_the_content_is_drawn_beside_the_letterhead(emily, tmp_path):
    picture = io.BytesIO()
    Image.new("RGB", (120, 60), "#1F4E79").save(picture, "PNG")
    clinic.set_clinic_logo(picture.getvalue(), clinic.clinic_profile().version)
    draft = receipts.draft_receipt(emily.client.id, payment_id=emily.payments["hsa"].id)
    pdf = receipts.render(draft.content)
    document = pdfium.PdfDocument(pdf)
    try:
        images = list(document[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        assert len(images) == 1
        left, _, right, top = images[0].get_bounds()
        assert (round(left), round(right - left), round(top)) == (43, 96, 749)
    finally:
        document.close()
    assert "Harbor Medical Massage" in text_of(pdf)
    _check_pdf(pdf, tmp_path)
