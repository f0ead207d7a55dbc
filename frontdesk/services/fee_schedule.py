"""The fee schedule as the owner keeps it: codes, descriptions, minutes, and prices by date.

A price is never changed in place: a change applies from a date on (`change_price`), so
visits already charged keep the charge on their service line, and a code's original
`price_cents` stays its price before its first change. A code on visits already charged
is never deleted, only made inactive.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from frontdesk import validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, clean_all, using
from frontdesk.models import ServiceCode, ServiceLine, ServicePrice, database_proxy
from frontdesk.services import audit, fees, records
from frontdesk.services import client_records as parts
from frontdesk.validation import ValidationError, ValidationErrors

NOUN = "service code"
MAX_MINUTES = 480  # a unit or a session: up to 8 hours
CHARGED_BY_DEFAULT = frozenset({*fees.CODE_BY_MODALITY.values(), fees.FALLBACK_CODE})
_CODE_RE = re.compile(r"[A-Z0-9]{1,12}")

Choice = tuple[str, str]


def _service_code(text: str, field: str) -> str:
    """A CPT/HCPCS code (97124, G0283) or the clinic's own (WELL60): letters and digits."""
    code = "".join(text.split()).upper()
    if not (code.isascii() and _CODE_RE.fullmatch(code)):
        raise ValidationError(
            field, "use up to 12 letters and digits, no spaces, e.g. 97124 or WELL60."
        )
    return code


def _flag_rule(name: str, label: str, yes: Choice, no: Choice) -> FieldRule:
    """A yes/no field picked from two choices that say what each means."""
    options = dict((yes, no))

    def parse(text: str, field: str) -> bool:
        return validation.choice(text, field, options) == yes[0]

    def show(value: Any) -> str:
        return yes[0] if value else no[0]

    return FieldRule(name, label, parse, required=True, choices=(yes, no), show=show)


CODE = FieldRule(
    "code", "Code", _service_code, required=True, hint="CPT/HCPCS, e.g. 97124, or your own"
)
DESCRIPTION = FieldRule(
    "description",
    "Description",
    using(validation.required_text, max_length=200),
    required=True,
    hint="in your own words",
)
TIMED = _flag_rule(
    "timed",
    "Billed by",
    ("units", "Units of time (a timed code)"),
    ("session", "The session (one charge)"),
)
UNIT_MINUTES = FieldRule(
    "unit_minutes",
    "Minutes",
    using(validation.integer, minimum=1, maximum=MAX_MINUTES),
    required=True,
    hint="per unit (15), or the session's length",
)
PRICE = dataclasses.replace(
    parts.money_rule("price_cents", "Price"), required=True, hint="per unit if timed, e.g. 35.00"
)
MEDICAL = _flag_rule(
    "medical",
    "Kind",
    ("medical", "Medical (under a prescription)"),
    ("wellness", "Wellness (non-medical)"),
)
ACTIVE = _flag_rule("active", "Status", ("active", "Active"), ("inactive", "Inactive"))
NEW_CODE_RULES: tuple[FieldRule, ...] = (CODE, DESCRIPTION, TIMED, UNIT_MINUTES, PRICE, MEDICAL)
EDIT_RULES: tuple[FieldRule, ...] = (DESCRIPTION, TIMED, UNIT_MINUTES, MEDICAL, ACTIVE)
PRICE_RULES: tuple[FieldRule, ...] = (
    dataclasses.replace(PRICE, label="New price", hint="e.g. 95.00"),
    parts.date_rule("effective_on", "From", using(validation.us_date), required=True),
)
NEW_CODE_DEFAULTS = {"timed": True, "unit_minutes": 15, "medical": True}


class CodeInUse(Exception):
    """A code that visits were charged by (or are charged by) is kept; nothing was deleted."""


# --- the schedule as listed ------------------------------------------------------------


@dataclass(frozen=True)
class PriceChange:
    effective_on: date
    price_cents: int


@dataclass(frozen=True)
class FeeRow:
    """One code as the fee schedule lists it: its price today and its next change, if any."""

    code_id: int
    version: int
    code: str
    description: str
    timed: bool
    unit_minutes: int
    medical: bool
    active: bool
    price_cents: int  # today's price
    next_change: PriceChange | None  # the first change dated after today


@needs(Can.EDIT_FEES)
def fee_schedule(today: date | None = None) -> list[FeeRow]:
    """Every code (inactive ones too) by code, priced on `today`; two queries in all."""
    today = today or date.today()
    changes: dict[int, list[ServicePrice]] = defaultdict(list)
    for change in ServicePrice.select().order_by(ServicePrice.effective_on):
        changes[change.service_code_id].append(change)
    codes = ServiceCode.select().order_by(ServiceCode.code)
    return [_fee_row(code, changes[code.id], today) for code in codes]


