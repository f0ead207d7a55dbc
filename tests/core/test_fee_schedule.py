"""The fee schedule kept in Settings: codes, descriptions, minutes, and prices from a date."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from frontdesk.models import AuditEvent, ServiceCode, ServiceLine, ServicePrice
from frontdesk.services import fee_schedule, fees, visits
from frontdesk.services.fee_schedule import CodeInUse
from frontdesk.services.records import RecordChanged
from frontdesk.storage_errors import RecordMissing
from frontdesk.validation import ValidationErrors

OCTOBER, NOVEMBER, TODAY = date(2026, 10, 20), date(2026, 11, 2), date(2026, 11, 27)
HOT_STONE = {
    "code": " well75 ",
    "description": "Hot stone wellness massage, 75 minutes",
    "timed": "session",
    "unit_minutes": "75",
    "price_cents": "$1,234.50",
    "medical": "Wellness (non-medical)",
}


def charged(patient, therapist, day: date) -> ServiceLine:
    """Book a 60-minute visit on `day`, complete it; its service line."""
    booked = visits.book_visit(patient.id, therapist.id, datetime.combine(day, time(10)), 60)
    visit = visits.complete_visit(booked.visit.id, booked.visit.version)
    return ServiceLine.get(ServiceLine.visit == visit.id)


def row_of(code: str, today: date = TODAY) -> fee_schedule.FeeRow:
    return next(row for row in fee_schedule.fee_schedule(today) if row.code == code)


def edit_values(code: ServiceCode, **changes: str) -> dict[str, str]:
    return {**fee_schedule.code_form_values(code), **changes}


# --- the list -------------------------------------------------------------------------------


def test_the_schedule_lists_every_code_with_todays_price_and_the_next_change(set_up_clinic):
    massage = ServiceCode.get(code="97124")
    fees.set_price(massage.id, 3800, NOVEMBER)
    fees.set_price(massage.id, 4200, date(2027, 1, 1))
    fees.set_price(massage.id, 4500, date(2027, 6, 1))
    rows = fee_schedule.fee_schedule(TODAY)
    assert [row.code for row in rows] == sorted(row.code for row in rows)
    assert len(rows) == ServiceCode.select().count()
    assert row_of("97124").price_cents == 3800
    assert row_of("97124").next_change == fee_schedule.PriceChange(date(2027, 1, 1), 4200)
    assert (row_of("97140").price_cents, row_of("97140").next_change) == (4000, None)
    assert row_of("97124", OCTOBER).price_cents == 3500  # before the first change


def test_listing_takes_two_queries_however_many_codes(set_up_clinic):
    for code in ServiceCode.select():
        fees.set_price(code.id, 5000, date(2027, 1, 1))
    database = ServiceCode._meta.database.obj
    queries: list[str] = []
    real_execute = database.execute_sql

    def counting(sql, *args, **kwargs):
        queries.append(sql)
        return real_execute(sql, *args, **kwargs)

    database.execute_sql = counting
    try:
        fee_schedule.fee_schedule(TODAY)
    finally:
        del database.execute_sql
    assert len(queries) == 2


# --- a price change from a date ---------------------------------------------------------------


def test_a_price_change_never_alters_a_past_visit_and_charges_later_ones(
    prescribe, patient, therapist
):
    prescribe()
    massage = ServiceCode.get(code="97124")
    before = charged(patient, therapist, OCTOBER)
    change = fee_schedule.change_price(
        massage.id, {"price_cents": "$40", "effective_on": "11/01/2026"}, actor="owner"
    )
    after = charged(patient, therapist, NOVEMBER)
    assert (change.price_cents, change.effective_on) == (4000, date(2026, 11, 1))
    assert ServiceLine.get_by_id(before.id).charge_cents == 4 * 3500  # kept as charged
    assert after.charge_cents == 4 * 4000
    assert ServiceCode.get_by_id(massage.id).price_cents == 3500  # the original price stays
    assert AuditEvent.get(entity="service_code", action="price_change").actor == "owner"


def test_a_change_dated_in_the_past_does_not_reprice_a_visit_already_charged(
    prescribe, patient, therapist
):
    prescribe()
    massage = ServiceCode.get(code="97124")
    before = charged(patient, therapist, OCTOBER)
    fee_schedule.change_price(massage.id, {"price_cents": "45", "effective_on": "10/01/2026"})
    assert ServiceLine.get_by_id(before.id).charge_cents == 4 * 3500
    assert charged(patient, therapist, NOVEMBER).charge_cents == 4 * 4500


def test_a_bad_price_or_date_is_named_and_nothing_saved(set_up_clinic):
    massage = ServiceCode.get(code="97124")
    with pytest.raises(ValidationErrors) as refused:
        fee_schedule.change_price(massage.id, {"price_cents": "-5", "effective_on": "13/01/2026"})
    messages = refused.value.by_field()
    assert set(messages) == {"New price", "From"}
    assert "negative" in messages["New price"]
    assert "MM/DD/YYYY" in messages["From"]
    with pytest.raises(ValidationErrors, match="New price: this is required"):
        fee_schedule.change_price(massage.id, {"price_cents": " ", "effective_on": "11/01/2026"})
    assert not ServicePrice.select().exists()


def test_a_price_change_for_a_deleted_code_is_refused(set_up_clinic):
    with pytest.raises(RecordMissing):
        fee_schedule.change_price(9999, {"price_cents": "40", "effective_on": "11/01/2026"})


# --- adding a code ----------------------------------------------------------------------------


def test_a_code_is_added_clean_and_priced(set_up_clinic):
    added = fee_schedule.save_code(HOT_STONE, actor="owner")
    assert (added.code, added.timed, added.unit_minutes) == ("WELL75", False, 75)
    assert (added.price_cents, added.medical, added.active) == (123450, False, True)
    assert fees.price_on(added, TODAY) == 123450
    assert AuditEvent.get(entity="service_code", entity_id=added.id).action == "create"


def test_a_code_already_in_the_schedule_is_refused(set_up_clinic):
    count = ServiceCode.select().count()
    with pytest.raises(ValidationErrors) as refused:
        fee_schedule.save_code({**HOT_STONE, "code": "well60"})
    assert refused.value.by_field() == {
        "Code": "WELL60 is already in the fee schedule; edit it there."
    }
    assert ServiceCode.select().count() == count


def test_every_bad_field_of_a_new_code_is_named_at_once(set_up_clinic):
    raw = {
        "code": "97 1-24",
        "description": " ",
        "timed": "sometimes",
        "unit_minutes": "0",
        "price_cents": "12.345",
        "medical": "",
    }
    with pytest.raises(ValidationErrors) as refused:
        fee_schedule.save_code(raw)
    messages = refused.value.by_field()
    assert list(messages) == ["Code", "Description", "Billed by", "Minutes", "Price", "Kind"]
    assert "letters and digits" in messages["Code"]
    assert messages["Description"] == "this is required; please fill it in."
    assert "choose one of: Units of time" in messages["Billed by"]
    assert "from 1 to 480" in messages["Minutes"]
    assert "2 digits for cents" in messages["Price"]
    assert not ServiceCode.select().where(ServiceCode.code == "971-24").exists()


# --- editing a code ---------------------------------------------------------------------------


def test_a_code_opens_as_picked_and_saves_its_edits_with_a_new_version(set_up_clinic):
    code = ServiceCode.get(code="WELL90")
    values = fee_schedule.code_form_values(code)
    assert values == {
        "description": code.description,
        "timed": "session",
        "unit_minutes": "90",
        "medical": "wellness",
        "active": "active",
    }
    assert fee_schedule.save_code(values, code.id, version=code.version).version == code.version
    edited = fee_schedule.save_code(
        edit_values(code, description="Long relaxing massage, 90 minutes", unit_minutes="85"),
        code.id,
        version=code.version,
        actor="owner",
    )
    assert (edited.description, edited.unit_minutes, edited.version) == (
        "Long relaxing massage, 90 minutes",
        85,
        code.version + 1,
    )
    assert (edited.code, edited.price_cents) == ("WELL90", code.price_cents)  # never edited here


def test_an_edit_over_a_newer_save_is_refused(set_up_clinic):
    code = ServiceCode.get(code="97530")
    fee_schedule.save_code(edit_values(code, description="First"), code.id, version=code.version)
    with pytest.raises(RecordChanged):
        fee_schedule.save_code(
            edit_values(code, description="Second"), code.id, version=code.version
        )
    assert fee_schedule.get_code(code.id).description == "First"


def test_an_inactive_code_stays_listed_and_wellness_visits_skip_it(patient, therapist):
    code = ServiceCode.get(code="WELL60")
    fee_schedule.save_code(edit_values(code, active="inactive"), code.id, version=code.version)
    assert not row_of("WELL60").active
    assert charged(patient, therapist, NOVEMBER).service_code.code == "WELL90"
    again = fee_schedule.get_code(code.id)
    fee_schedule.save_code(edit_values(again, active="Active"), code.id, version=again.version)
    assert row_of("WELL60").active


def test_the_code_visits_are_charged_by_stays_active(set_up_clinic):
    code = ServiceCode.get(code="97124")
    with pytest.raises(ValidationErrors) as refused:
        fee_schedule.save_code(edit_values(code, active="inactive"), code.id, version=code.version)
    assert "charges visits by 97124" in refused.value.by_field()["Status"]
    assert fee_schedule.get_code(code.id).active


# --- deleting a code --------------------------------------------------------------------------


def test_an_unused_code_is_deleted_with_its_price_changes(set_up_clinic):
    added = fee_schedule.save_code(HOT_STONE)
    fee_schedule.change_price(added.id, {"price_cents": "150", "effective_on": "01/01/2027"})
    fee_schedule.delete_code(added.id, actor="owner")
    assert not ServiceCode.select().where(ServiceCode.code == "WELL75").exists()
    assert not ServicePrice.select().exists()
    assert AuditEvent.get(entity="service_code", action="delete").entity_id == added.id


def test_a_code_on_past_visits_is_made_inactive_not_deleted(patient, therapist):
    line = charged(patient, therapist, NOVEMBER)
    assert line.service_code.code == "WELL60"
    with pytest.raises(CodeInUse, match="make it inactive instead"):
        fee_schedule.delete_code(line.service_code_id)
    with pytest.raises(CodeInUse, match="charges visits by 97124"):
        fee_schedule.delete_code(ServiceCode.get(code="97124").id)
    assert ServiceCode.select().where(ServiceCode.code.in_(["WELL60", "97124"])).count() == 2
