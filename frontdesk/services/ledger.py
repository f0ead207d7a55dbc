"""The client's ledger: payments, their allocation to visits, voids, refunds and balances.

Nothing here is ever deleted or edited: a mistaken payment is voided, or money given
back is refunded, by a new entry with its reason. Amounts in cents. A gratuity is kept
apart from the payment for services and never counts towards a balance.

What a payment has left and what a visit still owes are read before writing; every
transaction takes the database's write lock when it begins (db.TRANSACTION_LOCK), so
two PCs cannot both read them and then both write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import JOIN, SQL, Expression, fn

from frontdesk import formatting, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, clean_all, using
from frontdesk.models import Payer, Payment, PaymentAllocation, ServiceLine, Visit, database_proxy
from frontdesk.services import client_records as parts
from frontdesk.services import payers, records
from frontdesk.validation import ErrorCollector

METHODS = (
    ("cash", "Cash"),
    ("check", "Check"),
    ("credit_card", "Credit card"),
    ("debit_card", "Debit card"),
    ("hsa_fsa_card", "HSA/FSA card"),
    ("insurer", "Insurer"),
    ("workers_comp", "Workers' comp carrier"),
    ("auto", "Auto carrier"),
    ("discount_program", "Discount program"),
)
OLDER_METHODS = {"card": "Card", "payer": "Payer"}  # written before schema 5
METHOD_LABELS = {**dict(METHODS), **OLDER_METHODS}
PAYER_KINDS = {  # a payment by one of these methods names a payer of one of these kinds
    "insurer": ("commercial", "government"),
    "workers_comp": ("workers_comp",),
    "auto": ("auto",),
    "discount_program": ("discount_program",),
}
KINDS = ("payment", "refund", "void")
KIND_LABELS = {"payment": "Payment", "refund": "Refund", "void": "Void"}


class LedgerRefused(ValueError):
    """A ledger entry or allocation that would break the books; the message says why."""


def _money_rule(name: str, label: str, hint: str) -> FieldRule:
    """An optional amount, typed in dollars and kept in cents (0 when left blank)."""
    return FieldRule(
        name,
        label,
        using(validation.money, required=False),
        empty=0,
        show=parts.amount_text,
        hint=hint,
    )


PAYMENT_RULES: tuple[FieldRule, ...] = (
    FieldRule(
        "method",
        "Method",
        using(validation.choice, options=dict(METHODS)),
        required=True,
        choices=METHODS,
    ),
    parts.date_rule("received_on", "Date received", required=True),
    _money_rule("amount_cents", "Amount", "e.g. 85.00"),
    _money_rule("gratuity_cents", "Gratuity", "a tip, apart from the payment"),
    FieldRule("reference", "Reference", parts.reference(), hint="check number, last 4 digits"),
    FieldRule("payer_id", "Payer", payers.payer_picker(), empty=None),
    FieldRule("notes", "Notes", parts.text(2000), multiline=True),
)
RULES_BY_NAME = {rule.name: rule for rule in PAYMENT_RULES}


# --- what counts ------------------------------------------------------------------------------


def _voiding() -> Any:
    """The void entries that cancel the entry in the outer query (found by its own index,
    without reading every void of every client)."""
    Void = Payment.alias()
    return Void.select(SQL("1")).where((Void.reverses == Payment.id) & (Void.kind == "void"))


def live(kind: str) -> Expression:
    """The condition for entries of `kind` that no void cancels."""
    return (Payment.kind == kind) & ~fn.EXISTS(_voiding())


def _sum(query: Any) -> int:
    return query.scalar() or 0


@dataclass(frozen=True)
class Balance:
    """A client's account: charges - discounts - payments (for services) + refunds."""

    charges_cents: int
    discounts_cents: int
    payments_cents: int
    refunds_cents: int

    @property
    def balance_cents(self) -> int:
        """Positive: the client owes it; negative: the client has it as a credit."""
        return self.charges_cents - self.discounts_cents - self.payments_cents + self.refunds_cents

    @property
    def owed_cents(self) -> int:
        return max(self.balance_cents, 0)

    @property
    def credit_cents(self) -> int:
        return max(-self.balance_cents, 0)


@needs(Can.TAKE_PAYMENTS)
def client_balance(client_id: int) -> Balance:
    """The client's account from every visit's charges and every ledger entry."""
    lines = (
        ServiceLine.select(fn.SUM(ServiceLine.charge_cents), fn.SUM(ServiceLine.discount_cents))
        .join(Visit)
        .where(Visit.client == client_id)
        .tuples()
        .first()
    )
    fees = _sum(Visit.select(fn.SUM(Visit.fee_cents)).where(Visit.client == client_id))
    paid = _live_totals(client_id)
    return Balance(
        charges_cents=(lines[0] or 0) + fees,
        discounts_cents=lines[1] or 0,
        payments_cents=paid.get("payment", 0),
        refunds_cents=paid.get("refund", 0),
    )