def _fee_row(code: ServiceCode, changes: list[ServicePrice], today: date) -> FeeRow:
    """The code's row; `changes` are its price changes, oldest first."""
    past = [change for change in changes if change.effective_on <= today]
    coming = [change for change in changes if change.effective_on > today]
    return FeeRow(
        code_id=code.id,
        version=code.version,
        code=code.code,
        description=code.description,
        timed=code.timed,
        unit_minutes=code.unit_minutes,
        medical=code.medical,
        active=code.active,
        price_cents=past[-1].price_cents if past else code.price_cents,
        next_change=PriceChange(coming[0].effective_on, coming[0].price_cents) if coming else None,
    )


# --- adding and editing codes ------------------------------------------------------------


@needs(Can.EDIT_FEES)
def get_code(code_id: int) -> ServiceCode:
    """The code, or RecordMissing when it was deleted."""
    return records.get_record(ServiceCode, code_id, NOUN)


def code_rules(new: bool) -> tuple[FieldRule, ...]:
    """A new code's fields (with its code and first price), or an existing code's."""
    return NEW_CODE_RULES if new else EDIT_RULES


def code_form_values(code: ServiceCode) -> dict[str, str]:
    """An existing code's fields as a person would pick or type them (to edit it)."""
    return parts.form_texts(EDIT_RULES, code)


@needs(Can.EDIT_FEES)
def save_code(
    raw: Mapping[str, Any],
    code_id: int | None = None,
    *,
    version: int | None = None,
    actor: str = "",
) -> ServiceCode:
    """Add a code (NEW_CODE_RULES), or update the one opened at `version` (EDIT_RULES).

    A code and its price are set when it is added: the code never changes (it is on past
    receipts), and a price only changes from a date on (`change_price`). Nothing is saved
    if a field is bad, if the code is already in the schedule, or if a code visits are
    charged by is made inactive (ValidationErrors); nor if the code was saved elsewhere
    since `version` (RecordChanged) or deleted (RecordMissing).
    """
    values = clean_all(code_rules(new=code_id is None), raw)

    def refuse(current: ServiceCode | None) -> None:
        if current is None:
            _refuse_twin(values["code"])
        else:
            _refuse_retiring(current, values["active"])

    return records.save_record(
        ServiceCode, code_id, version, values, noun=NOUN, actor=actor, before=refuse
    )


def _refuse_twin(code: str) -> None:
    if ServiceCode.select().where(ServiceCode.code == code).exists():
        raise ValidationErrors(
            [ValidationError(CODE.label, f"{code} is already in the fee schedule; edit it there.")]
        )


def _refuse_retiring(current: ServiceCode, active: bool) -> None:
    if current.code in CHARGED_BY_DEFAULT and not active:
        raise ValidationErrors(
            [ValidationError(ACTIVE.label, _charged_by_default(current.code) + " it stays active.")]
        )


def _charged_by_default(code: str) -> str:
    return f"Front Desk charges visits by {code} on its own, so"


# --- prices -----------------------------------------------------------------------------


@needs(Can.EDIT_FEES)
def change_price(code_id: int, raw: Mapping[str, Any], actor: str = "") -> ServicePrice:
    """Charge the code's new price for visits on or after the "From" date.

    The date may be in the past (say, a change entered late): visits dated from then on
    that are charged from now on get the new price, but past visits are never re-priced,
    since a visit already charged keeps the charge on its service line. A second change on
    the same date replaces the first. Raises ValidationErrors for a bad price or date,
    RecordMissing when the code is gone.
    """
    values = clean_all(PRICE_RULES, raw)
    return fees.set_price(code_id, values["price_cents"], values["effective_on"], actor)


# --- deleting ---------------------------------------------------------------------------


@needs(Can.EDIT_FEES)
def delete_code(code_id: int, actor: str = "") -> None:
    """Delete a code no visit was charged by (its price changes go with it).

    Raises CodeInUse for a code on any service line (make it inactive instead) or one
    visits are charged by when no other code applies; RecordMissing when it is gone.
    """
    with database_proxy.atomic():
        code = get_code(code_id)
        if code.code in CHARGED_BY_DEFAULT:
            raise CodeInUse(f"{_charged_by_default(code.code)} it cannot be deleted.")
        if ServiceLine.select().where(ServiceLine.service_code == code_id).exists():
            raise CodeInUse(
                f"{code.code} is on visits already charged, so it cannot be deleted; "
                "make it inactive instead."
            )
        code.delete_instance()
        audit.record("delete", "service_code", code_id, actor)
