"""Workers' comp and auto-accident cases: the form per kind, saving, the list, prescriptions."""

from __future__ import annotations

from typing import Any

import pytest

from frontdesk.models import AuditEvent, InjuryCase, Payer
from frontdesk.services import cases, payers
from frontdesk.services.records import RecordChanged
from frontdesk.validation import ValidationErrors
from tests.core.conftest import TODAY

WC_CARRIER = "Workers' compensation carrier (other)"
AUTO_CARRIER = "Auto-accident / PIP carrier (other)"


def _id(name: str) -> str:
    return str(Payer.get(name=name).id)


def work_injury(**changes: Any) -> dict[str, Any]:
    form = {
        "claim_number": "wc-2026-0042",
        "date_of_injury": "09/14/2026",
        "employer": "Columbia Freight",
        "employer_address": "4400 NW Front Ave, Portland, OR 97210",
        "carrier_id": _id(WC_CARRIER),
        "adjuster_name": "Morgan Lee",
        "adjuster_phone": "(503) 555-0177",
        "adjuster_email": "Morgan.Lee@Claims.example",
        "status": "Open",
    }
    return {**form, **changes}


def car_accident(**changes: Any) -> dict[str, Any]:
    form = {
        "claim_number": "PIP-88812",
        "date_of_accident": "",
        "date_of_injury": "10/02/2026",
        "state": "oregon",
        "carrier_id": _id(AUTO_CARRIER),
        "policy_number": "pac-2231907",
        "adjuster_name": "",
        "adjuster_phone": "",
        "attorney_name": "Dana Whitfield",
        "attorney_phone": "503-555-0188",
        "pip_limit_cents": "$15,000",
        "status": "",
    }
    return {**form, **changes}


def test_each_kind_has_its_own_labels():
    labels = {
        kind: [r.label for r in cases.case_rules(kind)] for kind, _ in cases.CASE_KIND_CHOICES
    }
    assert labels["workers_comp"] == [
        "Claim number", "Date of injury", "Employer", "Employer address", "Carrier",
        "Adjuster name", "Adjuster phone", "Adjuster email", "Case status",
    ]  # fmt: skip
    assert labels["auto"] == [
        "Claim number", "Date of accident", "State", "Carrier", "Policy number", "Adjuster name",
        "Adjuster phone", "Attorney name", "Attorney phone", "PIP limit", "Case status",
    ]  # fmt: skip
    required = {kind: [r.label for r in cases.case_rules(kind) if r.required] for kind in labels}
    assert required == {
        "workers_comp": ["Date of injury", "Employer", "Carrier"],
        "auto": ["Date of accident", "State"],
    }
    with pytest.raises(ValueError):
        cases.case_rules("slip_and_fall")


def test_a_work_injury_is_saved_clean_and_audited(patient):
    saved = cases.save_case(work_injury(), patient.id, "workers_comp", actor="desk", today=TODAY)
    stored = cases.get_case(saved.id)
    assert (stored.kind, stored.claim_number, stored.status, stored.closed) == (
        "workers_comp", "WC-2026-0042", "open", False,
    )  # fmt: skip
    assert (stored.adjuster_phone, stored.adjuster_email) == (
        "+15035550177", "Morgan.Lee@claims.example",
    )  # fmt: skip
    assert stored.carrier.name == WC_CARRIER
    event = AuditEvent.get(AuditEvent.entity == "injury_case")
    assert (event.action, event.entity_id, event.actor) == ("create", saved.id, "desk")


def test_a_car_accident_is_saved_with_its_pip_limit(patient):
    saved = cases.save_case(car_accident(), patient.id, "auto", today=TODAY)
    assert (saved.state, saved.policy_number, saved.pip_limit_cents) == (
        "OR",
        "PAC-2231907",
        1500000,
    )
    assert (saved.attorney_phone, saved.status, saved.employer) == ("+15035550188", "open", "")
    values = cases.case_form_values(saved)
    assert (values["pip_limit_cents"], values["date_of_injury"]) == ("$15,000.00", "10/02/2026")


