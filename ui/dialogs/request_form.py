"""Preview, print or save the prescription request form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from frontdesk.services.prescriptions.request import request_form
from frontdesk.storage_errors import StorageError
from ui.errors import refusal

if TYPE_CHECKING:
    from ui.pdf_view import PdfPreviewDialog

FILE_NAME = "prescription-request.pdf"


def show_request_form(
    parent: QWidget, client_id: int, prescription_id: int | None = None
) -> PdfPreviewDialog | str:
    """Open the request in the preview; returns the dialog, or why it could not be made."""
    from ui.pdf_view import PdfPreviewDialog  # pdfium loads when first needed

    try:
        pdf = request_form(client_id, prescription_id)
    except StorageError as error:
        return refusal("Could not make the request form", error)
    dialog = PdfPreviewDialog(pdf, "Prescription request", FILE_NAME, parent)
    dialog.open()
    return dialog
