"""The fee schedule at work: units by the 8-minute rule, prices by date, a visit's charges."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from frontdesk.access import Can, needs
from frontdesk.formatting import money
from frontdesk.models import (
    Payer,
    Prescription,
    PrescriptionDiagnosis,
    ServiceCode,
    ServiceLine,
    ServicePrice,
    Visit,
    database_proxy,
)
from frontdesk.services import audit, records
from frontdesk.validation import MAX_CENTS, ValidationError

log = logging.getLogger(__name__)

ROUNDING = (
    ("cms", "8-minute rule (8-22 minutes = 1 unit, 23-37 = 2, ...)"),
    ("whole", "Whole units only (each full 15 minutes)"),
    ("round_up", "Any part of a unit counts"),
)
DEFAULT_ROUNDING = "cms"
CODE_BY_MODALITY = {"massage_therapy": "97124", "manual_therapy": "97140"}
FALLBACK_CODE = "97124"
MAX_POINTERS = 4  # a claim line points at up to four diagnoses
COURTESY = "Courtesy discount"


def units_for(minutes: int, rule: str = DEFAULT_ROUNDING, unit_minutes: int = 15) -> int:
    """Units of a timed code for `minutes` of treatment, rounded by the payer's `rule`.

    "cms": a unit once more than half of it is given (the 8-minute rule: under 8 minutes
    none, 8-22 one, 23-37 two, ...); "whole": full units only; "round_up": any part counts.
    """
    if minutes < 0:
        raise ValueError("minutes cannot be negative")
    full, rest = divmod(minutes, unit_minutes)
    if rule == "cms":
        return full + (1 if rest > unit_minutes // 2 else 0)
    if rule == "whole":
        return full
    if rule == "round_up":
        return full + (1 if rest else 0)
    raise ValueError(f"unknown unit rounding {rule!r}")


# --- prices by date ---------------------------------------------------------------------


@needs(Can.BOOK_VISITS)
def price_on(code: ServiceCode, day: date) -> int:
    """The code's price on `day`: the latest change dated that day or earlier, else its base."""
    change = (
        ServicePrice.select()
        .where((ServicePrice.service_code == code.id) & (ServicePrice.effective_on <= day))
        .order_by(ServicePrice.effective_on.desc())
        .first()
    )
    return code.price_cents if change is None else change.price_cents


@needs(Can.EDIT_FEES)
def set_price(code_id: int, price_cents: int, effective_on: date, actor: str = "") -> ServicePrice:
    """Change a code's price from `effective_on` on; visits already charged keep their charge.

    A second change on the same date replaces the first. Raises ValidationError for a
    negative or too large price, RecordMissing when the code is gone.
    """
    if not 0 <= price_cents <= MAX_CENTS:
        raise ValidationError("Price", "type an amount from 0.00 to 1,000,000.00.")
    with database_proxy.atomic():
        code = records.get_record(ServiceCode, code_id, "service code")
        change, created = ServicePrice.get_or_create(
            service_code=code, effective_on=effective_on, defaults={"price_cents": price_cents}
        )
        if not created:
            change.price_cents = price_cents
            change.save()
        audit.record("price_change", "service_code", code.id, actor, detail=str(effective_on))
    return change


# --- a visit's service lines --------------------------------------------------------------


@dataclass(frozen=True)
class LinePlan:
    """One service line a visit would be charged, before it is written."""

    code: ServiceCode
    units: int
    charge_cents: int
    discount_cents: int
    discount_reason: str
    diagnosis_pointers: str
    medical: bool


def is_medical(visit: Visit) -> bool:
    """A visit under a prescription, not recorded as wellness."""
    return visit.prescription_id is not None and not visit.wellness


@needs(Can.READ_CLIENTS)
def diagnosis_pointers(prescription: Prescription) -> str:
    """The prescription's diagnosis positions a line points at, primary first: "1,2"."""
    positions = (
        PrescriptionDiagnosis.select(PrescriptionDiagnosis.position)
        .where(PrescriptionDiagnosis.prescription == prescription.id)
        .order_by(PrescriptionDiagnosis.position)
        .limit(MAX_POINTERS)
    )
    return ",".join(str(row.position) for row in positions)


def _code(code: str) -> ServiceCode:
    return ServiceCode.get(ServiceCode.code == code)


