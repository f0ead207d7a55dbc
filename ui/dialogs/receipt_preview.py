"""A receipt's preview: numbered only when it is printed or saved, so numbers never skip back."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.models import Receipt
from frontdesk.services import receipts
from frontdesk.storage_errors import StorageError
from ui.errors import refusal
from ui.pdf_view import PdfPreviewDialog


class ReceiptPreviewDialog(PdfPreviewDialog):
    """Shows the draft; Print or Save as PDF first issues it (its number is then taken,
    even if the printer fails) and puts out the numbered document."""

    def __init__(self, draft: receipts.Draft, parent: QWidget | None = None, **options) -> None:
        super().__init__(
            receipts.preview_pdf(draft), draft.title, _file_name(draft), parent, **options
        )
        self.draft = draft
        self.receipt: Receipt | None = None
        problems = [problem.message for problem in draft.problems]
        if problems:
            self._say("Printed with gaps: " + "; ".join(problems), problem=True)

    def output_bytes(self) -> bytes | None:
        if self.receipt is None:
            try:
                self.receipt = receipts.issue(self.draft)
            except receipts.ReceiptRefused as refused:
                self._say(f"Not printed: {refused}", problem=True)
                return None
            except StorageError as error:
                self._say(refusal("Not numbered", error), problem=True)
                return None
            self.pdf_bytes = receipts.receipt_pdf(self.receipt.id)
            self.setWindowTitle(f"{self.draft.title}: receipt no. {self.receipt.number}")
            self.pages.show_pdf(self.pdf_bytes)
        return self.pdf_bytes


def _file_name(draft: receipts.Draft) -> str:
    kind = receipts.KIND_LABELS[draft.kind].lower().replace("/", "-").replace(" ", "-")
    return f"{kind}.pdf"
