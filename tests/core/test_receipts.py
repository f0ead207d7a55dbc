"""Receipts, superbills and statements in the core: what each holds, numbers, snapshots, checks."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from frontdesk import db
from frontdesk.models import (
    AuditEvent,
    Client,
    ClinicProfile,
    Prescription,
    PrescriptionDiagnosis,
    Receipt,
    ServiceCode,
    ServiceLine,
    Therapist,
    Visit,
)
from frontdesk.services import ledger, receipts
from frontdesk.services.receipts import Problem, ReceiptRefused, completeness
from frontdesk.storage_errors import RecordMissing, StorageError
from tests.core.conftest import TODAY
from tests.core.receipt_fixtures import (
    YEAR_2026,
    new_client,
    pay,
    treat,
)


def _visit_part(draft: receipts.Draft, visit: Visit) -> dict:
    return next(part for part in draft.content["visits"] if part["visit_id"] == visit.id)


# --- the HSA/FSA receipt ----------------------------------------------------------------------


def test_a_receipt_for_a_payment_holds_its_visits_and_every_payment_on_them(emily):
    draft = receipts.draft_receipt(emily.client.id, payment_id=emily.payments["split_card"].id)
    assert draft.kind == "hsa_fsa" and draft.kind_label == "HSA/FSA receipt"
    assert draft.title == "HSA/FSA receipt for Lee, Emily: 11/27/2026"
    assert [part["visit_id"] for part in draft.content["visits"]] == [emily.visits["split"].id]
    paid_by = [(p["method"], p["reference"], p["amount_cents"]) for p in draft.content["payments"]]
    assert paid_by == [("HSA/FSA card", "1234", 6000), ("Credit card", "4242", 4000)]
    assert draft.content["totals"] == {
        "charges_cents": 10500,
        "discounts_cents": 500,
        "paid_cents": 10000,
        "third_party_cents": 0,
        "balance_cents": 0,
        "eligible_cents": 10000,
        "non_medical_cents": 0,
        "gratuity_cents": 2000,
    }
    assert draft.content["paid_in_full"] and draft.amount_cents == 10000
    assert draft.problems == ()


def test_a_visit_shows_what_a_plan_needs(emily, therapist):
    draft = receipts.draft_receipt(emily.client.id, visit_ids=[emily.visits["split"].id])
    part = _visit_part(draft, emily.visits["split"])
    assert (part["date"], part["minutes"], part["medical"]) == ("2026-11-27", 45, True)
    (line,) = part["lines"]
    assert (line["code"], line["units"], line["charge_cents"], line["discount_cents"]) == (
        "97124", 3, 10500, 500,
    )  # fmt: skip
    assert line["description"].startswith("Medical massage")
    assert line["diagnosis_codes"] == ["M54.50", "M62.830"]
    assert [d["code"] for d in part["diagnoses"]] == ["M54.50", "M62.830"]
    (rx,) = draft.content["prescriptions"]
    assert (rx["physician"], rx["physician_npi"], rx["written_on"]) == (
        "Alicia Chen, MD", "1003000126", "2026-10-01",
    )  # fmt: skip
    (who,) = draft.content["therapists"]
    assert (who["therapist_id"], who["license_state"], who["license_number"]) == (
        therapist.id, "OR", "LMT-21873",
    )  # fmt: skip
    client = draft.content["client"]
    assert client["name"] == "Emily Rose Lee" and client["date_of_birth"] == "1985-03-09"
    assert client["address"] == ["455 Oak Ave", "Apt 3", "Salem, OR 97302"]
    clinic = draft.content["clinic"]
    assert (clinic["ein"], clinic["npi"], clinic["phone"]) == (
        "93-1234567", "1234567893", "(503) 555-0100",
    )  # fmt: skip


def test_a_tip_never_enters_the_eligible_total(emily):
    on_wellness = receipts.draft_receipt(emily.client.id, payment_id=emily.payments["cash"].id)
    totals = on_wellness.content["totals"]
    assert (totals["paid_cents"], totals["gratuity_cents"], totals["eligible_cents"]) == (
        9500, 1500, 0,
    )  # fmt: skip
    medical = receipts.draft_receipt(emily.client.id, payment_id=emily.payments["split_hsa"].id)
    assert medical.content["totals"]["eligible_cents"] == 10000  # the $20.00 tip is apart
    assert medical.content["totals"]["gratuity_cents"] == 2000


def test_a_wellness_visit_is_non_medical_and_outside_the_eligible_total(emily):
    every = [visit.id for visit in emily.visits.values()]
    draft = receipts.draft_receipt(emily.client.id, visit_ids=every)
    assert draft.title == "HSA/FSA receipt for Lee, Emily: 11/02/2026 to 11/27/2026"
    wellness = _visit_part(draft, emily.visits["wellness"])
    assert not wellness["medical"] and wellness["care"] == "Wellness (non-medical)"
    assert wellness["diagnoses"] == [] and wellness["prescription_id"] is None
    assert [(line["code"], line["medical"]) for line in wellness["lines"]] == [("WELL60", False)]
    totals = draft.content["totals"]
    assert totals["eligible_cents"] == 14000 + 10000
    assert totals["non_medical_cents"] == 9500
    assert totals["gratuity_cents"] == 1500 + 2000
    assert totals["paid_cents"] == 14000 + 9500 + 10000 and draft.content["paid_in_full"]


def test_a_visit_without_a_prescription_never_prints_as_medical(therapist, set_up_clinic):
    client = new_client()
    visit = treat(client, therapist, TODAY)  # no prescription on file
    line = ServiceLine.get(ServiceLine.visit == visit.id)
    ServiceLine.update(service_code=ServiceCode.get(code="97124").id, medical=True).where(
        ServiceLine.id == line.id
    ).execute()  # even a line charged by a medical code
    draft = receipts.draft_receipt(client.id, visit_ids=[visit.id])
    (part,) = draft.content["visits"]
    assert not part["medical"] and part["care"] == "No prescription (not medical)"
    (shown,) = part["lines"]
    assert (shown["code"], shown["medical"], shown["diagnosis_codes"]) == ("", False, [])
    assert shown["description"] == "Massage (non-medical service)"
    assert draft.content["totals"]["eligible_cents"] == 0


def test_a_late_cancel_fee_is_a_line_that_is_not_medical(emily, therapist):
    booked = treat(emily.client, therapist, date(2026, 11, 24))
    late = Visit.create(
        client=emily.client, therapist=therapist, starts_at=booked.starts_at.replace(hour=15),
        minutes=60, status="cancelled", fee_cents=4000,
    )  # fmt: skip
    pay(emily.client, date(2026, 11, 24), "cash", {late.id: 4000})
    part = _visit_part(receipts.draft_receipt(emily.client.id, visit_ids=[late.id]), late)
    assert part["care"] == "Late-cancel fee" and not part["medical"]
    assert [(line["description"], line["fee"]) for line in part["lines"]] == [
        ("Late-cancel fee", True)
    ]
    assert part["eligible_cents"] == 0 and part["balance_cents"] == 0


def test_what_an_insurer_paid_is_not_eligible(marco):
    draft = receipts.draft_receipt(marco.client.id, payment_id=marco.payments["carrier"].id)
    totals = draft.content["totals"]
    assert totals["third_party_cents"] == totals["paid_cents"] == 28000
    assert totals["eligible_cents"] == 0


@pytest.mark.parametrize(
    ("choose", "refusal"),
    [
        (lambda s: {}, "Choose a payment"),
        (lambda s: {"payment_id": s.payments["cash"].id, "visit_ids": [1]}, "Choose a payment"),
        (lambda s: {"payment_id": 9999}, "no payment no. 9999"),
        (lambda s: {"visit_ids": [9999]}, "no longer exists"),
    ],
)
def test_a_receipt_needs_one_payment_or_visits_that_exist(emily, choose, refusal):
    with pytest.raises(ReceiptRefused, match=refusal):
        receipts.draft_receipt(emily.client.id, **choose(emily))


def test_no_receipt_for_a_void_a_refund_or_money_not_on_a_visit(emily, therapist):
    client = emily.client
    prepaid = ledger.record_payment(
        {"method": "cash", "received_on": "11/27/2026", "amount_cents": "50.00"}, client.id
    )
    with pytest.raises(ReceiptRefused, match="not on any visit"):
        receipts.draft_receipt(client.id, payment_id=prepaid.id)
    refund = ledger.refund_payment(prepaid.id, 2000, "Changed plans", on=TODAY)
    void = ledger.void_entry(emily.payments["cash"].id, "Keyed twice", on=TODAY)
    for entry in (refund, void, emily.payments["cash"]):
        with pytest.raises(ReceiptRefused, match="refund, a void or a voided payment"):
            receipts.draft_receipt(client.id, payment_id=entry.id)
    other = new_client("Bo", "Park")
    with pytest.raises(ReceiptRefused, match=r"no payment no\."):
        receipts.draft_receipt(other.id, payment_id=emily.payments["hsa"].id)
    with pytest.raises(ReceiptRefused, match="another client's"):
        receipts.draft_receipt(other.id, visit_ids=[emily.visits["first"].id])
    scheduled = Visit.create(
        client=client, therapist=therapist, starts_at=TODAY.replace(day=30), minutes=60
    )
    with pytest.raises(ReceiptRefused, match="not charged"):
        receipts.draft_receipt(client.id, visit_ids=[scheduled.id])
    with pytest.raises(RecordMissing):
        receipts.draft_receipt(9999, visit_ids=[scheduled.id])


# --- numbers, snapshots, copies ---------------------------------------------------------------


def _issue_receipt(scenario, **kwargs) -> Receipt:
    draft = receipts.draft_receipt(scenario.client.id, payment_id=scenario.payments["hsa"].id)
    return receipts.issue(draft, **kwargs)


def test_numbers_follow_each_other_and_never_repeat_across_restarts(emily, database):
    first, second = _issue_receipt(emily), _issue_receipt(emily)
    assert (first.number, second.number) == (1, 2)
    db.close_database()
    db.open_database(database.location)
    statement = receipts.issue(receipts.draft_statement(emily.client.id, *YEAR_2026))
    assert statement.number == 3
    assert ClinicProfile.get().next_receipt_number == 4
    assert sorted(r.number for r in Receipt.select()) == [1, 2, 3]


def test_two_pcs_printing_at_once_get_numbers_that_never_repeat_or_skip(emily, database):
    """Each PC drafts, then issues, on its own connection at the same time; every number is
    taken inside the issuing transaction, which waits for the other PC's."""
    from tests.concurrency import at_once

    def print_receipts() -> None:
        for _ in range(6):
            _issue_receipt(emily)

    at_once(print_receipts)
    assert sorted(r.number for r in Receipt.select()) == list(range(1, 13))
    assert ClinicProfile.get().next_receipt_number == 13


