"""What the booking window offers for a client: prescriptions, cases, coverages, defaults;
and what a visit's prescription check warns of at booking and at check-in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from frontdesk import formatting
from frontdesk.access import Can, needs
from frontdesk.services import cases, coverage, prescriptions, visits
from frontdesk.services.prescriptions.tracking import (
    VisitWarning,
    check_visit,
    no_prescription_warning,
    prescription_for_visit,
)

NO_PRESCRIPTION = "None: wellness (non-medical) care"
NO_CASE = "None"
SELF_PAY = "Self-pay"


@dataclass(frozen=True)
class Choice:
    id: int | None
    label: str


@dataclass(frozen=True)
class BookingChoices:
    """The client's records a visit may be booked under, each list led by "none"."""

    prescriptions: tuple[Choice, ...]
    cases: tuple[Choice, ...]
    coverages: tuple[Choice, ...]
    prescription_id: int | None  # the defaults: the prescription the day falls under,
    case_id: int | None  # its injury case,
    coverage_id: int | None  # and the primary coverage in effect that day
    body_areas: tuple[str, ...]  # the default prescription's body areas


@needs(Can.BOOK_VISITS)
def booking_choices(client_id: int, day: date) -> BookingChoices:
    """What the booking window offers for `client_id` on `day`, with what it picks first."""
    default_rx = prescription_for_visit(client_id, day)
    primary = visits.primary_coverage(client_id, day)
    return BookingChoices(
        prescriptions=(Choice(None, NO_PRESCRIPTION), *_prescriptions(client_id, day)),
        cases=(Choice(None, NO_CASE), *_cases(client_id)),
        coverages=(Choice(None, SELF_PAY), *_coverages(client_id, day)),
        prescription_id=default_rx.id if default_rx else None,
        case_id=default_rx.injury_case_id if default_rx else None,
        coverage_id=primary.id if primary else None,
        body_areas=tuple(default_rx.body_areas) if default_rx else (),
    )


def _prescriptions(client_id: int, day: date) -> list[Choice]:
    return [
        Choice(
            row.prescription_id,
            f"{formatting.us_date(row.written_on)} · {row.reason} · {row.status.label}",
        )
        for row in prescriptions.client_prescriptions(client_id, day)
    ]


def _cases(client_id: int) -> list[Choice]:
    return [
        Choice(
            row.id,
            f"{row.kind_label} · {formatting.us_date(row.date)} · "
            f"{row.claim_number or 'no claim number'}",
        )
        for row in cases.client_cases(client_id)
    ]


def _coverages(client_id: int, day: date) -> list[Choice]:
    return [
        Choice(row.id, f"{row.order}: {row.payer_name}")
        for row in coverage.client_coverages(client_id, day)
        if not row.ended
    ]


@needs(Can.BOOK_VISITS)
def booking_warnings(
    client_id: int, day: date, prescription_id: int | None, body_areas: Iterable[str] = ()
) -> list[VisitWarning]:
    """Why a visit under this prescription (None: none) could not count as medical care."""
    if prescription_id is None:
        return [no_prescription_warning()]
    return list(check_visit(client_id, day, body_areas, prescription_id=prescription_id).warnings)


@needs(Can.BOOK_VISITS)
def check_in_warnings(visit_id: int) -> list[VisitWarning]:
    """What the prescription check warns of as the client arrives (none for wellness care)."""
    visit = visits.get_visit(visit_id)
    if visit.wellness:
        return []
    if visit.prescription_id is None:
        return [no_prescription_warning()]
    check = check_visit(
        visit.client_id,
        visit.starts_at.date(),
        visit.body_areas,
        prescription_id=visit.prescription_id,
        visit_id=visit.id,
    )
    return list(check.warnings)
