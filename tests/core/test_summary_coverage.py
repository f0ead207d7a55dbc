"""The client summary's coverage and cases, and the demo clinic's coverages and cases."""

from __future__ import annotations

from datetime import date, datetime, time

from frontdesk.models import AuditEvent, Coverage, InjuryCase, Payer, Prescription, Visit
from frontdesk.services import cases, coverage, summary
from frontdesk.services.summary import CoverageLine
from tests.core.conftest import TODAY


def _id(name: str) -> str:
    return str(Payer.get(name=name).id)


def test_the_summary_shows_each_coverage_with_its_year_and_the_open_cases(patient, therapist):
    current = coverage.save_coverage(
        {"payer_id": _id("Priority Health"), "plan_type": "HMO", "member_id": "PH1",
         "group_number": "G7", "visits_allowed": "12"},
        patient.id,
    )  # fmt: skip
    coverage.save_coverage(
        {"payer_id": _id("HMSA"), "member_id": "H1", "ends_on": "12/31/2025"}, patient.id
    )
    Visit.create(
        client=patient,
        therapist=therapist,
        coverage=current,
        starts_at=datetime.combine(date(2026, 10, 1), time(9)),
        minutes=60,
        status="completed",
    )
    wc = {
        "date_of_injury": "09/14/2026",
        "employer": "Columbia Freight",
        "carrier_id": _id("Workers' compensation carrier (other)"),
        "claim_number": "WC-9",
    }
    open_case = cases.save_case(wc, patient.id, "workers_comp", today=TODAY)
    cases.save_case({**wc, "status": "closed"}, patient.id, "workers_comp", today=TODAY)

    shown = summary.client_summary(patient.id, today=TODAY)

    first, ended = shown.coverages
    assert (first.payer_name, first.payer_kind, first.member_id, first.group_number) == (
        "Priority Health", "commercial", "PH1", "G7",
    )  # fmt: skip
    assert (first.plan_type, first.order, first.ended) == ("HMO", "Primary", False)
    assert (first.visits_used, first.visits_allowed, first.acceptance) == (1, 12, "in_network")
    assert (first.short_name, first.coverage_id, first.priority) == (
        "Priority Health", current.id, 1,
    )  # fmt: skip
    assert (ended.payer_name, ended.ended) == ("HMSA", True)
    assert [c.id for c in shown.open_cases] == [open_case.id]
    assert shown.primary_payer == "Priority Health"


def test_a_coverage_line_still_builds_from_its_first_fields():
    line = CoverageLine("Self-pay", "self_pay", "", "", "", 1)
    assert (line.plan_type, line.ended, line.visits_used, line.visits_allowed) == (
        "",
        False,
        0,
        None,
    )


def test_no_coverage_no_cases_no_primary_payer(patient):
    shown = summary.client_summary(patient.id, today=TODAY)
    assert (shown.coverages, shown.open_cases, shown.primary_payer) == ((), (), "")


# --- the demo clinic ----------------------------------------------------------------------


def _created_by_demo(entity: str) -> int:
    return (
        AuditEvent.select()
        .where(
            (AuditEvent.entity == entity)
            & (AuditEvent.action == "create")
            & (AuditEvent.actor == "demo")
        )
        .count()
    )


def test_demo_coverages_and_cases_came_through_the_services(demo_clinic):
    assert _created_by_demo("coverage") == Coverage.select().count() > 30
    assert _created_by_demo("injury_case") == InjuryCase.select().count() == 6
    assert Prescription.select().where(Prescription.injury_case.is_null(False)).count() == 6


def test_demo_coverages_and_cases_are_varied(demo_clinic):
    today = date.today()  # the demo clinic is built around today
    rows = [
        row
        for client_id in {c.client_id for c in Coverage.select(Coverage.client)}
        for row in coverage.client_coverages(client_id, today)
    ]
    assert {"in_network", "via_discount_program", "not_accepted"} <= {r.acceptance for r in rows}
    assert any(r.ended for r in rows)
    assert any(r.order == "Secondary" for r in rows)
    va = [r for r in rows if r.short_name == "VA CCN"]
    assert va and all(r.authorization_number and r.ends_on for r in va)
    open_kinds = {
        row.kind
        for client_id in {c.client_id for c in InjuryCase.select(InjuryCase.client)}
        for row in cases.client_cases(client_id, open_only=True)
    }
    assert open_kinds == {"workers_comp", "auto"}
    assert {c.status for c in InjuryCase.select()} > {"open"}
