"""Prescriptions: end dates, visits used against visits prescribed, warnings."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from peewee import fn

from frontdesk.models import Prescription, Visit

ENDING_SOON_DAYS = 14
FEW_VISITS_LEFT = 2
COUNTED_STATUSES = ("completed", "scheduled")


def add_months(start: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def end_date_for(written_on: date, duration_months: int) -> date:
    """The last day a prescription covers."""
    return add_months(written_on, duration_months) - timedelta(days=1)


@dataclass(frozen=True)
class PrescriptionStatus:
    prescription_id: int
    end_date: date
    visits_prescribed: int
    visits_used: int
    state: str  # active / ending_soon / used_up / expired

    @property
    def visits_left(self) -> int:
        return max(self.visits_prescribed - self.visits_used, 0)

    @property
    def label(self) -> str:
        used = f"{self.visits_used} of {self.visits_prescribed} visits"
        return {
            "active": f"Active, {used}",
            "ending_soon": f"Ending soon, {used}",
            "used_up": f"Used up, {used}",
            "expired": "Expired",
        }[self.state]


def _state(end: date, prescribed: int, used: int, today: date) -> str:
    if today > end:
        return "expired"
    if used >= prescribed:
        return "used_up"
    near_end = (end - today).days <= ENDING_SOON_DAYS
    if near_end or prescribed - used <= FEW_VISITS_LEFT:
        return "ending_soon"
    return "active"


def _visits_used(prescription_ids: Iterable[int]) -> dict[int, int]:
    query = (
        Visit.select(Visit.prescription, fn.COUNT(Visit.id).alias("used"))
        .where(Visit.prescription.in_(list(prescription_ids)) & Visit.status.in_(COUNTED_STATUSES))
        .group_by(Visit.prescription)
    )
    return {row.prescription_id: row.used for row in query}


def status_of(prescription: Prescription, today: date | None = None) -> PrescriptionStatus:
    return _statuses([prescription], today or date.today())[prescription.id]


def _statuses(prescriptions: list[Prescription], today: date) -> dict[int, PrescriptionStatus]:
    used = _visits_used(p.id for p in prescriptions)
    return {
        p.id: PrescriptionStatus(
            prescription_id=p.id,
            end_date=p.end_date,
            visits_prescribed=p.treatments_prescribed,
            visits_used=used.get(p.id, 0),
            state=_state(p.end_date, p.treatments_prescribed, used.get(p.id, 0), today),
        )
        for p in prescriptions
    }


def latest_status_by_client(
    client_ids: list[int], today: date | None = None
) -> dict[int, PrescriptionStatus]:
    """Each client's current prescription: the newest one still usable, else the newest."""
    if not client_ids:
        return {}
    today = today or date.today()
    prescriptions = list(
        Prescription.select()
        .where(Prescription.client.in_(client_ids))
        .order_by(Prescription.written_on.desc(), Prescription.id.desc())
    )
    statuses = _statuses(prescriptions, today)
    current: dict[int, PrescriptionStatus] = {}
    for prescription in prescriptions:
        status = statuses[prescription.id]
        chosen = current.get(prescription.client_id)
        usable = status.state in ("active", "ending_soon")
        if chosen is None or (usable and chosen.state not in ("active", "ending_soon")):
            current[prescription.client_id] = status
    return current


def current_prescription(client_id: int, today: date | None = None) -> Prescription | None:
    status = latest_status_by_client([client_id], today).get(client_id)
    return Prescription.get_by_id(status.prescription_id) if status else None
