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
        text = "" if raw is None else str(raw)
        if self.required and not text.strip():
            raise ValidationError(self.label, REQUIRED)
        value = self.parse(text, self.label)
        return self.empty if value is None else value


def using(validator: Callable[..., Any], **options: Any) -> Callable[[str, str], Any]:
    """A parse function that calls `validator(text, label, **options)`."""
    return lambda text, label: validator(text, label, **options)


def clean_all(rules: Iterable[FieldRule], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate every rule's field of `raw`; raise ValidationErrors naming each bad one."""
    errors = ErrorCollector()
    values = {rule.name: errors.check(rule.clean, raw.get(rule.name, "")) for rule in rules}
    errors.raise_if_any()
    return values
