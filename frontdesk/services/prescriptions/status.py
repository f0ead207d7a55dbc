"""Prescription dates and states: end dates, visits used against visits prescribed."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from peewee import Expression, ModelSelect, fn

from frontdesk import db
from frontdesk.access import Can, needs
from frontdesk.models import Prescription, Visit

ENDING_SOON_DAYS = 30  # "ending soon" when it ends within this many days...
FEW_VISITS_LEFT = 2  # ...or this many visits or fewer are left
NOT_COUNTED = ("cancelled", "no_show")  # every other visit on a prescription uses one treatment
USABLE_STATES = ("active", "ending_soon")
UNITS = ("week", "month")


def add_months(start: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def end_date_for(written_on: date, count: int, unit: str = "month") -> date:
    """The last day a prescription for `count` weeks or months covers.

    It is the day before the same date `count` months later; when that month has no
    such date (written on Jan 31 for 1 month), it is that month's last day (Feb 28).
    """
    if unit == "week":
        return written_on + timedelta(days=7 * count - 1)
    if unit != "month":
        raise ValueError(f"unknown duration unit {unit!r}")
    same_date_later = add_months(written_on, count)
    if same_date_later.day < written_on.day:
        return same_date_later
    return same_date_later - timedelta(days=1)


@dataclass(frozen=True)
class PrescriptionStatus:
    prescription_id: int
    end_date: date
    visits_prescribed: int
    visits_used: int
    state: str  # not_started / active / ending_soon / used_up / expired

    @property
    def visits_left(self) -> int:
        return max(self.visits_prescribed - self.visits_used, 0)

    @property
    def usage(self) -> str:
        return f"{self.visits_used} of {self.visits_prescribed} visits"

    @property
    def label(self) -> str:
        return {
            "not_started": "Not started yet",
            "active": f"Active, {self.usage}",
            "ending_soon": f"Ending soon, {self.usage}",
            "used_up": f"Used up, {self.usage}",
            "expired": "Expired",
        }[self.state]


def state_on(day: date, written_on: date, end: date, prescribed: int, used: int) -> str:
    """The state of a prescription on `day`, with `used` visits used by then."""
    if day < written_on:
        return "not_started"
    if day > end:
        return "expired"
    if used >= prescribed:
        return "used_up"
    near_end = (end - day).days <= ENDING_SOON_DAYS
    if near_end or prescribed - used <= FEW_VISITS_LEFT:
        return "ending_soon"
    return "active"


def counted_visits() -> Expression:
    """The condition for a visit that uses a treatment (not cancelled, not a no-show)."""
    return Visit.status.not_in(NOT_COUNTED)


def _dated_through(day: date) -> Expression:
    """The condition for a visit dated on `day` or before."""
    return Visit.starts_at < datetime.combine(day + timedelta(days=1), time.min)


@needs(Can.READ_CLIENTS)
def visits_used(
    prescription_ids: Iterable[int], through: date | None = None, exclude_visit: int | None = None
) -> dict[int, int]:
    """Visits used on each prescription: all booked ones, or those dated `through` a day."""
    condition = db.among(Visit.prescription, prescription_ids) & counted_visits()
    if through is not None:
        condition &= _dated_through(through)
    if exclude_visit is not None:
        condition &= Visit.id != exclude_visit
    query = (
        Visit.select(Visit.prescription, fn.COUNT(Visit.id).alias("used"))
        .where(condition)
        .group_by(Visit.prescription)
    )
    return {row.prescription_id: row.used for row in query}


@needs(Can.READ_CLIENTS)
def status_of(prescription: Prescription, today: date | None = None) -> PrescriptionStatus:
    """Visits used, left and the state on `today` (any date; visits dated after it not counted)."""
    return statuses([prescription], today or date.today())[prescription.id]


@needs(Can.READ_CLIENTS)
def statuses(prescriptions: list[Prescription], today: date) -> dict[int, PrescriptionStatus]:
    """The status of each prescription on `today`, by prescription id."""
    used = visits_used((p.id for p in prescriptions), through=today)
    return {p.id: _status(p, used.get(p.id, 0), today) for p in prescriptions}


def _status(prescription: Prescription, used: int, today: date) -> PrescriptionStatus:
    p = prescription
    return PrescriptionStatus(
        prescription_id=p.id,
        end_date=p.end_date,
        visits_prescribed=p.treatments_prescribed,
        visits_used=used,
        state=state_on(today, p.written_on, p.end_date, p.treatments_prescribed, used),
    )


def newest_first(query: ModelSelect) -> ModelSelect:
    """Order prescriptions newest written first (the later-entered first on the same day)."""
    return query.order_by(Prescription.written_on.desc(), Prescription.id.desc())


@needs(Can.READ_CLIENTS)
def latest_status_by_client(
    client_ids: list[int], today: date | None = None
) -> dict[int, PrescriptionStatus]:
    """Each client's current prescription: the newest one still usable, else the newest."""
    if not client_ids:
        return {}
    today = today or date.today()
    used = (  # counted in the same statement: the list asks this for up to 200 clients
        Visit.select(fn.COUNT(Visit.id))
        .where((Visit.prescription == Prescription.id) & counted_visits() & _dated_through(today))
        .alias("used")
    )
    columns = (
        Prescription.id,
        Prescription.client,
        Prescription.written_on,
        Prescription.end_date,
        Prescription.treatments_prescribed,
        used,
    )
    prescriptions = list(
        newest_first(Prescription.select(*columns).where(db.among(Prescription.client, client_ids)))
    )
    current: dict[int, PrescriptionStatus] = {}
    for prescription in prescriptions:
        status = _status(prescription, prescription.used, today)
        chosen = current.get(prescription.client_id)
        usable = status.state in USABLE_STATES
        if chosen is None or (usable and chosen.state not in USABLE_STATES):
            current[prescription.client_id] = status
    return current


@needs(Can.READ_CLIENTS)
def current_prescription(client_id: int, today: date | None = None) -> Prescription | None:
    status = latest_status_by_client([client_id], today).get(client_id)
    return Prescription.get_by_id(status.prescription_id) if status else None
