"""Visits: booking, check-in, completion, no-shows, cancellations, wellness; the day sheet.

Every change is versioned and audited through `records`: a screen passes back the
version it opened and a change based on an old copy is refused (RecordChanged).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from frontdesk import access, catalog, formatting, validation
from frontdesk.access import Can, needs
from frontdesk.models import (
    Client,
    Coverage,
    InjuryCase,
    Payer,
    Prescription,
    Therapist,
    Visit,
    database_proxy,
)
from frontdesk.services import fees, ledger, payers, records
from frontdesk.services.prescriptions.status import NOT_COUNTED, statuses
from frontdesk.services.prescriptions.tracking import (
    VisitWarning,
    check_visit,
    prescription_for_visit,
)
from frontdesk.validation import ValidationError

log = logging.getLogger(__name__)

STATUSES = (
    ("scheduled", "Scheduled"),
    ("checked_in", "Checked in"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("no_show", "No-show"),
)
STATUS_LABELS = dict(STATUSES)
OPEN_STATUSES = ("scheduled", "checked_in")  # may still be checked in, completed, cancelled
MAX_MINUTES = 480
NOTE_TEXT_FIELDS = ("subjective", "objective", "assessment", "plan")  # the SOAP note's text
PAIN_FIELDS = ("pain_before", "pain_after")
NOTES_WITHHELD = "Treatment notes are not shown to front-desk logins."
DEFAULT = "default"  # book_visit: pick the client's prescription / case / coverage
Pick = int | None | Literal["default"]


class VisitRefused(ValueError):
    """The visit cannot change this way (its status, a signed note, a missing reason)."""


class DoubleBooking(VisitRefused):
    """The therapist already has a visit at that time; `visit_id` is that visit."""

    def __init__(self, message: str, visit_id: int) -> None:
        super().__init__(message)
        self.visit_id = visit_id


@dataclass(frozen=True)
class Booking:
    """A booked visit and what its prescription check warns of (warnings never stop it)."""

    visit: Visit
    warnings: tuple[VisitWarning, ...]


@needs(Can.READ_CLIENTS)
def get_visit(visit_id: int) -> Visit:
    """The visit; its note's text and pain scores left blank for a login that may not read
    treatment notes (whether it is signed still shows)."""
    visit = _visit(visit_id)
    return visit if access.may(Can.READ_NOTES) else without_note(visit)


def _visit(visit_id: int) -> Visit:
    return records.get_record(Visit, visit_id, "visit")


def without_note(visit: Visit) -> Visit:
    """The visit as it is, but with the note's text and pain scores blanked (not saved)."""
    for name in NOTE_TEXT_FIELDS:
        visit.__data__[name] = ""
    for name in PAIN_FIELDS:
        visit.__data__[name] = None
    visit.note_withheld = True
    return visit


# --- booking --------------------------------------------------------------------------------


def _ends_at(starts_at: datetime, minutes: int) -> datetime:
    return starts_at + timedelta(minutes=minutes)


@needs(Can.BOOK_VISITS)
def overlapping_visit(
    therapist_id: int, starts_at: datetime, minutes: int, exclude: int | None = None
) -> Visit | None:
    """The therapist's visit (not cancelled, not a no-show) that overlaps the time, if any."""
    ends_at = _ends_at(starts_at, minutes)
    query = Visit.select().where(
        (Visit.therapist == therapist_id)
        & Visit.status.not_in(NOT_COUNTED)
        & (Visit.starts_at < ends_at)
        & (Visit.starts_at > starts_at - timedelta(minutes=MAX_MINUTES))
    )
    if exclude is not None:
        query = query.where(Visit.id != exclude)
    for visit in query.order_by(Visit.starts_at):
        if _ends_at(visit.starts_at, visit.minutes) > starts_at:
            return visit
    return None


def _refuse_double_booking(therapist: Therapist, starts_at: datetime, minutes: int) -> None:
    other = overlapping_visit(therapist.id, starts_at, minutes)
    if other is None:
        return
    ends = _ends_at(other.starts_at, other.minutes)
    raise DoubleBooking(
        f"{therapist.display_name} already has a visit from {formatting.clock(other.starts_at)} to "
        f"{formatting.clock(ends)} on {formatting.us_date(other.starts_at.date())} "
        f"({other.client.display_name}); choose another time or therapist.",
        other.id,
    )


