"""Display formatting: money, dates, phone numbers and ages as a US clinic shows them."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk import formatting


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (0, "$0.00"),
        (5, "$0.05"),
        (99, "$0.99"),
        (8500, "$85.00"),
        (123456, "$1,234.56"),
        (100_000_000, "$1,000,000.00"),
        (-500, "-$5.00"),
        (-123456, "-$1,234.56"),
        (-1, "-$0.01"),
    ],
)
def test_money(cents: int, shown: str) -> None:
    assert formatting.money(cents) == shown


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_money_digits_add_up(cents: int) -> None:
    shown = formatting.money(cents)
    assert shown.startswith("-$" if cents < 0 else "$")
    digits = shown.lstrip("-$").replace(",", "").replace(".", "")
    assert int(digits) == abs(cents)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(1980, 4, 17), "04/17/1980"),
        (date(2025, 12, 1), "12/01/2025"),
        (date(5, 1, 2), "01/02/0005"),
        (datetime(2024, 2, 29, 13, 45), "02/29/2024"),
        (None, ""),
    ],
)
def test_us_date(value: date | None, shown: str) -> None:
    assert formatting.us_date(value) == shown


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+15035550123", "(503) 555-0123"),
        ("+12125550199", "(212) 555-0199"),
        ("+442079460958", "+44 20 7946 0958"),
        ("+4930123456", "+49 30 123456"),
        (None, ""),
        ("", ""),
        ("not a number", "not a number"),
    ],
)
def test_phone(stored: str | None, shown: str) -> None:
    assert formatting.phone(stored) == shown


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_phone_never_fails_on_odd_stored_text(stored: str) -> None:
    assert isinstance(formatting.phone(stored), str)


@pytest.mark.parametrize(
    ("born", "today", "years"),
    [
        (date(1980, 4, 17), date(2025, 4, 16), 44),
        (date(1980, 4, 17), date(2025, 4, 17), 45),
        (date(1980, 4, 17), date(2025, 12, 31), 45),
        (date(2025, 6, 15), date(2025, 6, 15), 0),
        (date(2000, 2, 29), date(2023, 2, 28), 22),
        (date(2000, 2, 29), date(2023, 3, 1), 23),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
    ],
)
def test_age(born: date, today: date, years: int) -> None:
    assert formatting.age(born, today) == years


def test_age_defaults_to_today() -> None:
    born = date(1990, 1, 1)
    assert formatting.age(born) == formatting.age(born, date.today())
