"""Permissions in the core services: each role may do what its work needs and no more.

Every call a role may not make is refused with NotAllowed and leaves the database as it was;
the front desk never reads what a treatment note says; a therapist writes and signs only the
notes of their own visits; the audit trail names the login that acted.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import frontdesk.services
from frontdesk import access
from frontdesk.access import FRONT_DESK, OWNER, THERAPIST, Actor
from frontdesk.models import (
    AuditEvent,
    Client,
    Payment,
    Prescription,
    Therapist,
    Visit,
    database_proxy,
)
from frontdesk.services import (
    allocation,
    audit,
    backup,
    billing,
    booking,
    cases,
    client_records,
    clients,
    clinic,
    coverage,
    fee_schedule,
    fees,
    history,
    ledger,
    notes,
    payers,
    physicians,
    prescriptions,
    receipts,
    records_export,
    summary,
    visits,
)
from frontdesk.services.prescriptions import request
from frontdesk.storage_errors import NotAllowed
from tests.conftest import THERAPIST as THERAPIST_FORM
from tests.core.conftest import PHYSICIAN
from tests.core.test_coverage import card
from tests.core.test_payer_directory import SUMMIT
from tests.core.test_prescription_scans import png_bytes

NOTE = {"subjective": "Sore after work.", "plan": "Stretch daily.", "pain_before": "6"}
PAYMENT = {"method": "cash", "received_on": "11/02/2026", "amount_cents": "25.00"}
NEW_PHYSICIAN = {**PHYSICIAN, "last_name": "Novak", "npi": ""}
NEW_CLIENT = {"first_name": "Rosa", "last_name": "Marin", "date_of_birth": "02/03/1975"}
DAY = date(2026, 11, 2)
EVERYONE = frozenset({OWNER, FRONT_DESK, THERAPIST})
DESK_WORK = frozenset({OWNER, FRONT_DESK})
OWNER_ONLY = frozenset({OWNER})
NOTE_WRITERS = frozenset({OWNER, THERAPIST})


@dataclass
class Scene:
    """A clinic with one client, a prescription, two therapists' visits with notes, a payment."""

    client: Client
    prescription: Prescription
    therapist: Therapist  # Hannah: the therapist login is hers
    other: Therapist  # Diego
    own_visit: Visit  # Hannah's, checked in, with a draft note
    other_visit: Visit  # Diego's, checked in, with a draft note
    paid_visit: Visit  # Hannah's, completed and paid
    payment: Payment
    folder: Path  # where exports and backups go
    backup: Path  # a backup of the clinic as it was set up

    def actor(self, role: str) -> Actor:
        """A login of `role`; the therapist's is linked to Hannah."""
        therapist_id = self.therapist.id if role == THERAPIST else None
        return Actor(7, f"{role}.login", role, therapist_id, f"{role} login")


def _checked_in(client: Client, therapist: Therapist, hour: int) -> Visit:
    booked = visits.book_visit(client.id, therapist.id, datetime(2026, 11, 2, hour), 60).visit
    checked_in = visits.check_in(booked.id, booked.version)
    return notes.save_draft(checked_in.id, checked_in.version, NOTE)


@pytest.fixture
def scene(patient, therapist, prescribe, tmp_path) -> Scene:
    rx = prescribe()
    other = clinic.add_therapist({**THERAPIST_FORM, "first_name": "Diego", "license_number": "L-2"})
    treated = _checked_in(patient, therapist, 9)
    done = visits.complete_visit(treated.id, treated.version)
    owed = ledger.open_charges([done.id])[done.id]
    payment = ledger.record_payment(
        {**PAYMENT, "amount_cents": f"{owed / 100:.2f}"}, patient.id, allocations={done.id: owed}
    )
    folder = tmp_path / "out"
    folder.mkdir()
    return Scene(
        client=patient,
        prescription=rx,
        therapist=therapist,
        other=other,
        own_visit=_checked_in(patient, therapist, 11),
        other_visit=_checked_in(patient, other, 13),
        paid_visit=done,
        payment=payment,
        folder=folder,
        backup=backup.make_backup(folder).path,
    )