def test_a_failed_print_still_uses_its_number(emily):
    with pytest.raises(RuntimeError):
        receipt = _issue_receipt(emily)
        raise RuntimeError("the printer jammed before the PDF was drawn")
    assert Receipt.get_by_id(receipt.id).number == 1
    assert _issue_receipt(emily).number == 2


@pytest.mark.sqlite_only
def test_a_failed_issue_keeps_nothing_and_takes_no_number(emily, fail_writes):
    draft = receipts.draft_receipt(emily.client.id, payment_id=emily.payments["hsa"].id)
    fail_writes(sqlite3.OperationalError("disk I/O error"))
    with pytest.raises(StorageError):
        receipts.issue(draft)
    assert not Receipt.select().exists()
    assert ClinicProfile.get().next_receipt_number == 1


def test_numbers_start_from_the_clinics_setting_and_stay_above_any_used(emily):
    ClinicProfile.update(next_receipt_number=1000).execute()
    assert _issue_receipt(emily).number == 1000
    ClinicProfile.update(next_receipt_number=5).execute()  # set back by mistake
    assert _issue_receipt(emily).number == 1001


def test_the_snapshot_keeps_what_was_printed(emily, therapist):
    draft = receipts.draft_receipt(emily.client.id, payment_id=emily.payments["hsa"].id)
    receipt = receipts.issue(draft, actor="front", today=TODAY)
    assert (receipt.kind, receipt.client_id, receipt.issued_on) == (
        "hsa_fsa",
        emily.client.id,
        TODAY,
    )
    snapshot = json.loads(receipt.snapshot)
    assert snapshot == {**draft.content, "number": 1, "issued_on": "2026-11-27"}
    Therapist.update(license_number="LMT-99999").execute()
    Client.update(address_line1="1 New Rd").execute()
    assert receipts.snapshot_of(Receipt.get_by_id(receipt.id)) == snapshot
    assert receipts.redraft(draft).content != draft.content


