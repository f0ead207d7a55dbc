"""Entering a prescription: every field's rule, diagnoses, the plan check, editing, renewing."""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk.models import (
    AuditEvent,
    Client,
    InjuryCase,
    Physician,
    Prescription,
    PrescriptionDiagnosis,
)
from frontdesk.services import prescriptions
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import RecordMissing
from frontdesk.validation import ValidationErrors
from tests.core.conftest import TODAY, rx_form


def _refused(prescribe, **changes) -> dict[str, str]:
    """The messages by label when saving the form with these changes is refused."""
    before = Prescription.select().count()
    with pytest.raises(ValidationErrors) as refused:
        prescribe(**changes)
    assert Prescription.select().count() == before
    return refused.value.by_field()


def _diagnoses(rx: Prescription) -> list[tuple[int, str, str]]:
    query = PrescriptionDiagnosis.select().where(PrescriptionDiagnosis.prescription == rx)
    return [
        (d.position, d.code, d.description) for d in query.order_by(PrescriptionDiagnosis.position)
    ]


def _audit(action: str) -> list[tuple[int, str]]:
    query = AuditEvent.select().where(
        (AuditEvent.entity == "prescription") & (AuditEvent.action == action)
    )
    return [(event.entity_id, event.detail) for event in query]


def test_a_prescription_is_saved_with_its_diagnoses_in_order(prescribe, patient, physician):
    rx = Prescription.get_by_id(prescribe(diagnosis_codes="m62830 ; M54.50").id)
    assert (rx.client_id, rx.physician_id) == (patient.id, physician.id)
    assert (rx.written_on, rx.reason, rx.modality) == (
        date(2026, 10, 1),
        "Low back pain",
        "massage_therapy",
    )
    assert rx.techniques == ["myofascial_release", "trigger_point_therapy"]
    assert rx.body_areas == ["lower_back", "hip_left"]
    assert (rx.treatments_prescribed, rx.frequency_count, rx.frequency_period) == (12, 2, "month")
    assert (rx.duration_count, rx.duration_unit, rx.duration_months) == (6, "month", None)
    assert rx.end_date == date(2027, 3, 31)  # computed: 6 months from 10/01/2026
    assert _diagnoses(rx) == [
        (1, "M62.830", "Muscle spasm of back"),
        (2, "M54.50", "Low back pain, unspecified"),
    ]
    assert _audit("create") == [(rx.id, "")]


def test_diagnosis_codes_may_come_as_a_list_in_any_spelling(prescribe):
    rx = prescribe(diagnosis_codes=["s134xxa", " m54.2 ", "G44209"])
    assert [code for _, code, _ in _diagnoses(rx)] == ["S13.4XXA", "M54.2", "G44.209"]


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ("", "this is required"),
        ("M54.5", "M54.5 is a category; use a billable code: M54.50, M54.51, M54.59."),
        ("M54.50, M54.99", "M54.99 is not in the ICD-10-CM code set"),
        ("M54.50, m5450", "M54.50 is listed twice; list each code once."),
        ("M54.50, 12", "12 is not an ICD-10-CM code"),
    ],
)
def test_diagnosis_codes_refused_with_what_to_type(prescribe, codes, message):
    assert message in _refused(prescribe, diagnosis_codes=codes)["Diagnosis codes"]


def test_every_bad_diagnosis_code_is_named_in_one_message(prescribe):
    message = _refused(prescribe, diagnosis_codes="M54.5, M99.99X, M54.2")["Diagnosis codes"]
    assert "M54.5 is a category" in message and "M99.99X" in message


def test_at_most_12_diagnosis_codes(prescribe):
    codes = ["M54.50", "M54.2", "M62.830", "M79.7", "G44.209", "M25.511", "M75.41",
             "S13.4XXA", "S39.012A", "M54.6", "M79.10", "M25.512"]  # fmt: skip
    assert len(_diagnoses(prescribe(diagnosis_codes=codes))) == 12
    message = _refused(prescribe, diagnosis_codes=[*codes, "M25.521"])["Diagnosis codes"]
    assert message == "list at most 12 codes (13 were typed)."