def _fingerprint() -> list[str]:
    """Everything the database holds, as text (to show a refused call changed nothing)."""
    database = database_proxy.obj
    if not database.is_server:
        return list(database.connection().iterdump())
    return [
        f"{table}: {row!r}"
        for table in sorted(database.get_tables())
        for row in database.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
    ]


def _restore_the_backup(s: Scene) -> Any:
    return backup.restore(s.backup, folder=s.folder)


def _draft_receipt(s: Scene) -> Any:
    return receipts.draft_receipt(s.client.id, payment_id=s.payment.id)


Call = Callable[[Scene], Any]
CALLS: dict[str, tuple[tuple[str, frozenset[str], Call], ...]] = {
    "allocation": (("owing_visits", DESK_WORK, lambda s: allocation.owing_visits(s.client.id)),),
    "audit": (
        ("list_events", OWNER_ONLY, lambda s: audit.list_events()),
        ("entity_kinds", OWNER_ONLY, lambda s: audit.entity_kinds()),
    ),
    "backup": (
        ("make_backup", EVERYONE, lambda s: backup.make_backup(s.folder)),
        ("restore", OWNER_ONLY, _restore_the_backup),
    ),
    "server_backup": (("restore", OWNER_ONLY, _restore_the_backup),),
    "billing": (("balance_cents", DESK_WORK, lambda s: billing.balance_cents(s.client.id)),),
    "booking": (
        ("booking_choices", DESK_WORK, lambda s: booking.booking_choices(s.client.id, DAY)),
        ("check_in_warnings", DESK_WORK, lambda s: booking.check_in_warnings(s.own_visit.id)),
    ),
    "cases": (
        ("client_cases", EVERYONE, lambda s: cases.client_cases(s.client.id)),
        (
            "link_prescription",
            DESK_WORK,
            lambda s: cases.link_prescription(s.prescription.id, None),
        ),
    ),
    "client_records": (("get_client", EVERYONE, lambda s: client_records.get_client(s.client.id)),),
    "clients": (
        ("search_clients", EVERYONE, lambda s: clients.search_clients("")),
        ("save_client", DESK_WORK, lambda s: clients.save_client(NEW_CLIENT)),
        ("archive_client", DESK_WORK, lambda s: clients.archive_client(s.client.id)),
    ),
    "clinic": (
        ("clinic_profile", EVERYONE, lambda s: clinic.clinic_profile()),
        ("active_therapists", EVERYONE, lambda s: clinic.active_therapists()),
        ("set_lock_minutes", OWNER_ONLY, lambda s: clinic.set_lock_minutes("15")),
        ("add_therapist", OWNER_ONLY, lambda s: clinic.add_therapist(THERAPIST_FORM)),
    ),
    "coverage": (
        ("client_coverages", EVERYONE, lambda s: coverage.client_coverages(s.client.id)),
        ("save_coverage", DESK_WORK, lambda s: coverage.save_coverage(card(), s.client.id)),
    ),
    "fee_schedule": (
        ("fee_schedule", OWNER_ONLY, lambda s: fee_schedule.fee_schedule()),
        (
            "change_price",
            OWNER_ONLY,
            lambda s: fee_schedule.change_price(
                fee_schedule.fee_schedule()[0].code_id,
                {"price_cents": "99.00", "effective_on": "12/01/2026"},
            ),
        ),
    ),
    "fees": (
        ("plan_lines", DESK_WORK, lambda s: fees.plan_lines(s.own_visit)),
        ("set_price", OWNER_ONLY, lambda s: fees.set_price(1, 9900, date(2026, 12, 1))),
    ),
    "history": (("treatment_history", EVERYONE, lambda s: history.treatment_history(s.client.id)),),
    "ledger": (
        ("client_balance", DESK_WORK, lambda s: ledger.client_balance(s.client.id)),
        ("record_payment", DESK_WORK, lambda s: ledger.record_payment(PAYMENT, s.client.id)),
    ),
    "notes": (
        (
            "save_draft",
            NOTE_WRITERS,
            lambda s: notes.save_draft(s.own_visit.id, s.own_visit.version, NOTE),
        ),
        ("addenda", NOTE_WRITERS, lambda s: notes.addenda(s.own_visit.id)),
    ),
    "payers": (
        ("search_payers", DESK_WORK, lambda s: payers.search_payers("blue")),
        ("save_payer", OWNER_ONLY, lambda s: payers.save_payer(SUMMIT)),
    ),
    "physicians": (
        ("search_physicians", EVERYONE, lambda s: physicians.search_physicians("")),
        (
            "save_physician",
            DESK_WORK,
            lambda s: physicians.save_physician({**PHYSICIAN, "npi": ""}),
        ),
    ),
    "prescriptions": (
        (
            "client_prescriptions",
            EVERYONE,
            lambda s: prescriptions.client_prescriptions(s.client.id),
        ),
        ("current_scan", EVERYONE, lambda s: prescriptions.current_scan(s.prescription.id)),
        (
            "attach_scan",
            DESK_WORK,
            lambda s: prescriptions.attach_scan(s.prescription.id, png_bytes(), "rx.png"),
        ),
        ("request_form", DESK_WORK, lambda s: request.request_form(s.client.id, s.prescription.id)),
    ),
    "receipts": (
        ("draft_receipt", DESK_WORK, _draft_receipt),
        ("issue", DESK_WORK, lambda s: receipts.issue(_draft_receipt(s))),
        ("list_receipts", DESK_WORK, lambda s: receipts.list_receipts()),
    ),
    "records_export": (
        (
            "export_clients_csv",
            OWNER_ONLY,
            lambda s: records_export.export_clients_csv(s.folder / "clients.csv"),
        ),
    ),
    "summary": (("client_summary", EVERYONE, lambda s: summary.client_summary(s.client.id)),),
    "visits": (
        ("day_sheet", EVERYONE, lambda s: visits.day_sheet(DAY)),
        ("get_visit", EVERYONE, lambda s: visits.get_visit(s.own_visit.id)),
        (
            "book_visit",
            DESK_WORK,
            lambda s: visits.book_visit(s.client.id, s.therapist.id, datetime(2026, 11, 3, 9), 60),
        ),
        (
            "cancel_visit",
            DESK_WORK,
            lambda s: visits.cancel_visit(s.other_visit.id, s.other_visit.version, reason="ill"),
        ),
    ),
}
CASES = [
    pytest.param(call, allowed, id=f"{module}.{name}")
    for module, calls in CALLS.items()
    for name, allowed, call in calls
]


