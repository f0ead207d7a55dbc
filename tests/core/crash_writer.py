"""A Front Desk process for the crash tests, killed at random moments by them.

    python -m tests.core.crash_writer DB                 saves clients, visits and payments
    python -m tests.core.crash_writer DB backups FOLDER  backs the database up, again and again

Both loop until killed and print one line per committed save ("client 17", "visit 9",
"payment 42") or finished backup ("backup frontdesk-....db"), flushed at once, so the
test knows what was committed before the kill. "backing up" is printed as a backup starts.
Only ids and file names are printed. Saves are not retried: while the other process
holds the write lock, a save waits for it (the busy timeout) rather than fail.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

from frontdesk import access, db
from frontdesk.models import Therapist
from frontdesk.services import backup, clients, ledger, visits

CLIENT = {"first_name": "Crash", "last_name": "Tester", "date_of_birth": "01/02/1980"}
PAYMENT = {"method": "cash", "received_on": "11/02/2026", "amount_cents": "25.00"}
FIRST_VISIT = datetime(2030, 1, 1, 8)  # clear of any visit already booked


def report(kind: str, what: object) -> None:
    print(kind, what, flush=True)


def save_forever() -> None:
    therapist = Therapist.select().order_by(Therapist.id).first()
    while True:
        client = clients.save_client(CLIENT, allow_duplicate=True)
        report("client", client.id)
        starts_at = FIRST_VISIT + timedelta(hours=client.id)
        booked = visits.book_visit(
            client.id, therapist.id, starts_at, 60, wellness_reason="Relaxation"
        )
        report("visit", booked.visit.id)
        report("payment", ledger.record_payment(PAYMENT, client.id).id)


def back_up_forever(folder: Path) -> None:
    while True:
        report("backing", "up")
        made = backup.make_backup(folder)
        report("backup", made.path.name)


def main(argv: list[str]) -> None:
    access.sign_in_as(access.Actor(None, "crash writer", access.OWNER))
    db.open_database(Path(argv[0]))
    if argv[1:2] == ["backups"]:
        back_up_forever(Path(argv[2]))
    else:
        save_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
