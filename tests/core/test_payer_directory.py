"""The payer directory: its seed, its form, saving, deactivating, and what to do next."""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk.models import AuditEvent, Client, Coverage, Payer
from frontdesk.resources import load_json
from frontdesk.services import payers
from frontdesk.services.records import RecordChanged
from frontdesk.validation import ValidationError, ValidationErrors

DESIGN_PAYERS = (
    "Capital Blue Cross",
    "ChooseHealthy Affinity Program",
    "Group Health, Inc.",
    "Health Allies",
    "Health Net Health Plan of Oregon",
    "HMSA",
    "Priority Health",
    "Providence Health Plan",
    "Veterans Affairs Community Care Network",
    "Whole Health Living Program",
)
SUMMIT = {
    "name": "Summit Mutual",
    "aliases": "Summit, SMH , summit",
    "kind": "Health insurance",
    "acceptance": "in_network",
    "plan_types": "ppo, Medicare Advantage",
    "phone": "503 555 0142",
    "payer_id": "sm-123",
    "notes": "Call first.",
}


def _payer(name: str) -> Payer:
    return Payer.get(name=name)


# --- the seed ---------------------------------------------------------------------------


def test_the_seed_holds_the_clinics_payers_and_each_passes_the_directory_form(database):
    entries = {entry["name"]: entry for entry in load_json("payers.json")}
    assert set(DESIGN_PAYERS) <= set(entries)
    assert {entry["kind"] for entry in entries.values()} == {
        kind for kind, _ in payers.KIND_CHOICES
    }
    for entry in entries.values():
        raw = {**entry, "aliases": ", ".join(entry["aliases"])}
        raw["plan_types"] = ", ".join(entry["plan_types"])
        values = payers.validate_payer(raw)
        assert values["plan_types"] == entry["plan_types"], entry["name"]
    assert _payer("Veterans Affairs Community Care Network").aliases[0] == "VA CCN"


# --- the form -------------------------------------------------------------------------------


def test_the_form_has_the_visible_labels():
    labels = [rule.label for rule in payers.PAYER_RULES]
    assert labels == [
        "Name", "Also known as", "Kind", "Acceptance", "Plan types", "Phone", "Payer ID",
        "Timed units", "Discount (%)", "Notes",
    ]  # fmt: skip


def test_a_payer_is_saved_clean_and_opens_as_typed(database):
    saved = payers.save_payer(SUMMIT, actor="owner")
    assert saved.aliases == ["Summit", "SMH"]  # the repeat (ignoring case) is dropped
    assert (saved.kind, saved.plan_types) == ("commercial", ["PPO", "Medicare Advantage"])
    assert (saved.phone, saved.payer_id) == ("+15035550142", "SM-123")
    values = payers.payer_form_values(payers.get_payer(saved.id))
    assert values["aliases"] == "Summit, SMH"
    assert values["plan_types"] == "PPO, Medicare Advantage"
    assert values["phone"] == "(503) 555-0142"
    again = payers.save_payer(values, saved.id, version=saved.version)
    assert again.version == saved.version  # nothing changed, nothing written
    assert AuditEvent.select().where(AuditEvent.entity == "payer").count() == 1


def test_billing_inputs_default_to_the_eight_minute_rule_and_no_discount(database):
    saved = payers.save_payer(SUMMIT)
    assert (saved.unit_rounding, saved.discount_percent) == ("cms", 0)
    values = payers.payer_form_values(saved)
    assert (values["unit_rounding"], values["discount_percent"]) == ("cms", "")


def test_a_payers_rounding_and_a_programs_discount_are_saved(database):
    program = {**SUMMIT, "name": "Wellness Savers", "kind": "Discount program"}
    saved = payers.save_payer(
        {
            **program,
            "unit_rounding": "Whole units only (each full 15 minutes)",
            "discount_percent": " 20 ",
        }
    )
    assert (saved.unit_rounding, saved.discount_percent) == ("whole", 20)
    values = payers.payer_form_values(payers.get_payer(saved.id))
    assert (values["unit_rounding"], values["discount_percent"]) == ("whole", "20")


