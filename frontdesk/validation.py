"""Validators: raw text from a form in, the normalized value out, or one ValidationError.

Each function checks one kind of value. It accepts the text as typed (surrounding spaces and
empty text are fine), returns the value in the form the program stores (E.164 phone numbers,
dates as ``date``, money as integer cents, ...), and otherwise raises a single
:class:`ValidationError` that names the field and says what to type instead. For any ``str``
input nothing but ``ValidationError`` ever escapes.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from frontdesk.formatting import age
from frontdesk.formatting import us_date as us_date_text
from frontdesk.textsearch import normalize_text

if TYPE_CHECKING:
    from frontdesk.icd10 import Icd10Code

logger = logging.getLogger(__name__)

T = TypeVar("T")

REQUIRED = "this is required; please fill it in."
DATE_FORMAT = "type the date as MM/DD/YYYY, e.g. 04/17/1980."
MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_AGE = 120
MAX_CENTS = 100_000_000  # $1,000,000.00
MAX_ICD10_SUGGESTIONS = 6
NPI_HINT = "copy it again from the NPI registry letter, license or prescription."

STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}
"""USPS two-letter codes (states, DC and inhabited territories) to full names."""

_STATE_ALIASES: dict[str, str] = {
    **{name.casefold(): code for code, name in STATES.items()},
    "us virgin islands": "VI",
    "virgin islands": "VI",
    "washington dc": "DC",
    "washington d.c.": "DC",
    "d.c.": "DC",
}

_NAME_PUNCTUATION = frozenset(" -'.")
_ZIP_RE = re.compile(r"([0-9]{5})(?:[- ]?([0-9]{4}))?")
_US_DATE_RE = re.compile(r"([0-9]{1,2})[/-]([0-9]{1,2})[/-]([0-9]+)")
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_MONEY_RE = re.compile(
    r"(?P<sign>-)?\$?(?P<sign2>-)?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<frac>[0-9]*))?"
)
_INTEGER_RE = re.compile(r"(?P<sign>[-+])?(?P<digits>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)")
_EIN_RE = re.compile(r"[0-9]{2}-?[0-9]{7}")
_ICD10_RE = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4}|[0-9A-Z]{1,4})?")
_LICENSE_RE = re.compile(r"[A-Z0-9.-]{3,20}")
_REFERENCE_RE = re.compile(r"[A-Z0-9][A-Z0-9 ./-]*")


class ValidationError(ValueError):
    """One field's value was refused; ``message`` says what to type instead."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.message))


class ValidationErrors(ValueError):
    """Several fields refused at once (a service checks a whole form before saving)."""

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        self.errors: list[ValidationError] = list(errors)
        super().__init__(self._describe())

    def _describe(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        lines = [f"Please correct {len(self.errors)} fields:"]
        lines.extend(f"- {err}" for err in self.errors)
        return "\n".join(lines)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))

    def by_field(self) -> dict[str, str]:
        """Map each field to its (first) message, e.g. to show next to the inputs."""
        result: dict[str, str] = {}
        for err in self.errors:
            result.setdefault(err.field, err.message)
        return result


class ErrorCollector:
    """Run several validators, keep every error, and raise them together.

    >>> errors = ErrorCollector()
    >>> last = errors.check(required_text, raw_last, "Last name")
    >>> errors.raise_if_any()
    """

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def check(self, validator: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Return the validator's result, or record its error(s) and return None."""
        try:
            return validator(*args, **kwargs)
        except ValidationError as err:
            self.errors.append(err)
        except ValidationErrors as errs:
            self.errors.extend(errs.errors)
        return None

    def add(self, field: str, message: str) -> None:
        """Record a refusal found by a rule that is not a validator function."""
        self.errors.append(ValidationError(field, message))

    def raise_if_any(self) -> None:
        """Raise ValidationErrors when anything was refused."""
        if self.errors:
            raise ValidationErrors(self.errors)


# --- helpers -----------------------------------------------------------------------------------


def _collapse(text: str | None) -> str:
    """Trim and collapse runs of whitespace (including line breaks) to one space."""
    return " ".join((text or "").split())


def _present(text: str | None, field: str, required: bool) -> str | None:
    """The collapsed text, or None when it is empty and allowed to be."""
    cleaned = _collapse(text)
    if cleaned:
        return cleaned
    if required:
        raise ValidationError(field, REQUIRED)
    return None


def _has_control_chars(text: str, allowed: str = "") -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text)


def _check_length(text: str, field: str, max_length: int) -> str:
    if len(text) > max_length:
        raise ValidationError(
            field,
            f"is too long ({len(text)} characters); shorten it to {max_length} characters "
            "or fewer.",
        )
    return text