def _minutes(minutes: int) -> int:
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError("Minutes", f"type the session length from 1 to {MAX_MINUTES}.")
    return minutes


def _own(model: type[Any], record_id: int | None, client_id: int, noun: str) -> int | None:
    """The id of a record of this client (None stays None); another client's is refused."""
    if record_id is None:
        return None
    record = records.get_record(model, record_id, noun)
    if record.client_id != client_id:
        raise VisitRefused(f"This {noun} belongs to another client.")
    return record.id


@needs(Can.READ_CLIENTS)
def primary_coverage(client_id: int, day: date) -> Coverage | None:
    """The client's first coverage in order that is in effect on `day`."""
    return (
        Coverage.select()
        .where(
            (Coverage.client == client_id)
            & (Coverage.starts_on.is_null() | (Coverage.starts_on <= day))
            & (Coverage.ends_on.is_null() | (Coverage.ends_on >= day))
        )
        .order_by(Coverage.priority, Coverage.id)
        .first()
    )


def _links(client_id: int, day: date, prescription: Pick, case: Pick, coverage: Pick) -> dict:
    """The visit's prescription, case and coverage: given, or the client's for the day."""
    if prescription == DEFAULT:
        found = prescription_for_visit(client_id, day)
        prescription = found.id if found else None
    rx_id = _own(Prescription, prescription, client_id, "prescription")
    if case == DEFAULT:
        case = Prescription.get_by_id(rx_id).injury_case_id if rx_id else None
    if coverage == DEFAULT:
        found_coverage = primary_coverage(client_id, day)
        coverage = found_coverage.id if found_coverage else None
    return {
        "prescription": rx_id,
        "injury_case": _own(InjuryCase, case, client_id, "injury case"),
        "coverage": _own(Coverage, coverage, client_id, "coverage"),
    }


@needs(Can.BOOK_VISITS)
def book_visit(
    client_id: int,
    therapist_id: int,
    starts_at: datetime,
    minutes: int,
    *,
    prescription_id: Pick = DEFAULT,
    case_id: Pick = DEFAULT,
    coverage_id: Pick = DEFAULT,
    wellness_reason: str = "",
    body_areas: Iterable[str] = (),
    actor: str = "",
) -> Booking:
    """Book a visit; by default under the client's prescription for the day, with the
    prescription's injury case and the client's primary coverage in effect that day.

    With `wellness_reason`, the visit is wellness (non-medical) care from the start: no
    prescription or case, never counted, never printed as medical, and no warnings.
    `body_areas` are the areas to treat (they start the treatment note's list).
    Refused: DoubleBooking when the therapist is busy then, VisitRefused for an inactive
    therapist or another client's record, ValidationError for the minutes or the reason,
    RecordMissing.
    """
    _minutes(minutes)
    wellness = _wellness(wellness_reason)
    areas = catalog.checked_keys(body_areas, catalog.body_areas(), "Body areas")
    day = starts_at.date()
    with database_proxy.atomic():
        records.get_record(Client, client_id, "client")
        therapist = records.get_record(Therapist, therapist_id, "therapist")
        if not therapist.active:
            raise VisitRefused(f"{therapist.display_name} is no longer active; choose another.")
        links = _links(client_id, day, prescription_id, case_id, coverage_id) | wellness
        _refuse_double_booking(therapist, starts_at, minutes)
        values = {
            "starts_at": starts_at.replace(microsecond=0),
            "minutes": minutes,
            "body_areas": areas,
            **links,
        }
        visit = records.save_record(
            Visit,
            None,
            None,
            values,
            noun="visit",
            actor=actor,
            create_with={"client": client_id, "therapist": therapist.id},
        )
        if wellness:
            return Booking(visit, [])
        check = check_visit(
            client_id, day, areas, prescription_id=links["prescription"], visit_id=visit.id
        )
    return Booking(visit, check.warnings)


def _wellness(reason: str) -> dict[str, Any]:
    """The columns of a visit booked as wellness care (none when no reason is given)."""
    if not reason.strip():
        return {}
    why = validation.required_text(reason, "Reason for wellness care", max_length=500)
    return {"wellness": True, "wellness_reason": why, "prescription": None, "injury_case": None}


