"""Editing records safely: never over another person's newer save, never a record that is gone.

A screen remembers the version of the record it opened. Saving passes that version
back; if someone saved the record in the meantime (another window, another PC), the
save is refused with RecordChanged and nothing is written. A save that changes
nothing writes nothing and leaves no audit event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from frontdesk.models import BaseModel, database_proxy
from frontdesk.services import audit
from frontdesk.storage_errors import RecordMissing

Record = TypeVar("Record", bound=BaseModel)


class RecordChanged(Exception):
    """The record was saved by someone else after it was opened; nothing was written."""

    def __init__(self, noun: str, current: BaseModel) -> None:
        super().__init__(
            f"This {noun} was changed elsewhere (in another window or on another computer) "
            "after you opened it. Nothing was saved."
        )
        self.noun = noun
        self.current = current


def get_record(model: type[Record], record_id: int, noun: str) -> Record:
    """The record, or RecordMissing when it was deleted (for example on another PC)."""
    record = model.get_or_none(model.id == record_id)
    if record is None:
        raise RecordMissing(f"this {noun} no longer exists (it was deleted, perhaps elsewhere)")
    return record


def update_record(
    model: type[Record],
    record_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    *,
    entity: str,
    noun: str,
    actor: str = "",
) -> Record:
    """Apply `values` to the record opened at `expected_version`; call inside a transaction.

    Raises RecordMissing or RecordChanged; writes nothing (and audits nothing) when no
    value differs from what is stored.
    """
    record = get_record(model, record_id, noun)
    if record.version != expected_version:
        raise RecordChanged(noun, record)
    changed = sorted(name for name, value in values.items() if getattr(record, name) != value)
    if not changed:
        return record
    for name in changed:
        setattr(record, name, values[name])
    if not record.save_if_version(expected_version):
        raise RecordChanged(noun, get_record(model, record_id, noun))
    audit.record("update", entity, record.id, actor, detail="fields: " + ", ".join(changed))
    return record


def check_can_save(record_id: int | None, version: int | None, noun: str) -> None:
    """An update names the version the screen opened (to refuse saving over newer changes)."""
    if record_id is not None and version is None:
        raise ValueError(f"updating a {noun} needs the version that was opened")


def save_record(
    model: type[Record],
    record_id: int | None,
    version: int | None,
    values: Mapping[str, Any],
    *,
    noun: str,
    actor: str = "",
    before: Callable[[Record | None], None] | None = None,
    create_with: Mapping[str, Any] | None = None,
) -> Record:
    """Create a record, or update the one opened at `version`, with its audit event.

    One transaction: `before(current)` runs first (current is None for a new record) and
    raises to refuse (a twin, another client's record); a new record is created with
    `create_with` as well as `values`. Raises RecordChanged or RecordMissing.
    """
    check_can_save(record_id, version, noun)
    entity = model._meta.table_name
    with database_proxy.atomic():
        current = None if record_id is None else get_record(model, record_id, noun)
        if before is not None:
            before(current)
        if current is None:
            record = model.create(**(create_with or {}), **values)
            audit.record("create", entity, record.id, actor)
            return record
        return update_record(
            model, record_id, version, values, entity=entity, noun=noun, actor=actor
        )


def changed_fields(before: Mapping[str, Any], after: BaseModel, names: list[str]) -> list[str]:
    """Which of `names` differ between the values a screen opened and the record now."""
    return [name for name in names if before.get(name) != getattr(after, name)]
