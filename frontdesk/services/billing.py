"""Charges, payments and balances."""

from __future__ import annotations

from peewee import fn

from frontdesk.models import Payment, ServiceLine, Visit


def units_for_minutes(minutes: int) -> int:
    """Timed-code units by the 8-minute rule: 8-22 min = 1 unit, 23-37 = 2, ..."""
    if minutes < 8:
        return 0
    return (minutes - 8) // 15 + 1


def charges_cents(client_id: int) -> int:
    """What the client's visits were charged, after discounts."""
    total = (
        ServiceLine.select(fn.SUM(ServiceLine.charge_cents - ServiceLine.discount_cents))
        .join(Visit)
        .where(Visit.client == client_id)
        .scalar()
    )
    return total or 0


def payments_cents(client_id: int) -> int:
    """What the client has paid for services (gratuities apart)."""
    total = Payment.select(fn.SUM(Payment.amount_cents)).where(Payment.client == client_id).scalar()
    return total or 0


def balance_cents(client_id: int) -> int:
    """Positive: the client owes; negative: the client has a credit."""
    return charges_cents(client_id) - payments_cents(client_id)
