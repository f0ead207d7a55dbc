"""Where a payment goes: the visits a client still owes on, and how an amount spreads over them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frontdesk.access import Can, needs
from frontdesk.models import Visit
from frontdesk.services import ledger


@dataclass(frozen=True)
class OwingVisit:
    visit_id: int
    starts_at: datetime
    owed_cents: int


@needs(Can.TAKE_PAYMENTS)
def owing_visits(client_id: int) -> list[OwingVisit]:
    """The client's visits with something still to pay, oldest first."""
    found = list(
        Visit.select(Visit.id, Visit.starts_at)
        .where(Visit.client == client_id)
        .order_by(Visit.starts_at, Visit.id)
    )
    owed = ledger.open_charges(visit.id for visit in found)
    return [
        OwingVisit(visit.id, visit.starts_at, owed[visit.id])
        for visit in found
        if owed[visit.id] > 0
    ]


def spread(amount_cents: int, owing: list[OwingVisit], first: int | None = None) -> dict[int, int]:
    """Put an amount on visits: the `first` visit, then the others oldest first.

    Each visit gets at most what it owes; what is left over is not put anywhere (it stays
    on the account as a credit). Returns {visit id: cents}, only visits that get something.
    """
    ordered = sorted(owing, key=lambda visit: visit.visit_id != first)  # stable: oldest first
    shares: dict[int, int] = {}
    left = amount_cents
    for visit in ordered:
        if left <= 0:
            break
        share = min(left, visit.owed_cents)
        shares[visit.visit_id] = share
        left -= share
    return shares
