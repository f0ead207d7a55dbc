"""The treatment history: one client's visits newest first, with notes, filters and progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest

from frontdesk.models import (
    AuditEvent,
    Client,
    Prescription,
    ServiceCode,
    ServiceLine,
    Therapist,
    Visit,
    VisitAddendum,
)
from frontdesk.services import cases, notes, visits
from frontdesk.services.history import (
    ALL_VISITS,
    DRAFT,
    NO_NOTE,
    WELLNESS,
    record_printed,
    treatment_history,
)
from frontdesk.storage_errors import RecordMissing
from tests.core.conftest import TODAY

NOTE = {
    "subjective": "Low back pain 6/10 after sitting & driving.",
    "objective": "Hypertonic lumbar paraspinals.",
    "assessment": "Tissue more pliable after treatment.",
    "plan": "Continue twice a month.",
    "pain_before": "6",
    "pain_after": "3",
    "techniques": ["myofascial_release"],
    "body_areas": ["lower_back"],
}


@dataclass
class Chart:
    """A client's records made through the services, as the clinic would make them."""

    client: Client
    back: Prescription
    neck: Prescription
    case_id: int
    signed: Visit  # 10/06, back pain, signed, with addenda
    draft: Visit  # 10/08, neck (the auto case), a draft note
    cancelled: Visit  # 10/13, back pain, cancelled late with a fee
    wellness: Visit  # 10/20, wellness care
    booked: Visit  # 10/22, back pain, no note yet


def _book(client: Client, therapist: Therapist, day: int, **links) -> Visit:
    booked = visits.book_visit(
        client.id, therapist.id, datetime(2026, 10, day, 10), 60, **links
    ).visit
    return booked


def _treated(visit: Visit, note: dict | None = None) -> Visit:
    visit = visits.check_in(visit.id, visit.version)
    if note is not None:
        visit = notes.save_draft(visit.id, visit.version, note)
    return visits.complete_visit(visit.id, visit.version)


def _auto_case(client: Client) -> int:
    form = {"claim_number": "PIP-88812", "date_of_injury": "09/20/2026", "state": "OR"}
    return cases.save_case(form, client.id, "auto", today=TODAY).id


@pytest.fixture
def chart(patient, therapist, prescribe) -> Chart:
    back = prescribe()
    neck = prescribe(
        written_on="10/05/2026",
        reason="Whiplash, neck pain",
        diagnosis_codes="S13.4XXA, M54.2",
        body_areas=["neck"],
    )
    case_id = _auto_case(patient)
    cases.link_prescription(neck.id, case_id)
    signed = _treated(_book(patient, therapist, 6, prescription_id=back.id), NOTE)
    signed = notes.sign_note(signed.id, therapist.id, signed.version, at=datetime(2026, 10, 6, 17))
    notes.add_addendum(signed.id, therapist.id, "Client called: pain 2/10 next day.")
    notes.add_addendum(signed.id, therapist.id, "Second call: still better.")
    draft = _treated(_book(patient, therapist, 8, prescription_id=neck.id), NOTE)
    cancelled = _book(patient, therapist, 13, prescription_id=back.id)
    cancelled = visits.cancel_visit(
        cancelled.id, cancelled.version, fee_cents=2500, reason="Car trouble"
    )
    wellness = _treated(_book(patient, therapist, 20, wellness_reason="Relaxation before travel"))
    booked = _book(patient, therapist, 22, prescription_id=back.id)
    return Chart(patient, back, neck, case_id, signed, draft, cancelled, wellness, booked)


def _ids(history) -> list[int]:
    return [entry.visit_id for entry in history.entries]


def _entry(history, visit: Visit):
    return next(entry for entry in history.entries if entry.visit_id == visit.id)


def test_every_visit_is_listed_newest_first(chart):
    history = treatment_history(chart.client.id, today=TODAY)
    assert _ids(history) == [
        chart.booked.id,
        chart.wellness.id,
        chart.cancelled.id,
        chart.draft.id,
        chart.signed.id,
    ]
    assert [entry.when for entry in history.entries][-1] == "10/06/2026 10:00 AM"
    assert [entry.status_label for entry in history.entries] == [
        "Scheduled",
        "Completed",
        "Cancelled",
        "Completed",
        "Completed",
    ]
    assert (history.client_name, history.date_of_birth) == ("Ana Silva", date(1980, 4, 17))
    assert history.shown.label == ALL_VISITS