def test_a_rounding_or_discount_out_of_bounds_is_refused(database):
    program = {**SUMMIT, "kind": "discount_program"}
    with pytest.raises(ValidationErrors) as refused:
        payers.save_payer({**program, "unit_rounding": "nearest", "discount_percent": "120"})
    messages = refused.value.by_field()
    assert messages["Timed units"].startswith("choose one of: 8-minute rule")
    assert messages["Discount (%)"] == "120 is out of range; type a whole number from 0 to 100."
    with pytest.raises(ValidationErrors, match="Discount \\(%\\): type a whole number"):
        payers.save_payer({**program, "discount_percent": "15%"})
    assert not Payer.select().where(Payer.name == SUMMIT["name"]).exists()


def test_a_discount_is_refused_on_a_payer_that_is_not_a_discount_program(database):
    with pytest.raises(ValidationErrors) as refused:
        payers.save_payer({**SUMMIT, "discount_percent": "10"})
    assert refused.value.by_field() == {
        "Discount (%)": "only a discount program's rate comes off the fee; type 0, or choose "
        "Discount program as the kind."
    }
    assert payers.save_payer({**SUMMIT, "discount_percent": "0"}).discount_percent == 0


def test_every_bad_field_is_named_at_once(database):
    raw = {"name": " ", "kind": "insurer", "acceptance": "", "plan_types": "PPO, Platinum"}
    with pytest.raises(ValidationErrors) as refused:
        payers.save_payer(raw)
    assert set(refused.value.by_field()) == {"Name", "Kind", "Acceptance", "Plan types"}
    assert "choose one of: PPO" in refused.value.by_field()["Plan types"]


def test_a_second_payer_with_the_same_name_is_refused(database):
    payers.save_payer(SUMMIT)
    count = Payer.select().count()
    for catch in (ValidationError, ValidationErrors):
        with pytest.raises(catch) as refused:
            payers.save_payer({**SUMMIT, "name": "SUMMIT  mutual", "aliases": ""})
        assert refused.value.by_field()["Name"].startswith("Summit Mutual is already")
    with pytest.raises(ValidationError, match="Name: HMSA is already"):
        payers.save_payer({**SUMMIT, "name": "hmsá"})
    assert Payer.select().count() == count


def test_a_save_over_a_newer_version_is_refused(database):
    saved = payers.save_payer(SUMMIT)
    payers.save_payer({**SUMMIT, "notes": "First"}, saved.id, version=saved.version)
    with pytest.raises(RecordChanged):
        payers.save_payer({**SUMMIT, "notes": "Second"}, saved.id, version=saved.version)
    assert payers.get_payer(saved.id).notes == "First"


def test_a_payer_in_use_is_made_inactive_not_deleted(database):
    unused = payers.save_payer(SUMMIT)
    payers.delete_payer(unused.id, actor="owner")
    assert not Payer.select().where(Payer.id == unused.id).exists()
    hmsa = _payer("HMSA")
    client = Client.create(first_name="Ana", last_name="Silva", date_of_birth=date(1980, 4, 17))
    Coverage.create(client=client, payer=hmsa, member_id="H1")
    with pytest.raises(payers.PayerInUse, match="make it inactive instead"):
        payers.delete_payer(hmsa.id)
    inactive = payers.set_payer_active(hmsa.id, False, actor="owner")
    assert not inactive.active and payers.get_payer(hmsa.id).version == hmsa.version + 1
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.entity == "payer")]
    assert actions == ["create", "delete", "deactivate"]