# --- changes of status ------------------------------------------------------------------------


def _change(visit: Visit, version: int, values: dict[str, Any], actor: str) -> Visit:
    return records.update_record(
        Visit, visit.id, version, values, entity="visit", noun="visit", actor=actor
    )


def _open_visit(visit_id: int, doing: str) -> Visit:
    visit = _visit(visit_id)
    if visit.status not in OPEN_STATUSES:
        label = STATUS_LABELS.get(visit.status, visit.status).lower()
        raise VisitRefused(f"This visit is {label}; it cannot be {doing}.")
    return visit


@needs(Can.BOOK_VISITS)
def check_in(visit_id: int, version: int, *, wellness_reason: str = "", actor: str = "") -> Visit:
    """The client has arrived. Refused (VisitRefused) unless the visit is scheduled.

    With `wellness_reason`, the visit is recorded as wellness care as it is checked in
    (one change: both or neither).
    """
    with database_proxy.atomic():
        visit = _visit(visit_id)
        if visit.status != "scheduled":
            raise VisitRefused("Only a scheduled visit can be checked in.")
        if wellness_reason.strip():
            visit = record_as_wellness(visit_id, version, wellness_reason, actor)
            version = visit.version
        return _change(visit, version, {"status": "checked_in"}, actor)


@needs(Can.BOOK_VISITS)
def complete_visit(
    visit_id: int,
    version: int,
    *,
    courtesy_cents: int = 0,
    courtesy_reason: str = "",
    discount_percent: int | None = None,
    actor: str = "",
) -> Visit:
    """The treatment was given: mark it completed and charge it at the day's prices.

    Discounts: the discount program's rate (or `discount_percent`) and a courtesy
    discount with its reason (ValidationError without one).
    """
    with database_proxy.atomic():
        visit = _open_visit(visit_id, "completed")
        completed = _change(visit, version, {"status": "completed"}, actor)
        fees.charge_visit(
            completed,
            courtesy_cents=courtesy_cents,
            courtesy_reason=courtesy_reason,
            discount_percent=discount_percent,
        )
        return completed


def _fee(cents: int) -> int:
    if not 0 <= cents <= validation.MAX_CENTS:
        raise ValidationError("Fee", "type an amount of $0.00 or more.")
    return cents


def _end_without_treatment(
    visit_id: int, version: int, status: str, fee_cents: int, reason: str, actor: str
) -> Visit:
    with database_proxy.atomic():
        visit = _open_visit(visit_id, STATUS_LABELS[status].lower())
        if visit.signed_at is not None:
            raise VisitRefused("This visit has a signed treatment note; it was not missed.")
        values = {"status": status, "fee_cents": _fee(fee_cents), "status_reason": reason.strip()}
        return _change(visit, version, values, actor)


@needs(Can.BOOK_VISITS)
def cancel_visit(
    visit_id: int, version: int, *, fee_cents: int = 0, reason: str = "", actor: str = ""
) -> Visit:
    """Cancel a visit, with a late-cancel fee if any: without one it costs nothing.

    A cancelled visit never counts against a prescription or a coverage's visits.
    """
    return _end_without_treatment(visit_id, version, "cancelled", fee_cents, reason, actor)


@needs(Can.BOOK_VISITS)
def mark_no_show(
    visit_id: int, version: int, *, fee_cents: int = 0, reason: str = "", actor: str = ""
) -> Visit:
    """The client did not come; a no-show fee if the clinic charges one."""
    return _end_without_treatment(visit_id, version, "no_show", fee_cents, reason, actor)


@needs(Can.BOOK_VISITS)
def record_as_wellness(visit_id: int, version: int, reason: str, actor: str = "") -> Visit:
    """Record a visit as a wellness (non-medical) service, with the reason why.

    It leaves its prescription and injury case, so it never counts against a prescription
    and never prints as medical. Only before it is charged (scheduled or checked in).
    """
    why = validation.required_text(reason, "Reason", max_length=500)
    with database_proxy.atomic():
        visit = _open_visit(visit_id, "recorded as wellness")
        if visit.signed_at is not None:
            raise VisitRefused("This visit's treatment note is signed; it stays as it was.")
        values = {"wellness": True, "wellness_reason": why, "prescription": None}
        return _change(visit, version, {**values, "injury_case": None}, actor)