def test_the_required_fields_of_each_kind(patient):
    blank_wc = work_injury(date_of_injury="", employer=" ", carrier_id="")
    with pytest.raises(ValidationErrors) as refused:
        cases.save_case(blank_wc, patient.id, "workers_comp", today=TODAY)
    assert set(refused.value.by_field()) == {"Date of injury", "Employer", "Carrier"}
    blank_auto = car_accident(date_of_injury="", state="", carrier_id="", pip_limit_cents="")
    with pytest.raises(ValidationErrors) as refused:
        cases.save_case(blank_auto, patient.id, "auto", today=TODAY)
    assert set(refused.value.by_field()) == {"Date of accident", "State"}
    assert InjuryCase.select().count() == 0


def test_dates_money_and_the_carriers_kind_are_checked(patient):
    with pytest.raises(ValidationErrors) as refused:
        cases.save_case(
            car_accident(
                date_of_injury="12/01/2026", pip_limit_cents="lots", carrier_id=_id("HMSA")
            ),
            patient.id,
            "auto",
            today=TODAY,
        )
    errors = refused.value.by_field()
    assert set(errors) == {"Date of accident", "PIP limit", "Carrier"}
    assert "after today" in errors["Date of accident"]
    assert "HMSA is listed as Health insurance, not as Auto accident" in errors["Carrier"]
    with pytest.raises(ValidationErrors, match="before the client's date of birth"):
        cases.save_case(
            work_injury(date_of_injury="01/02/1970"), patient.id, "workers_comp", today=TODAY
        )


def test_status_keeps_the_closed_flag_and_the_list_shows_open_cases_first(patient):
    old = cases.save_case(work_injury(date_of_injury="01/05/2025"), patient.id, "workers_comp")
    car = cases.save_case(car_accident(), patient.id, "auto", today=TODAY)
    settled = cases.save_case(
        {**cases.case_form_values(old), "status": "Settled"},
        patient.id,
        "workers_comp",
        old.id,
        version=old.version,
    )
    assert (settled.status, settled.closed) == ("settled", True)
    rows = cases.client_cases(patient.id)
    assert [(r.id, r.open) for r in rows] == [(car.id, True), (old.id, False)]
    first = rows[0]
    assert (first.kind_label, first.date_label, first.claim_number) == (
        "Auto accident", "Date of accident", "PIP-88812",
    )  # fmt: skip
    assert (first.carrier_name, first.status_label) == (AUTO_CARRIER, "Open")
    assert [r.id for r in cases.client_cases(patient.id, open_only=True)] == [car.id]


def test_updates_are_versioned_and_keep_the_kind(patient):
    saved = cases.save_case(work_injury(), patient.id, "workers_comp", today=TODAY)
    values = cases.case_form_values(saved)
    newer = cases.save_case(
        {**values, "claim_number": "WC-1"}, patient.id, "workers_comp", saved.id,
        version=saved.version, today=TODAY,
    )  # fmt: skip
    assert newer.version == saved.version + 1
    with pytest.raises(RecordChanged):
        cases.save_case(values, patient.id, "workers_comp", saved.id, version=saved.version)
    with pytest.raises(ValueError, match="kind cannot change"):
        cases.save_case(car_accident(), patient.id, "auto", saved.id, version=newer.version)


def test_an_inactive_carrier_stays_on_its_case(patient):
    saved = cases.save_case(work_injury(), patient.id, "workers_comp", today=TODAY)
    payers.set_payer_active(saved.carrier_id, False)
    with pytest.raises(ValidationErrors, match="marked inactive"):
        cases.save_case(work_injury(), patient.id, "workers_comp", today=TODAY)
    values = {**cases.case_form_values(saved), "adjuster_name": "Sam Ortiz"}
    kept = cases.save_case(
        values, patient.id, "workers_comp", saved.id, version=saved.version, today=TODAY
    )
    assert kept.adjuster_name == "Sam Ortiz"


def test_a_prescription_is_tied_to_its_case(patient, prescribe):
    rx = prescribe()
    case = cases.save_case(work_injury(), patient.id, "workers_comp", today=TODAY)
    linked = cases.link_prescription(rx.id, case.id, actor="desk")
    assert linked.injury_case_id == case.id
    assert [p.id for p in case.prescriptions] == [rx.id]
    assert cases.link_prescription(rx.id, None).injury_case_id is None
