"""The demo clinic and the `frontdesk` command's demo, check and where."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from frontdesk import cli, db
from frontdesk.demo import DatabaseNotEmpty, build_demo_clinic
from frontdesk.models import Client, ClinicProfile, Coverage, InjuryCase, Payer, Payment, Visit
from frontdesk.services import clients, clinic

TODAY = date(2026, 11, 27)


def test_demo_clinic_is_varied_and_passes_the_checks(demo_clinic):
    assert ClinicProfile.select().count() == 1
    assert not clinic.needs_setup()
    assert 35 <= Client.select().count() <= 45
    kinds = {c.payer.kind for c in Coverage.select(Coverage, Payer).join(Payer)}
    assert {"self_pay", "discount_program", "government", "commercial"} <= kinds
    assert {case.kind for case in InjuryCase.select()} == {"workers_comp", "auto"}
    assert Payment.select().where(Payment.method == "hsa_fsa_card").exists()
    assert Visit.select().where(Visit.prescription.is_null()).exists()  # wellness
    assert Client.select().where(Client.archived == True).count() == 2  # noqa: E712
    states = {
        row.prescription.state if row.prescription else "none"
        for row in clients.search_clients("", include_archived=True)
    }
    assert {"active", "ending_soon", "used_up", "expired", "none"} <= states
    assert db.check_database(demo_clinic) == []


def test_demo_refuses_a_database_with_a_clinic(demo_clinic):
    count = Client.select().count()
    with pytest.raises(DatabaseNotEmpty):
        build_demo_clinic(today=TODAY)
    assert Client.select().count() == count


def test_cli_demo_then_check(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert cli.main(["--db", str(path), "demo"]) == 0
    db.close_database()
    assert cli.main(["--db", str(path), "check"]) == 0
    db.close_database()
    out = capsys.readouterr().out.strip().splitlines()
    expected = f"OK (schema version {db.LATEST_VERSION}, integrity and keys checked, audit trail"
    assert expected + " intact: " in out[-1]
    with sqlite3.connect(path) as raw:
        assert raw.execute("pragma journal_mode").fetchone()[0] == "wal"
    raw.close()
    assert cli.main(["--db", str(path), "demo"]) == 1
    db.close_database()
    assert "already holds a clinic" in capsys.readouterr().err


def test_cli_check_reports_a_problem(tmp_path, capsys):
    path = tmp_path / "old.db"
    db.open_database(path).execute_sql("PRAGMA user_version = 0")
    db.close_database()
    assert cli.main(["--db", str(path), "check"]) == 1
    db.close_database()
    assert "PROBLEM: schema version 0" in capsys.readouterr().out


def test_cli_check_on_a_missing_file(tmp_path, capsys):
    assert cli.main(["--db", str(tmp_path / "none.db"), "check"]) == 1
    assert "no such database file" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_cli_where_follows_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FRONTDESK_DB", str(tmp_path / "x.db"))
    assert cli.main(["where"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "x.db")


def test_first_run_setup_saves_both_or_nothing(database):
    from frontdesk.validation import ValidationErrors
    from tests.conftest import CLINIC, THERAPIST

    assert clinic.needs_setup()
    with pytest.raises(ValidationErrors) as failure:
        clinic.setup_clinic({**CLINIC, "npi": "1234567890"}, {**THERAPIST, "license_state": ""})
    assert {e.field for e in failure.value.errors} == {"Organization NPI", "License state"}
    assert ClinicProfile.select().count() == 0
    assert clinic.needs_setup()
    profile, therapist = clinic.setup_clinic(CLINIC, THERAPIST)
    assert profile.npi == "1234567893" and therapist.license_state == "OR"
    assert not clinic.needs_setup()


def test_cli_check_on_a_file_that_is_not_a_database(tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n" * 100)
    assert cli.main(["--db", str(junk), "check"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "PROBLEM: The file junk.db is not a Front Desk database" in out[0]