# --- the day sheet -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DaySheetRow:
    visit_id: int
    version: int
    starts_at: datetime
    time: str  # e.g. "9:30 AM"
    client_id: int
    client: str  # Last, First
    therapist: str
    minutes: int
    prescription_state: str  # the prescription's state that day, or why the visit has none
    prescription_key: str  # active / ending_soon / used_up / expired / ... / wellness / none
    payer: str  # in a word or two; "Self-pay" without coverage
    status: str
    status_label: str
    balance_cents: int  # still to pay on this visit (0 when balances are not shown)
    balance_shown: bool = True  # False for a login that may not see balances


SHEET_COLUMNS = (  # what a row shows and needs: a busy day reads no notes, no addresses
    *(Visit.id, Visit.version, Visit.client, Visit.therapist, Visit.starts_at, Visit.minutes),
    *(Visit.prescription, Visit.coverage, Visit.wellness, Visit.status),
    *(Client.id, Client.first_name, Client.last_name, Client.preferred_name),
    *(Therapist.id, Therapist.first_name, Therapist.last_name, Therapist.credentials),
)


@needs(Can.READ_CLIENTS)
def day_sheet(day: date) -> list[DaySheetRow]:
    """The day's visits in time order, with what the front desk needs at a glance."""
    start = datetime.combine(day, time.min)
    visits = list(
        Visit.select(*SHEET_COLUMNS)
        .join(Client, on=Visit.client == Client.id)
        .switch(Visit)
        .join(Therapist, on=Visit.therapist == Therapist.id)
        .where((Visit.starts_at >= start) & (Visit.starts_at < start + timedelta(days=1)))
        .order_by(Visit.starts_at, Therapist.last_name, Visit.id)
    )
    ids = [visit.id for visit in visits]
    shown = access.may(Can.TAKE_PAYMENTS)  # a therapist's day sheet shows no balances
    owed = ledger.open_charges(ids) if shown else {}
    states = _prescription_states(visits, day)
    payer_names = _payer_names(visits)
    return [
        _sheet_row(v, states[v.id], payer_names.get(v.id, "Self-pay"), owed.get(v.id), shown)
        for v in visits
    ]


def _prescription_states(visits: list[Visit], day: date) -> dict[int, tuple[str, str]]:
    rx_ids = {v.prescription_id for v in visits if v.prescription_id is not None}
    found = statuses(list(Prescription.select().where(Prescription.id.in_(rx_ids))), day)
    return {v.id: _state_of(v, found) for v in visits}


def _state_of(visit: Visit, found: dict[int, Any]) -> tuple[str, str]:
    """The state's key and the text the day sheet shows for it."""
    if visit.wellness:
        return "wellness", "Wellness (non-medical)"
    if visit.prescription_id is None:
        return "none", "No prescription"
    status = found[visit.prescription_id]
    return status.state, status.label


def _payer_names(visits: list[Visit]) -> dict[int, str]:
    coverage_ids = {v.coverage_id for v in visits if v.coverage_id is not None}
    query = Coverage.select(Coverage, Payer).join(Payer).where(Coverage.id.in_(coverage_ids))
    names = {c.id: payers.short_name(c.payer) for c in query}
    return {v.id: names[v.coverage_id] for v in visits if v.coverage_id in names}


def _sheet_row(
    visit: Visit, state: tuple[str, str], payer: str, owed: int | None, shown: bool
) -> DaySheetRow:
    return DaySheetRow(
        visit_id=visit.id,
        version=visit.version,
        starts_at=visit.starts_at,
        time=formatting.clock(visit.starts_at),
        client_id=visit.client_id,
        client=visit.client.display_name,
        therapist=visit.therapist.display_name,
        minutes=visit.minutes,
        prescription_key=state[0],
        prescription_state=state[1],
        payer=payer,
        status=visit.status,
        status_label=STATUS_LABELS.get(visit.status, visit.status),
        balance_cents=owed or 0,
        balance_shown=shown,
    )
