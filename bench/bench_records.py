"""A client's records, the day sheet and memory at the scale of a busy clinic (100,000 clients).

    python bench/bench_records.py [--clients N] [--runs N] [--fresh]

Budgets: opening a client with 500 visits (the summary page, the treatment history and the
account's ledger and balance) at most 50 ms; the day sheet of a busy day (60 visits) at most
30 ms; resident memory with the large clinic open and the client list shown at most 250 MB.

The large clinic comes from bench/large_clinic.py (generated once, reused while it matches).
A copy of it gets one client topped up to 500 visits (with notes, service lines and
payments), written in bulk the way bench/large_clinic.py writes rows. The busy day is the past
day whose number of visits is nearest 60. Each figure is the 95th percentile of several runs
with the file in the operating system's cache; its floor is the same rows fetched by plain
sqlite3 queries in the same run. Memory is the peak resident size of a separate process
showing the program's window offscreen; its floor, a bare Qt window shown the same way.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import as_owner  # noqa: F401  (signs the benchmark in as the owner)
from figures import Figure, median, p95, print_table, timings_ms
from large_clinic import (
    ALLOCATION_COLUMNS,
    CACHE,
    CONDITIONS,
    LINE_COLUMNS,
    PAYMENT_COLUMNS,
    VISIT_COLUMNS,
    ClientPlan,
    Generator,
    _split,
    clinic_file,
    clinic_options,
)

from frontdesk import db
from frontdesk.models import (
    Coverage,
    Payment,
    PaymentAllocation,
    Prescription,
    PrescriptionDiagnosis,
    ServiceLine,
    Therapist,
    Visit,
)
from frontdesk.services import cases, coverage, history, ledger, prescriptions, summary, visits

OPEN_MS, DAY_MS, MEMORY_MB = 50.0, 30.0, 250.0
CLIENT_VISITS = 500
BUSY_DAY = 60
VISITS_PER_PAYMENT = 5
EVERY_DAYS = 3  # the busy client comes about twice a week
AFTER_HOURS = 8  # the busy client's slot: 5 PM, after the generated day's sessions
SEED = 11

# --- the clinic measured ----------------------------------------------------------------------


def records_file(clients: int, fresh: bool) -> Path:
    """A copy of the large clinic with one client of CLIENT_VISITS visits (made once)."""
    source = clinic_file(clients, fresh)
    target = CACHE / f"records-clinic-{clients}.db"
    newer = target.exists() and target.stat().st_mtime > source.stat().st_mtime
    if newer and busy_client(target) is not None:
        return target
    for stale in CACHE.glob(f"{target.name}*"):
        stale.unlink()
    original = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        original.backup(copy)
    finally:
        copy.close()
        original.close()
    add_busy_client(target)
    return target


def busy_client(path: Path) -> int | None:
    """The client with the most visits when they have CLIENT_VISITS or more."""
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
        row = connection.execute(
            "SELECT client_id, COUNT(*) FROM visit GROUP BY client_id ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
    return row[0] if row and row[1] >= CLIENT_VISITS else None


def busy_day(path: Path, today: date) -> tuple[date, int]:
    """The past day whose number of visits is nearest BUSY_DAY (the earliest of equals)."""
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
        day, count = connection.execute(
            "SELECT substr(starts_at, 1, 10) AS day, COUNT(*) AS n FROM visit WHERE starts_at < ?"
            " GROUP BY day ORDER BY abs(n - ?), day LIMIT 1",
            (today.isoformat(), BUSY_DAY),
        ).fetchone()
    return date.fromisoformat(day), count


def busiest_day(path: Path) -> tuple[date, int]:
    """The day with the most visits in the file (hundreds in the generated clinic)."""
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
        day, count = connection.execute(
            "SELECT substr(starts_at, 1, 10) AS day, COUNT(*) AS n FROM visit"
            " GROUP BY day ORDER BY n DESC, day LIMIT 1"
        ).fetchone()
    return date.fromisoformat(day), count


def add_busy_client(path: Path) -> int:
    """Top up a prescribed, covered client to CLIENT_VISITS visits; return the client's id."""
    database = db.open_database(path)
    try:
        generator = Generator(database, date.today(), SEED)
        plan = _plan_for_existing(generator)
        _write_visits(generator, plan)
    finally:
        db.close_database()
    return plan.client_id


