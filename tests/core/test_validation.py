"""Validators: what a receptionist types, what is stored, and what they are told when refused."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk import formatting, validation
from frontdesk.validation import ErrorCollector, ValidationError, ValidationErrors

TODAY = date(2025, 6, 15)


def refused(func: Callable[..., Any], *args: Any, **kwargs: Any) -> ValidationError:
    """Call a validator that must refuse; return its error after common checks."""
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    err = info.value
    assert str(err) == f"{err.field}: {err.message}"
    assert err.message.strip()
    return err


# --- the error types ---------------------------------------------------------------------------


def test_validation_error_names_field_and_message() -> None:
    err = ValidationError("Date of birth", "type the date as MM/DD/YYYY, e.g. 04/17/1980.")
    assert err.field == "Date of birth"
    assert err.message == "type the date as MM/DD/YYYY, e.g. 04/17/1980."
    assert str(err) == "Date of birth: type the date as MM/DD/YYYY, e.g. 04/17/1980."
    assert isinstance(err, ValueError)
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.field, copy.message) == (err.field, err.message)


def test_validation_errors_lists_every_field() -> None:
    errors = ValidationErrors(
        [ValidationError("Last name", "this is required."), ValidationError("ZIP", "type 5.")]
    )
    assert isinstance(errors, ValueError)
    assert [e.field for e in errors.errors] == ["Last name", "ZIP"]
    text = str(errors)
    assert "Last name: this is required." in text
    assert "ZIP: type 5." in text
    assert errors.by_field() == {"Last name": "this is required.", "ZIP": "type 5."}
    assert len(pickle.loads(pickle.dumps(errors)).errors) == 2


def test_validation_errors_with_one_error_reads_like_it() -> None:
    assert str(ValidationErrors([ValidationError("ZIP", "type 5.")])) == "ZIP: type 5."


def test_error_collector_keeps_values_and_raises_all_errors() -> None:
    collect = ErrorCollector()
    assert collect.check(validation.required_text, " Ana ", "First name") == "Ana"
    assert collect.check(validation.required_text, "", "Last name") is None
    assert collect.check(validation.zip_code, "1234", "ZIP") is None
    collect.add("Visits", "must be at least 1.")
    with pytest.raises(ValidationErrors) as info:
        collect.raise_if_any()
    assert [e.field for e in info.value.errors] == ["Last name", "ZIP", "Visits"]


def test_error_collector_without_errors_does_not_raise() -> None:
    collect = ErrorCollector()
    collect.check(validation.zip_code, "97201")
    collect.raise_if_any()


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Suite 4", "Suite 4"),
        ("  12  Main   St.  ", "12 Main St."),
        ("line\none", "line one"),
        ("x" * 200, "x" * 200),
    ],
)
def test_required_text_accepts(raw: str, expected: str) -> None:
    assert validation.required_text(raw, "Address") == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("", "required"),
        ("   \t\n", "required"),
        ("x" * 201, "200 characters"),
        ("a\x00b", "retype"),
    ],
)
def test_required_text_refuses(raw: str, hint: str) -> None:
    err = refused(validation.required_text, raw, "Address")
    assert err.field == "Address"
    assert hint in err.message


def test_required_text_custom_max_length() -> None:
    assert validation.required_text("abc", "Credentials", max_length=3) == "abc"
    err = refused(validation.required_text, "abcd", "Credentials", max_length=3)
    assert "3 characters or fewer" in err.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("  Allergic to nuts.  ", "Allergic to nuts."),
        ("line one  \r\nline two\n", "line one\nline two"),
        ("a\tb", "a\tb"),
    ],
)
def test_optional_text_accepts(raw: str, expected: str) -> None:
    assert validation.optional_text(raw, "Notes") == expected


@pytest.mark.parametrize(("raw", "hint"), [("x" * 2001, "2000"), ("bell\x07", "retype")])
def test_optional_text_refuses(raw: str, hint: str) -> None:
    err = refused(validation.optional_text, raw, "Notes")
    assert err.field == "Notes"
    assert hint in err.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mary-Ann", "Mary-Ann"),
        ("  o'neil ", "o'neil"),
        ("O\u2019Brien", "O'Brien"),
        ("José  García", "José García"),
        ("Jose\u0301", "José"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("Nguyễn", "Nguyễn"),
        ("Zoë", "Zoë"),
    ],
)
def test_person_name_accepts(raw: str, expected: str) -> None:
    assert validation.person_name(raw, "Last name") == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("", "required"),
        ("R2D2", "letters"),
        ("Smith, John", "letters"),
        ("--", "letters"),
        ("Ann@home", "letters"),
        ("A" * 81, "80 characters"),
    ],
)
def test_person_name_refuses(raw: str, hint: str) -> None:
    err = refused(validation.person_name, raw, "Last name")
    assert err.field == "Last name"
    assert hint in err.message


def test_person_name_optional_may_be_empty() -> None:
    assert validation.person_name("  ", "Middle name", required=False) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("cash", "cash"), ("HSA/FSA card", "hsa"), ("  hsa/fsa   CARD ", "hsa"), ("Card", "card")],
)
def test_choice_with_labels(raw: str, expected: str) -> None:
    options = {"cash": "Cash", "card": "Card", "hsa": "HSA/FSA card"}
    assert validation.choice(raw, "Payment method", options) == expected


def test_choice_with_plain_options() -> None:
    assert validation.choice("weekly", "Frequency", ["Weekly", "Monthly"]) == "Weekly"
    assert validation.choice("Monthly", "Frequency", iter(["Weekly", "Monthly"])) == "Monthly"


@pytest.mark.parametrize(
    ("raw", "hint"), [("", "required"), ("cheque", "choose one of: Cash, Card")]
)
def test_choice_refuses(raw: str, hint: str) -> None:
    err = refused(validation.choice, raw, "Payment method", {"cash": "Cash", "card": "Card"})
    assert err.field == "Payment method"
    assert hint in err.message


# --- contact details ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(503) 555-0123", "+15035550123"),
        ("503.555.0123", "+15035550123"),
        ("+1 503 555 0123", "+15035550123"),
        ("5035550123", "+15035550123"),
        (" 1-503-555-0123 ", "+15035550123"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_accepts(raw: str, expected: str) -> None:
    assert validation.phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("555-0123", "10-digit US number"),
        ("123-456-7890", "not a working phone number"),
        ("+1 503 555 01234", "(503) 555-0123"),
        ("call me", "10-digit US number"),
        ("(503) 555-0123 ext. 12", "without an extension"),
    ],
)
def test_phone_refuses(raw: str, hint: str) -> None:
    err = refused(validation.phone, raw, "Cell phone")
    assert err.field == "Cell phone"
    assert hint in err.message


def test_phone_empty() -> None:
    assert validation.phone("  ") is None
    assert "required" in refused(validation.phone, "", required=True).message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Jane.Doe@Example.COM ", "Jane.Doe@example.com"),
        ("j+tag@mail.example.org", "j+tag@mail.example.org"),
        ("zoë@exämple.com", "zoë@exämple.com"),
    ],
)
def test_email_accepts(raw: str, expected: str) -> None:
    assert validation.email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["jane", "jane@", "jane@localhost", "jane@gmail", "jane doe@example.com", "@example.com"]
)
def test_email_refuses(raw: str) -> None:
    err = refused(validation.email, raw, "Email")
    assert err.field == "Email"
    assert "type a full address like jane@example.com" in err.message


def test_email_empty() -> None:
    assert validation.email("") is None
    assert "required" in refused(validation.email, " ", required=True).message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("97201", "97201"), (" 97201-1234 ", "97201-1234"), ("972011234", "97201-1234")],
)
def test_zip_code_accepts(raw: str, expected: str) -> None:
    assert validation.zip_code(raw) == expected


@pytest.mark.parametrize("raw", ["9720", "972011", "97201-12", "ABCDE", "９７２０１"])
def test_zip_code_refuses(raw: str) -> None:
    err = refused(validation.zip_code, raw)
    assert err.field == "ZIP"
    assert "12345-6789" in err.message


def test_zip_code_empty() -> None:
    assert validation.zip_code("") is None
    assert "required" in refused(validation.zip_code, "", required=True).message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("OR", "OR"),
        (" or ", "OR"),
        ("oregon", "OR"),
        ("New  York", "NY"),
        ("dc", "DC"),
        ("District of Columbia", "DC"),
        ("pr", "PR"),
        ("vi", "VI"),
        ("gu", "GU"),
        ("AS", "AS"),
        ("mp", "MP"),
        ("Puerto Rico", "PR"),
    ],
)
def test_state_accepts(raw: str, expected: str) -> None:
    assert validation.state(raw) == expected


@pytest.mark.parametrize("raw", ["XX", "Oregan", "O", "Ontario"])
def test_state_refuses(raw: str) -> None:
    err = refused(validation.state, raw, "License state")
    assert err.field == "License state"
    assert "OR or Oregon" in err.message


def test_state_empty() -> None:
    assert validation.state("") is None
    assert "required" in refused(validation.state, "", required=True).message


def test_states_table_is_complete() -> None:
    assert len(validation.STATES) == 56  # 50 states, DC and 5 territories


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("04/17/1980", date(1980, 4, 17)),
        ("4/7/1980", date(1980, 4, 7)),
        (" 1980-04-17 ", date(1980, 4, 17)),
        ("04-17-1980", date(1980, 4, 17)),
        ("02/29/2024", date(2024, 2, 29)),
    ],
)
def test_us_date_accepts(raw: str, expected: date) -> None:
    assert validation.us_date(raw, "Date written") == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("04/17/80", "all 4 digits (1980 or 2080)"),
        ("17/04/1980", "not a real date"),
        ("02/29/2023", "not a real date"),
        ("April 17, 1980", "MM/DD/YYYY, e.g. 04/17/1980"),
        ("04/17/19800", "MM/DD/YYYY"),
        ("04171980", "MM/DD/YYYY"),
        ("00/00/0000", "not a real date"),
        ("01/01/1850", "check the year"),
        ("01/01/2999", "check the year"),
    ],
)
def test_us_date_refuses(raw: str, hint: str) -> None:
    err = refused(validation.us_date, raw, "Date written")
    assert err.field == "Date written"
    assert hint in err.message


def test_us_date_empty() -> None:
    assert validation.us_date("", "Date written") is None
    err = refused(validation.us_date, "", "Date written", required=True)
    assert "required" in err.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("04/17/1980", date(1980, 4, 17)),
        ("06/15/2025", TODAY),  # born today
        ("06/16/1905", date(1905, 6, 16)),  # 119 years old
        ("06/15/1905", date(1905, 6, 15)),  # 120 today
        ("06/16/1904", date(1904, 6, 16)),  # 120, turning 121 tomorrow
    ],
)
def test_birth_date_accepts(raw: str, expected: date) -> None:
    assert validation.birth_date(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("06/16/2025", "after today"),
        ("01/01/2030", "check the date"),
        ("06/15/1904", "over 120; check the year"),
        ("", "required"),
        ("4/17/80", "4 digits"),
    ],
)
def test_birth_date_refuses(raw: str, hint: str) -> None:
    err = refused(validation.birth_date, raw, today=TODAY)
    assert err.field == "Date of birth"
    assert hint in err.message


def test_birth_date_optional_and_default_today() -> None:
    assert validation.birth_date("", required=False) is None
    assert validation.birth_date("01/01/1990") == date(1990, 1, 1)


def test_past_or_today_date() -> None:
    check = validation.past_or_today_date
    assert check("06/15/2025", "Consent signed on", today=TODAY) == TODAY
    assert check("", "Consent signed on", today=TODAY) is None
    err = refused(check, "06/16/2025", "Consent signed on", today=TODAY)
    assert err.field == "Consent signed on"
    assert "06/16/2025 is after today (06/15/2025)" in err.message
    assert "required" in refused(check, "", "Consent signed on", required=True).message


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$1,234.56", 123456),
        ("12", 1200),
        ("12.5", 1250),
        ("0.99", 99),
        (".99", 99),
        ("12.", 1200),
        ("0", 0),
        (" $ 85.00 ", 8500),
        ("1,000,000", 100_000_000),
        ("1000000.00", 100_000_000),
    ],
)
def test_money_accepts(raw: str, expected: int) -> None:
    assert validation.money(raw) == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("-5", "cannot be negative"),
        ("$-5.00", "cannot be negative"),
        ("-$5", "cannot be negative"),
        ("12.345", "at most 2 digits for cents"),
        ("1,000,000.01", "more than $1,000,000.00"),
        ("99999999999999999999", "more than $1,000,000.00"),
        ("12,50", "e.g. 85.00 or $1,234.56"),
        ("ten", "e.g. 85.00 or $1,234.56"),
        ("$", "e.g. 85.00 or $1,234.56"),
        ("1.2.3", "e.g. 85.00 or $1,234.56"),
        ("", "required"),
    ],
)
def test_money_refuses(raw: str, hint: str) -> None:
    err = refused(validation.money, raw, "Charge")
    assert err.field == "Charge"
    assert hint in err.message


def test_money_optional() -> None:
    assert validation.money("  ", required=False) is None


@pytest.mark.parametrize(
    ("raw", "expected"), [("12", 12), (" 0 ", 0), ("-3", -3), ("+4", 4), ("1,200", 1200)]
)
def test_integer_accepts(raw: str, expected: int) -> None:
    assert validation.integer(raw, "Visits") == expected


@pytest.mark.parametrize(
    ("raw", "minimum", "maximum", "hint"),
    [
        ("2.5", None, None, "type a whole number, e.g. 12"),
        ("twelve", 1, 52, "whole number from 1 to 52"),
        ("0", 1, 52, "0 is out of range; type a whole number from 1 to 52"),
        ("53", 1, 52, "from 1 to 52"),
        ("-1", 0, None, "of at least 0"),
        ("x", None, 10, "of at most 10, e.g. 10"),
        ("x", 20, None, "of at least 20, e.g. 20"),
        ("100", None, 10, "100 is out of range; type a whole number of at most 10."),
        ("9" * 40, None, None, "whole number"),
        ("", None, None, "required"),
    ],
)
def test_integer_refuses(raw: str, minimum: int | None, maximum: int | None, hint: str) -> None:
    err = refused(validation.integer, raw, "Visits", minimum=minimum, maximum=maximum)
    assert err.field == "Visits"
    assert hint in err.message


def test_integer_optional_and_bounds_inclusive() -> None:
    assert validation.integer("", "Units", required=False) is None
    assert validation.integer("1", "Units", minimum=1, maximum=4) == 1
    assert validation.integer("4", "Units", minimum=1, maximum=4) == 4


# --- identifiers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234567893", "1234567893"),
        (" 123 456 7893 ", "1234567893"),
        ("1987-654-328", "1987654328"),
    ],
)
def test_npi_accepts(raw: str, expected: str) -> None:
    assert validation.npi(raw) == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("1234567890", "not a valid NPI"),
        ("1234567839", "not a valid NPI"),
        ("123456789", "an NPI is exactly 10 digits"),
        ("12345678934", "an NPI is exactly 10 digits"),
        ("ABCDEFGHIJ", "an NPI is exactly 10 digits"),
        ("１２３４５６７８９３", "an NPI is exactly 10 digits"),
    ],
)
def test_npi_refuses(raw: str, hint: str) -> None:
    err = refused(validation.npi, raw, "Physician NPI")
    assert err.field == "Physician NPI"
    assert hint in err.message
    assert "copy it again from the NPI registry letter" in err.message


def test_npi_empty() -> None:
    assert validation.npi("") is None
    assert "required" in refused(validation.npi, "", required=True).message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12-3456789", "12-3456789"), ("123456789", "12-3456789"), (" 04 1234567 ", "04-1234567")],
)
def test_ein_accepts(raw: str, expected: str) -> None:
    assert validation.ein(raw) == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("00-1234567", "00 is not an IRS prefix"),
        ("07-1234567", "07 is not an IRS prefix"),
        ("12-345678", "type the 9-digit EIN as 12-3456789"),
        ("123-456789", "12-3456789"),
        ("12-34567890", "12-3456789"),
        ("AB-CDEFGHI", "12-3456789"),
    ],
)
def test_ein_refuses(raw: str, hint: str) -> None:
    err = refused(validation.ein, raw)
    assert err.field == "EIN"
    assert hint in err.message


def test_ein_empty() -> None:
    assert validation.ein("") is None
    assert "required" in refused(validation.ein, "", required=True).message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("LMT-12345", "LMT-12345"), (" ma60123 ", "MA60123"), ("123", "123"), ("A.B-1", "A.B-1")],
)
def test_license_number_accepts(raw: str, expected: str) -> None:
    assert validation.license_number(raw) == expected


@pytest.mark.parametrize("raw", ["12", "A" * 21, "MA 60123", "MA#60123", "straße1", "ﬁ123"])
def test_license_number_refuses(raw: str) -> None:
    err = refused(validation.license_number, raw)
    assert err.field == "License number"
    assert "3 to 20 letters, digits, dashes or periods" in err.message


def test_license_number_required() -> None:
    assert "required" in refused(validation.license_number, " ").message


# --- ICD-10-CM (against the real code set) -----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("M54.50", "M54.50"),
        ("m5450", "M54.50"),
        (" m54.2 ", "M54.2"),
        ("M62.830", "M62.830"),
        ("M 54 .2", "M54.2"),
    ],
)
def test_icd10_code_accepts_billable_codes(raw: str, expected: str) -> None:
    found = validation.icd10_code(raw)
    assert found.code == expected
    assert found.billable
    assert found.description


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("", "required"),
        ("back pain", "is not an ICD-10-CM code; type the code from the prescription"),
        ("5450", "e.g. M54.50"),
        ("M54.50000", "is not an ICD-10-CM code"),
        ("M5.45", "is not an ICD-10-CM code"),
        ("m54..2", "is not an ICD-10-CM code"),
        ("Z99.99X", "is not in the ICD-10-CM code set"),
    ],
)
def test_icd10_code_refuses(raw: str, hint: str) -> None:
    err = refused(validation.icd10_code, raw)
    assert err.field == "Diagnosis code"
    assert hint in err.message


def test_icd10_category_suggests_billable_codes() -> None:
    err = refused(validation.icd10_code, "m54.5", "Primary diagnosis")
    assert err.field == "Primary diagnosis"
    assert err.message == "M54.5 is a category; use a billable code: M54.50, M54.51, M54.59"


@pytest.mark.parametrize("raw", ["M54", "m54."])
def test_icd10_big_category_lists_a_few_then_an_ellipsis(raw: str) -> None:
    err = refused(validation.icd10_code, raw)
    assert err.message.startswith("M54 is a category; use a billable code: ")
    assert err.message.endswith(", …")
    assert err.message.count(",") == validation.MAX_ICD10_SUGGESTIONS


# --- round trips with the display formatting ---------------------------------------------------

FAST = settings(max_examples=200, deadline=None)


@FAST
@given(st.integers(min_value=0, max_value=validation.MAX_CENTS))
def test_money_reads_back_what_formatting_shows(cents: int) -> None:
    assert validation.money(formatting.money(cents)) == cents


@FAST
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_us_date_reads_back_what_formatting_shows(day: date) -> None:
    assert validation.us_date(formatting.us_date(day), "Date") == day


@pytest.mark.parametrize("raw", ["(503) 555-0123", "+44 20 7946 0958", "+1 416 555 0123"])
def test_phone_reads_back_what_formatting_shows(raw: str) -> None:
    stored = validation.phone(raw)
    assert validation.phone(formatting.phone(stored)) == stored


# --- fuzzing: only ValidationError ever escapes ------------------------------------------------

VALIDATORS: dict[str, Callable[[str], object]] = {
    "required_text": lambda t: validation.required_text(t, "Field"),
    "optional_text": lambda t: validation.optional_text(t, "Field"),
    "person_name": lambda t: validation.person_name(t, "Name"),
    "person_name_optional": lambda t: validation.person_name(t, "Name", required=False),
    "phone": validation.phone,
    "email": validation.email,
    "zip_code": validation.zip_code,
    "state": validation.state,
    "us_date": lambda t: validation.us_date(t, "Date"),
    "birth_date": lambda t: validation.birth_date(t, today=TODAY),
    "past_or_today_date": lambda t: validation.past_or_today_date(t, "Signed", today=TODAY),
    "money": validation.money,
    "integer": lambda t: validation.integer(t, "Count"),
    "integer_bounded": lambda t: validation.integer(t, "Count", minimum=1, maximum=52),
    "npi": validation.npi,
    "ein": validation.ein,
    "icd10_code": validation.icd10_code,
    "license_number": validation.license_number,
    "choice": lambda t: validation.choice(t, "Method", {"cash": "Cash", "hsa": "HSA/FSA card"}),
}

# Text that looks almost right reaches deeper into each validator than random text does.
NEAR_MISS = st.text(alphabet="0123456789 /-.,$+()#@xeXMmAaOoRrZ'\u2019é\n\t\x00", max_size=30)


@pytest.mark.parametrize("name", sorted(VALIDATORS))
@FAST
@given(text=st.one_of(st.text(), NEAR_MISS))
def test_only_validation_error_escapes(name: str, text: str) -> None:
    try:
        VALIDATORS[name](text)
    except ValidationError as err:
        assert err.field
        assert err.message