def test_printing_and_reprinting_are_audited_without_names(emily):
    receipt = _issue_receipt(emily, actor="front")
    receipts.duplicate_pdf(receipt.id, actor="owner")
    events = [
        (e.action, e.entity, e.entity_id, e.actor, e.detail)
        for e in AuditEvent.select().where(AuditEvent.entity == "receipt").order_by(AuditEvent.id)
    ]
    assert events == [
        ("print", "receipt", receipt.id, "front", "HSA/FSA receipt no. 1"),
        ("reprint", "receipt", receipt.id, "owner", "no. 1"),
    ]
    assert Receipt.select().count() == 1  # a reprint takes no number


def test_the_list_is_newest_first_and_found_by_number_name_or_kind(emily, marco):
    _issue_receipt(emily, today=TODAY)
    receipts.issue(receipts.draft_superbill(marco.client.id, *YEAR_2026), today=TODAY)
    receipts.issue(receipts.draft_statement(emily.client.id, *YEAR_2026), today=TODAY)
    rows = receipts.list_receipts()
    assert [(r.number, r.client_name, r.kind_label, r.amount_cents) for r in rows] == [
        (3, "Lee, Emily", "Year-end statement", 33500),
        (2, "Diaz, Marco", "Superbill", 42000),
        (1, "Lee, Emily", "HSA/FSA receipt", 14000),
    ]
    assert rows[0].issued_on == TODAY and rows[1].client_id == marco.client.id

    def found(text: str) -> list[int]:
        return [row.number for row in receipts.list_receipts(text)]

    assert found("2") == [2] and found("#1") == [1]
    assert found("lee") == [3, 1] and found("DIAZ m") == [2]
    assert found("hsa") == [1] and found("year end") == [3] and found("super") == [2]
    assert found("nobody") == [] and found("%") == []
    assert len(receipts.list_receipts(limit=2)) == 2


