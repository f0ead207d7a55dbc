"""The clinic's fixed lists read from resources: health conditions, techniques, body areas."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from frontdesk.resources import load_json
from frontdesk.validation import ValidationError


@dataclass(frozen=True, slots=True)
class CatalogItem:
    key: str
    label: str
    severity: str = ""  # health conditions: contraindication / caution
    hint: str = ""


def _items(name: str) -> tuple[CatalogItem, ...]:
    return tuple(CatalogItem(**item) for item in load_json(name))


@cache
def health_conditions() -> tuple[CatalogItem, ...]:
    return _items("health_conditions.json")


@cache
def techniques() -> tuple[CatalogItem, ...]:
    return _items("techniques.json")


@cache
def body_areas() -> tuple[CatalogItem, ...]:
    return _items("body_areas.json")


def by_key(items: tuple[CatalogItem, ...]) -> dict[str, CatalogItem]:
    return {item.key: item for item in items}


def checked_keys(
    raw: Iterable[str] | None, items: tuple[CatalogItem, ...], label: str
) -> list[str]:
    """Keys picked from a list, in the list's order without repeats; an unknown key is refused."""
    known = [item.key for item in items]
    keys = list(raw or [])
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise ValidationError(label, f"unknown item {unknown[0]!r}; pick from the list.")
    return [key for key in known if key in keys]