def test_every_bad_field_is_named_by_its_label(prescribe):
    wrong = {
        "physician_id": "",
        "written_on": "12/01/2026",  # after today
        "reason": " ",
        "diagnosis_codes": "M54.5",
        "modality": "reiki",
        "techniques": ["cupping"],
        "body_areas": [],
        "treatments_prescribed": "0",
        "frequency": "often",
        "duration": "6",
        "end_date": "02/30/2027",
    }
    assert set(_refused(prescribe, **wrong)) == {
        "Physician",
        "Date written",
        "Reason for medical necessity",
        "Diagnosis codes",
        "Modality",
        "Techniques",
        "Body areas",
        "Number of treatments",
        "Frequency",
        "Duration",
        "End date",
    }


def test_the_physician_must_be_in_the_directory(prescribe, physician):
    assert "choose the physician" in _refused(prescribe, physician_id="Dr. Chen")["Physician"]
    gone = Physician.create(first_name="Old", last_name="Doc")
    Physician.delete_by_id(gone.id)
    assert "no longer in the directory" in _refused(prescribe, physician_id=gone.id)["Physician"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("11/28/2026", "11/28/2026 is after today (11/27/2026)"),
        ("04/16/1980", "this is before the client's date of birth (04/17/1980)"),
        ("2026-13-01", "not a real date"),
    ],
)
def test_date_written_is_not_in_the_future_nor_before_birth(prescribe, written, message):
    assert message in _refused(prescribe, written_on=written)["Date written"]


def test_date_written_may_be_today_or_the_day_of_birth(prescribe):
    assert prescribe(written_on="11/27/2026").written_on == TODAY
    assert prescribe(written_on="04/17/1980").written_on == date(1980, 4, 17)


def test_end_date_is_computed_or_kept_but_never_before_the_date_written(prescribe):
    assert prescribe(duration="8 weeks").end_date == date(2026, 11, 25)
    assert prescribe(end_date="12/31/2026").end_date == date(2026, 12, 31)
    assert prescribe(end_date="10/01/2026").end_date == date(2026, 10, 1)  # one day
    message = _refused(prescribe, end_date="09/30/2026")["End date"]
    assert message == "this is before the date written (10/01/2026); check the date."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2 per month", (2, "month")),
        ("2/month", (2, "month")),
        ("3x per week", (3, "week")),
        ("1 a week", (1, "week")),
        ("twice a month", (2, "month")),
        ("Once per WEEK", (1, "week")),
        ("2 times per wk", (2, "week")),
        ("7 per week", (7, "week")),
        ("31/mo", (31, "month")),
    ],
)
def test_frequency_spellings(prescribe, typed, stored):
    rx = prescribe(frequency=typed)
    assert (rx.frequency_count, rx.frequency_period) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("8 per week", "type from 1 to 7 treatments per week."),
        ("0 per month", "type from 1 to 31 treatments per month."),
        ("2", "type it as 2 per week or 1 per month."),
        ("weekly", "type it as 2 per week or 1 per month."),
    ],
)
def test_frequency_refused(prescribe, typed, message):
    assert _refused(prescribe, frequency=typed)["Frequency"] == message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("6 months", (6, "month")), ("1 month", (1, "month")), ("12 weeks", (12, "week")),
     ("3 mo", (3, "month")), ("4wks", (4, "week")), ("24 months", (24, "month"))],
)  # fmt: skip
def test_duration_spellings(prescribe, typed, stored):
    rx = prescribe(duration=typed, treatments_prescribed="1")
    assert (rx.duration_count, rx.duration_unit) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("25 months", "type from 1 to 24 months."),
        ("0 weeks", "type from 1 to 104 weeks."),
        ("six months", "type it as 6 weeks or 12 months."),
    ],
)
def test_duration_refused(prescribe, typed, message):
    assert _refused(prescribe, duration=typed)["Duration"] == message


@pytest.mark.parametrize(
    ("typed", "ok"), [("1", True), ("365", True), ("0", False), ("366", False), ("2.5", False)]
)
def test_number_of_treatments_is_1_to_365(prescribe, typed, ok):
    if ok:
        assert prescribe(treatments_prescribed=typed).treatments_prescribed == int(typed)
    else:
        assert "Number of treatments" in _refused(prescribe, treatments_prescribed=typed)


