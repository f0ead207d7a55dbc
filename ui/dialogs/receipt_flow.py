"""From a document's draft to paper: the completeness check, fixes, the preview, printing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from frontdesk.services import receipts
from frontdesk.services.receipts import Draft, Problem
from frontdesk.storage_errors import StorageError
from ui.dialogs.clinic_records import clinic_profile_dialog, therapist_dialog
from ui.dialogs.receipt_check import CompletenessDialog
from ui.dialogs.receipt_preview import ReceiptPreviewDialog
from ui.errors import refusal

CANNOT_MAKE = "Cannot make the document"
FIXED_HERE = {"clinic", "therapist"}  # fixed in a window of their own, then checked again


def print_document(parent: QWidget, make_draft: Callable[[], Draft]) -> Problem | None:
    """Check the draft, let the person fix or print anyway, then preview and print.

    A problem fixed in a window of its own (the clinic, a therapist) is checked again here;
    any other problem chosen for fixing is returned for the caller to open its place.
    """
    while True:
        try:
            draft = make_draft()
        except receipts.ReceiptRefused as refused:
            QMessageBox.warning(parent, CANNOT_MAKE, str(refused))
            return None
        except StorageError as error:
            QMessageBox.warning(parent, CANNOT_MAKE, refusal("Not made", error))
            return None
        if not draft.problems:
            break
        check = CompletenessDialog(draft.problems, parent)
        if check.exec() == QDialog.DialogCode.Accepted:
            break
        if check.fix is None:
            return None
        if check.fix.fix not in FIXED_HERE:
            return check.fix
        _fix_here(parent, check.fix)
    ReceiptPreviewDialog(draft, parent).exec()
    return None


def _fix_here(parent: QWidget, problem: Problem) -> None:
    if problem.fix == "clinic":
        clinic_profile_dialog(parent).exec()
    elif problem.record_id is not None:
        therapist_dialog(problem.record_id, parent).exec()