@pytest.mark.parametrize("role", [OWNER, FRONT_DESK, THERAPIST])
@pytest.mark.parametrize(("call", "allowed"), CASES)
def test_each_role_may_make_only_the_calls_its_work_needs(scene, role, call, allowed):
    before = _fingerprint()
    with access.acting_as(scene.actor(role)):
        if role in allowed:
            call(scene)
            return
        with pytest.raises(NotAllowed, match=f"{access.ROLE_NAMES[role]} logins may not"):
            call(scene)
    assert _fingerprint() == before


def test_the_table_tries_every_guarded_module_and_each_role_on_both_sides_of_the_line():
    guarded = {name.partition(".")[0] for name, f in _service_functions().items()}
    guarded -= {"recovery", "records"}  # nothing there is guarded (see the lists below)
    assert guarded <= set(CALLS)
    for role in (FRONT_DESK, THERAPIST):
        assert any(role in allowed for calls in CALLS.values() for _, allowed, _ in calls)
        assert any(role not in allowed for calls in CALLS.values() for _, allowed, _ in calls)


def test_nobody_signed_in_is_refused_and_nothing_changes(scene):
    before = _fingerprint()
    with access.acting_as(None):
        for call in (
            lambda: clients.search_clients(""),
            lambda: clients.save_client(NEW_CLIENT),
            lambda: history.treatment_history(scene.client.id),
            lambda: ledger.record_payment(PAYMENT, scene.client.id),
        ):
            with pytest.raises(NotAllowed, match="Nobody is signed in"):
                call()
        assert clinic.clinic_profile() is not None  # the start-up reads stay open
        assert not clinic.needs_setup()
    assert _fingerprint() == before


