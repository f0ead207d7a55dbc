"""Schema 3: prescription durations in weeks or months, physicians found by name.

Older files keep their data: a duration of N months stays N months, whether the file
comes from version 1 (through version 2's table rebuild) or from version 2.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from frontdesk import db
from frontdesk.models import Physician, Prescription
from frontdesk.services import physicians, prescriptions
from tests.core.conftest import PHYSICIAN, TODAY, rx_form

STAMP = "'2026-01-02 10:00:00', '2026-01-02 10:00:00'"

pytestmark = pytest.mark.sqlite_only  # about the file itself


def _version_1_file(path: Path) -> None:
    """A file as Front Desk 0.1 wrote it: one client, physician and 6-month prescription."""
    schema = (Path(__file__).parent / "data" / "schema_v1.sql").read_text(encoding="utf-8")
    with sqlite3.connect(path) as raw:
        raw.executescript(schema)
        raw.execute(
            "INSERT INTO client VALUES (7, " + STAMP + ", '', '', 'Salem', 'OR', '', 'Ana', '',"
            " 'Silva', '', '1980-04-17', '', '', '', '', '', '', '', '', '', '', '[]', '', '',"
            " '[]', NULL, NULL, '', '', 0, ' silva ana')"
        )
        raw.execute(
            "INSERT INTO physician VALUES (3, " + STAMP + ", '', '', '', '', '', 'José',"
            " 'García', 'MD', '1003000126', 'Clínica Sur', '', '')"
        )
        raw.execute(
            "INSERT INTO prescription VALUES (5, " + STAMP + ", 7, 3, '2026-01-10', 'Back pain',"
            " 'massage_therapy', '[]', '[\"lower_back\"]', 12, 2, 'month', 6, '2026-07-09', '')"
        )
        raw.execute("PRAGMA user_version = 1")
    raw.close()


def test_a_version_1_file_keeps_its_durations_as_months(db_path):
    _version_1_file(db_path)
    database = db.open_database(db_path)
    try:
        assert db.schema_version(database) == db.LATEST_VERSION
        assert db.check_database(database) == []
        rx = Prescription.get_by_id(5)
        assert (rx.duration_count, rx.duration_unit, rx.duration_months) == (6, "month", None)
        assert (rx.end_date, rx.treatments_prescribed, rx.version) == (date(2026, 7, 9), 12, 1)
        assert [p.id for p in physicians.search_physicians("garcia clinica")] == [3]
        values = prescriptions.form_values(rx)
        assert (values["duration"], values["end_date"]) == ("6 months", "07/09/2026")
    finally:
        db.close_database()


def _as_version_2(path: Path, duration_months: int) -> None:
    """Turn a schema-3 file back into the layout version 2 had, with one old duration."""
    with sqlite3.connect(path) as raw:
        for table, column in (
            ("prescription", "duration_count"),
            ("prescription", "duration_unit"),
            ("physician", "search_key"),
        ):
            raw.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        raw.execute("UPDATE prescription SET duration_months = ?", (duration_months,))
        raw.execute("PRAGMA user_version = 2")
    raw.close()


def test_a_version_2_file_gains_the_new_columns_and_keeps_its_ids(db_path, set_up_clinic, patient):
    physician = physicians.save_physician(PHYSICIAN)
    saved = [
        prescriptions.save_prescription(rx_form(physician.id), patient.id, today=TODAY)
        for _ in range(3)
    ]
    Prescription.delete_by_id(saved[-1].id)  # the newest, deleted without a trace
    db.close_database()
    _as_version_2(db_path, duration_months=9)
    database = db.open_database(db_path)
    try:
        assert db.schema_version(database) == db.LATEST_VERSION
        assert db.check_database(database) == []
        kept = Prescription.get_by_id(saved[0].id)
        assert (kept.duration_count, kept.duration_unit, kept.duration_months) == (9, "month", None)
        assert (
            Physician.get_by_id(physician.id).search_key == " chen alicia eastside family medicine"
        )
        newer = prescriptions.save_prescription(
            rx_form(physician.id, duration="10 weeks"), patient.id, today=TODAY
        )
        assert newer.id == saved[-1].id + 1  # a deleted prescription's id is never reused
        assert (newer.duration_count, newer.duration_unit) == (10, "week")
        assert list(db_path.parent.glob("clinic.before-v3-*.db"))
    finally:
        db.close_database()