def _wellness_code(minutes: int) -> ServiceCode | None:
    """The clinic's shortest non-medical session covering `minutes`, else its longest one."""
    codes = list(
        ServiceCode.select()
        .where(~ServiceCode.medical & ServiceCode.active & ~ServiceCode.timed)
        .order_by(ServiceCode.unit_minutes, ServiceCode.id)
    )
    covering = [code for code in codes if code.unit_minutes >= minutes]
    return (covering or codes[-1:] or [None])[0]


@needs(Can.BOOK_VISITS)
def default_code(visit: Visit) -> tuple[ServiceCode, bool]:
    """The code a visit is charged by, and whether the line is medical."""
    if is_medical(visit):
        modality = visit.prescription.modality
        return _code(CODE_BY_MODALITY.get(modality, FALLBACK_CODE)), True
    return _wellness_code(visit.minutes) or _code(FALLBACK_CODE), False


def _payer(visit: Visit) -> Payer | None:
    return visit.coverage.payer if visit.coverage_id is not None else None


@needs(Can.BOOK_VISITS)
def rounding_for(visit: Visit) -> str:
    payer = _payer(visit)
    return payer.unit_rounding if payer is not None else DEFAULT_ROUNDING


@needs(Can.BOOK_VISITS)
def program_rate(visit: Visit) -> int:
    """The percent off a discount program on the visit's coverage gives (0 when none)."""
    payer = _payer(visit)
    if payer is None or payer.kind != "discount_program":
        return 0
    return payer.discount_percent


def percent_of(cents: int, percent: int) -> int:
    """`percent` of an amount, to the nearest cent (half a cent up)."""
    return (cents * percent + 50) // 100


@needs(Can.BOOK_VISITS)
def plan_lines(
    visit: Visit,
    *,
    courtesy_cents: int = 0,
    courtesy_reason: str = "",
    discount_percent: int | None = None,
) -> list[LinePlan]:
    """The line a visit is charged: its code, units and the price on the day of service.

    A discount program's rate (or `discount_percent`) comes off first, then a courtesy
    discount, which needs a reason. Under 8 minutes of a timed code: nothing to charge.
    """
    code, medical = default_code(visit)
    units = units_for(visit.minutes, rounding_for(visit), code.unit_minutes) if code.timed else 1
    if units == 0:
        return []
    charge = units * price_on(code, visit.starts_at.date())
    rate = program_rate(visit) if discount_percent is None else discount_percent
    program = percent_of(charge, rate)
    _check_courtesy(courtesy_cents, courtesy_reason, charge - program)
    reasons = [f"Discount program {rate}%" if program else "", courtesy_reason.strip()]
    pointers = diagnosis_pointers(visit.prescription) if medical else ""
    return [
        LinePlan(
            code=code,
            units=units,
            charge_cents=charge,
            discount_cents=program + courtesy_cents,
            discount_reason="; ".join(reason for reason in reasons if reason),
            diagnosis_pointers=pointers,
            medical=medical,
        )
    ]


def _check_courtesy(cents: int, reason: str, limit: int) -> None:
    if cents < 0 or cents > limit:
        raise ValidationError(COURTESY, f"type an amount from $0.00 up to {money(limit)}.")
    if cents and not reason.strip():
        raise ValidationError(COURTESY, "say why the discount is given.")


@needs(Can.BOOK_VISITS)
def charge_visit(
    visit: Visit,
    *,
    courtesy_cents: int = 0,
    courtesy_reason: str = "",
    discount_percent: int | None = None,
) -> list[ServiceLine]:
    """Write the visit's service lines as `plan_lines` plans them (inside a transaction)."""
    plans = plan_lines(
        visit,
        courtesy_cents=courtesy_cents,
        courtesy_reason=courtesy_reason,
        discount_percent=discount_percent,
    )
    lines = [
        ServiceLine.create(
            visit=visit,
            service_code=plan.code,
            units=plan.units,
            charge_cents=plan.charge_cents,
            discount_cents=plan.discount_cents,
            discount_reason=plan.discount_reason,
            diagnosis_pointers=plan.diagnosis_pointers,
            medical=plan.medical,
        )
        for plan in plans
    ]
    log.info("charged visit #%s: %d lines", visit.id, len(lines))
    return lines
