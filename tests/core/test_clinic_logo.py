"""The clinic's logo: chosen as a PNG or JPEG, kept small, drawn on every receipt."""

from __future__ import annotations

import base64
import io
import json

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from frontdesk.models import AuditEvent, ClinicProfile, Receipt
from frontdesk.services import clinic, receipts
from frontdesk.services.records import RecordChanged
from frontdesk.validation import ValidationError


def picture(size: tuple[int, int], kind: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#1F4E79").save(out, kind)
    return out.getvalue()


def images_on_first_page(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(list(document[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])))
    finally:
        document.close()


def test_a_large_jpeg_is_kept_as_a_small_png(set_up_clinic):
    profile = clinic.set_clinic_logo(picture((2400, 800)), ClinicProfile.get().version)
    stored = Image.open(io.BytesIO(base64.b64decode(profile.logo)))
    assert stored.format == "PNG"
    assert stored.size == (clinic.LOGO_SIDE, 200)
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.action, event.entity, event.detail) == (
        "update",
        "clinic_profile",
        "fields: logo",
    )


@pytest.mark.parametrize(
    "data",
    [b"not a picture at all", picture((40, 40))[:100], picture((30, 30), "GIF")],
    ids=["text", "cut short", "gif"],
)
def test_a_file_that_is_not_a_png_or_jpeg_is_refused_and_nothing_changes(set_up_clinic, data):
    before = ClinicProfile.get()
    with pytest.raises(ValidationError, match="PNG or JPEG") as refused:
        clinic.set_clinic_logo(data, before.version)
    assert refused.value.field == "Logo"
    after = ClinicProfile.get()
    assert (after.logo, after.version) == (None, before.version)


def test_a_logo_chosen_on_an_old_copy_of_the_profile_is_refused(set_up_clinic):
    version = ClinicProfile.get().version
    clinic.set_clinic_logo(picture((100, 50)), version)
    with pytest.raises(RecordChanged):
        clinic.set_clinic_logo(None, version)
    assert ClinicProfile.get().logo is not None


def test_receipts_draw_the_logo_as_it_is_now_without_keeping_it_in_each_snapshot(emily):
    issued = receipts.issue(
        receipts.draft_receipt(emily.client.id, payment_id=emily.payments["hsa"].id)
    )
    assert images_on_first_page(receipts.receipt_pdf(issued.id)) == 0
    clinic.set_clinic_logo(picture((300, 100), "PNG"), ClinicProfile.get().version)
    assert images_on_first_page(receipts.receipt_pdf(issued.id)) == 1
    assert images_on_first_page(receipts.duplicate_pdf(issued.id)) == 1
    snapshot = json.loads(Receipt.get_by_id(issued.id).snapshot)
    assert "logo" not in snapshot["clinic"]
    clinic.set_clinic_logo(None, ClinicProfile.get().version)
    assert images_on_first_page(receipts.receipt_pdf(issued.id)) == 0
