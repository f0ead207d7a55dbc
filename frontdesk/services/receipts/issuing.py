"""Issuing documents: the next number, the snapshot kept of what was printed, copies of it.

A number is taken and committed with the snapshot before anything is printed, so a print
that fails still uses it up and no number is ever given twice. Every copy is drawn from
the snapshot alone: a reprint is the original, marked as a duplicate.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import reduce
from typing import Any

from peewee import fn

from frontdesk.access import Can, needs
from frontdesk.models import Client, ClinicProfile, Receipt, database_proxy
from frontdesk.services import audit, clinic, records
from frontdesk.services.receipts.common import KIND_LABELS, KINDS, Draft, ReceiptRefused
from frontdesk.services.receipts.drafting import redraft
from frontdesk.textsearch import fold, word_starts

LIST_LIMIT = 200
HEAD_LENGTH = 40  # the start of a snapshot, holding its amount
AMOUNT_FIRST = re.compile(r'\{"amount_cents":(-?\d+)[,}]')


def render(content: Mapping[str, Any], duplicate_of: int | None = None) -> bytes:
    """The document's PDF drawn from its content (a draft's, or a receipt's snapshot)."""
    from frontdesk.documents import receipt, statement, superbill  # reportlab, on first print

    draw = {
        "hsa_fsa": receipt.hsa_fsa_receipt_pdf,
        "superbill": superbill.superbill_pdf,
        "year_end": statement.statement_pdf,
    }[content["kind"]]
    return draw(_with_logo(content), duplicate_of=duplicate_of)


def _with_logo(content: Mapping[str, Any]) -> Mapping[str, Any]:
    """The content with the clinic's logo as it is now: a picture on the page, not a fact
    the document states, so it is not kept in every snapshot."""
    profile = clinic.clinic_profile()
    logo = profile.logo if profile is not None else None
    return {**content, "clinic": {**content["clinic"], "logo": logo}}


@needs(Can.ISSUE_RECEIPTS)
def preview_pdf(draft: Draft) -> bytes:
    """The draft as it will print, with "Receipt no. assigned when printed" for its number."""
    return render(draft.content)


def _take_number() -> int:
    """The clinic's next receipt number, marked as taken (inside a write transaction)."""
    profile = clinic.clinic_profile()
    if profile is None:
        raise ReceiptRefused("Set up the clinic's profile first (Settings, Clinic).")
    highest = Receipt.select(fn.MAX(Receipt.number)).scalar() or 0
    number = max(profile.next_receipt_number or 1, highest + 1)
    ClinicProfile.update(next_receipt_number=number + 1).where(
        ClinicProfile.id == profile.id
    ).execute()
    return number


def _snapshot_text(content: Mapping[str, Any]) -> str:
    """The snapshot as JSON, keys sorted: it starts with its amount (see `_amount`)."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@needs(Can.ISSUE_RECEIPTS)
def issue(draft: Draft, actor: str = "", *, today: date | None = None) -> Receipt:
    """Number the draft and keep exactly what it shows; audited as printed.

    The document is drafted again under the write lock, so it shows the payments and
    visits as they are when it is numbered (a preview may be older). The number is
    committed before the document is drawn: print it from `receipt_pdf`. RecordMissing
    when the client is gone; ReceiptRefused before the clinic is set up or when the
    document can no longer be made (its payment was voided meanwhile, say).
    """
    issued_on = today or date.today()
    with database_proxy.atomic():
        records.get_record(Client, draft.client_id, "client")
        draft = redraft(draft)
        number = _take_number()
        snapshot = {**draft.content, "number": number, "issued_on": issued_on.isoformat()}
        receipt = Receipt.create(
            number=number,
            kind=draft.kind,
            client=draft.client_id,
            issued_on=issued_on,
            snapshot=_snapshot_text(snapshot),
        )
        audit.record("print", "receipt", receipt.id, actor, f"{draft.kind_label} no. {number}")
    return receipt


@needs(Can.ISSUE_RECEIPTS)
def get_receipt(receipt_id: int) -> Receipt:
    return records.get_record(Receipt, receipt_id, "receipt")


def snapshot_of(receipt: Receipt) -> dict[str, Any]:
    """What was printed, as it was kept when the receipt was issued."""
    return json.loads(receipt.snapshot)


@needs(Can.ISSUE_RECEIPTS)
def receipt_pdf(receipt_id: int) -> bytes:
    """The original document, drawn from its snapshot only."""
    return render(snapshot_of(get_receipt(receipt_id)))


@needs(Can.ISSUE_RECEIPTS)
def duplicate_pdf(receipt_id: int, actor: str = "") -> bytes:
    """The original again, marked "DUPLICATE of receipt N" on every page; audited as a reprint."""
    receipt = get_receipt(receipt_id)
    pdf = render(snapshot_of(receipt), duplicate_of=receipt.number)
    with database_proxy.atomic():
        audit.record("reprint", "receipt", receipt.id, actor, f"no. {receipt.number}")
    return pdf


# --- the list of receipts issued --------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptRow:
    receipt_id: int
    number: int
    issued_on: date
    client_id: int
    client_name: str  # Last, First
    kind: str
    kind_label: str
    amount_cents: int


def _kinds_named(text: str) -> list[str]:
    """The kinds whose label has a word starting with each word typed ("hsa", "year end")."""
    typed = fold(text).split()
    return [
        kind
        for kind, label in KINDS
        if typed and all(any(w.startswith(t) for w in fold(label).split()) for t in typed)
    ]


def _search_condition(text: str) -> Any:
    """Receipts found by their number, their client's name or their kind's label."""
    found = []
    if text.lstrip("#").isdigit():
        found.append(Receipt.number == int(text.lstrip("#")))
    kinds = _kinds_named(text)
    if kinds:
        found.append(Receipt.kind.in_(kinds))
    starts = [Client.search_key.contains(start) for start in word_starts(text)]
    if starts:
        found.append(reduce(operator.and_, starts))
    return reduce(operator.or_, found) if found else None


def _amount(receipt: Receipt) -> int:
    """The amount a receipt is for, read from the start of its snapshot (the whole snapshot,
    a statement's hundreds of visits, is read only if it does not start with it)."""
    found = AMOUNT_FIRST.match(receipt.head)
    if found is not None:
        return int(found[1])
    return snapshot_of(get_receipt(receipt.id)).get("amount_cents", 0)


@needs(Can.ISSUE_RECEIPTS)
def list_receipts(search: str = "", limit: int = LIST_LIMIT) -> list[ReceiptRow]:
    """Receipts issued, newest first; `search` finds a number, a client's name or a kind."""
    head = fn.SUBSTR(Receipt.snapshot, 1, HEAD_LENGTH).alias("head")
    shown = (Receipt.id, Receipt.number, Receipt.issued_on, Receipt.client, Receipt.kind, head)
    names = (Client.id, Client.first_name, Client.last_name, Client.preferred_name)
    query = Receipt.select(*shown, *names).join(Client).order_by(Receipt.number.desc())
    if search.strip():
        condition = _search_condition(search.strip())
        if condition is None:
            return []
        query = query.where(condition)
    return [_row(receipt) for receipt in query.limit(limit)]


def _row(receipt: Receipt) -> ReceiptRow:
    return ReceiptRow(
        receipt_id=receipt.id,
        number=receipt.number,
        issued_on=receipt.issued_on,
        client_id=receipt.client_id,
        client_name=receipt.client.display_name,
        kind=receipt.kind,
        kind_label=KIND_LABELS.get(receipt.kind, receipt.kind),
        amount_cents=_amount(receipt),
    )
