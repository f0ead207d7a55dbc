"""Client intake rules, saving, finding, archiving and deleting."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from frontdesk.models import AuditEvent, Client, Visit
from frontdesk.services import clients
from frontdesk.validation import ValidationErrors

GOOD = {
    "first_name": "  Ana ",
    "last_name": "Silva",
    "preferred_name": "Annie",
    "date_of_birth": "04/17/1980",
    "state": "or",
    "zip_code": "97232",
    "mobile_phone": "(503) 555-0123",
    "email": "Ana.Silva@Example.com",
    "health_conditions": ["pregnancy", "blood_clots"],
    "pain_areas": ["neck"],
    "consent_signed_on": "01/05/2026",
}


def test_save_normalizes_every_value(database):
    client = Client.get_by_id(clients.save_client(GOOD).id)
    assert client.first_name == "Ana"
    assert client.date_of_birth == date(1980, 4, 17)
    assert client.state == "OR"
    assert client.mobile_phone == "+15035550123"
    assert client.consent_signed_on == date(2026, 1, 5)
    assert client.privacy_notice_on is None
    assert client.health_conditions == ["blood_clots", "pregnancy"]  # catalog order
    assert AuditEvent.get(entity="client").action == "create"


def test_audit_event_holds_no_client_details(database):
    clients.save_client(GOOD)
    event = AuditEvent.get(entity="client")
    assert "Silva" not in f"{event.detail}{event.actor}{event.action}"


@pytest.mark.parametrize(
    ("field", "bad", "label"),
    [
        ("first_name", "", "First name"),
        ("last_name", "Silva3", "Last name"),
        ("date_of_birth", "13/45/1990", "Date of birth"),
        ("date_of_birth", "04/17/80", "Date of birth"),
        ("mobile_phone", "555-1234", "Mobile phone"),
        ("email", "ana@", "Email"),
        ("zip_code", "9723", "ZIP"),
        ("state", "XX", "State"),
        ("sex", "Q", "Sex"),
        ("consent_signed_on", "01/05/2099", "Consent signed on"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_saved(database, field, bad, label):
    with pytest.raises(ValidationErrors) as failure:
        clients.save_client({**GOOD, field: bad})
    assert [error.field for error in failure.value.errors] == [label]
    assert Client.select().count() == 0


def test_every_bad_field_is_reported_at_once(database):
    with pytest.raises(ValidationErrors) as failure:
        clients.save_client({**GOOD, "first_name": "", "email": "x", "zip_code": "1"})
    assert {e.field for e in failure.value.errors} == {"First name", "Email", "ZIP"}


def test_unknown_health_condition_is_refused(database):
    with pytest.raises(ValidationErrors):
        clients.save_client({**GOOD, "health_conditions": ["flying"]})


def test_a_failed_update_changes_nothing(database):
    client = clients.save_client(GOOD)
    with pytest.raises(ValidationErrors):
        clients.save_client(
            {**GOOD, "last_name": "Costa", "email": "bad"}, client.id, version=client.version
        )
    assert Client.get_by_id(client.id).last_name == "Silva"


def test_update_keeps_the_same_row(database):
    client = clients.save_client(GOOD)
    clients.save_client({**GOOD, "mobile_phone": "503 555 0199"}, client.id, version=1)
    assert Client.select().count() == 1
    assert Client.get_by_id(client.id).mobile_phone == "+15035550199"


def test_duplicates_match_name_case_insensitively_and_birth_date(database):
    first = clients.save_client(GOOD)
    assert clients.find_duplicates("ana", "SILVA", date(1980, 4, 17)) == [first]
    assert clients.find_duplicates("Ana", "Silva", date(1980, 4, 18)) == []
    assert clients.find_duplicates("Ana", "Silva", date(1980, 4, 17), first.id) == []


@pytest.mark.parametrize(
    "query", ["sil", "SILVA", "ana", "Annie", "ann sil", "5550123", "503-555", "04/17/1980"]
)
def test_search_finds_by_each_key(database, query):
    clients.save_client(GOOD)
    clients.save_client(
        {
            **GOOD,
            "first_name": "Bo",
            "last_name": "Lund",
            "preferred_name": "",
            "date_of_birth": "02/02/1990",
            "mobile_phone": "(971) 555-0177",
        }
    )
    assert [row.name for row in clients.search_clients(query)] == ["Silva, Ana (Annie)"]


def test_search_lists_alerts_contraindications_first(database):
    clients.save_client(GOOD)
    row = clients.search_clients("Silva")[0]
    assert [a.key for a in row.alerts] == ["blood_clots", "pregnancy"]
    assert row.prescription is None


def test_archived_clients_are_found_only_when_asked(database):
    client = clients.save_client(GOOD)
    clients.archive_client(client.id)
    assert clients.search_clients("Silva") == []
    assert clients.search_clients("Silva", include_archived=True)[0].archived
    clients.archive_client(client.id, archived=False)
    assert len(clients.search_clients("Silva")) == 1


def test_client_without_history_can_be_deleted(database):
    client = clients.save_client(GOOD)
    clients.delete_client(client.id)
    assert Client.select().count() == 0
    assert AuditEvent.get(action="delete").entity_id == client.id


def test_client_with_history_cannot_be_deleted(set_up_clinic):
    _, therapist = set_up_clinic
    client = clients.save_client(GOOD)
    Visit.create(client=client, therapist=therapist, starts_at=datetime(2026, 1, 2, 9), minutes=60)
    assert clients.has_history(client)
    with pytest.raises(clients.ClientHasHistory):
        clients.delete_client(client.id)
    assert Client.select().count() == 1


def test_field_rules_show_stored_values_as_typed(database):
    client = clients.save_client(GOOD)
    rules = clients.RULES_BY_NAME
    assert rules["mobile_phone"].as_text(client.mobile_phone) == "(503) 555-0123"
    assert rules["date_of_birth"].as_text(client.date_of_birth) == "04/17/1980"
    assert rules["consent_signed_on"].as_text(None) == ""


@pytest.mark.parametrize("query", ["García-López, Jo", "garcia", "LOPEZ", "lopez jose", "josé"])
def test_search_ignores_accents_case_punctuation_and_finds_each_name_part(database, query):
    clients.save_client(
        {**GOOD, "first_name": "José", "last_name": "García-López", "preferred_name": ""}
    )
    assert [row.name for row in clients.search_clients(query)] == ["García-López, José"]


def test_search_by_name_as_the_list_shows_it(database):
    clients.save_client(GOOD)
    assert [row.name for row in clients.search_clients("Silva, An")] == ["Silva, Ana (Annie)"]
    assert clients.search_clients("Silva, Bo") == []


def test_duplicates_ignore_accents(database):
    first = clients.save_client({**GOOD, "first_name": "José"})
    assert clients.find_duplicates("JOSE", "silva", date(1980, 4, 17)) == [first]


def test_saving_a_likely_duplicate_needs_a_decision(database):
    first = clients.save_client(GOOD)
    with pytest.raises(clients.PossibleDuplicate) as refusal:
        clients.save_client({**GOOD, "mobile_phone": ""})
    assert refusal.value.existing == first
    assert Client.select().count() == 1
    clients.save_client({**GOOD, "mobile_phone": ""}, allow_duplicate=True)
    assert Client.select().count() == 2


def test_editing_a_client_is_not_a_duplicate_of_itself(database):
    client = clients.save_client(GOOD)
    clients.save_client({**GOOD, "email": "ana@example.com"}, client.id, version=1)
    assert Client.get_by_id(client.id).email == "ana@example.com"
