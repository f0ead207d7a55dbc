"""Display formatting in US conventions: $1,234.56, MM/DD/YYYY, (503) 555-0123, age in years.

These functions never raise on stored values: they show what they can.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

logger = logging.getLogger(__name__)


def money(cents: int) -> str:
    """Integer cents as dollars: 123456 -> "$1,234.56", -500 -> "-$5.00"."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


def us_date(value: date | None) -> str:
    """A date as MM/DD/YYYY; None as ""."""
    if value is None:
        return ""
    return f"{value.month:02d}/{value.day:02d}/{value.year:04d}"


def clock(moment: datetime) -> str:
    """A time of day as "9:30 AM"."""
    return moment.strftime("%I:%M %p").lstrip("0")


def us_date_time(moment: datetime) -> str:
    """A moment as "MM/DD/YYYY 9:30 AM"."""
    return f"{us_date(moment.date())} {clock(moment)}"


def phone(e164: str | None) -> str:
    """A stored E.164 number for display: US as (503) 555-0123, others internationally."""
    if not e164:
        return ""
    import phonenumbers  # loaded with the first number shown, not at start-up

    try:
        number = phonenumbers.parse(e164, "US")
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == "US":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def age(born: date, today: date | None = None) -> int:
    """Whole years from ``born`` to ``today`` (a Feb 29 birthday counts from Mar 1)."""
    today = today or date.today()
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    return today.year - born.year - (0 if had_birthday else 1)


def address(line1: str, line2: str, city: str, state: str, zip_code: str) -> str:
    """One line: "1420 NE Broadway, Suite 210, Portland, OR 97232" (blank parts left out)."""
    state_zip = " ".join(part for part in (state, zip_code) if part)
    return ", ".join(part for part in (line1, line2, city, state_zip) if part)


def counted(count: int, noun: str) -> str:
    """ "1 client", "3 clients": a count with its noun (nouns that add an s)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
