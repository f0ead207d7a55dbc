"""Checking a proposed visit against the client's prescription, before it is booked or signed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from frontdesk import catalog
from frontdesk.access import Can, needs
from frontdesk.formatting import us_date
from frontdesk.models import Prescription
from frontdesk.services import records
from frontdesk.services.prescriptions.status import newest_first, visits_used

WARNING_KINDS = (
    "no_prescription",
    "used_up",
    "after_end_date",
    "before_date_written",
    "area_not_prescribed",
)


@dataclass(frozen=True)
class VisitWarning:
    kind: str  # one of WARNING_KINDS
    message: str


@dataclass(frozen=True)
class VisitCheck:
    """The prescription a proposed visit would use (None: none on file) and what to warn of."""

    prescription_id: int | None
    warnings: tuple[VisitWarning, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(warning.kind for warning in self.warnings)


def _booked(prescription: Prescription, exclude_visit: int | None) -> int:
    """Visits booked or held on the prescription, on any date (cancelled and no-shows aside)."""
    return visits_used([prescription.id], exclude_visit=exclude_visit).get(prescription.id, 0)


@needs(Can.READ_CLIENTS)
def prescription_for_visit(client_id: int, day: date) -> Prescription | None:
    """The client's prescription a visit on `day` falls under.

    The newest covering the day with visits left; else the newest covering it; else the
    newest written before it (the visit is after its end); else the oldest (the visit is
    before it was written). None when the client has no prescription.
    """
    prescriptions = list(
        newest_first(Prescription.select().where(Prescription.client == client_id))
    )
    covering = [p for p in prescriptions if p.written_on <= day <= p.end_date]
    with_visits_left = [p for p in covering if _booked(p, None) < p.treatments_prescribed]
    earlier = [p for p in prescriptions if p.written_on <= day]
    for candidates in (with_visits_left, covering, earlier, prescriptions[::-1]):
        if candidates:
            return candidates[0]
    return None


@needs(Can.READ_CLIENTS)
def check_visit(
    client_id: int,
    day: date,
    body_areas: Iterable[str] = (),
    *,
    prescription_id: int | None = None,
    visit_id: int | None = None,
) -> VisitCheck:
    """What to warn of before a visit on `day` treating `body_areas` (keys of body_areas.json).

    `prescription_id` checks against that prescription instead of the one the day falls
    under; `visit_id` is the visit being changed (it does not count against itself).
    """
    prescription = (
        records.get_record(Prescription, prescription_id, "prescription")
        if prescription_id is not None
        else prescription_for_visit(client_id, day)
    )
    if prescription is None:
        return VisitCheck(None, (no_prescription_warning(),))
    warnings = [
        *_date_warnings(prescription, day),
        *_usage_warnings(prescription, visit_id),
        *_area_warnings(prescription, body_areas),
    ]
    return VisitCheck(prescription.id, tuple(warnings))


def no_prescription_warning() -> VisitWarning:
    return VisitWarning(
        "no_prescription",
        "No prescription on file: this visit is a wellness (non-medical) service "
        "unless a prescription is entered first.",
    )


def _date_warnings(prescription: Prescription, day: date) -> list[VisitWarning]:
    if day < prescription.written_on:
        return [
            VisitWarning(
                "before_date_written",
                f"The visit on {us_date(day)} is before the prescription was written "
                f"({us_date(prescription.written_on)}).",
            )
        ]
    if day > prescription.end_date:
        return [
            VisitWarning(
                "after_end_date",
                f"The visit on {us_date(day)} is after the prescription ended "
                f"({us_date(prescription.end_date)}); ask the physician for a renewal.",
            )
        ]
    return []


def _usage_warnings(prescription: Prescription, visit_id: int | None) -> list[VisitWarning]:
    booked = _booked(prescription, visit_id)
    prescribed = prescription.treatments_prescribed
    if booked < prescribed:
        return []
    return [
        VisitWarning(
            "used_up",
            f"All {prescribed} prescribed visits are used or booked ({booked}); this would be "
            f"visit {booked + 1}. Ask the physician for a renewal.",
        )
    ]


def _area_warnings(prescription: Prescription, body_areas: Iterable[str]) -> list[VisitWarning]:
    labels = {item.key: item.label for item in catalog.body_areas()}
    extra = [key for key in dict.fromkeys(body_areas) if key not in prescription.body_areas]
    if not extra:
        return []
    named = ", ".join(labels.get(key, key) for key in extra)
    allowed = ", ".join(labels.get(key, key) for key in prescription.body_areas) or "none"
    return [
        VisitWarning(
            "area_not_prescribed",
            f"Not on the prescription: {named}. It covers: {allowed}.",
        )
    ]