def test_the_audit_trail_names_the_login_that_acted(scene):
    with access.acting_as(scene.actor(FRONT_DESK)):
        client = clients.save_client(NEW_CLIENT)
    event = AuditEvent.get(entity="client", entity_id=client.id, action="create")
    assert event.actor == "front_desk.login"


# --- treatment notes ---------------------------------------------------------------------------


def test_a_therapist_writes_signs_and_adds_to_their_own_notes(scene):
    visit = scene.own_visit
    with access.acting_as(scene.actor(THERAPIST)):
        draft = notes.save_draft(visit.id, visit.version, {**NOTE, "plan": "Heat at home."})
        signed = notes.sign_note(draft.id, scene.therapist.id, draft.version)
        notes.add_addendum(visit.id, scene.therapist.id, "Called: better today.")
    assert signed.signed_by_id == scene.therapist.id
    assert Visit.get_by_id(visit.id).plan == "Heat at home."


def test_a_therapist_may_not_write_sign_or_add_to_another_therapists_note(scene):
    visit, other = scene.other_visit, scene.other
    before = _fingerprint()
    with access.acting_as(scene.actor(THERAPIST)):
        for call in (
            lambda: notes.save_draft(visit.id, visit.version, {**NOTE, "plan": "Mine now."}),
            lambda: notes.sign_note(visit.id, other.id, visit.version),
            lambda: notes.sign_note(visit.id, scene.therapist.id, visit.version),
            lambda: notes.add_addendum(scene.paid_visit.id, other.id, "Not mine to add."),
        ):
            with pytest.raises(NotAllowed, match="only the notes of their own visits"):
                call()
    assert _fingerprint() == before


def test_a_therapist_login_not_linked_to_a_therapist_writes_no_note(scene):
    unlinked = Actor(8, "new.therapist", THERAPIST)
    visit = scene.own_visit
    with access.acting_as(unlinked), pytest.raises(NotAllowed, match="not linked"):
        notes.save_draft(visit.id, visit.version, NOTE)


def test_the_owner_may_write_any_therapists_note(scene):
    visit = scene.other_visit
    with access.acting_as(scene.actor(OWNER)):
        notes.save_draft(visit.id, visit.version, {**NOTE, "plan": "Owner's edit."})
    assert Visit.get_by_id(visit.id).plan == "Owner's edit."


def test_the_front_desk_sees_the_history_without_what_the_notes_say(scene):
    signed = notes.sign_note(scene.own_visit.id, scene.therapist.id, scene.own_visit.version)
    notes.add_addendum(signed.id, scene.therapist.id, "Called: better today.")
    with access.acting_as(scene.actor(FRONT_DESK)):
        shown = history.treatment_history(scene.client.id)
    entry = next(e for e in shown.entries if e.visit_id == signed.id)
    assert shown.notes_withheld and entry.note_withheld
    assert (entry.soap, entry.addenda, entry.pain) == ((), (), "")
    assert entry.note_state == "signed" and entry.signature.startswith("Signed by")
    assert history.NOTES_WITHHELD == "Treatment notes are not shown to front-desk logins."