def _live_totals(client_id: int) -> dict[str, int]:
    """What the client's live payments and live refunds add up to, in one query."""
    query = (
        Payment.select(Payment.kind, fn.SUM(Payment.amount_cents))
        .where((Payment.client == client_id) & (live("payment") | live("refund")))
        .group_by(Payment.kind)
        .tuples()
    )
    return {kind: total or 0 for kind, total in query}


@needs(Can.TAKE_PAYMENTS)
def visit_charges(visit_ids: Iterable[int]) -> dict[int, int]:
    """What each visit costs after discounts, with any late-cancel or no-show fee."""
    wanted = list(visit_ids)
    net = fn.COALESCE(fn.SUM(ServiceLine.charge_cents - ServiceLine.discount_cents), 0)
    query = (
        Visit.select(Visit.id, Visit.fee_cents, net.alias("net"))
        .join(ServiceLine, JOIN.LEFT_OUTER)
        .where(Visit.id.in_(wanted))
        .group_by(Visit.id)
    )
    return {row.id: row.fee_cents + row.net for row in query}


def _allocated_to_visits(visit_ids: list[int]) -> dict[int, int]:
    query = (
        PaymentAllocation.select(
            PaymentAllocation.visit, fn.SUM(PaymentAllocation.amount_cents).alias("paid")
        )
        .join(Payment)
        .where(PaymentAllocation.visit.in_(visit_ids) & live("payment"))
        .group_by(PaymentAllocation.visit)
    )
    return {row.visit_id: row.paid for row in query}


@needs(Can.TAKE_PAYMENTS)
def open_charges(visit_ids: Iterable[int]) -> dict[int, int]:
    """What is still to pay on each visit: its charge less what live payments put on it."""
    wanted = list(visit_ids)
    paid = _allocated_to_visits(wanted)
    return {vid: charge - paid.get(vid, 0) for vid, charge in visit_charges(wanted).items()}


@needs(Can.TAKE_PAYMENTS)
def unapplied_cents(payment: Payment) -> int:
    """What of a live payment is neither allocated to a visit nor refunded."""
    allocated = _sum(
        PaymentAllocation.select(fn.SUM(PaymentAllocation.amount_cents)).where(
            PaymentAllocation.payment == payment.id
        )
    )
    refunded = _sum(
        Payment.select(fn.SUM(Payment.amount_cents)).where(
            (Payment.reverses == payment.id) & live("refund")
        )
    )
    return payment.amount_cents - allocated - refunded


# --- payments ---------------------------------------------------------------------------------


