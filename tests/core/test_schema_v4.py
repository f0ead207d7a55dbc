"""Schema 4: coverage and injury case details, prescriptions tied to a case.

A version-3 file keeps every record and id; a case marked closed gets the status "closed";
directory entries still as seeded get the new seed's other names (same ids), while one the
owner edited is left alone.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from frontdesk import db
from frontdesk.models import Coverage, InjuryCase, Payer, Prescription, Visit
from frontdesk.services import cases, coverage, payers

STAMP = "2026-01-02 10:00:00"


def _insert(raw: sqlite3.Connection, table: str, **values: Any) -> None:
    """Insert a row, filling the other required columns with blanks as Front Desk stored them."""
    for _, name, kind, not_null, default, primary in raw.execute(f'PRAGMA table_info("{table}")'):
        if name in values or not not_null or default is not None or primary:
            continue
        blank = {"INTEGER": 0, "DATETIME": STAMP, "DATE": "2026-01-02"}.get(kind, "")
        values[name] = "[]" if name in ("techniques", "body_areas", "health_conditions") else blank
    columns = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join("?" for _ in values)
    raw.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(values.values()))


def _version_3_file(path: Path) -> dict[str, int]:
    """A file as Front Desk wrote it at schema 3: a client with coverage, cases and a visit."""
    schema = (Path(__file__).parent / "data" / "schema_v3.sql").read_text(encoding="utf-8")
    with sqlite3.connect(path) as raw:
        raw.executescript(schema)
        payer = dict(raw.execute("SELECT name, id FROM payer").fetchall())
        raw.execute(
            "UPDATE payer SET notes = 'Our own note', version = 2 WHERE name = 'HMSA'"
        )  # edited by the owner
        _insert(
            raw, "client", id=7, first_name="Ana", last_name="Silva", date_of_birth="1980-04-17"
        )
        _insert(raw, "physician", id=3, first_name="José", last_name="García", npi="1003000126")
        _insert(raw, "therapist", id=1, first_name="Hannah", last_name="Okafor")
        _insert(
            raw, "prescription", id=5, client_id=7, physician_id=3, written_on="2026-01-10",
            reason="Back pain", treatments_prescribed=12, frequency_count=2,
            frequency_period="month", end_date="2026-07-09",
        )  # fmt: skip
        for number, member in ((11, "CBC1"), (12, "GONE")):
            _insert(
                raw, "coverage", id=number, client_id=7, payer_id=payer["Capital Blue Cross"],
                member_id=member, subscriber_relation="self", priority=1, visits_allowed=20,
                starts_on="2026-01-01",
            )  # fmt: skip
        raw.execute("DELETE FROM coverage WHERE id = 12")  # the newest, deleted
        wc = payer["Workers' compensation carrier (other)"]
        for number, closed in ((21, 1), (22, 0)):
            _insert(
                raw, "injury_case", id=number, client_id=7, kind="workers_comp",
                claim_number=f"WC-{number}", date_of_injury="2025-12-01", carrier_id=wc,
                employer="Columbia Freight", closed=closed,
            )  # fmt: skip
        _insert(
            raw, "visit", id=31, client_id=7, therapist_id=1, starts_at="2026-02-01 10:00:00",
            minutes=60, prescription_id=5, coverage_id=11, injury_case_id=22, status="completed",
        )  # fmt: skip
    raw.close()
    return payer


def test_a_version_3_file_keeps_its_records_and_gains_the_new_details(db_path):
    seeded = _version_3_file(db_path)
    database = db.open_database(db_path)
    try:
        assert db.schema_version(database) == db.LATEST_VERSION >= 4
        assert db.check_database(database) == []
        assert list(db_path.parent.glob("clinic.before-v4-*.db"))
        kept = Coverage.get_by_id(11)
        assert (kept.member_id, kept.visits_allowed, kept.starts_on) == (
            "CBC1",
            20,
            date(2026, 1, 1),
        )
        assert (kept.plan_type, kept.copay_cents, kept.subscriber_birth_date) == ("", None, None)
        statuses = {case.id: (case.status, case.closed) for case in InjuryCase.select()}
        assert statuses == {21: ("closed", True), 22: ("open", False)}
        assert InjuryCase.get_by_id(22).pip_limit_cents is None
        assert Prescription.get_by_id(5).injury_case_id is None
        visit = Visit.get_by_id(31)
        assert (visit.coverage_id, visit.injury_case_id) == (11, 22)
        assert [row.visits_used for row in coverage.client_coverages(7, date(2026, 3, 1))] == [1]
        assert [row.id for row in cases.client_cases(7, open_only=True)] == [22]
        # the directory: same ids, seed entries brought up to date, the owner's edit kept
        assert {p.name: p.id for p in Payer.select()} == seeded
        va = Payer.get(name="Veterans Affairs Community Care Network")
        assert "Optum VA" in va.aliases and va.phone == ""
        assert Payer.get(name="HMSA").notes == "Our own note"
        assert [p.name for p in payers.search_payers("optum va")] == [va.name]
        # a deleted coverage's id is never handed out again
        again = coverage.save_coverage(
            {"payer_id": str(va.id), "member_id": "V1", "authorization_number": "VA1"}, 7
        )
        assert again.id == 13
    finally:
        db.close_database()


def test_a_version_3_file_is_copied_aside_and_reopens_without_migrating(db_path):
    _version_3_file(db_path)
    db.open_database(db_path)
    db.close_database()
    copies = list(db_path.parent.glob("clinic.before-*.db"))
    db.open_database(db_path)
    db.close_database()
    assert list(db_path.parent.glob("clinic.before-*.db")) == copies
    with sqlite3.connect(copies[0]) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == 3
    copy.close()