def test_a_therapist_sees_the_notes_in_the_history(scene):
    with access.acting_as(scene.actor(THERAPIST)):
        shown = history.treatment_history(scene.client.id)
    entry = next(e for e in shown.entries if e.visit_id == scene.own_visit.id)
    assert not shown.notes_withheld and not entry.note_withheld
    assert dict(entry.soap)["Subjective"] == NOTE["subjective"]


def test_the_front_desk_opens_a_visit_without_its_note_text_and_the_note_stays(scene):
    with access.acting_as(scene.actor(FRONT_DESK)):
        visit = visits.get_visit(scene.own_visit.id)
    assert (visit.subjective, visit.plan, visit.pain_before) == ("", "", None)
    assert visit.note_withheld
    stored = Visit.get_by_id(scene.own_visit.id)
    assert (stored.subjective, stored.pain_before) == (NOTE["subjective"], 6)


def test_a_therapists_summary_and_day_sheet_show_no_balances(scene):
    with access.acting_as(scene.actor(THERAPIST)):
        seen = summary.client_summary(scene.client.id)
        rows = visits.day_sheet(DAY)
    assert not seen.balance_shown and seen.balance_cents == 0
    assert rows and not any(row.balance_shown for row in rows)
    with access.acting_as(scene.actor(FRONT_DESK)):
        assert summary.client_summary(scene.client.id).balance_shown


def test_the_clinic_is_set_up_once_by_anyone_and_then_only_by_the_owner(database):
    from tests.conftest import CLINIC

    with access.acting_as(None):
        clinic.setup_clinic(CLINIC, THERAPIST_FORM)
    with access.acting_as(Actor(8, "desk", FRONT_DESK)), pytest.raises(NotAllowed):
        clinic.setup_clinic(CLINIC, THERAPIST_FORM)
    assert Therapist.select().count() == 1


# --- every service function is guarded, or listed here with the reason ---------------------------

