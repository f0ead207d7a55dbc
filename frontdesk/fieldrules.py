"""Field rules: a field's name, its visible label and the validator for its raw text.

Services validate a whole record through its rules; the UI builds each input's
label and on-leave check from the same rule, so both always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from frontdesk import formatting
from frontdesk.textsearch import normalize_text
from frontdesk.validation import REQUIRED, ErrorCollector, ValidationError


@dataclass(frozen=True)
class FieldRule:
    name: str
    label: str
    parse: Callable[[str, str], Any]  # (raw text, label) -> value, or ValidationError
    required: bool = False  # blank text is refused before `parse` runs
    empty: Any = ""  # what an empty optional field is stored as
    multiline: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, shown text)
    show: Callable[[Any], str] | None = None  # stored value -> text for the input
    hint: str = ""  # the shape to type, shown in the empty input, e.g. "MM/DD/YYYY"

    def as_text(self, value: Any) -> str:
        """The stored value as a person would type it."""
        if self.show is not None:
            return self.show(value)
        if value is None:
            return ""
        if isinstance(value, date):
            return formatting.us_date(value)
        return str(value)

    def clean(self, raw: Any) -> Any:
        """Validate one raw value; an empty optional field becomes `empty`."""
        text = normalize_text("" if raw is None else str(raw))
        if self.required and not text.strip():
            raise ValidationError(self.label, REQUIRED)
        value = self.parse(text, self.label)
        return self.empty if value is None else value


def using(validator: Callable[..., Any], **options: Any) -> Callable[[str, str], Any]:
    """A parse function that calls `validator(text, label, **options)`."""
    return lambda text, label: validator(text, label, **options)


@dataclass(frozen=True)
class NotBefore:
    """Two dates in order: the `later` field's date may not be before the `earlier` one's."""

    later: FieldRule
    earlier: FieldRule

    def check(self, values: Mapping[str, Any]) -> None:
        """Refuse the later date when it is before the earlier; skip a date that is missing."""
        later, earlier = values.get(self.later.name), values.get(self.earlier.name)
        if later is not None and earlier is not None and later < earlier:
            raise ValidationError(
                self.later.label,
                f"this is before the {self.earlier.label.lower()} "
                f"({self.earlier.as_text(earlier)}); check the date.",
            )


def clean_all(
    rules: Iterable[FieldRule],
    raw: Mapping[str, Any],
    orders: Iterable[NotBefore] = (),
    known: Mapping[str, Any] | None = None,
    errors: ErrorCollector | None = None,
) -> dict[str, Any]:
    """Validate every rule's field of `raw`, then the `orders` between the valid ones.

    `known` holds values of other records an order may compare with (e.g. a client's
    date of birth for a prescription). Raise ValidationErrors naming each bad field;
    given `errors`, add the refusals to it instead and return what is valid (None for a
    refused field), so a service can check more before raising them all together.
    """
    collector = ErrorCollector() if errors is None else errors
    values = {rule.name: collector.check(rule.clean, raw.get(rule.name, "")) for rule in rules}
    for order in orders:
        collector.check(order.check, {**(known or {}), **values})
    if errors is None:
        collector.raise_if_any()
    return values


def refused(errors: ErrorCollector, rule: FieldRule) -> bool:
    """True when the collector already holds a refusal of this rule's field."""
    return any(error.field == rule.label for error in errors.errors)
