"""What a new document can be made of: a client's payments and visits, clients with activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from frontdesk import formatting
from frontdesk.access import Can, needs
from frontdesk.models import Payment, PaymentAllocation, Visit
from frontdesk.services import ledger
from frontdesk.services.receipts import facts

CHOICE_LIMIT = 200


@dataclass(frozen=True)
class PaymentChoice:
    payment_id: int
    received_on: date
    label: str  # "11/27/2026 · Credit card 4242 · $100.00 + $20.00 gratuity"
    amount_cents: int


@dataclass(frozen=True)
class VisitChoice:
    visit_id: int
    day: date
    label: str  # "11/27/2026 · 60 min · Medical (prescribed) · $140.00"
    medical: bool
    charge_cents: int  # after discounts, fees included


@needs(Can.ISSUE_RECEIPTS)
def payment_choices(client_id: int, limit: int = CHOICE_LIMIT) -> list[PaymentChoice]:
    """The client's live payments that were put on visits, newest first."""
    on_visits = PaymentAllocation.select(PaymentAllocation.payment)
    query = (
        Payment.select()
        .where((Payment.client == client_id) & ledger.live("payment") & Payment.id.in_(on_visits))
        .order_by(Payment.received_on.desc(), Payment.id.desc())
        .limit(limit)
    )
    return [_payment_choice(payment) for payment in query]


def _payment_choice(payment: Payment) -> PaymentChoice:
    method = ledger.METHOD_LABELS.get(payment.method, payment.method)
    paid = formatting.money(payment.amount_cents)
    if payment.gratuity_cents:
        paid += f" + {formatting.money(payment.gratuity_cents)} gratuity"
    parts = [formatting.us_date(payment.received_on), f"{method} {payment.reference}".strip(), paid]
    return PaymentChoice(payment.id, payment.received_on, " · ".join(parts), payment.amount_cents)


@needs(Can.ISSUE_RECEIPTS)
def visit_choices(client_id: int, limit: int = CHOICE_LIMIT) -> list[VisitChoice]:
    """The client's charged visits (treated, or with a fee), newest first."""
    query = (
        Visit.select()
        .where((Visit.client == client_id) & facts.billed())
        .order_by(Visit.starts_at.desc(), Visit.id.desc())
        .limit(limit)
    )
    found = list(query)
    charges = ledger.visit_charges(visit.id for visit in found)
    return [_visit_choice(visit, charges[visit.id]) for visit in found]


def _visit_choice(visit: Visit, charge_cents: int) -> VisitChoice:
    medical = facts.is_medical_visit(visit)
    day = visit.starts_at.date()
    care = facts.care_label(visit, medical)
    parts = [formatting.us_date(day), f"{visit.minutes} min", care, formatting.money(charge_cents)]
    return VisitChoice(visit.id, day, " · ".join(parts), medical, charge_cents)


@needs(Can.ISSUE_RECEIPTS)
def clients_with_activity(start: date, end: date) -> list[int]:
    """Clients with a charged visit or a ledger entry from `start` to `end`, by id."""
    visited = Visit.select(Visit.client).where(facts.dated(start, end) & facts.billed())
    paid = Payment.select(Payment.client).where(Payment.received_on.between(start, end))
    ids = {row.client_id for row in visited} | {row.client_id for row in paid}
    return sorted(ids)