def test_the_list_finds_the_amount_wherever_a_snapshot_keeps_it(emily):
    snapshot = json.dumps({"kind": "hsa_fsa", "amount_cents": 1234})  # not first: read it all
    Receipt.create(
        number=50, kind="hsa_fsa", client=emily.client, issued_on=TODAY, snapshot=snapshot
    )
    assert [(row.number, row.amount_cents) for row in receipts.list_receipts()] == [(50, 1234)]


# --- the superbill and the statement ----------------------------------------------------------


def test_a_superbill_lists_the_medical_visits_with_payer_claim_and_lettered_diagnoses(marco):
    draft = receipts.draft_superbill(marco.client.id, date(2026, 9, 1), date(2026, 11, 30))
    content = draft.content
    assert draft.title == "Superbill for Diaz, Marco: 09/01/2026 to 11/30/2026"
    assert draft.amount_cents == content["totals"]["charges_cents"] == 3 * 14000
    assert content["letters"] == {"S39.012A": "A", "M54.50": "B"}
    assert [line["pointers"] for part in content["visits"] for line in part["lines"]] == ["AB"] * 3
    assert content["place_of_service"] == {"code": "11", "label": "Office"}
    (case,) = content["cases"]
    assert (case["claim_number"], case["date_of_injury"], case["kind_label"]) == (
        "WC-2026-0042", "2026-09-14", "Workers' compensation",
    )  # fmt: skip
    (coverage,) = content["coverages"]
    assert coverage["authorization_number"] == "AUTH-7781"
    assert coverage["payer"] == "Workers' compensation carrier (other)"
    assert content["totals"]["paid_cents"] == 28000 and content["totals"]["balance_cents"] == 14000
    assert content["prescriptions"][0]["written_on"] == "2026-09-20"


def test_a_superbill_leaves_out_wellness_and_needs_a_medical_visit(emily, therapist):
    draft = receipts.draft_superbill(emily.client.id, *YEAR_2026)
    assert [part["visit_id"] for part in draft.content["visits"]] == [
        emily.visits["first"].id, emily.visits["split"].id,
    ]  # fmt: skip
    assert draft.content["left_out"] == 1
    assert draft.content["coverages"] == [] and draft.content["cases"] == []
    with pytest.raises(ReceiptRefused, match="No medical visits"):
        receipts.draft_superbill(emily.client.id, date(2026, 11, 20), date(2026, 11, 20))
    with pytest.raises(ReceiptRefused, match="ends"):
        receipts.draft_superbill(emily.client.id, date(2026, 12, 1), date(2026, 11, 1))


