"""What a receptionist types is cleaned once and checked against the other fields."""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk.fieldrules import FieldRule, NotBefore, clean_all
from frontdesk.models import Client
from frontdesk.services import clients
from frontdesk.validation import ValidationErrors, us_date

CHILD = {"first_name": "Mia", "last_name": "Silva", "date_of_birth": "03/09/2020"}
TOO_EARLY = "this is before the date of birth (03/09/2020); check the date."


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("consent_signed_on", "Consent signed on"),
        ("privacy_notice_on", "Privacy notice acknowledged on"),
    ],
)
def test_consent_and_privacy_dates_cannot_be_before_birth(database, field, label):
    with pytest.raises(ValidationErrors) as refusal:
        clients.save_client({**CHILD, field: "01/05/1901"})
    assert refusal.value.by_field() == {label: TOO_EARLY}
    assert Client.select().count() == 0


def test_a_date_before_birth_is_named_with_every_other_bad_field(database):
    with pytest.raises(ValidationErrors) as refusal:
        clients.save_client({**CHILD, "consent_signed_on": "01/05/1901", "email": "mia@"})
    assert set(refusal.value.by_field()) == {"Consent signed on", "Email"}


def test_consent_on_the_day_of_birth_is_fine(database):
    client = clients.save_client({**CHILD, "consent_signed_on": "03/09/2020"})
    assert Client.get_by_id(client.id).consent_signed_on == date(2020, 3, 9)


def test_a_date_order_works_across_records():
    """A prescription's date written checks against the client's date of birth."""
    written = FieldRule("written_on", "Date written", lambda text, label: us_date(text, label))
    rule = NotBefore(written, clients.RULES_BY_NAME["date_of_birth"])
    with pytest.raises(ValidationErrors) as refusal:
        clean_all(
            [written], {"written_on": "02/01/2020"}, [rule], {"date_of_birth": date(2020, 3, 9)}
        )
    assert refusal.value.by_field() == {"Date written": TOO_EARLY}
    assert clean_all([written], {"written_on": "02/01/2020"}, [rule]) == {
        "written_on": date(2020, 2, 1)
    }


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("first_name", "Lee\u200b", "Lee"),
        ("first_name", "\ufeffAnne\u2010Marie", "Anne-Marie"),
        ("last_name", "O\u2019Brien\u2011Hale", "O'Brien-Hale"),
        ("last_name", "O\u02bcHara", "O'Hara"),
        ("preferred_name", "Zo\u00eb\u200d", "Zoë"),
        ("city", "Salem\u202e", "Salem"),
        ("notes", "Line one\u200f\nLine \u2066two\u2069\u2028three", "Line one\nLine two\nthree"),
        ("health_notes", "Knee \u2013 left", "Knee - left"),
    ],
)
def test_look_alikes_and_invisible_characters_are_cleaned_before_saving(
    database, field, typed, stored
):
    client = clients.save_client({**CHILD, field: typed})
    assert getattr(Client.get_by_id(client.id), field) == stored
