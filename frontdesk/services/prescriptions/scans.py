"""The scanned copy of a paper prescription: a PDF, JPEG or PNG kept inside the database.

The kind is read from the file's content, never from its name, and the file must
really open (a picture decodes, a PDF has pages), so what is kept can be shown later.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any

from frontdesk.access import Can, needs
from frontdesk.models import Prescription, PrescriptionScan, database_proxy
from frontdesk.services import audit, records
from frontdesk.textsearch import normalize_text
from frontdesk.validation import ValidationError

FIELD = "Scanned copy"
MAX_SCAN_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a Legal page at 600 dpi is about 34 million
MAX_NAME_LENGTH = 120
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_HEADER, PDF_END = b"%PDF-", b"%%EOF"
HEADER_WINDOW = 1024  # readers accept a PDF header or end marker this near the file's ends


@dataclass(frozen=True)
class ScanKind:
    key: str
    label: str
    media_type: str
    extension: str


KINDS = {
    "pdf": ScanKind("pdf", "PDF", "application/pdf", ".pdf"),
    "jpeg": ScanKind("jpeg", "JPEG", "image/jpeg", ".jpg"),
    "png": ScanKind("png", "PNG", "image/png", ".png"),
}
OTHER_KINDS = (
    (b"GIF8", "a GIF picture"),
    (b"II*\x00", "a TIFF picture"),
    (b"MM\x00*", "a TIFF picture"),
    (b"BM", "a BMP picture"),
    (b"PK\x03\x04", "a Word, Excel or ZIP file"),
    (b"\xd0\xcf\x11\xe0", "an older Word or Excel file"),
)


class ScanRefused(ValidationError):
    """The file was not kept; `reason` says why: kind, empty, too_big or broken."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(FIELD, message)
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.reason, self.message))


# --- what the file is -------------------------------------------------------------------


def scan_kind(data: bytes) -> ScanKind | None:
    """PDF, JPEG or PNG by the file's first bytes; None for anything else."""
    if data.startswith(PNG_SIGNATURE):
        return KINDS["png"]
    if data.startswith(JPEG_SIGNATURE):
        return KINDS["jpeg"]
    if PDF_HEADER in data[:HEADER_WINDOW]:
        return KINDS["pdf"]
    return None


def _what_it_is(data: bytes) -> str:
    """A person's name for a file that is not a PDF, JPEG or PNG."""
    for signature, name in OTHER_KINDS:
        if data.startswith(signature):
            return name
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "an iPhone (HEIC) photo"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP picture"
    start = data[:4096]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(start, final=False)
    except UnicodeDecodeError:
        return "not a PDF, JPEG or PNG file"
    return "a text file" if b"\x00" not in start else "not a PDF, JPEG or PNG file"


def _picture_problem(data: bytes) -> str | None:
    """Why a PNG or JPEG cannot be used ("too_big" or "broken"), or None when it decodes."""
    from PIL import Image  # lazy: only needed when a picture is attached

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                if picture.width * picture.height > MAX_PIXELS:
                    return "too_big"
                eighth = (max(picture.width // 8, 1), max(picture.height // 8, 1))
                picture.draft(None, eighth)  # a JPEG decodes at 1/8 scale: every byte read, fast
                picture.load()
            with Image.open(io.BytesIO(data)) as picture:
                picture.verify()  # PNG: every chunk's checksum, up to the end marker
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "too_big"
    except (OSError, SyntaxError, ValueError, EOFError):
        return "broken"
    return None


def _pdf_problem(data: bytes) -> str | None:
    """Why a PDF cannot be used ("broken"), or None when it opens with at least one page."""
    if PDF_END not in data[-HEADER_WINDOW:]:
        return "broken"
    import pypdfium2  # lazy: PDFium loads only when a PDF is attached

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return "broken"
    try:
        return None if len(document) > 0 else "broken"
    finally:
        document.close()


def check_scan(data: bytes) -> ScanKind:
    """The kind of a scan that can be kept, or ScanRefused saying why it cannot."""
    if not data:
        raise ScanRefused("empty", "the file is empty (0 bytes); scan the prescription again.")
    kind = scan_kind(data)
    if kind is None:
        raise ScanRefused(
            "kind", f"this file is {_what_it_is(data)}; save the scan as a PDF, JPEG or PNG."
        )
    if len(data) > MAX_SCAN_BYTES:
        raise ScanRefused("too_big", _too_big(f"the file is {len(data) / 2**20:.1f} MB"))
    problem = _pdf_problem(data) if kind.key == "pdf" else _picture_problem(data)
    if problem == "too_big":
        raise ScanRefused("too_big", _too_big("the picture has too many pixels"))
    if problem == "broken":
        raise ScanRefused(
            "broken",
            f"this {kind.label} file is damaged or incomplete and cannot be opened; "
            "scan or copy it again.",
        )
    return kind


def _too_big(what: str) -> str:
    limit = MAX_SCAN_BYTES // 2**20
    return f"{what}; the limit is {limit} MB. Scan at 150 to 300 dpi, or in grey, and try again."


def stored_name(filename: str, kind: ScanKind, prescription_id: int) -> str:
    """The file's own name, without folders, ending in the extension its content calls for."""
    name = normalize_text(PureWindowsPath(filename or "").name)  # drops / and \ folders
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem = extension
    stem = stem.strip()[: MAX_NAME_LENGTH - len(kind.extension)]
    return f"{stem or f'prescription-{prescription_id}'}{kind.extension}"


# --- keeping it -------------------------------------------------------------------------


@needs(Can.EDIT_PRESCRIPTIONS)
def attach_scan(
    prescription_id: int, data: bytes, filename: str, actor: str = ""
) -> PrescriptionScan:
    """Keep the scanned copy of a prescription, replacing the one kept before.

    Raises ScanRefused (another kind, empty, too big, broken) or RecordMissing.
    """
    kind = check_scan(bytes(data))
    with database_proxy.atomic():
        prescription = records.get_record(Prescription, prescription_id, "prescription")
        replaced = _delete_scans(prescription_id)
        scan = PrescriptionScan.create(
            prescription=prescription,
            filename=stored_name(filename, kind, prescription_id),
            media_type=kind.media_type,
            data=bytes(data),
        )
        detail = f"prescription {prescription_id}" + (f"; replaces {replaced}" if replaced else "")
        audit.record("create", "prescription_scan", scan.id, actor, detail=detail)
    return scan


def _delete_scans(prescription_id: int) -> str:
    """Delete the prescription's scans; returns their ids as text ("" when none)."""
    ids = [
        scan.id
        for scan in PrescriptionScan.select(PrescriptionScan.id).where(
            PrescriptionScan.prescription == prescription_id
        )
    ]
    if ids:
        PrescriptionScan.delete().where(PrescriptionScan.id.in_(ids)).execute()
    return ", ".join(f"#{scan_id}" for scan_id in ids)


@needs(Can.READ_CLIENTS)
def current_scan(prescription_id: int) -> PrescriptionScan | None:
    """The prescription's scanned copy, if one is kept."""
    query = PrescriptionScan.select().where(PrescriptionScan.prescription == prescription_id)
    return query.order_by(PrescriptionScan.id.desc()).first()


@needs(Can.EDIT_PRESCRIPTIONS)
def remove_scan(prescription_id: int, actor: str = "") -> bool:
    """Remove the prescription's scanned copy; False when there was none."""
    with database_proxy.atomic():
        scan = current_scan(prescription_id)
        if scan is None:
            return False
        _delete_scans(prescription_id)
        audit.record(
            "delete", "prescription_scan", scan.id, actor, detail=f"prescription {prescription_id}"
        )
    return True
