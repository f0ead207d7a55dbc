"""Reference data a new database starts with: the payer directory and the fee schedule."""

from __future__ import annotations

import logging
from datetime import datetime

from frontdesk import validation
from frontdesk.models import Payer, ServiceCode
from frontdesk.resources import load_json

log = logging.getLogger(__name__)


def _stored_phone(text: str) -> str:
    try:
        return validation.phone(text, "Phone") or ""
    except validation.ValidationError:
        return ""


def _seed_payer_values(entry: dict) -> dict:
    return {**entry, "phone": _stored_phone(entry.get("phone", ""))}


def seed_payers() -> int:
    """Add the payer directory's entries that are not in the database yet."""
    existing = {name for (name,) in Payer.select(Payer.name).tuples()}
    added = 0
    for entry in load_json("payers.json"):
        if entry["name"] in existing:
            continue
        Payer.create(**_seed_payer_values(entry))
        added += 1
    return added


def refresh_seed_payers() -> int:
    """Bring entries still as first seeded (never edited: version 1) up to the current seed.

    Found by name, so their ids stay; an entry the owner has edited is left as it is.
    """
    refreshed = 0
    for entry in load_json("payers.json"):
        values = _seed_payer_values(entry)
        refreshed += (
            Payer.update(**values, updated_at=datetime.now().replace(microsecond=0))
            .where((Payer.name == entry["name"]) & (Payer.version == 1))
            .execute()
        )
    log.info("refreshed %d payers from the seed", refreshed)
    return refreshed


def seed_service_codes() -> int:
    """Add the fee schedule's codes that are not in the database yet."""
    existing = {code for (code,) in ServiceCode.select(ServiceCode.code).tuples()}
    added = 0
    for entry in load_json("service_codes.json"):
        if entry["code"] not in existing:
            ServiceCode.create(**entry)
            added += 1
    return added


def seed_reference_data() -> None:
    payers, codes = seed_payers(), seed_service_codes()
    log.info("seeded %d payers and %d service codes", payers, codes)