def test_a_statement_holds_every_visit_and_entry_voids_not_counted(emily):
    client = emily.client
    extra = ledger.record_payment(
        {"method": "check", "received_on": "11/28/2026", "amount_cents": "30.00"}, client.id
    )
    ledger.refund_payment(extra.id, 1000, "Overpaid", on=date(2026, 11, 29))
    mistake = ledger.record_payment(
        {"method": "cash", "received_on": "11/28/2026", "amount_cents": "75.00",
         "gratuity_cents": "5.00"}, client.id,
    )  # fmt: skip
    ledger.void_entry(mistake.id, "Keyed twice", on=date(2026, 11, 28))
    draft = receipts.draft_statement(client.id, *YEAR_2026)
    assert draft.title == "Year-end statement for Lee, Emily: 2026"
    assert len(draft.content["visits"]) == 3
    entries = [(e["label"], e["amount_cents"], e["counted"]) for e in draft.content["entries"]]
    assert entries[4:] == [
        ("Payment", 3000, True),
        ("Payment (voided)", 7500, False),
        ("Void of the payment of 11/28/2026", 7500, False),
        ("Refund of the payment of 11/28/2026", 1000, True),
    ]
    totals = draft.content["totals"]
    assert totals == {
        "charges_cents": 34000,
        "discounts_cents": 500,
        "medical_cents": 24000,
        "non_medical_cents": 9500,
        "paid_cents": 33500 + 3000,
        "refunds_cents": 1000,
        "balance_cents": 34000 - 500 - 36500 + 1000,
        "eligible_cents": 24000,
        "gratuity_cents": 3500,
    }
    assert draft.amount_cents == 36500 - 1000


def test_a_statement_needs_something_in_its_period(emily):
    with pytest.raises(ReceiptRefused, match="No visits or payments"):
        receipts.draft_statement(emily.client.id, *receipts.last_calendar_year(TODAY))
    assert receipts.last_calendar_year(TODAY) == (date(2025, 1, 1), date(2025, 12, 31))
    assert receipts.period_text(date(2026, 3, 1), date(2026, 3, 1)) == "03/01/2026"


def test_choices_offer_the_clients_payments_visits_and_clients_with_activity(emily, marco):
    payments = receipts.payment_choices(emily.client.id)
    assert payments[0].label == "11/27/2026 · Credit card 4242 · $40.00 + $20.00 gratuity"
    assert len(payments) == 4 and payments[-1].payment_id == emily.payments["hsa"].id
    choices = receipts.visit_choices(emily.client.id)
    assert [(c.label, c.medical) for c in choices] == [
        ("11/27/2026 · 45 min · Medical (prescribed) · $100.00", True),
        ("11/20/2026 · 60 min · Wellness (non-medical) · $95.00", False),
        ("11/02/2026 · 60 min · Medical (prescribed) · $140.00", True),
    ]
    assert receipts.clients_with_activity(*YEAR_2026) == sorted([emily.client.id, marco.client.id])
    assert receipts.clients_with_activity(date(2025, 1, 1), date(2025, 12, 31)) == []


# --- the completeness check -------------------------------------------------------------------


def _problems(scenario) -> tuple[Problem, ...]:
    return receipts.draft_statement(scenario.client.id, *YEAR_2026).problems


def test_gaps_in_the_clinic_therapist_and_client_are_found(emily, therapist):
    ClinicProfile.update(ein="", npi="").execute()
    Therapist.update(license_number="").execute()
    Client.update(address_line1="").execute()
    assert set(_problems(emily)) == {
        Problem("The clinic's profile has no tax ID (EIN).", "clinic", None),
        Problem("The clinic's profile has no NPI.", "clinic", None),
        Problem("Hannah Okafor, LMT has no state license number.", "therapist", therapist.id),
        Problem("The client has no full address on file.", "client", emily.client.id),
    }
    Therapist.update(license_number="LMT-1", license_state="").execute()
    assert Problem(
        "Hannah Okafor, LMT's license number has no state.", "therapist", therapist.id
    ) in _problems(emily)


def test_a_client_without_a_date_of_birth_is_found():
    client = Client(id=7, first_name="Ana", last_name="Silva", date_of_birth=None)
    assert Problem("The client has no date of birth on file.", "client", 7) in (
        completeness.client_problems(client)
    )


