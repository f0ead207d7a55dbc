"""The scanned copy: real PDF, JPEG and PNG files kept; impostors, empty, broken, big refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from frontdesk.models import AuditEvent, PrescriptionScan
from frontdesk.services import prescriptions
from frontdesk.services.prescriptions import ScanRefused, attach_scan, current_scan, remove_scan
from frontdesk.storage_errors import RecordMissing


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    """A real grey-scale PNG, written by hand with zlib and struct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((x * 6) % 256 for x in range(width))  # filter 0, then the pixels
    packer = zlib.compressobj()
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes(width: int = 64, height: int = 48) -> bytes:
    """A real JPEG, encoded by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def pdf_bytes(text: str = "Rx: massage therapy 2x/month for 6 months") -> bytes:
    """A real one-page PDF, written by reportlab."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.fixture
def rx(prescribe):
    return prescribe()


def _refusal(rx, data: bytes, filename: str = "scan.pdf") -> ScanRefused:
    with pytest.raises(ScanRefused) as refused:
        attach_scan(rx.id, data, filename)
    assert current_scan(rx.id) is None
    assert refused.value.field == "Scanned copy"
    return refused.value


@pytest.mark.parametrize(
    ("make", "filename", "media_type", "stored_name"),
    [
        (pdf_bytes, "rx.pdf", "application/pdf", "rx.pdf"),
        (jpeg_bytes, "IMG_0042.JPG", "image/jpeg", "IMG_0042.jpg"),
        (png_bytes, "scan.png", "image/png", "scan.png"),
        (png_bytes, "rx.pdf", "image/png", "rx.png"),  # a PNG with a .pdf name is a PNG
        (jpeg_bytes, "photo", "image/jpeg", "photo.jpg"),
        (pdf_bytes, "C:\\Scans\\Silva rx.PDF", "application/pdf", "Silva rx.pdf"),
        (pdf_bytes, "../../etc/rx.pdf", "application/pdf", "rx.pdf"),
        (pdf_bytes, "", "application/pdf", None),
    ],
)
def test_real_files_are_kept_by_their_content(rx, make, filename, media_type, stored_name):
    data = make()
    scan = attach_scan(rx.id, data, filename, actor="desk")
    stored = PrescriptionScan.get_by_id(scan.id)
    assert bytes(stored.data) == data
    assert stored.media_type == media_type
    assert stored.filename == (stored_name or f"prescription-{rx.id}.pdf")
    event = AuditEvent.get(AuditEvent.entity == "prescription_scan")
    assert (event.action, event.entity_id, event.actor) == ("create", scan.id, "desk")
    assert event.detail == f"prescription {rx.id}"  # ids only: a file name may name the client


def test_a_new_scan_replaces_the_old_one_and_can_be_removed(rx):
    first = attach_scan(rx.id, pdf_bytes(), "rx.pdf")
    second = attach_scan(rx.id, png_bytes(), "rx-page.png")
    assert [s.id for s in PrescriptionScan.select()] == [second.id]
    assert current_scan(rx.id).media_type == "image/png"
    assert second.id > first.id
    assert prescriptions.client_prescriptions(rx.client_id)[0].has_scan
    assert remove_scan(rx.id, actor="desk") is True
    assert current_scan(rx.id) is None
    assert remove_scan(rx.id) is False
    actions = [(e.action, e.entity_id) for e in AuditEvent.select().where(
        AuditEvent.entity == "prescription_scan")]  # fmt: skip
    assert actions == [("create", first.id), ("create", second.id), ("delete", second.id)]


@pytest.mark.parametrize(
    ("data", "filename", "what"),
    [
        (b"Dr. Chen: massage 2x/month\n", "rx.jpg", "this file is a text file"),
        (b"GIF89a" + bytes(100), "rx.gif", "this file is a GIF picture"),
        (b"II*\x00" + bytes(100), "rx.tif", "this file is a TIFF picture"),
        (b"PK\x03\x04" + bytes(100), "rx.docx", "this file is a Word, Excel or ZIP file"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(100), "IMG.HEIC", "an iPhone (HEIC) photo"),
        (bytes(range(256)) * 4, "rx.pdf", "this file is not a PDF, JPEG or PNG file"),
    ],
)
def test_another_kind_of_file_is_refused_saying_what_it_is(rx, data, filename, what):
    refusal = _refusal(rx, data, filename)
    assert refusal.reason == "kind"
    assert what in refusal.message
    assert refusal.message.endswith("save the scan as a PDF, JPEG or PNG.")


def test_an_empty_file_is_refused(rx):
    refusal = _refusal(rx, b"")
    assert (refusal.reason, refusal.message) == (
        "empty",
        "the file is empty (0 bytes); scan the prescription again.",
    )


def test_a_file_over_10_mb_is_refused(rx):
    data = pdf_bytes()
    padded = data[:-6] + b" " * (prescriptions.MAX_SCAN_BYTES - len(data) + 1) + data[-6:]
    refusal = _refusal(rx, padded)
    assert refusal.reason == "too_big"
    assert refusal.message.startswith("the file is 10.0 MB; the limit is 10 MB.")


def test_a_file_of_exactly_10_mb_is_kept(rx):
    data = pdf_bytes()
    filler = b"\n%" + b"x" * (prescriptions.MAX_SCAN_BYTES - len(data) - 2)
    exact = data[:-6] + filler + data[-6:]  # a comment before the end marker
    assert len(exact) == prescriptions.MAX_SCAN_BYTES
    assert attach_scan(rx.id, exact, "big.pdf").media_type == "application/pdf"


def test_a_picture_with_too_many_pixels_is_refused(rx):
    header_only = png_bytes(9000, 9000)  # 81 million pixels, compressed to a few kB
    assert _refusal(rx, header_only, "huge.png").reason == "too_big"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (png_bytes()[:60], "PNG"),  # cut short
        (png_bytes()[:-12], "PNG"),  # no end marker
        (png_bytes()[:40] + b"\xff" + png_bytes()[41:], "PNG"),  # a bad checksum
        (jpeg_bytes()[: len(jpeg_bytes()) // 2], "JPEG"),  # cut short
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "JPEG"),  # a header and nothing
        (pdf_bytes()[:-200], "PDF"),  # cut short: no %%EOF
        (b"%PDF-1.4\nnot really a pdf\n%%EOF\n", "PDF"),
    ],
)
def test_a_broken_file_is_refused(rx, data, label):
    refusal = _refusal(rx, data, "rx.pdf")
    assert refusal.reason == "broken"
    assert refusal.message == (
        f"this {label} file is damaged or incomplete and cannot be opened; scan or copy it again."
    )


def test_a_scan_for_a_missing_prescription_is_refused(rx):
    with pytest.raises(RecordMissing):
        attach_scan(rx.id + 1, pdf_bytes(), "rx.pdf")
    assert PrescriptionScan.select().count() == 0


@pytest.mark.parametrize(
    ("mode", "size", "kind"),
    [("RGB", (4, 4), "JPEG"), ("L", (1700, 2200), "JPEG"), ("CMYK", (30, 20), "JPEG"),
     ("1", (850, 1100), "PNG"), ("RGBA", (3, 1), "PNG")],
)  # fmt: skip
def test_tiny_grey_and_print_pictures_are_kept(rx, mode, size, kind):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, kind)
    assert attach_scan(rx.id, buffer.getvalue(), "scan").media_type == f"image/{kind.lower()}"
