"""What every printed receipt, superbill and statement is: its kinds, a draft, its problems."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = (
    ("hsa_fsa", "HSA/FSA receipt"),
    ("superbill", "Superbill"),
    ("year_end", "Year-end statement"),
)
KIND_LABELS = dict(KINDS)
FIXES = ("clinic", "therapist", "client", "prescription", "visit")  # where a problem is fixed
LAYOUT = 1  # the snapshot's shape; a later layout keeps drawing older snapshots as they were


class ReceiptRefused(ValueError):
    """The document cannot be made (nothing to put on it, a voided payment, ...); says why."""


@dataclass(frozen=True)
class Problem:
    """One thing missing or wrong on a document, and where to fix it."""

    message: str  # e.g. "Diego Alvarez, LMT has no state license number."
    fix: str  # one of FIXES
    record_id: int | None  # the therapist / client / prescription / visit id; None for the clinic


@dataclass(frozen=True)
class Draft:
    """A document ready to preview and print, not numbered yet.

    `content` is everything the PDF shows, as plain JSON-ready data: once issued it is
    kept as the receipt's snapshot, and every copy is drawn from it alone.
    """

    kind: str
    client_id: int
    title: str  # e.g. "HSA/FSA receipt for Lee, Emily: 11/27/2026"
    amount_cents: int  # receipt: paid; superbill: charges; statement: paid (less refunds)
    content: dict[str, Any]
    problems: tuple[Problem, ...]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]
