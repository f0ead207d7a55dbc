"""The command line prints receipts, superbills and statements as the screen does.

Numbers are issued and snapshots kept through the same service; completeness problems go
to stderr one per line; a document that cannot be made exits 1 and writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdesk import cli, db
from frontdesk.models import Receipt, Therapist
from frontdesk.services import receipts
from tests.core.receipt_fixtures import self_pay_client, text_of, work_injury_client


@pytest.fixture
def clinic_file(database, therapist, physician):
    """A clinic with two clients' visits and payments in 2026, closed for the command line;
    where it is (a file, or a database on the clinic server)."""
    emily = self_pay_client(therapist, physician)
    marco = work_injury_client(therapist, physician)
    db.close_database()
    return database.location, emily, marco


def _run(path: Path | str, *args: str) -> int:
    return cli.main(["--db", str(path), *args])


def _receipts(path: Path) -> list[Receipt]:
    db.open_database(path)
    return list(Receipt.select().order_by(Receipt.number))


def test_print_receipt_for_a_payment(clinic_file, tmp_path, capsys):
    path, emily, _ = clinic_file
    out = tmp_path / "receipt.pdf"
    payment = emily.payments["split_card"].id
    assert _run(path, "print", "receipt", "--payment", str(payment), "--out", str(out)) == 0
    said = capsys.readouterr()
    assert said.out.strip() == f"{out}: HSA/FSA receipt no. 1, $100.00"
    assert said.err == ""
    text = text_of(out.read_bytes())
    assert "Receipt no. 1" in text and "Emily Rose Lee" in text and "PAID IN FULL" in text
    (receipt,) = _receipts(path)
    assert (receipt.kind, receipt.client_id) == ("hsa_fsa", emily.client.id)
    assert out.read_bytes() == receipts.receipt_pdf(receipt.id)


def test_the_command_line_keeps_what_the_screen_would(clinic_file, tmp_path):
    path, emily, _ = clinic_file
    out = tmp_path / "receipt.pdf"
    payment = emily.payments["hsa"].id
    assert _run(path, "print", "receipt", "--payment", str(payment), "--out", str(out)) == 0
    (receipt,) = _receipts(path)
    on_screen = receipts.draft_receipt(emily.client.id, payment_id=payment)
    snapshot = json.loads(receipt.snapshot)
    assert snapshot == {**on_screen.content, "number": 1, "issued_on": snapshot["issued_on"]}


def test_print_superbill_and_statement(clinic_file, tmp_path, capsys):
    path, emily, marco = clinic_file
    bill, statement = tmp_path / "bill.pdf", tmp_path / "statement.pdf"
    client = str(marco.client.id)
    dates = ["--from", "09/01/2026", "--to", "11/30/2026"]
    assert _run(path, "print", "superbill", "--client", client, *dates, "--out", str(bill)) == 0
    client = str(emily.client.id)
    assert _run(path, "print", "statement", "--client", client, "--year", "2026", "--out",
                str(statement)) == 0  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{bill}: Superbill no. 1, $420.00",
        f"{statement}: Year-end statement no. 2, $335.00",
    ]
    assert "Claim no. WC-2026-0042" in text_of(bill.read_bytes())
    assert "01/01/2026 to 12/31/2026" in text_of(statement.read_bytes())
    assert [r.kind for r in _receipts(path)] == ["superbill", "year_end"]


def test_statements_for_every_client_with_activity(clinic_file, tmp_path, capsys):
    path, emily, marco = clinic_file
    folder = tmp_path / "statements"
    assert _run(path, "statements", "--year", "2026", "--out", str(folder)) == 0
    made = sorted(file.name for file in folder.iterdir())
    assert made == sorted(
        f"statement-2026-client-{client.client.id}.pdf" for client in (emily, marco)
    )
    assert capsys.readouterr().out.splitlines()[-1] == f"{folder}: 2 year-end statements for 2026."
    assert [r.number for r in _receipts(path)] == [1, 2]
    db.close_database()
    assert _run(path, "statements", "--year", "2025", "--out", str(folder)) == 0
    assert "0 year-end statements for 2025" in capsys.readouterr().out


def test_completeness_problems_go_to_stderr_one_per_line(clinic_file, tmp_path, capsys):
    path, emily, _ = clinic_file
    db.open_database(path)
    Therapist.update(license_number="").execute()
    therapist_id = Therapist.get().id
    db.close_database()
    out = tmp_path / "statement.pdf"
    args = ["print", "statement", "--client", str(emily.client.id), "--year", "2026"]
    assert _run(path, *args, "--out", str(out)) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"problem (therapist {therapist_id}): Hannah Okafor, LMT has no state license number."
    ]
    assert out.exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["print", "receipt", "--payment", "999"], "no payment no. 999"),
        (["print", "statement", "--client", "999", "--year", "2026"], "client no longer exists"),
        (["print", "statement", "--client", "1", "--year", "20x6"], "Year: type a whole number"),
        (["print", "statement", "--client", "1", "--year", "2019"], "No visits or payments"),
        (
            ["print", "superbill", "--client", "1", "--from", "13/01/2026", "--to", "12/31/2026"],
            "From:",
        ),
        (
            ["print", "superbill", "--client", "1", "--from", "12/31/2026", "--to", "01/01/2026"],
            "before it starts",
        ),
    ],
)
def test_a_document_that_cannot_be_made_exits_1(clinic_file, tmp_path, capsys, args, said):
    path, _, _ = clinic_file
    out = tmp_path / "never.pdf"
    assert _run(path, *args, "--out", str(out)) == 1
    error = capsys.readouterr().err
    assert error.startswith("Not printed: ") and said in error
    assert not out.exists()
    assert _receipts(path) == []


def test_printing_needs_an_existing_database(tmp_path, capsys):
    missing = tmp_path / "none.db"
    args = ["print", "receipt", "--payment", "1", "--out", str(tmp_path / "r.pdf")]
    assert _run(missing, *args) == 1
    assert "no such database file" in capsys.readouterr().err
    assert not missing.exists()


def test_a_file_that_cannot_be_written_still_uses_its_number(clinic_file, tmp_path, capsys):
    path, emily, _ = clinic_file
    out = tmp_path / "no-such-folder" / "receipt.pdf"
    payment = str(emily.payments["hsa"].id)
    assert _run(path, "print", "receipt", "--payment", payment, "--out", str(out)) == 1
    assert "receipt no. 1 is used up" in capsys.readouterr().err
    db.close_database()
    again = tmp_path / "receipt.pdf"
    assert _run(path, "print", "receipt", "--payment", payment, "--out", str(again)) == 0
    assert [r.number for r in _receipts(path)] == [1, 2]