def validate_payment(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A payment form's clean values, or ValidationErrors naming every bad field.

    Something must be paid; an HSA/FSA card never pays a gratuity; a payment by an insurer,
    carrier or discount program names a payer of that kind.
    """
    errors = ErrorCollector()
    values = clean_all(PAYMENT_RULES, raw, errors=errors)
    if values["amount_cents"] == 0 and values["gratuity_cents"] == 0:
        errors.add("Amount", "type the amount paid, e.g. 85.00.")
    if values["method"] == "hsa_fsa_card" and values["gratuity_cents"]:
        errors.add("Gratuity", "an HSA/FSA card cannot pay a gratuity; take it by another method.")
    _check_payer(errors, values)
    errors.raise_if_any()
    return values


def _check_payer(errors: ErrorCollector, values: Mapping[str, Any]) -> None:
    kinds = PAYER_KINDS.get(values["method"] or "")
    if not kinds:
        return
    payer = Payer.get_or_none(Payer.id == values["payer_id"]) if values["payer_id"] else None
    if payer is None:
        errors.add("Payer", "choose who paid from the directory.")
    elif payer.kind not in kinds:
        errors.add("Payer", f"{payer.name} does not pay as {METHOD_LABELS[values['method']]}.")


@needs(Can.TAKE_PAYMENTS)
def record_payment(
    raw: Mapping[str, Any],
    client_id: int,
    *,
    allocations: Mapping[int, int] | None = None,
    actor: str = "",
) -> Payment:
    """Record a payment from raw form values and put it on visits ({visit id: cents}).

    One transaction: nothing is saved when a field is bad (ValidationErrors), an
    allocation is refused (LedgerRefused) or the client is gone (RecordMissing).
    """
    values = validate_payment(raw)
    with database_proxy.atomic():
        parts.get_client(client_id)
        payment = records.save_record(
            Payment,
            None,
            None,
            values,
            noun="payment",
            actor=actor,
            create_with={"client": client_id},
        )
        for visit_id, cents in (allocations or {}).items():
            allocate(payment.id, visit_id, cents, actor=actor)
    return payment


@needs(Can.TAKE_PAYMENTS)
def allocate(
    payment_id: int, visit_id: int, amount_cents: int, actor: str = ""
) -> PaymentAllocation:
    """Put part of a payment on a visit of the same client.

    Refused (LedgerRefused) beyond what the payment has left or what the visit still owes,
    or for an entry that is not a live payment.
    """
    with database_proxy.atomic():
        payment = records.get_record(Payment, payment_id, "payment")
        visit = records.get_record(Visit, visit_id, "visit")
        _check_allocation(payment, visit, amount_cents)
        return records.save_record(
            PaymentAllocation,
            None,
            None,
            {"payment": payment.id, "visit": visit.id, "amount_cents": amount_cents},
            noun="payment allocation",
            actor=actor,
        )


def _check_allocation(payment: Payment, visit: Visit, cents: int) -> None:
    _check_live_payment(payment)
    if visit.client_id != payment.client_id:
        raise LedgerRefused("This visit is another client's; a payment stays with its client.")
    if cents <= 0:
        raise LedgerRefused("Put an amount above $0.00 on the visit.")
    left = unapplied_cents(payment)
    if cents > left:
        raise LedgerRefused(
            f"This payment has only {formatting.money(left)} left to put on visits."
        )
    owed = open_charges([visit.id])[visit.id]
    if cents > owed:
        raise LedgerRefused(f"This visit has only {formatting.money(owed)} left to pay.")


def _check_live_payment(payment: Payment) -> None:
    if payment.kind != "payment":
        raise LedgerRefused(f"This entry is a {payment.kind}, not a payment.")
    if is_voided(payment.id):
        raise LedgerRefused("This payment was voided.")


@needs(Can.TAKE_PAYMENTS)
def is_voided(entry_id: int) -> bool:
    return (
        Payment.select().where((Payment.reverses == entry_id) & (Payment.kind == "void")).exists()
    )


# --- voids and refunds ------------------------------------------------------------------------


def _reason(text: str) -> str:
    return validation.required_text(text, "Reason", max_length=500)


def _reversal(
    original: Payment, kind: str, amount: int, reason: str, on: date, method: str
) -> dict:
    return {
        "client": original.client_id,
        "kind": kind,
        "reverses": original.id,
        "amount_cents": amount,
        "gratuity_cents": original.gratuity_cents if kind == "void" else 0,
        "method": method,
        "payer": original.payer_id,
        "received_on": on,
        "reason": reason,
    }


@needs(Can.TAKE_PAYMENTS)
def void_entry(entry_id: int, reason: str, *, on: date | None = None, actor: str = "") -> Payment:
    """Cancel a mistaken payment or refund by a void entry; its allocations stop counting.

    Refused (LedgerRefused) for a void, an entry voided already, or a payment with a live
    refund (void the refund first). ValidationError when no reason is given.
    """
    why = _reason(reason)
    with database_proxy.atomic():
        original = records.get_record(Payment, entry_id, "payment")
        if original.kind == "void" or is_voided(original.id):
            raise LedgerRefused("This entry is a void or was voided already.")
        refunds = Payment.select().where((Payment.reverses == original.id) & live("refund"))
        if refunds.exists():
            raise LedgerRefused("This payment was partly refunded: void the refund first.")
        values = _reversal(
            original, "void", original.amount_cents, why, on or date.today(), original.method
        )
        return records.save_record(Payment, None, None, values, noun="payment", actor=actor)


@needs(Can.TAKE_PAYMENTS)
def refund_payment(
    payment_id: int,
    amount_cents: int,
    reason: str,
    *,
    method: str | None = None,
    on: date | None = None,
    actor: str = "",
) -> Payment:
    """Give back part or all of what a payment left unapplied, by a refund entry.

    The refund goes back the way it came unless `method` says otherwise. Refused
    (LedgerRefused) beyond the payment's unapplied amount or for a voided payment.
    """
    why = _reason(reason)
    with database_proxy.atomic():
        payment = records.get_record(Payment, payment_id, "payment")
        _check_live_payment(payment)
        left = unapplied_cents(payment)
        if not 0 < amount_cents <= left:
            raise LedgerRefused(
                f"Refund from $0.01 up to {formatting.money(left)}, what this payment has not "
                "put on visits."
            )
        way = validation.choice(method, "Method", dict(METHODS)) if method else payment.method
        values = _reversal(payment, "refund", amount_cents, why, on or date.today(), way)
        return records.save_record(Payment, None, None, values, noun="payment", actor=actor)


def voided_ids(entries: Iterable[Payment]) -> set[int]:
    """The ids of the entries among `entries` that a void among them cancels."""
    return {entry.reverses_id for entry in entries if entry.kind == "void"}


@needs(Can.TAKE_PAYMENTS)
def client_entries(client_id: int) -> list[Payment]:
    """The client's ledger entries, oldest first."""
    return list(
        Payment.select()
        .where(Payment.client == client_id)
        .order_by(Payment.received_on, Payment.id)
    )