def _check_printable(text: str, field: str, allowed: str = "") -> str:
    if _has_control_chars(text, allowed):
        raise ValidationError(
            field, "contains invisible control characters; retype it instead of pasting it."
        )
    return text


# --- text --------------------------------------------------------------------------------------


def required_text(text: str, field: str, max_length: int = 200) -> str:
    """One line of text that must not be empty; whitespace trimmed and collapsed."""
    cleaned = _present(text, field, required=True)
    assert cleaned is not None
    _check_printable(cleaned, field)
    return _check_length(cleaned, field, max_length)


def optional_text(text: str, field: str, max_length: int = 2000) -> str:
    """Free text such as notes; may be empty; line breaks kept, outer spaces trimmed."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned = "\n".join(line.rstrip() for line in lines).strip()
    _check_printable(cleaned, field, allowed="\n\t")
    return _check_length(cleaned, field, max_length)


def person_name(text: str, field: str, required: bool = True) -> str:
    """A person's name: letters (accents welcome), spaces, hyphens, apostrophes, periods."""
    cleaned = _present(normalize_text(text), field, required)
    if cleaned is None:
        return ""
    if not _is_name(cleaned):
        raise ValidationError(
            field,
            "use letters, spaces, hyphens (-), apostrophes (') and periods (.) only, "
            "e.g. Mary-Ann O'Neil Jr.",
        )
    return _check_length(cleaned, field, 80)


def _is_name(text: str) -> bool:
    letters = 0
    for ch in text:
        category = unicodedata.category(ch)
        if category.startswith("L"):
            letters += 1
        elif not (category.startswith("M") and letters) and ch not in _NAME_PUNCTUATION:
            return False
    return letters > 0


def choice(text: str, field: str, options: Mapping[str, str] | Iterable[str]) -> str:
    """One of the given options; matches a key or its label, ignoring case. Returns the key."""
    labels = dict(options) if isinstance(options, Mapping) else {opt: opt for opt in options}
    cleaned = _present(text, field, required=True)
    assert cleaned is not None
    wanted = cleaned.casefold()
    for key, label in labels.items():
        if wanted in (_collapse(key).casefold(), _collapse(label).casefold()):
            return key
    shown = ", ".join(labels.values())
    raise ValidationError(field, f"choose one of: {shown}.")


# --- contact details ---------------------------------------------------------------------------


