"""Drafting the three documents: what each shows, its totals, and its completeness problems.

A draft is read from the database as it is now; nothing is written until it is issued.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from string import ascii_uppercase
from typing import Any

from frontdesk.access import Can, needs
from frontdesk.formatting import us_date
from frontdesk.models import Client, Visit
from frontdesk.services.receipts import completeness, facts
from frontdesk.services.receipts.common import (
    KIND_LABELS,
    LAYOUT,
    Draft,
    Problem,
    ReceiptRefused,
)
from frontdesk.services.visits import primary_coverage

PLACE_OF_SERVICE = {"code": "11", "label": "Office"}


def last_calendar_year(today: date | None = None) -> tuple[date, date]:
    """January 1 to December 31 of the year before `today` (a year-end statement's default)."""
    year = (today or date.today()).year - 1
    return date(year, 1, 1), date(year, 12, 31)


def period_text(start: date, end: date) -> str:
    """ "2025" for a whole calendar year, else "01/01/2025 to 06/30/2025" (one day: that day)."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return us_date(start) if start == end else f"{us_date(start)} to {us_date(end)}"


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ReceiptRefused(
            f"The period ends ({us_date(end)}) before it starts ({us_date(start)})."
        )


def _sum(parts: Sequence[dict[str, Any]], key: str) -> int:
    return sum(part[key] for part in parts)


def _content(
    kind: str, client: Client, title: str, amount_cents: int, request: dict[str, Any]
) -> dict[str, Any]:
    """What every document holds: who, what it is, and what it was asked for."""
    return {
        "layout": LAYOUT,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "title": title,
        "amount_cents": amount_cents,
        "request": request,
        "clinic": facts.clinic_part(),
        "client": facts.client_part(client),
        "number": None,  # given when issued
        "issued_on": None,
    }


def _title(kind: str, client: Client, when: str) -> str:
    return f"{KIND_LABELS[kind]} for {client.display_name}: {when}"


def _medical_parts(visits: Sequence[Visit], parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Who treated, who prescribed, and the diagnoses, in the order the visits hold them."""
    codes = {d["code"]: d for part in parts for d in part["diagnoses"]}
    return {
        "therapists": facts.therapist_parts(visits),
        "prescriptions": [facts.prescription_part(rx) for rx in facts.prescriptions_of(parts)],
        "diagnoses": list(codes.values()),
    }


def _draft(
    content: dict[str, Any],
    client: Client,
    visits: Sequence[Visit],
    extra: Sequence[Problem] = (),
) -> Draft:
    parts = content["visits"]
    problems = (*completeness.find_problems(client, visits, parts), *extra)
    return Draft(
        kind=content["kind"],
        client_id=client.id,
        title=content["title"],
        amount_cents=content["amount_cents"],
        content=content,
        problems=tuple(problems),
    )


# --- the HSA/FSA receipt ----------------------------------------------------------------------


def receipt_totals(
    parts: Sequence[dict[str, Any]], payments: Sequence[dict[str, Any]]
) -> dict[str, int]:
    """Charged, discounted, paid and owed on the visits; the eligible part and the tips apart."""
    net = _sum(parts, "charge_cents") - _sum(parts, "discount_cents")
    return {
        "charges_cents": _sum(parts, "charge_cents"),
        "discounts_cents": _sum(parts, "discount_cents"),
        "paid_cents": _sum(parts, "paid_cents"),
        "third_party_cents": sum(p["amount_cents"] for p in payments if p["third_party"]),
        "balance_cents": _sum(parts, "balance_cents"),
        "eligible_cents": _sum(parts, "eligible_cents"),
        "non_medical_cents": net - _sum(parts, "medical_cents"),
        "gratuity_cents": sum(p["gratuity_cents"] for p in payments),
    }


@needs(Can.ISSUE_RECEIPTS)
def draft_receipt(
    client_id: int, *, payment_id: int | None = None, visit_ids: Sequence[int] = ()
) -> Draft:
    """An HSA/FSA receipt for one payment (the visits it was put on) or for chosen visits.

    Refused (ReceiptRefused) without a payment or visits, for a refund, a void, a voided
    payment or one put on no visit, or for another client's visits. RecordMissing when the
    client is gone.
    """
    if (payment_id is None) == (not visit_ids):
        raise ReceiptRefused("Choose a payment, or the visits, to print a receipt for.")
    client = facts.get_client(client_id)
    if payment_id is not None:
        payment, visits = facts.paid_visits(payment_id, client_id)
        when = us_date(payment.received_on)
    else:
        visits = facts.chosen_visits(client_id, visit_ids)
        days = sorted(visit.starts_at.date() for visit in visits)
        when = period_text(days[0], days[-1])
    parts, payments = facts.gather_visits(visits)
    totals = receipt_totals(parts, payments)
    request = {"payment_id": payment_id, "visit_ids": sorted(v.id for v in visits)}
    title = _title("hsa_fsa", client, when)
    client_paid = totals["paid_cents"] - totals["third_party_cents"]
    content = _content("hsa_fsa", client, title, client_paid, request)
    content |= _medical_parts(visits, parts)
    content |= {
        "visits": parts,
        "payments": payments,
        "totals": totals,
        "paid_in_full": totals["balance_cents"] <= 0,
    }
    return _draft(content, client, visits)


# --- the superbill ----------------------------------------------------------------------------


def _letters(parts: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The diagnoses lettered A to L in the order the visits first hold them."""
    codes = dict.fromkeys(d["code"] for part in parts for d in part["diagnoses"])
    return dict(zip(codes, ascii_uppercase[: completeness.MAX_LETTERED], strict=False))


def _claim_lines(part: dict[str, Any], letters: dict[str, str]) -> dict[str, Any]:
    """A medical visit with only its medical lines, each pointing at its diagnoses' letters."""
    lines = [
        {**line, "pointers": "".join(letters.get(code, "") for code in line["diagnosis_codes"])}
        for line in part["lines"]
        if line["medical"]
    ]
    net = sum(line["charge_cents"] - line["discount_cents"] for line in lines)
    paid = min(part["paid_cents"], net)
    return {
        **part,
        "lines": lines,
        "charge_cents": sum(line["charge_cents"] for line in lines),
        "discount_cents": sum(line["discount_cents"] for line in lines),
        "paid_cents": paid,
        "balance_cents": net - paid,
    }


def _payers(client_id: int, parts: Sequence[dict[str, Any]], end: date) -> dict[str, Any]:
    """The coverage and injury cases the visits were under (else the client's primary one)."""
    coverage_ids = [p["coverage_id"] for p in parts if p["coverage_id"] is not None]
    if not coverage_ids:
        primary = primary_coverage(client_id, end)
        coverage_ids = [primary.id] if primary is not None else []
    case_ids = [p["case_id"] for p in parts if p["case_id"] is not None]
    return {"coverages": facts.coverage_parts(coverage_ids), "cases": facts.case_parts(case_ids)}


@needs(Can.ISSUE_RECEIPTS)
def draft_superbill(client_id: int, start: date, end: date) -> Draft:
    """A superbill of the client's medical visits from `start` to `end`, for a claim.

    Wellness visits and fees are left out (counted in `left_out`). Refused (ReceiptRefused)
    when the period holds no medical visit or ends before it starts.
    """
    _check_period(start, end)
    client = facts.get_client(client_id)
    visits = facts.visits_in_range(client_id, start, end)
    medical = [visit for visit in visits if facts.is_medical_visit(visit)]
    if not medical:
        raise ReceiptRefused(f"No medical visits from {us_date(start)} to {us_date(end)}.")
    gathered, _ = facts.gather_visits(medical)
    letters = _letters(gathered)
    parts = [_claim_lines(part, letters) for part in gathered]
    totals = {
        "charges_cents": _sum(parts, "charge_cents"),
        "discounts_cents": _sum(parts, "discount_cents"),
        "paid_cents": _sum(parts, "paid_cents"),
        "balance_cents": _sum(parts, "balance_cents"),
    }
    title = _title("superbill", client, period_text(start, end))
    request = {"start": start.isoformat(), "end": end.isoformat()}
    content = _content("superbill", client, title, totals["charges_cents"], request)
    content |= _medical_parts(medical, parts) | _payers(client_id, parts, end)
    content |= {
        "period": request,
        "place_of_service": PLACE_OF_SERVICE,
        "visits": parts,
        "letters": letters,
        "totals": totals,
        "left_out": len(visits) - len(medical),
    }
    codes = [d["code"] for d in content["diagnoses"]]
    return _draft(content, client, medical, completeness.lettering_problems(parts, codes))


# --- the year-end statement -------------------------------------------------------------------


def statement_totals(
    parts: Sequence[dict[str, Any]], entries: Sequence[dict[str, Any]]
) -> dict[str, int]:
    """The period's charges, discounts, payments and refunds (voids uncounted), tips apart."""
    counted = [entry for entry in entries if entry["counted"]]

    def entries_of(kind: str, key: str = "amount_cents") -> int:
        return sum(entry[key] for entry in counted if entry["kind"] == kind)

    charges, discounts = _sum(parts, "charge_cents"), _sum(parts, "discount_cents")
    paid, refunds = entries_of("payment"), entries_of("refund")
    return {
        "charges_cents": charges,
        "discounts_cents": discounts,
        "medical_cents": _sum(parts, "medical_cents"),
        "non_medical_cents": charges - discounts - _sum(parts, "medical_cents"),
        "paid_cents": paid,
        "refunds_cents": refunds,
        "balance_cents": charges - discounts - paid + refunds,
        "eligible_cents": _sum(parts, "eligible_cents"),
        "gratuity_cents": entries_of("payment", "gratuity_cents"),
    }


@needs(Can.ISSUE_RECEIPTS)
def draft_statement(client_id: int, start: date, end: date) -> Draft:
    """Every visit and ledger entry of the client from `start` to `end`, with totals.

    Refused (ReceiptRefused) when there is nothing in the period or it ends before it starts.
    """
    _check_period(start, end)
    client = facts.get_client(client_id)
    visits = facts.visits_in_range(client_id, start, end)
    parts, _ = facts.gather_visits(visits)
    entries = facts.ledger_parts(client_id, start, end)
    if not parts and not entries:
        raise ReceiptRefused(f"No visits or payments from {us_date(start)} to {us_date(end)}.")
    totals = statement_totals(parts, entries)
    title = _title("year_end", client, period_text(start, end))
    request = {"start": start.isoformat(), "end": end.isoformat()}
    paid = totals["paid_cents"] - totals["refunds_cents"]
    content = _content("year_end", client, title, paid, request)
    content |= _medical_parts(visits, parts)
    content |= {"period": request, "visits": parts, "entries": entries, "totals": totals}
    return _draft(content, client, visits)


# --- looking again ----------------------------------------------------------------------------


@needs(Can.ISSUE_RECEIPTS)
def redraft(draft: Draft) -> Draft:
    """The same document drafted again from the database as it is now."""
    request = draft.content["request"]
    if draft.kind == "hsa_fsa":
        if request["payment_id"] is not None:
            return draft_receipt(draft.client_id, payment_id=request["payment_id"])
        return draft_receipt(draft.client_id, visit_ids=request["visit_ids"])
    start, end = (date.fromisoformat(request[key]) for key in ("start", "end"))
    if draft.kind == "superbill":
        return draft_superbill(draft.client_id, start, end)
    return draft_statement(draft.client_id, start, end)


@needs(Can.ISSUE_RECEIPTS)
def check(draft: Draft) -> tuple[Problem, ...]:
    """The draft's completeness problems, found again in the database as it is now.

    Raises as drafting does when the document can no longer be made (its payment voided).
    """
    return redraft(draft).problems