def test_a_medical_visit_without_a_diagnosis_is_found(emily):
    PrescriptionDiagnosis.delete().execute()
    problems = _problems(emily)
    rx = emily.prescription.id
    assert Problem(
        "The medical visit on 11/02/2026 has no diagnosis code.", "prescription", rx
    ) in (problems)
    assert len([p for p in problems if "no diagnosis" in p.message]) == 2  # not the wellness one


def test_a_visit_after_its_prescription_ended_or_beyond_its_count_is_found(emily):
    rx = emily.prescription.id
    Prescription.update(end_date=date(2026, 11, 15), treatments_prescribed=1).execute()
    problems = _problems(emily)
    assert (
        Problem(
            "The visit on 11/27/2026 is after its prescription (written 10/01/2026) ended on "
            "11/15/2026.",
            "prescription",
            rx,
        )
        in problems
    )
    assert (
        Problem(
            "The visit on 11/27/2026 is treatment 2 of the 1 prescribed on 10/01/2026.",
            "prescription",
            rx,
        )
        in problems
    )
    assert not any("11/02/2026" in problem.message for problem in problems)


def test_a_diagnosis_not_valid_on_the_date_of_service_is_found(emily):
    PrescriptionDiagnosis.update(code="M54.5").where(PrescriptionDiagnosis.position == 1).execute()
    PrescriptionDiagnosis.update(code="Q99.99").where(PrescriptionDiagnosis.position == 2).execute()
    messages = [problem.message for problem in _problems(emily)]
    assert (
        "Diagnosis M54.5 is not a valid billable ICD-10-CM code for the visit on 11/02/2026."
        in messages
    )
    assert (
        "Diagnosis Q99.99 is not a valid billable ICD-10-CM code for the visit on 11/27/2026."
        in (messages)
    )


def test_a_superbill_with_more_diagnoses_than_letters_says_so(marco):
    rx = marco.prescription
    for position in range(3, 15):
        PrescriptionDiagnosis.create(
            prescription=rx, position=position, code=f"R{position:02d}.0", description="x"
        )
    ServiceLine.update(diagnosis_pointers=",".join(map(str, range(1, 15)))).execute()
    draft = receipts.draft_superbill(marco.client.id, *YEAR_2026)
    assert len(draft.content["letters"]) == 12
    assert draft.problems[-1].fix == "visit"
    assert draft.problems[-1].record_id == marco.visits["visit1"].id


def test_check_looks_again_at_the_database(emily, therapist):
    Therapist.update(license_number="").execute()
    draft = receipts.draft_receipt(emily.client.id, payment_id=emily.payments["hsa"].id)
    assert [problem.fix for problem in draft.problems] == ["therapist"]
    Therapist.update(license_number="LMT-21873").execute()
    assert receipts.check(draft) == ()
    assert draft.problems != ()  # the draft itself is as it was made


def test_a_tip_on_a_payment_spread_over_visits_is_shared_not_repeated(therapist, physician):
    client = new_client(first="Ines", last="Vargas")
    first = treat(client, therapist, date(2026, 11, 20), wellness="Relaxation")
    second = treat(client, therapist, date(2026, 11, 23), wellness="Relaxation")
    charges = ledger.visit_charges([first.id, second.id])
    payment = pay(client, TODAY, "credit_card", charges, gratuity=2000)
    tips = [
        receipts.draft_receipt(client.id, visit_ids=[visit.id]).content["totals"]["gratuity_cents"]
        for visit in (first, second)
    ]
    whole = receipts.draft_receipt(client.id, payment_id=payment.id)
    assert sum(tips) == 2000 and tips[0] == tips[1] == 1000  # each visit's share, once
    assert whole.content["totals"]["gratuity_cents"] == 2000


def test_a_receipt_is_numbered_from_the_payments_as_they_are_then(therapist, physician):
    client = new_client(first="Ines", last="Vargas")
    visit = treat(client, therapist, date(2026, 11, 20), wellness="Relaxation")
    charge = ledger.visit_charges([visit.id])[visit.id]
    payment = pay(client, TODAY, "cash", {visit.id: charge})
    draft = receipts.draft_receipt(client.id, payment_id=payment.id)  # the preview
    ledger.void_entry(payment.id, "Entered twice")  # meanwhile, at another desk
    with pytest.raises(receipts.ReceiptRefused):
        receipts.issue(draft)
    assert not Receipt.select().exists()
