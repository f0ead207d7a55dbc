"""The physicians directory: rules, NPI checks, one physician per NPI, safe edits, search."""

from __future__ import annotations

import pytest

from frontdesk import validation
from frontdesk.models import AuditEvent, Physician
from frontdesk.services import physicians
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import RecordMissing
from frontdesk.validation import ValidationErrors
from tests.core.conftest import PHYSICIAN


def _audit(action: str) -> list[int]:
    query = AuditEvent.select().where(
        (AuditEvent.entity == "physician") & (AuditEvent.action == action)
    )
    return [event.entity_id for event in query]


def test_a_physician_is_saved_clean_with_its_audit_event(set_up_clinic):
    saved = physicians.save_physician(
        {**PHYSICIAN, "npi": " 100-300-0126 ", "state": "oregon", "credentials": " MD "}
    )
    stored = Physician.get_by_id(saved.id)
    assert (stored.npi, stored.state, stored.credentials) == ("1003000126", "OR", "MD")
    assert (stored.phone, stored.fax) == ("+15035550142", "+15035550143")
    assert stored.display_name == "Alicia Chen, MD"
    assert stored.version == 1
    assert _audit("create") == [saved.id]


def test_every_bad_field_is_named_and_nothing_is_saved(set_up_clinic):
    form = {**PHYSICIAN, "last_name": "", "npi": "1003000127", "fax": "555", "zip_code": "9721"}
    with pytest.raises(ValidationErrors) as refused:
        physicians.save_physician(form)
    assert set(refused.value.by_field()) == {"Last name", "NPI", "Fax", "ZIP"}
    assert Physician.select().count() == 0


@pytest.mark.parametrize(
    ("npi", "why"),
    [
        ("100300012", "exactly 10 digits"),
        ("10030001266", "exactly 10 digits"),
        ("3000000000", "starts with 1 or 2"),  # passes the Luhn check, but no NPI starts so
        ("5000000005", "starts with 1 or 2"),
        ("1003000127", "not a valid NPI"),  # last digit wrong
        ("1030000126", "not a valid NPI"),  # two digits swapped
    ],
)
def test_an_npi_is_10_digits_starting_with_1_or_2_passing_the_luhn_check(npi, why):
    with pytest.raises(validation.ValidationError) as refused:
        validation.npi(npi, "NPI")
    assert why in refused.value.message


@pytest.mark.parametrize("npi", ["1003000126", "1922156405", "1497758544", "1234567893"])
def test_real_shaped_npis_are_accepted(npi):
    assert validation.npi(npi) == npi


def test_a_second_physician_with_the_same_npi_is_refused_with_the_first(set_up_clinic):
    first = physicians.save_physician(PHYSICIAN)
    with pytest.raises(physicians.DuplicateNpi) as refused:
        physicians.save_physician({**PHYSICIAN, "first_name": "Alice", "npi": "1003 000 126"})
    assert refused.value.existing.id == first.id
    assert Physician.select().count() == 1


def test_physicians_without_an_npi_are_not_duplicates(set_up_clinic):
    physicians.save_physician({**PHYSICIAN, "npi": ""})
    physicians.save_physician({**PHYSICIAN, "first_name": "Bo", "npi": ""})
    assert Physician.select().count() == 2


def test_editing_keeps_its_own_npi_but_cannot_take_another(set_up_clinic):
    chen = physicians.save_physician(PHYSICIAN)
    other = physicians.save_physician({**PHYSICIAN, "last_name": "Haines", "npi": "1922156405"})
    edited = physicians.save_physician(
        {**PHYSICIAN, "practice": "Rose City Clinic"}, chen.id, version=chen.version
    )
    assert (edited.practice, edited.version) == ("Rose City Clinic", 2)
    assert _audit("update") == [chen.id]
    with pytest.raises(physicians.DuplicateNpi) as refused:
        physicians.save_physician(
            {**PHYSICIAN, "npi": "1922156405"}, chen.id, version=edited.version
        )
    assert refused.value.existing.id == other.id
    assert Physician.get_by_id(chen.id).npi == "1003000126"


def test_an_edit_based_on_an_old_copy_or_a_deleted_physician_is_refused(set_up_clinic):
    chen = physicians.save_physician(PHYSICIAN)
    physicians.save_physician({**PHYSICIAN, "fax": ""}, chen.id, version=1)
    with pytest.raises(RecordChanged):
        physicians.save_physician({**PHYSICIAN, "phone": ""}, chen.id, version=1)
    assert Physician.get_by_id(chen.id).phone == "+15035550142"
    Physician.delete_by_id(chen.id)
    with pytest.raises(RecordMissing):
        physicians.save_physician(PHYSICIAN, chen.id, version=2)
    with pytest.raises(ValueError, match="version"):
        physicians.save_physician(PHYSICIAN, chen.id)


def test_form_values_open_a_physician_as_typed(set_up_clinic):
    chen = physicians.save_physician(PHYSICIAN)
    values = physicians.form_values(chen)
    assert values["phone"] == "(503) 555-0142"
    assert physicians.save_physician(values, chen.id, version=chen.version).version == 1


@pytest.fixture
def directory(set_up_clinic):
    rows = [
        ("José", "García-López", "1003000126", "Clínica Sur"),
        ("Robert", "Haines", "1922156405", "Rose City Orthopedics"),
        ("Priya", "Raman", "1497758544", "Cascade Spine & Sports"),
        ("Ann", "O'Brien", "", "100% Wellness_Center"),
    ]
    for first, last, npi, practice in rows:
        physicians.save_physician(
            {"first_name": first, "last_name": last, "npi": npi, "practice": practice}
        )


def _found(text: str) -> list[str]:
    return [p.last_name for p in physicians.search_physicians(text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("", ["García-López", "Haines", "O'Brien", "Raman"]),
        ("garcia", ["García-López"]),  # accents do not matter
        ("LOPEZ jo", ["García-López"]),  # any order, word starts
        ("obrien", ["O'Brien"]),
        ("ortho", ["Haines"]),  # practice
        ("cascade sp", ["Raman"]),
        ("clinica", ["García-López"]),
        ("1922", ["Haines"]),  # NPI prefix
        ("1 497 758", ["Raman"]),
        ("1", ["García-López", "Haines", "Raman"]),
        ("%", []),  # never a LIKE pattern
        ("_", []),
        ("100%", ["O'Brien"]),  # the % is the practice's own, not a wildcard
        ("wellness_c", ["O'Brien"]),
        ("aines", []),  # words are found by their start
    ],
)
def test_search_by_name_practice_or_npi(directory, text, names):
    assert _found(text) == names


def test_search_returns_at_most_50(set_up_clinic):
    for number in range(60):
        Physician.create(first_name="Sam", last_name=f"Lee{number:02d}")
    assert len(physicians.search_physicians("sam")) == physicians.SEARCH_LIMIT == 50
    assert len(physicians.search_physicians("lee0")) == 10