def test_the_picker_takes_active_payers_of_the_kind_asked(database):
    pick = payers.payer_picker(["workers_comp"])
    carrier = _payer("Workers' compensation carrier (other)")
    assert pick(str(carrier.id), "Carrier") == carrier.id
    with pytest.raises(
        ValidationError, match="HMSA is listed as Health insurance, not as Workers' compensation"
    ):
        pick(str(_payer("HMSA").id), "Carrier")
    payers.set_payer_active(carrier.id, False)
    with pytest.raises(ValidationError, match="marked inactive"):
        pick(str(carrier.id), "Carrier")
    assert payers.payer_picker(["workers_comp"], keep_id=carrier.id)(str(carrier.id), "C")
    with pytest.raises(ValidationError, match="choose the payer from the directory"):
        pick("Acme", "Carrier")


# --- short names ----------------------------------------------------------------------------


def test_short_names_fit_a_list_column(database):
    expected = {
        "Capital Blue Cross": "Capital Blue Cross",
        "Veterans Affairs Community Care Network": "VA CCN",
        "HMSA": "HMSA",
        "ChooseHealthy Affinity Program": "ChooseHealthy",
        "Whole Health Living Program": "Whole Health Living",
        "Health Net Health Plan of Oregon": "Health Net Oregon",
        "Providence Health Plan": "Providence",
    }
    assert {name: payers.short_name(_payer(name)) for name in expected} == expected
    long = Payer(name="Northwestern Regional Teachers Benefit Plan (Idaho)", aliases=[])
    assert payers.short_name(long) == "Northwestern…"
    assert payers.short_name(Payer(name="Acme Mutual Health Program", aliases=[])) == (
        "Acme Mutual Health"
    )


# --- what to do next ------------------------------------------------------------------------


def _steps(name: str) -> str:
    return " ".join(payers.next_steps(_payer(name)))


def test_next_steps_for_a_discount_program(database):
    steps = _steps("ChooseHealthy Affinity Program")
    assert "no claim is filed" in steps
    assert "membership card" in steps and "reduced fee at the visit" in steps


def test_next_steps_for_the_va(database):
    steps = _steps("Veterans Affairs Community Care Network")
    assert "authorization" in steps and "episode of care" in steps
    assert "Never bill the veteran" in steps


def test_next_steps_for_workers_comp_and_auto(database):
    comp = _steps("Workers' compensation carrier (other)")
    for needed in ("claim number", "date of injury", "employer", "adjuster"):
        assert needed in comp
    auto = _steps("Auto-accident / PIP carrier (other)")
    for needed in ("claim number", "date of the accident", "adjuster", "attorney", "PIP"):
        assert needed in auto
    assert "employer" not in auto


def test_next_steps_for_an_insurer_in_network(database):
    steps = _steps("Capital Blue Cross")
    assert "member ID and group number" in steps
    assert "massage therapy benefits" in steps and "prescription" in steps
    assert "referral" not in steps
    assert "referral from their primary care doctor" in _steps("Priority Health")  # HMO, POS


def test_next_steps_for_a_payer_not_accepted_and_an_inactive_one(database):
    saved = payers.save_payer({**SUMMIT, "acceptance": "not_accepted"})
    steps = payers.next_steps(saved)
    assert "not in network" in steps[0]
    assert any("HSA/FSA" in step for step in steps)
    assert any("ChooseHealthy or Whole Health Living" in step for step in steps)
    inactive = payers.set_payer_active(_payer("HMSA").id, False)
    assert payers.next_steps(inactive)[0] == payers.INACTIVE_STEP


def test_next_steps_for_self_pay(database):
    steps = _steps("Self-pay")
    assert "HSA/FSA" in steps and "prescription" in steps and "tip" in steps


def test_the_advice_when_nothing_matches():
    advice = payers.NO_MATCH_ADVICE
    for needed in (
        "No payer in our directory matches",
        "ChooseHealthy",
        "American Specialty Health",
        "Whole Health Living",
        "Tivity",
        "back of the member card",
        "member website",
        "self-pay",
        "HSA/FSA",
    ):
        assert needed in advice