def test_a_signed_note_shows_its_text_labels_signer_and_addenda_in_order(chart):
    entry = _entry(treatment_history(chart.client.id, today=TODAY), chart.signed)
    assert entry.care == "Prescription of 10/01/2026: Low back pain"
    assert entry.soap == (
        ("Subjective", NOTE["subjective"]),
        ("Objective", NOTE["objective"]),
        ("Assessment", NOTE["assessment"]),
        ("Plan", NOTE["plan"]),
    )
    assert (entry.techniques, entry.body_areas) == (
        ("Myofascial release",),
        ("Lower back (lumbar)",),
    )
    assert (entry.pain_before, entry.pain_after, entry.pain) == (6, 3, "6/10 before, 3/10 after")
    assert entry.note_state == "signed"
    assert entry.signature == "Signed by Hannah Okafor, LMT on 10/06/2026 5:00 PM"
    assert [(a.author, a.text) for a in entry.addenda] == [
        ("Hannah Okafor, LMT", "Client called: pain 2/10 next day."),
        ("Hannah Okafor, LMT", "Second call: still better."),
    ]
    [service] = entry.services
    assert (service.code, service.units, service.charge_cents) == ("97124", 4, 14000)


def test_an_unsigned_note_is_a_draft_and_a_visit_without_one_says_so(chart):
    history = treatment_history(chart.client.id, today=TODAY)
    draft, booked = _entry(history, chart.draft), _entry(history, chart.booked)
    assert (draft.note_state, draft.signature, draft.signed_at) == ("draft", DRAFT, None)
    assert draft.soap[0] == ("Subjective", NOTE["subjective"])
    assert draft.addenda == ()
    assert (booked.note_state, booked.signature, booked.soap) == ("none", NO_NOTE, ())


def test_a_cancelled_visit_is_marked_with_its_reason_and_fee(chart):
    entry = _entry(treatment_history(chart.client.id, today=TODAY), chart.cancelled)
    assert entry.missed and entry.status_label == "Cancelled"
    assert (entry.fee_cents, entry.status_reason) == (2500, "Car trouble")
    assert entry.missed_text == "Reason: Car trouble. Late-cancel fee $25.00"
    assert entry.services == ()


def test_a_wellness_visit_is_marked_non_medical_never_under_a_prescription(chart):
    entry = _entry(treatment_history(chart.client.id, today=TODAY), chart.wellness)
    assert entry.care == WELLNESS == "Wellness (non-medical)"
    assert (entry.wellness, entry.wellness_reason) == (True, "Relaxation before travel")
    assert entry.prescription_id is None and not entry.medical
    assert [s.code for s in entry.services] != ["97124"]


def test_the_filters_offer_each_prescription_newest_first_then_each_case(chart):
    history = treatment_history(chart.client.id, today=TODAY)
    assert [(f.kind, f.record_id, f.label) for f in history.filters] == [
        ("all", None, "All visits"),
        ("prescription", chart.neck.id, "Prescription of 10/05/2026: Whiplash, neck pain"),
        ("prescription", chart.back.id, "Prescription of 10/01/2026: Low back pain"),
        ("case", chart.case_id, "Auto accident of 09/20/2026, claim PIP-88812"),
    ]


def test_filtering_by_prescription_shows_its_visits_and_only_its_progress(chart):
    history = treatment_history(chart.client.id, prescription_id=chart.back.id, today=TODAY)
    assert _ids(history) == [chart.booked.id, chart.cancelled.id, chart.signed.id]
    assert history.shown.label == "Prescription of 10/01/2026: Low back pain"
    [progress] = history.prescriptions
    assert progress.prescription_id == chart.back.id
    # the cancelled visit does not count; the visit booked for 10/22 does (it is before today)
    assert (progress.visits_used, progress.visits_left, progress.visits_prescribed) == (2, 10, 12)
    assert (progress.end_date, progress.state) == (date(2027, 3, 31), "active")
    assert progress.state_label == "Active, 2 of 12 visits"
    assert progress.diagnoses[0] == ("M54.50", "Low back pain, unspecified")