def test_modality_by_its_key_or_its_name(prescribe):
    assert prescribe(modality="manual_therapy").modality == "manual_therapy"
    assert prescribe(modality="MANUAL THERAPY").modality == "manual_therapy"
    assert (
        "choose one of: Massage therapy, Manual therapy"
        in _refused(prescribe, modality="x")["Modality"]
    )


def test_techniques_and_body_areas_are_keys_of_their_lists(prescribe):
    rx = prescribe(techniques=[], body_areas=["neck", "upper_back", "neck"])
    assert (rx.techniques, rx.body_areas) == ([], ["neck", "upper_back"])
    assert "unknown item 'cupping'" in _refused(prescribe, techniques=["cupping"])["Techniques"]
    assert "unknown item 'toe'" in _refused(prescribe, body_areas=["toe"])["Body areas"]
    assert "tick the body areas" in _refused(prescribe, body_areas=[])["Body areas"]


def test_a_missing_client_is_refused(physician):
    with pytest.raises(RecordMissing):
        prescriptions.save_prescription(rx_form(physician.id), 999, today=TODAY)


# --- the plan check ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("treatments", "frequency", "duration", "warning"),
    [
        ("10", "2 per month", "12 months", "2 per month for 12 months is 24 treatments, not 10."),
        ("24", "2 per month", "12 months", ""),
        ("12", "2 per week", "6 weeks", ""),
        ("13", "2 per week", "6 weeks", "2 per week for 6 weeks is 12 treatments, not 13."),
        ("12", "1 per week", "3 months", ""),  # 3 months are 12 to 13 weeks
        ("13", "1 per week", "3 months", ""),
        ("10", "1 per week", "3 months", "1 per week for 3 months is 12 to 13 treatments, not 10."),
        ("1", "1 per month", "1 week", ""),
        ("2", "1 per month", "6 weeks", ""),  # 6 weeks are 1 to 2 months
        ("5", "1 per month", "6 weeks", "1 per month for 6 weeks is 1 to 2 treatments, not 5."),
    ],
)
def test_plan_warning_when_frequency_times_duration_disagrees(
    treatments, frequency, duration, warning
):
    raw = {"treatments_prescribed": treatments, "frequency": frequency, "duration": duration}
    assert prescriptions.check_plan(raw).warning == warning


def test_plan_check_computes_the_end_date_and_never_raises():
    check = prescriptions.check_plan({"written_on": "01/31/2026", "duration": "1 month"})
    assert check == prescriptions.PlanCheck(end_date=date(2026, 2, 28), warning="")
    assert prescriptions.check_plan({}) == prescriptions.PlanCheck(None, "")
    half_typed = {
        "written_on": "01/3",
        "duration": "6 mo",
        "frequency": "2 per",
        "treatments_prescribed": "x",
    }
    assert prescriptions.check_plan(half_typed) == prescriptions.PlanCheck(None, "")


def test_a_disagreeing_plan_is_still_saved(prescribe):
    rx = prescribe(treatments_prescribed="10", frequency="2 per month", duration="12 months")
    assert rx.treatments_prescribed == 10


# --- editing -------------------------------------------------------------------------------


def _edit(rx: Prescription, version: int, **changes) -> Prescription:
    form = {**prescriptions.form_values(rx), **changes}
    return prescriptions.save_prescription(form, rx.client_id, rx.id, version, today=TODAY)


def test_opening_and_saving_unchanged_writes_nothing(prescribe, physician):
    rx = prescribe()
    values = prescriptions.form_values(rx)
    assert values["diagnosis_codes"] == "M54.50, M62.830"
    assert (values["frequency"], values["duration"]) == ("2 per month", "6 months")
    assert (values["written_on"], values["end_date"]) == ("10/01/2026", "03/31/2027")
    assert values["physician_id"] == str(physician.id)
    again = _edit(rx, rx.version)
    assert again.version == 1 and _audit("update") == []