PURE_HELPERS = {  # compute from the values passed in: validators, rules, formatting, sums
    "allocation.spread",
    "audit.chain_hash",
    "audit.filters",
    "billing.units_for_minutes",
    "cases.case_rules",
    "cases.validate_case",
    "cases.case_form_values",
    "client_records.text",
    "client_records.reference",
    "client_records.choice_or_default",
    "client_records.date_rule",
    "client_records.money_text",
    "client_records.amount_text",
    "client_records.money_rule",
    "client_records.require",
    "client_records.form_texts",
    "clients.validate_client",
    "clients.changed_field_labels",
    "clients.health_alerts",
    "clinic.logo_png",
    "coverage.coverage_rules",
    "coverage.validate_coverage",
    "coverage.coverage_form_values",
    "fee_schedule.code_rules",
    "fee_schedule.code_form_values",
    "fees.units_for",
    "fees.is_medical",
    "fees.percent_of",
    "history.when_text",
    "history.prescription_label",
    "history.case_label",
    "ledger.live",
    "ledger.validate_payment",
    "ledger.voided_ids",
    "notes.validate_note",
    "payers.is_va_community_care",
    "payers.next_steps",
    "payers.short_name",
    "payers.validate_payer",
    "payers.payer_form_values",
    "payers.payer_picker",
    "physicians.validate_physician",
    "physicians.form_values",
    "prescriptions.entry.parse_frequency",
    "prescriptions.entry.parse_duration",
    "prescriptions.entry.parse_diagnosis_codes",
    "prescriptions.entry.prescription_rules",
    "prescriptions.entry.validate_prescription",
    "prescriptions.entry.expected_treatments",
    "prescriptions.entry.plan_warning",
    "prescriptions.entry.check_plan",
    "prescriptions.entry.form_values",
    "prescriptions.scans.scan_kind",
    "prescriptions.scans.check_scan",
    "prescriptions.scans.stored_name",
    "prescriptions.status.add_months",
    "prescriptions.status.end_date_for",
    "prescriptions.status.state_on",
    "prescriptions.status.counted_visits",
    "prescriptions.status.newest_first",
    "prescriptions.tracking.no_prescription_warning",
    "receipts.completeness.client_problems",
    "receipts.completeness.therapist_problems",
    "receipts.completeness.lettering_problems",
    "receipts.drafting.last_calendar_year",
    "receipts.drafting.period_text",
    "receipts.drafting.receipt_totals",
    "receipts.drafting.statement_totals",
    "receipts.facts.iso",
    "receipts.facts.address_lines",
    "receipts.facts.has_address",
    "receipts.facts.billed",
    "receipts.facts.dated",
    "receipts.facts.is_medical_visit",
    "receipts.facts.care_label",
    "receipts.facts.eligible_cents",
    "receipts.facts.gratuity_share",
    "receipts.issuing.render",
    "receipts.issuing.snapshot_of",
    "records_export.defused",
    "records_export.dollars",
    "records_export.default_period",
    "records_export.period",
    "visits.without_note",
}
READ_AT_START = {  # every screen and the start read the clinic's name, therapists, lock time
    "audit.current_actor",
    "audit.pc_user",
    "clinic.clinic_profile",
    "clinic.lock_minutes",
    "clinic.needs_setup",
    "clinic.all_therapists",
    "clinic.active_therapists",
    "audit.watch_from_now",  # the change watch: ids only, to show other PCs' saves
    "audit.changes_elsewhere",
}
BEFORE_SIGN_IN = {  # the first set-up, start-up checks, recovery and backups run with nobody in
    "clinic.setup_clinic",  # open until the clinic is set up; then it needs EDIT_CLINIC
    "audit.verify_chain",
    "audit.chained_hashes",
    "backup.counts_summary",
    "backup.default_backup_folder",
    "backup.open_database_path",
    "backup.fsync",
    "backup.fsync_folder",
    "backup.check_backup_file",
    "backup.make_backup",
    "backup.list_backups",
    "backup.last_good_backup",
    "backup.backups_to_keep",
    "backup.rotate",
    "backup.backup_time",
    "backup.good_backup_since",
    "backup.needs_daily_backup",
    "backup.automatic_backup",
    "backup.daily_backup",
    "backup.backup_at_close",
    "backup.same_disk",
    "backup.check_writable",
    "backup.check_contents",
    "server_backup.write_dump",
    "server_backup.check_dump",
    "server_backup.dump_aside",  # the copy before an upgrade, at the start
    "recovery.is_damage",
    "recovery.newest_good_backup",
    "recovery.damage_in",
    "recovery.good_backup",
    "recovery.restore_newest_good_backup",
    "recovery.restore_over_damaged",
    "recovery.damaged_name",
}
STORAGE_STEPS = {  # the steps every guarded service takes inside its own guard
    "audit.record",
    "records.get_record",
    "records.update_record",
    "records.check_can_save",
    "records.save_record",
    "records.changed_fields",
}
UNGUARDED = PURE_HELPERS | READ_AT_START | BEFORE_SIGN_IN | STORAGE_STEPS
NOT_HERE = {"users"}  # logins: guarded by their own rules


def _service_functions() -> dict[str, Callable[..., Any]]:
    """Every public function defined in a frontdesk.services module, by "module.name"."""
    prefix = "frontdesk.services."
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.walk_packages(frontdesk.services.__path__, prefix):
        short = info.name.removeprefix(prefix)
        if short in NOT_HERE:
            continue
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == info.name and not name.startswith("_"):
                found[f"{short}.{name}"] = function
    return found


def test_every_service_function_is_guarded_or_listed_with_its_reason():
    functions = _service_functions()
    unguarded = {name for name, f in functions.items() if not hasattr(f, "needs")}
    assert unguarded - UNGUARDED == set(), "guard these, or list them with the reason"
    assert UNGUARDED - set(functions) == set(), "listed but no longer there"
    assert unguarded == UNGUARDED & set(functions), "listed but guarded after all"