def _plan_for_existing(generator: Generator) -> ClientPlan:
    """The first client with a prescription and an insurer's coverage, ready for more visits."""
    prescription = (
        Prescription.select()
        .join(Coverage, on=Coverage.client == Prescription.client)
        .order_by(Prescription.id)
        .first()
    )
    found = Coverage.get(Coverage.client == prescription.client_id)
    have = Visit.select().where(Visit.client == prescription.client_id).count()
    first = generator.today - timedelta(days=EVERY_DAYS * (CLIENT_VISITS - have))
    plan = ClientPlan(
        prescription.client_id,
        True,
        [first + timedelta(days=EVERY_DAYS * n) for n in range(CLIENT_VISITS - have)],
        coverage_id=found.id,
        payer=found.payer,
        condition=next(n for n, c in enumerate(CONDITIONS) if c[0] == prescription.reason),
        rx_id=prescription.id,
    )
    codes = prescription.diagnoses.select(PrescriptionDiagnosis.id).count()
    plan.rx_key = (prescription.modality, codes)
    generator.rx_examples[plan.rx_key] = prescription.id
    generator.coverage_examples[found.payer_id] = found.id
    return plan


def _write_visits(generator: Generator, plan: ClientPlan) -> None:
    therapists = [t.id for t in Therapist.select(Therapist.id).order_by(Therapist.id).limit(3)]
    for model, columns in (
        (Visit, VISIT_COLUMNS),
        (ServiceLine, LINE_COLUMNS),
        (Payment, PAYMENT_COLUMNS),
        (PaymentAllocation, ALLOCATION_COLUMNS),
    ):
        generator.writer(model, columns)
    with generator.database.atomic():
        for number, day in enumerate(plan.days):
            therapist = therapists[number % len(therapists)]
            generator.visit(plan, number + 3, day, AFTER_HOURS, therapist)
        method, payer_id = generator.method(plan)
        groups = _split(plan.charges, max(1, len(plan.charges) // VISITS_PER_PAYMENT))
        for group in groups:
            shares = [(visit_id, cents) for visit_id, _, cents in group]
            generator.payment(plan, group[-1][1], method, payer_id, shares, 0)
        for writer in generator.writers.values():
            writer.flush()


# --- opening a client -------------------------------------------------------------------------


def open_client(client_id: int) -> None:
    """What the screens read when a client is opened: the summary page (summary, prescriptions,
    coverage and cases), the treatment history, and the account (ledger and balance)."""
    summary.client_summary(client_id)
    prescriptions.client_prescriptions(client_id)
    coverage.client_coverages(client_id)
    cases.client_cases(client_id)
    history.treatment_history(client_id)
    ledger.client_entries(client_id)
    ledger.client_balance(client_id)


OPEN_FLOOR = (
    "SELECT * FROM client WHERE id = :c",
    "SELECT * FROM prescription p JOIN physician d ON d.id = p.physician_id WHERE p.client_id = :c",
    "SELECT g.* FROM prescription_diagnosis g JOIN prescription p ON p.id = g.prescription_id"
    " WHERE p.client_id = :c",
    "SELECT * FROM coverage v JOIN payer p ON p.id = v.payer_id WHERE v.client_id = :c",
    "SELECT * FROM injury_case WHERE client_id = :c",
    "SELECT * FROM therapist",
    "SELECT * FROM visit WHERE client_id = :c ORDER BY starts_at DESC, id DESC",
    "SELECT l.visit_id, s.code, s.description, l.units, l.charge_cents, l.discount_cents"
    " FROM service_line l JOIN service_code s ON s.id = l.service_code_id"
    " JOIN visit v ON v.id = l.visit_id WHERE v.client_id = :c",
    "SELECT a.* FROM visit_addendum a JOIN visit v ON v.id = a.visit_id WHERE v.client_id = :c",
    "SELECT * FROM payment WHERE client_id = :c ORDER BY received_on, id",
    "SELECT a.visit_id, SUM(a.amount_cents) FROM payment_allocation a"
    " JOIN payment p ON p.id = a.payment_id WHERE p.client_id = :c GROUP BY a.visit_id",
)


def open_client_floor(connection: sqlite3.Connection, client_id: int) -> None:
    """The same rows by plain queries: the client, their prescriptions, coverage, cases,
    every visit with its service lines and addenda, and their ledger."""
    for sql in OPEN_FLOOR:
        connection.execute(sql, {"c": client_id}).fetchall()


# --- the day sheet ----------------------------------------------------------------------------

DAY_FLOOR = (
    "SELECT * FROM visit v JOIN client c ON c.id = v.client_id"
    " JOIN therapist t ON t.id = v.therapist_id WHERE v.starts_at >= :a AND v.starts_at < :b"
    " ORDER BY v.starts_at, t.last_name, v.id",
    "SELECT v.id, v.fee_cents, SUM(l.charge_cents - l.discount_cents) FROM visit v"
    " LEFT JOIN service_line l ON l.visit_id = v.id WHERE v.id IN"
    " (SELECT id FROM visit WHERE starts_at >= :a AND starts_at < :b) GROUP BY v.id",
    "SELECT a.visit_id, SUM(a.amount_cents) FROM payment_allocation a JOIN visit v"
    " ON v.id = a.visit_id WHERE v.starts_at >= :a AND v.starts_at < :b GROUP BY a.visit_id",
    "SELECT p.* FROM prescription p JOIN visit v ON v.prescription_id = p.id"
    " WHERE v.starts_at >= :a AND v.starts_at < :b",
    "SELECT g.*, p.* FROM coverage g JOIN payer p ON p.id = g.payer_id"
    " JOIN visit v ON v.coverage_id = g.id WHERE v.starts_at >= :a AND v.starts_at < :b",
)


def day_sheet_floor(connection: sqlite3.Connection, day: date) -> None:
    """The day's visits with client and therapist, charges, payments, prescriptions, payers."""
    start = datetime.combine(day, datetime.min.time())
    bounds = {"a": str(start), "b": str(start + timedelta(days=1))}
    for sql in DAY_FLOOR:
        connection.execute(sql, bounds).fetchall()


# --- memory -----------------------------------------------------------------------------------

PROBE_WINDOW = """
import sys
from pathlib import Path
from PySide6.QtTest import QTest
from frontdesk import access
from ui.app import build_main_window
access.sign_in_as(access.Actor(None, "benchmark", access.OWNER))
window = build_main_window(Path(sys.argv[1]), Path(sys.argv[2]))
window.resize(1280, 800)
window.show()
window.go_to("Clients")
QTest.qWait(1500)
rows = window.clients_screen.list_page.table.model().rowCount()
assert rows > 0, "the client list is empty"
"""
PROBE_BARE = """
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.show()
QTest.qWait(1500)
"""
PEAK = """
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


def peak_rss_mb(probe: str, *args: str) -> float:
    """The peak resident memory of a new Python process running `probe` offscreen, in MB."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", probe + PEAK, *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )
    return int(done.stdout.split()[-1]) / 1024


# --- the figures ------------------------------------------------------------------------------


def _versus(
    name: str, action, floor, runs: int, budget: float | None, note: str
) -> tuple[Figure, list[float]]:
    action()  # the first run warms the caches: the screens are opened more than once a day
    floor()
    found, plain = timings_ms(action, runs), timings_ms(floor, runs)
    note = f"{note}; median {median(found):.1f} ms (floor {median(plain):.1f} ms)"
    return Figure(name, p95(found), "ms", budget=budget, floor=p95(plain), note=note), found


def figures(clients: int = 100_000, runs: int = 30, fresh: bool = False) -> list[Figure]:
    path = records_file(clients, fresh)
    client_id = busy_client(path)
    day, count = busy_day(path, date.today())
    fullest, most = busiest_day(path)
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    db.open_database(path)
    try:
        opened, _ = _versus(
            f"open a client of {CLIENT_VISITS} visits (p95)",
            lambda: open_client(client_id),
            lambda: open_client_floor(connection, client_id),
            runs,
            OPEN_MS,
            "summary page, treatment history, account",
        )
        sheet, _ = _versus(
            f"day sheet of {count} visits (p95)",
            lambda: visits.day_sheet(day),
            lambda: day_sheet_floor(connection, day),
            runs,
            DAY_MS,
            f"{count} visits on {day.isoformat()}",
        )
        crowded, _ = _versus(
            f"day sheet of {most} visits (p95, no budget)",
            lambda: visits.day_sheet(fullest),
            lambda: day_sheet_floor(connection, fullest),
            max(5, runs // 3),
            None,
            f"the generated clinic's busiest day, {fullest.isoformat()}",
        )
    finally:
        db.close_database()
        connection.close()
    with_window = peak_rss_mb(PROBE_WINDOW, str(path), str(CACHE / "records-settings.ini"))
    memory = Figure(
        "peak memory, window and client list",
        with_window,
        "MB",
        budget=MEMORY_MB,
        floor=peak_rss_mb(PROBE_BARE),
        note="VmHWM of an offscreen process; floor: a bare Qt window",
    )
    return [opened, sheet, crowded, memory]


def main(argv: list[str] | None = None) -> int:
    args = clinic_options(__doc__.splitlines()[0], runs=30).parse_args(argv)
    found = figures(args.clients, args.runs, args.fresh)
    passed = print_table(found)
    for figure in found:
        print(f"  {figure.name}: {figure.note}")
    print("OK" if passed else "OVER BUDGET")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