def phone(text: str, field: str = "Phone", required: bool = False) -> str | None:
    """A phone number, US unless it starts with +; returned as E.164, e.g. "+15035550123"."""
    cleaned = _present(text, field, required)
    if cleaned is None:
        return None
    import phonenumbers  # loaded when a form first needs it, not at start-up

    hint = "type a 10-digit US number, e.g. (503) 555-0123 (other countries: start with +)."
    try:
        number = phonenumbers.parse(cleaned, "US")
    except phonenumbers.NumberParseException:
        raise ValidationError(field, hint) from None
    if number.extension:
        raise ValidationError(
            field,
            "type the number without an extension, e.g. (503) 555-0123; "
            "put the extension in the notes.",
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(field, f"{cleaned} is not a working phone number; {hint}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email(text: str, field: str = "Email", required: bool = False) -> str | None:
    """An email address, normalized (domain lower-cased); deliverability is not checked."""
    cleaned = _present(text, field, required)
    if cleaned is None:
        return None
    from email_validator import EmailNotValidError, validate_email  # loaded when first needed

    try:
        result = validate_email(cleaned, check_deliverability=False)
    except (EmailNotValidError, UnicodeError) as err:
        reason = str(err).strip() or "it is not a valid address."
        reason = reason[0].lower() + reason[1:]
        raise ValidationError(
            field, f"type a full address like jane@example.com; {reason}"
        ) from None
    return result.normalized


def zip_code(text: str, field: str = "ZIP", required: bool = False) -> str | None:
    """A US ZIP code: "12345" or "12345-6789" (nine digits without the dash also work)."""
    cleaned = _present(text, field, required)
    if cleaned is None:
        return None
    match = _ZIP_RE.fullmatch(cleaned)
    if not match:
        raise ValidationError(field, "type 5 digits, or ZIP+4 as 12345-6789.")
    five, four = match.groups()
    return f"{five}-{four}" if four else five


def state(text: str, field: str = "State", required: bool = False) -> str | None:
    """A USPS state or territory code ("OR"); the full name ("oregon") works too."""
    cleaned = _present(text, field, required)
    if cleaned is None:
        return None
    code = cleaned.upper()
    if code in STATES:
        return code
    alias = _STATE_ALIASES.get(cleaned.casefold())
    if alias is None:
        raise ValidationError(
            field, "type the 2-letter postal code or the full name, e.g. OR or Oregon."
        )
    return alias


# --- dates -------------------------------------------------------------------------------------


def us_date(text: str, field: str, required: bool = False) -> date | None:
    """A date typed as MM/DD/YYYY, M/D/YYYY or YYYY-MM-DD."""
    cleaned = _present(text, field, required)
    if cleaned is None:
        return None
    year, month, day = _date_parts(cleaned, field)
    try:
        result = date(year, month, day)
    except ValueError:
        raise ValidationError(
            field, f"{cleaned} is not a real date (check the month and day); {DATE_FORMAT}"
        ) from None
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise ValidationError(
            field, f"check the year: {result.year} is not between {MIN_YEAR} and {MAX_YEAR}."
        )
    return result


def _date_parts(cleaned: str, field: str) -> tuple[int, int, int]:
    """(year, month, day) from one of the accepted layouts."""
    match = _ISO_DATE_RE.fullmatch(cleaned)
    if match:
        year, month, day = match.groups()
        return int(year), int(month), int(day)
    match = _US_DATE_RE.fullmatch(cleaned)
    if not match:
        raise ValidationError(field, DATE_FORMAT)
    month, day, year = match.groups()
    if len(year) == 2:
        raise ValidationError(
            field, f"type the year with all 4 digits (19{year} or 20{year}); {DATE_FORMAT}"
        )
    if len(year) != 4:
        raise ValidationError(field, DATE_FORMAT)
    return int(year), int(month), int(day)


def past_or_today_date(
    text: str, field: str, today: date | None = None, required: bool = False
) -> date | None:
    """A date that is today or earlier (e.g. the day a consent form was signed)."""
    result = us_date(text, field, required=required)
    today = today or date.today()
    if result is not None and result > today:
        raise ValidationError(
            field, f"{us_date_text(result)} is after today ({us_date_text(today)}); check the date."
        )
    return result


def birth_date(
    text: str, field: str = "Date of birth", today: date | None = None, required: bool = True
) -> date | None:
    """A date of birth: not in the future and at most 120 years ago."""
    today = today or date.today()
    result = past_or_today_date(text, field, today=today, required=required)
    if result is not None and age(result, today) > MAX_AGE:
        raise ValidationError(
            field, f"{us_date_text(result)} would make the client over {MAX_AGE}; check the year."
        )
    return result


# --- numbers -----------------------------------------------------------------------------------


def money(text: str, field: str = "Amount", required: bool = True) -> int | None:
    """An amount of dollars ("$1,234.56", "12", "12.5") as integer cents."""
    cleaned = _present(text, field, required)
    if cleaned is None:
        return None
    match = _MONEY_RE.fullmatch(cleaned.replace(" ", ""))
    if not match or not (match["whole"] or match["frac"]):
        raise ValidationError(
            field, "type an amount in dollars and cents, e.g. 85.00 or $1,234.56."
        )
    if match["sign"] or match["sign2"]:
        raise ValidationError(field, "cannot be negative; type the amount without a minus sign.")
    frac = match["frac"] or ""
    if len(frac) > 2:
        raise ValidationError(field, "use at most 2 digits for cents, e.g. 12.50.")
    whole = match["whole"].replace(",", "")
    if len(whole) > 9:
        raise ValidationError(field, _too_much())
    cents = int(whole or "0") * 100 + int(frac.ljust(2, "0"))
    if cents > MAX_CENTS:
        raise ValidationError(field, _too_much())
    return cents


def _too_much() -> str:
    return "is more than $1,000,000.00; check the amount."


def integer(
    text: str,
    field: str,
    minimum: int | None = None,
    maximum: int | None = None,
    required: bool = True,
) -> int | None:
    """A whole number, optionally within [minimum, maximum]."""
    cleaned = _present(text, field, required)
    if cleaned is None:
        return None
    hint = _range_hint(minimum, maximum)
    match = _INTEGER_RE.fullmatch(cleaned)
    if not match or len(match["digits"]) > 30:
        raise ValidationError(
            field, f"type a whole number{hint}, e.g. {_example(minimum, maximum)}."
        )
    value = int(match["digits"].replace(",", ""))
    value = -value if match["sign"] == "-" else value
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValidationError(field, f"{value} is out of range; type a whole number{hint}.")
    return value


def _range_hint(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f" of at least {minimum}"
    if maximum is not None:
        return f" of at most {maximum}"
    return ""


def _example(minimum: int | None, maximum: int | None) -> int:
    example = 12
    if minimum is not None and example < minimum:
        example = minimum
    if maximum is not None and example > maximum:
        example = maximum
    return example


# --- identifiers -------------------------------------------------------------------------------


def reference_code(text: str, field: str, max_length: int = 40) -> str:
    """A number as printed on a card or letter (member ID, claim number, ...), upper-cased.

    Letters, digits, spaces, dashes, periods and slashes; may be empty.
    """
    cleaned = _collapse(text).upper()
    if cleaned and not _REFERENCE_RE.fullmatch(cleaned):
        raise ValidationError(
            field,
            "use letters, digits, dashes, periods and slashes only, as printed, e.g. XYZ123456.",
        )
    return _check_length(cleaned, field, max_length)


def npi(text: str, field: str = "NPI", required: bool = False) -> str | None:
    """A National Provider Identifier: 10 digits, starting with 1 (a person) or 2 (an
    organization), passing the Luhn check with the prefix 80840."""
    cleaned = _present(text, field, required)
    if cleaned is None:
        return None
    digits = re.sub(r"[\s-]", "", cleaned)
    if not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
        raise ValidationError(field, f"an NPI is exactly 10 digits; {NPI_HINT}")
    if digits[0] not in "12":
        raise ValidationError(
            field, f"an NPI starts with 1 or 2, and {digits} does not; {NPI_HINT}"
        )
    from stdnum import luhn  # loaded when first needed

    if not luhn.is_valid("80840" + digits):
        raise ValidationError(
            field,
            f"{digits} is not a valid NPI (a digit is wrong or two are swapped); {NPI_HINT}",
        )
    return digits


def ein(text: str, field: str = "EIN", required: bool = False) -> str | None:
    """A federal Employer Identification Number, returned as "12-3456789"."""
    cleaned = _present(text, field, required)
    if cleaned is None:
        return None
    compact = cleaned.replace(" ", "")
    hint = "type the 9-digit EIN as 12-3456789, as shown on the IRS letter or form W-9."
    if not _EIN_RE.fullmatch(compact):
        raise ValidationError(field, hint)
    from stdnum.exceptions import ValidationError as StdnumError  # loaded when first needed
    from stdnum.us import ein as stdnum_ein

    try:
        stdnum_ein.validate(compact)
    except StdnumError:
        raise ValidationError(
            field, f"{compact[:2]} is not an IRS prefix, so this is not a real EIN; {hint}"
        ) from None
    return stdnum_ein.format(compact)


def license_number(text: str, field: str = "License number") -> str:
    """A state license number: 3 to 20 letters, digits, dashes or periods, upper-cased."""
    cleaned = _present(text, field, required=True)
    assert cleaned is not None
    if not (cleaned.isascii() and _LICENSE_RE.fullmatch(cleaned.upper())):
        raise ValidationError(
            field,
            "type the license number as printed (3 to 20 letters, digits, dashes or periods, "
            "no spaces), e.g. LMT-12345.",
        )
    return cleaned.upper()


def icd10_code(text: str, field: str = "Diagnosis code") -> Icd10Code:
    """A billable ICD-10-CM diagnosis code ("m5450" -> M54.50) with its description."""
    from frontdesk import icd10  # lazy: the code index loads on first use

    cleaned = "".join((_present(text, field, required=True) or "").split())
    hint = "type the code from the prescription, e.g. M54.50."
    if not (cleaned.isascii() and _ICD10_RE.fullmatch(cleaned.upper())):
        raise ValidationError(field, f"{cleaned} is not an ICD-10-CM code; {hint}")
    try:
        code = icd10.normalize_code(cleaned).rstrip(".")
    except ValueError:
        raise ValidationError(field, f"{cleaned} is not an ICD-10-CM code; {hint}") from None
    found = icd10.lookup(code)
    if found is None:
        raise ValidationError(field, f"{code} is not in the ICD-10-CM code set; {hint}")
    if not found.billable:
        raise ValidationError(field, _category_message(found.code, icd10.billable_children(code)))
    return found


def _category_message(code: str, children: list[Icd10Code]) -> str:
    if not children:
        return f"{code} is a category; use a more specific billable code."
    shown = [child.code for child in children[:MAX_ICD10_SUGGESTIONS]]
    more = ", …" if len(children) > MAX_ICD10_SUGGESTIONS else ""
    return f"{code} is a category; use a billable code: {', '.join(shown)}{more}"


def period_in_order(start: date | None, end: date | None, end_field: str = "To") -> None:
    """ValidationError on `end_field` when a period ends before it starts (a blank end passes)."""
    if start is not None and end is not None and end < start:
        raise ValidationError(
            end_field, f"this is before the From date ({start:%m/%d/%Y}); check the dates."
        )
