"""Charges, payments and balances in short (the ledger and the fee schedule hold the rules)."""

from __future__ import annotations

from frontdesk.access import Can, needs
from frontdesk.services import fees, ledger


def units_for_minutes(minutes: int) -> int:
    """Timed-code units by the 8-minute rule: 8-22 min = 1 unit, 23-37 = 2, ..."""
    return fees.units_for(minutes)


@needs(Can.TAKE_PAYMENTS)
def charges_cents(client_id: int) -> int:
    """What the client's visits were charged, after discounts (fees included)."""
    account = ledger.client_balance(client_id)
    return account.charges_cents - account.discounts_cents


@needs(Can.TAKE_PAYMENTS)
def payments_cents(client_id: int) -> int:
    """What the client has paid for services and not had back (gratuities apart)."""
    account = ledger.client_balance(client_id)
    return account.payments_cents - account.refunds_cents


@needs(Can.TAKE_PAYMENTS)
def balance_cents(client_id: int) -> int:
    """Positive: the client owes; negative: the client has a credit."""
    return ledger.client_balance(client_id).balance_cents