def test_filtering_by_case_shows_the_visits_of_its_prescriptions(chart):
    history = treatment_history(chart.client.id, case_id=chart.case_id, today=TODAY)
    assert _ids(history) == [chart.draft.id]
    assert history.entries[0].case == "Auto accident of 09/20/2026, claim PIP-88812"
    assert [p.prescription_id for p in history.prescriptions] == [chart.neck.id]


def test_all_visits_show_the_progress_of_every_prescription(chart):
    history = treatment_history(chart.client.id, today=TODAY)
    assert [p.label for p in history.prescriptions] == [
        "Prescription of 10/05/2026: Whiplash, neck pain",
        "Prescription of 10/01/2026: Low back pain",
    ]


def test_alerts_put_contraindications_first_with_the_health_notes(chart):
    Client.update(
        health_conditions=["pregnancy", "blood_clots"], health_notes="Allergic to nut oils."
    ).where(Client.id == chart.client.id).execute()
    history = treatment_history(chart.client.id, today=TODAY)
    assert [(a.label, a.severity) for a in history.alerts] == [
        ("Blood clots / deep vein thrombosis (DVT)", "contraindication"),
        ("Pregnancy", "caution"),
    ]
    assert history.health_notes == "Allergic to nut oils."


def test_a_prescription_or_case_not_of_this_client_is_refused(chart, physician):
    other = Client.create(first_name="Bo", last_name="Lind", date_of_birth=date(1990, 1, 2))
    with pytest.raises(RecordMissing):
        treatment_history(other.id, prescription_id=chart.back.id)
    with pytest.raises(RecordMissing):
        treatment_history(other.id, case_id=chart.case_id)
    with pytest.raises(RecordMissing):
        treatment_history(999_999)
    with pytest.raises(ValueError):
        treatment_history(chart.client.id, prescription_id=chart.back.id, case_id=chart.case_id)


def test_printing_is_audited_by_ids_only(chart):
    history = treatment_history(chart.client.id, prescription_id=chart.back.id, today=TODAY)
    record_printed(history, actor="front desk")
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.action, event.entity, event.entity_id) == (
        "print",
        "treatment_history",
        chart.client.id,
    )
    assert event.detail == f"prescription {chart.back.id}; 3 visits"
    assert "Silva" not in event.detail


# --- a fixed number of queries, however many visits ------------------------------------------


def _many_visits(client: Client, therapist: Therapist, rx: Prescription, count: int) -> None:
    """`count` signed visits, each with an addendum and a service line (made directly)."""
    code = ServiceCode.get(code="97124")
    start = datetime.combine(date(2026, 1, 5), time(9))
    for number in range(count):
        day = start + timedelta(days=number)
        visit = Visit.create(
            client=client,
            therapist=therapist,
            prescription=rx,
            injury_case=rx.injury_case_id,
            starts_at=day,
            minutes=60,
            status="completed",
            subjective=f"Visit {number}",
            signed_at=day + timedelta(hours=1),
            signed_by=therapist,
        )
        VisitAddendum.create(visit=visit, author=therapist, text=f"Addendum {number}")
        ServiceLine.create(visit=visit, service_code=code, units=4, charge_cents=14000)


def _queries(database, monkeypatch, work) -> int:
    """How many SQL statements `work()` runs."""
    count = 0
    real = database.execute_sql

    def counting(sql, params=None):
        nonlocal count
        count += 1
        return real(sql, params)

    monkeypatch.setattr(database, "execute_sql", counting)
    try:
        work()
    finally:
        monkeypatch.undo()
    return count


@pytest.mark.parametrize("shown", ["all", "prescription", "case"])
def test_the_number_of_queries_does_not_grow_with_the_visits(
    chart, therapist, database, monkeypatch, shown
):
    options = {
        "all": {},
        "prescription": {"prescription_id": chart.neck.id},
        "case": {"case_id": chart.case_id},
    }[shown]

    def history():
        return treatment_history(chart.client.id, today=TODAY, **options)

    few = _queries(database, monkeypatch, history)
    _many_visits(chart.client, therapist, chart.neck, 60)
    many = _queries(database, monkeypatch, history)
    assert len(history().entries) >= 60
    assert many == few <= 10