def test_an_edit_writes_fields_and_diagnoses_together(prescribe, physician):
    rx = prescribe()
    edited = _edit(rx, 1, reason="Lumbar strain", diagnosis_codes="M54.2")
    stored = Prescription.get_by_id(rx.id)
    assert (stored.reason, stored.version, edited.version) == ("Lumbar strain", 2, 2)
    assert _diagnoses(stored) == [(1, "M54.2", "Cervicalgia")]
    assert _audit("update") == [(rx.id, "fields: reason, diagnosis_codes")]


def test_changing_only_the_diagnoses_raises_the_version(prescribe, physician):
    rx = prescribe()
    assert _edit(rx, 1, diagnosis_codes="M62.830, M54.50").version == 2
    assert [code for _, code, _ in _diagnoses(rx)] == ["M62.830", "M54.50"]
    with pytest.raises(RecordChanged):
        _edit(rx, 1, notes="faxed back")


def test_an_edit_of_a_deleted_prescription_is_refused(prescribe, physician):
    rx = prescribe()
    Prescription.delete_by_id(rx.id)
    with pytest.raises(RecordMissing):
        prescriptions.save_prescription(rx_form(physician.id), rx.client_id, rx.id, 1, today=TODAY)
    with pytest.raises(ValueError, match="version"):
        prescriptions.save_prescription(rx_form(physician.id), rx.client_id, rx.id, today=TODAY)


def test_the_number_of_treatments_cannot_drop_below_the_visits_used(prescribe, book, physician):
    rx = prescribe()
    for day in (date(2026, 10, 5), date(2026, 10, 19), date(2026, 12, 7)):  # one still booked
        book(rx, day, status="completed" if day < TODAY else "scheduled")
    book(rx, date(2026, 11, 2), status="cancelled")
    book(rx, date(2026, 11, 3), status="no_show")
    message = _refused(lambda **c: _edit(rx, 1, **c), treatments_prescribed="2")[
        "Number of treatments"
    ]
    assert message == (
        "3 visits are already used or booked on this prescription; type 3 or more, not 2."
    )
    assert Prescription.get_by_id(rx.id).treatments_prescribed == 12
    assert _edit(rx, 1, treatments_prescribed="3").treatments_prescribed == 3


# --- renewing ------------------------------------------------------------------------------


def test_renewal_values_start_today_with_the_end_date_recomputed(prescribe, patient):
    old = prescribe(
        duration="12 weeks", treatments_prescribed="12", frequency="1 per week", notes="faxed"
    )
    values = prescriptions.renew_values(old.id, today=date(2027, 1, 31))
    assert values["written_on"] == "01/31/2027"
    assert values["end_date"] == "04/24/2027"
    assert values["notes"] == ""
    assert values["diagnosis_codes"] == "M54.50, M62.830"
    assert values["body_areas"] == ["lower_back", "hip_left"]
    renewed = prescriptions.save_prescription(values, patient.id, today=date(2027, 1, 31))
    assert renewed.id != old.id and renewed.end_date == date(2027, 4, 24)
    assert (renewed.duration_count, renewed.duration_unit) == (12, "week")


def test_the_rules_carry_the_visible_labels():
    labels = [rule.label for rule in prescriptions.PRESCRIPTION_RULES]
    assert labels == [
        "Physician",
        "Date written",
        "Reason for medical necessity",
        "Diagnosis codes",
        "Injury case",
        "Modality",
        "Number of treatments",
        "Frequency",
        "Duration",
        "End date",
        "Notes",
    ]
    assert prescriptions.CHECKLIST_LABELS == {
        "techniques": "Techniques",
        "body_areas": "Body areas",
    }


def test_a_prescription_is_tied_to_one_of_the_clients_injury_cases(prescribe, patient):
    case = InjuryCase.create(client=patient, kind="auto", date_of_injury=TODAY)
    stranger = Client.create(first_name="Sam", last_name="Other", date_of_birth=date(1990, 1, 1))
    elsewhere = InjuryCase.create(client=stranger, kind="auto", date_of_injury=TODAY)
    rx = prescribe(injury_case_id=str(case.id))
    assert rx.injury_case_id == case.id
    assert prescriptions.form_values(rx)["injury_case_id"] == str(case.id)
    refused = _refused(prescribe, injury_case_id=str(elsewhere.id))
    assert "this client's own cases" in refused["Injury case"]
