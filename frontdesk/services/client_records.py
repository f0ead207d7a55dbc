"""What a client's coverages and injury cases share: form pieces, opening, saving."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from frontdesk import formatting, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, refused, using
from frontdesk.models import BaseModel, Client
from frontdesk.services import records
from frontdesk.validation import ErrorCollector

Record = TypeVar("Record", bound=BaseModel)
DATE_HINT = "MM/DD/YYYY"
Parse = Callable[[str, str], Any]

optional_name: Parse = using(validation.person_name, required=False)
phone: Parse = using(validation.phone)
email: Parse = using(validation.email)


def text(max_length: int) -> Parse:
    return using(validation.optional_text, max_length=max_length)


def reference(max_length: int = 40) -> Parse:
    """A member ID, claim number and the like, as printed."""
    return using(validation.reference_code, max_length=max_length)


def choice_or_default(choices: tuple[tuple[str, str], ...], default: str) -> Parse:
    """One of the choices, by value or shown text; blank means `default`."""
    options = dict(choices)

    def parse(typed: str, label: str) -> str:
        if not typed.strip():
            return default
        return validation.choice(typed, label, options)

    return parse


def date_rule(name: str, label: str, parse: Parse | None = None, **options: Any) -> FieldRule:
    """A date typed as MM/DD/YYYY (any date unless `parse` says otherwise); blank is None."""
    return FieldRule(
        name, label, parse or using(validation.us_date), empty=None, hint=DATE_HINT, **options
    )


def money_text(cents: int | None) -> str:
    return "" if cents is None else formatting.money(cents)


def amount_text(cents: int | None) -> str:
    """An amount where nothing typed means zero: zero shows as nothing typed."""
    return formatting.money(cents) if cents else ""


def money_rule(name: str, label: str) -> FieldRule:
    """An optional amount of dollars, kept in cents."""
    return FieldRule(
        name,
        label,
        using(validation.money, required=False),
        empty=None,
        show=money_text,
        hint="e.g. 25.00",
    )


def require(
    errors: ErrorCollector,
    rules: Mapping[str, FieldRule],
    values: Mapping[str, Any],
    names: Iterable[str],
    why: str,
) -> None:
    """Refuse each named field left blank (and not refused already), saying `why` it is needed."""
    for name in names:
        rule = rules[name]
        if values.get(name) in ("", None) and not refused(errors, rule):
            errors.add(rule.label, f"this is required {why}; please fill it in.")


def form_texts(rules: Iterable[FieldRule], record: BaseModel) -> dict[str, str]:
    """The record's fields as a person would type them (to open it for editing)."""
    return {rule.name: rule.as_text(getattr(record, rule.name)) for rule in rules}


@needs(Can.READ_CLIENTS)
def get_client(client_id: int) -> Client:
    return records.get_record(Client, client_id, "client")


@needs(Can.EDIT_CLIENTS)
def save_for_client(
    model: type[Record],
    client_id: int,
    record_id: int | None,
    version: int | None,
    values: Mapping[str, Any],
    *,
    noun: str,
    actor: str = "",
    fixed: Mapping[str, Any] | None = None,
) -> Record:
    """Create the client's record, or update the one opened at `version`, with its audit event.

    `fixed` holds what a new record is created with and an update may not change (a case's
    kind). Raises RecordChanged or RecordMissing, and ValueError for a record of another client.
    """
    fixed = dict(fixed or {})

    def refuse_another_clients(current: Record | None) -> None:
        if current is None:
            return
        if current.client_id != client_id:
            raise ValueError(f"this {noun} belongs to another client")
        for name, value in fixed.items():
            if getattr(current, name) != value:
                raise ValueError(f"this {noun}'s {name} cannot change")

    return records.save_record(
        model,
        record_id,
        version,
        values,
        noun=noun,
        actor=actor,
        before=refuse_another_clients,
        create_with={"client": client_id, **fixed},
    )
