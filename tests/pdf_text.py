"""The text a PDF holds, read back with pdfium, for tests that check what a document says."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext

import pypdfium2 as pdfium


def _pdfium_lock() -> AbstractContextManager:
    """The preview's lock on pdfium, which is not thread-safe, while a preview may be rendering
    pages in a worker thread (only once ui.pdf_view is loaded; core tests never load Qt)."""
    view = sys.modules.get("ui.pdf_view")
    return view.PDFIUM_LOCK if view is not None else nullcontext()


def pdf_text(pdf: bytes) -> str:
    """Every page's text, the pages joined by a space."""
    with _pdfium_lock():
        document = pdfium.PdfDocument(pdf)
        try:
            return " ".join(page.get_textpage().get_text_range() for page in document)
        finally:
            document.close()
