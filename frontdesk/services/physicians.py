"""The physicians directory: who prescribes, with their NPI, practice and numbers."""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from functools import reduce
from typing import Any

from frontdesk import formatting, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, clean_all, using
from frontdesk.models import Physician
from frontdesk.services import records
from frontdesk.textsearch import word_starts

SEARCH_LIMIT = 50


def _text(max_length: int) -> Any:
    return using(validation.optional_text, max_length=max_length)


_phone = using(validation.phone)

PHYSICIAN_RULES: tuple[FieldRule, ...] = (
    FieldRule("first_name", "First name", using(validation.person_name), required=True),
    FieldRule("last_name", "Last name", using(validation.person_name), required=True),
    FieldRule("credentials", "Credentials", _text(40), hint="e.g. MD, DO, NP, PA-C"),
    FieldRule("npi", "NPI", using(validation.npi), hint="10 digits"),
    FieldRule("practice", "Practice", _text(120)),
    FieldRule("address_line1", "Address", _text(120)),
    FieldRule("address_line2", "Address line 2", _text(120)),
    FieldRule("city", "City", _text(80)),
    FieldRule("state", "State", using(validation.state)),
    FieldRule("zip_code", "ZIP", using(validation.zip_code)),
    FieldRule("phone", "Phone", _phone, show=formatting.phone),
    FieldRule("fax", "Fax", _phone, show=formatting.phone),
)
RULES_BY_NAME = {rule.name: rule for rule in PHYSICIAN_RULES}


class DuplicateNpi(Exception):
    """Another physician has this NPI; nothing was saved. `existing` is that physician."""

    def __init__(self, existing: Physician) -> None:
        super().__init__(f"physician #{existing.id} already has this NPI")
        self.existing = existing


def validate_physician(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a whole physician form; raise ValidationErrors listing every bad field."""
    return clean_all(PHYSICIAN_RULES, raw)


@needs(Can.READ_CLIENTS)
def find_by_npi(npi: str, exclude_id: int | None = None) -> Physician | None:
    """The physician with this NPI (other than `exclude_id`), if there is one."""
    if not npi:
        return None
    query = Physician.select().where(Physician.npi == npi)
    if exclude_id is not None:
        query = query.where(Physician.id != exclude_id)
    return query.order_by(Physician.id).first()


@needs(Can.EDIT_PRESCRIPTIONS)
def save_physician(
    raw: Mapping[str, Any],
    physician_id: int | None = None,
    *,
    version: int | None = None,
    actor: str = "",
) -> Physician:
    """Add a physician, or update the one opened at `version`, from raw form values.

    Nothing is saved if a field is bad (ValidationErrors), if another physician has the
    same NPI (DuplicateNpi, carrying that physician), if the physician was saved elsewhere
    since `version` (RecordChanged) or deleted (RecordMissing).
    """
    values = validate_physician(raw)

    def refuse_twin(_current: Physician | None) -> None:
        twin = find_by_npi(values["npi"], physician_id)
        if twin is not None:
            raise DuplicateNpi(twin)

    return records.save_record(
        Physician,
        physician_id,
        version,
        values,
        noun="physician",
        actor=actor,
        before=refuse_twin,
    )


@needs(Can.READ_CLIENTS)
def get_physician(physician_id: int) -> Physician:
    """The physician, or RecordMissing when it was deleted."""
    return records.get_record(Physician, physician_id, "physician")


def form_values(physician: Physician) -> dict[str, str]:
    """The physician's fields as a person would type them (to open it for editing)."""
    return {rule.name: rule.as_text(getattr(physician, rule.name)) for rule in PHYSICIAN_RULES}


def _search_condition(text: str) -> Any:
    """What a physician must match: NPI digits, or every word starting a name or practice word."""
    digits = re.sub(r"[\s-]", "", text)
    if digits.isascii() and digits.isdigit():
        return Physician.npi.startswith(digits)
    starts = [Physician.search_key.contains(start) for start in word_starts(text)]
    return reduce(operator.and_, starts) if starts else None


@needs(Can.READ_CLIENTS)
def search_physicians(text: str = "", limit: int = SEARCH_LIMIT) -> list[Physician]:
    """Physicians found by name, practice or NPI (case and accents do not matter), A to Z."""
    query = Physician.select()
    if text.strip():
        condition = _search_condition(text.strip())
        if condition is None:
            return []
        query = query.where(condition)
    return list(query.order_by(Physician.search_key, Physician.id).limit(limit))
