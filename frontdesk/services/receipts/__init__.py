"""Receipts, superbills and year-end statements: drafted, checked, numbered, kept, reprinted.

Everything a screen or the command line needs is importable from here:

    draft = receipts.draft_receipt(client_id, payment_id=payment.id)
    draft.problems                       # what a plan or insurer would miss
    pdf = receipts.preview_pdf(draft)    # "Receipt no. assigned when printed"
    receipt = receipts.issue(draft)      # number taken and snapshot kept, before printing
    pdf = receipts.receipt_pdf(receipt.id)
    copy = receipts.duplicate_pdf(receipt.id)   # "DUPLICATE of receipt N"
"""

from frontdesk.services.receipts.choices import (
    PaymentChoice,
    VisitChoice,
    clients_with_activity,
    payment_choices,
    visit_choices,
)
from frontdesk.services.receipts.common import (
    FIXES,
    KIND_LABELS,
    KINDS,
    Draft,
    Problem,
    ReceiptRefused,
)
from frontdesk.services.receipts.drafting import (
    check,
    draft_receipt,
    draft_statement,
    draft_superbill,
    last_calendar_year,
    period_text,
    redraft,
)
from frontdesk.services.receipts.facts import client_of_payment
from frontdesk.services.receipts.issuing import (
    ReceiptRow,
    duplicate_pdf,
    get_receipt,
    issue,
    list_receipts,
    preview_pdf,
    receipt_pdf,
    render,
    snapshot_of,
)

__all__ = [
    "FIXES",
    "KINDS",
    "KIND_LABELS",
    "Draft",
    "PaymentChoice",
    "Problem",
    "ReceiptRefused",
    "ReceiptRow",
    "VisitChoice",
    "check",
    "client_of_payment",
    "clients_with_activity",
    "draft_receipt",
    "draft_statement",
    "draft_superbill",
    "duplicate_pdf",
    "get_receipt",
    "issue",
    "last_calendar_year",
    "list_receipts",
    "payment_choices",
    "period_text",
    "preview_pdf",
    "receipt_pdf",
    "redraft",
    "render",
    "snapshot_of",
    "visit_choices",
]
