"""A client's coverage: the form's rules, warnings while typing, saving, lists, short names."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from frontdesk.models import AuditEvent, Client, Coverage, Payer, Visit, database_proxy
from frontdesk.services import coverage, payers
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import RecordMissing
from frontdesk.validation import ValidationErrors
from tests.core.conftest import TODAY


def _id(name: str) -> str:
    return str(Payer.get(name=name).id)


def card(payer: str = "Capital Blue Cross", /, **changes: Any) -> dict[str, Any]:
    """A coverage form filled in from a member card, with some fields changed."""
    form = {
        "payer_id": _id(payer),
        "plan_type": "PPO",
        "member_id": "xyz 123-456",
        "group_number": "G-100",
        "subscriber_name": "",
        "subscriber_relation": "Self",
        "subscriber_birth_date": "",
        "priority": "Primary",
        "starts_on": "01/01/2026",
        "ends_on": "",
        "copay_cents": "$25",
        "authorization_number": "",
        "visits_allowed": "20",
    }
    return {**form, **changes}


def test_the_form_has_the_visible_labels():
    assert [rule.label for rule in coverage.COVERAGE_RULES] == [
        "Payer", "Plan type", "Member ID", "Group number", "Subscriber name",
        "Relationship to subscriber", "Subscriber date of birth", "Coverage order",
        "Effective date", "End date", "Copay", "Authorization number", "Visits allowed per year",
    ]  # fmt: skip


def test_a_coverage_is_saved_clean_and_audited(patient):
    saved = coverage.save_coverage(card(), patient.id, actor="desk")
    stored = coverage.get_coverage(saved.id)
    assert (stored.member_id, stored.group_number, stored.plan_type) == (
        "XYZ 123-456",
        "G-100",
        "PPO",
    )
    assert (stored.copay_cents, stored.visits_allowed, stored.priority) == (2500, 20, 1)
    assert (stored.starts_on, stored.ends_on, stored.subscriber_relation) == (
        date(2026, 1, 1), None, "self",
    )  # fmt: skip
    event = AuditEvent.get(AuditEvent.entity == "coverage")
    assert (event.action, event.entity_id, event.actor) == ("create", saved.id, "desk")


def test_every_bad_field_is_named_at_once(patient):
    raw = card(
        member_id="",
        subscriber_relation="Spouse",
        ends_on="12/31/2025",
        copay_cents="25.999",
        visits_allowed="0",
        subscriber_birth_date="",
    )
    with pytest.raises(ValidationErrors) as refused:
        coverage.save_coverage(raw, patient.id)
    errors = refused.value.by_field()
    assert set(errors) == {
        "Member ID", "Subscriber name", "Subscriber date of birth", "End date", "Copay",
        "Visits allowed per year",
    }  # fmt: skip
    assert "for Capital Blue Cross" in errors["Member ID"]
    assert "not the subscriber" in errors["Subscriber name"]
    assert "before the effective date" in errors["End date"]
    assert Coverage.select().count() == 0


@pytest.mark.parametrize(
    "payer",
    [
        "Self-pay",
        "ChooseHealthy Affinity Program",
        "Workers' compensation carrier (other)",
        "Auto-accident / PIP carrier (other)",
    ],
)
def test_a_member_id_is_not_needed_for_self_pay_programs_and_claims(patient, payer):
    saved = coverage.save_coverage(card(payer, member_id="", plan_type=""), patient.id)
    assert saved.member_id == ""


def test_a_subscriber_other_than_the_client(patient):
    raw = card(
        subscriber_relation="child",
        subscriber_name="Rui Silva",
        subscriber_birth_date="02/03/1975",
    )
    saved = coverage.save_coverage(raw, patient.id)
    assert (saved.subscriber_relation, saved.subscriber_birth_date) == ("child", date(1975, 2, 3))
    with pytest.raises(ValidationErrors, match="Subscriber date of birth"):
        coverage.save_coverage(card(subscriber_birth_date="01/01/2099"), patient.id)


def test_the_payer_must_be_active_unless_the_coverage_has_it(patient):
    saved = coverage.save_coverage(card("HMSA"), patient.id)
    payers.set_payer_active(int(_id("HMSA")), False)
    with pytest.raises(ValidationErrors, match="marked inactive"):
        coverage.save_coverage(card("HMSA"), patient.id)
    kept = coverage.save_coverage(
        card("HMSA", member_id="NEW1"), patient.id, saved.id, version=saved.version
    )
    assert kept.member_id == "NEW1"
    assert any("inactive" in w for w in coverage.coverage_warnings(card("HMSA")))


# --- warnings -------------------------------------------------------------------------------


def test_a_payer_not_accepted_is_recorded_with_a_warning(patient):
    payers.save_payer({"name": "Acme Mutual", "kind": "commercial", "acceptance": "not_accepted"})
    raw = card("Acme Mutual", plan_type="")
    warnings = coverage.coverage_warnings(raw)
    assert len(warnings) == 1 and "not in network with Acme Mutual" in warnings[0]
    assert "HSA/FSA" in warnings[0]
    assert coverage.save_coverage(raw, patient.id).payer.name == "Acme Mutual"


def test_the_va_without_an_authorization_number_is_warned(patient):
    va = "Veterans Affairs Community Care Network"
    raw = card(va, plan_type="VA Community Care", member_id="1234", ends_on="")
    warnings = " ".join(coverage.coverage_warnings(raw))
    assert "authorization number" in warnings and "episode of care" in warnings
    complete = {**raw, "authorization_number": "VA0012345", "ends_on": "06/30/2027"}
    assert coverage.coverage_warnings(complete, today=TODAY) == []


def test_a_plan_type_the_directory_does_not_list_is_warned(database):
    (warning,) = coverage.coverage_warnings(card(plan_type="HMO"))
    assert "PPO, Benefit Plan plans only" in warning
    assert coverage.coverage_warnings(card(plan_type="Benefit Plan")) == []


def test_an_ended_coverage_and_a_second_primary_are_warned(patient):
    first = coverage.save_coverage(card(), patient.id)
    raw = card("HMSA", plan_type="")
    (warning,) = coverage.coverage_warnings(raw, client_id=patient.id, today=TODAY)
    assert "already has a current primary coverage (Capital Blue Cross)" in warning
    assert coverage.coverage_warnings({**raw, "priority": "secondary"}, client_id=patient.id) == []
    assert (
        coverage.coverage_warnings(card(), client_id=patient.id, coverage_id=first.id, today=TODAY)
        == []
    )
    (ended,) = coverage.coverage_warnings(card(ends_on="06/30/2026"), today=TODAY)
    assert "ended on 06/30/2026" in ended


def test_warnings_never_fail_on_half_typed_forms():
    assert coverage.coverage_warnings({}) == []
    assert coverage.coverage_warnings({"payer_id": "abc", "ends_on": "13/45"}) == []


# --- saving over a version ---------------------------------------------------------------------


def test_updates_are_versioned(patient):
    saved = coverage.save_coverage(card(), patient.id)
    values = coverage.coverage_form_values(saved)
    assert values["copay_cents"] == "$25.00" and values["priority"] == "primary"
    same = coverage.save_coverage(values, patient.id, saved.id, version=saved.version)
    assert same.version == saved.version  # nothing changed, nothing written
    newer = coverage.save_coverage(
        {**values, "group_number": "G-200"}, patient.id, saved.id, version=saved.version
    )
    assert newer.version == saved.version + 1
    with pytest.raises(RecordChanged):
        coverage.save_coverage(values, patient.id, saved.id, version=saved.version)
    with pytest.raises(ValueError, match="needs the version"):
        coverage.save_coverage(values, patient.id, saved.id)
    other = Client.create(first_name="Bea", last_name="Lima", date_of_birth=date(1990, 1, 1))
    with pytest.raises(ValueError, match="another client"):
        coverage.save_coverage(values, other.id, saved.id, version=newer.version)
    Coverage.delete_by_id(saved.id)
    with pytest.raises(RecordMissing):
        coverage.save_coverage(values, patient.id, saved.id, version=newer.version)


# --- lists ----------------------------------------------------------------------------------


def _visit(client: Client, therapist, linked: Coverage, day: date, status: str) -> None:
    Visit.create(
        client=client,
        therapist=therapist,
        coverage=linked,
        starts_at=datetime.combine(day, time(10)),
        minutes=60,
        status=status,
    )


def test_visits_used_this_calendar_year(patient, therapist):
    cbc = coverage.save_coverage(card(), patient.id)
    hmsa = coverage.save_coverage(card("HMSA", priority="secondary", plan_type=""), patient.id)
    for day, status in (
        (date(2026, 1, 5), "completed"),
        (date(2026, 11, 20), "completed"),
        (date(2026, 12, 4), "scheduled"),  # booked later this year: counts
        (date(2026, 11, 6), "cancelled"),
        (date(2026, 11, 13), "no_show"),
        (date(2025, 12, 30), "completed"),  # last year
        (date(2027, 1, 2), "scheduled"),  # next year
    ):
        _visit(patient, therapist, cbc, day, status)
    _visit(patient, therapist, hmsa, date(2026, 3, 3), "completed")
    rows = coverage.client_coverages(patient.id, today=TODAY)
    assert [(r.payer_name, r.order, r.visits_used, r.visits_allowed) for r in rows] == [
        ("Capital Blue Cross", "Primary", 3, 20),
        ("HMSA", "Secondary", 1, 20),
    ]
    first = rows[0]
    assert (first.short_name, first.kind, first.acceptance) == (
        "Capital Blue Cross", "commercial", "in_network",
    )  # fmt: skip
    assert (first.plan_type, first.member_id, first.group_number) == ("PPO", "XYZ 123-456", "G-100")
    assert (first.id, first.ended, first.copay_cents) == (cbc.id, False, 2500)


def test_ended_coverages_come_last(patient):
    old = coverage.save_coverage(card("HMSA", plan_type="", ends_on="03/31/2026"), patient.id)
    current = coverage.save_coverage(card(priority="secondary"), patient.id)
    rows = coverage.client_coverages(patient.id, today=TODAY)
    assert [(r.id, r.ended) for r in rows] == [(current.id, False), (old.id, True)]


def _client(name: str) -> Client:
    return Client.create(first_name=name, last_name="Test", date_of_birth=date(1980, 1, 1))


def test_primary_payer_names_in_a_word_or_two(database, monkeypatch):
    va, cbc, ended, second, none = (_client(n) for n in ("Va", "Cbc", "Ended", "Second", "None"))
    coverage.save_coverage(card("Veterans Affairs Community Care Network", plan_type=""), va.id)
    coverage.save_coverage(card("HMSA", plan_type="", priority="secondary"), cbc.id)
    coverage.save_coverage(card(), cbc.id)
    coverage.save_coverage(card(ends_on="01/31/2026"), ended.id)
    coverage.save_coverage(card("ChooseHealthy Affinity Program", priority="secondary"), second.id)
    many = [_client(f"Extra{n}").id for n in range(200)]
    statements = []
    real = type(database).execute_sql

    def counting(self, sql, params=None):
        statements.append(sql)
        return real(self, sql, params)

    monkeypatch.setattr(type(database), "execute_sql", counting)
    names = coverage.primary_payer_names(
        [va.id, cbc.id, ended.id, second.id, none.id, *many], TODAY
    )
    assert len(statements) == 1
    assert names == {va.id: "VA CCN", cbc.id: "Capital Blue Cross", second.id: "ChooseHealthy"}
    assert database_proxy.obj is database
