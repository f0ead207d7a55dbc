"""A Front Desk process for the crash tests, killed at random moments by them.

    python -m tests.core.crash_writer DB                 saves clients, visits and payments
    python -m tests.core.crash_writer DB backups FOLDER  backs the database up, again and again

Both loop until killed and print one line per committed save ("client 17", "visit 9",
"payment 42") or finished backup ("backup frontdesk-....db"), flushed at once, so the
test knows what was committed before the kill. "backing up" is printed as a backup starts.
Only ids and file names are printed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from frontdesk import db
from frontdesk.models import Therapist
from frontdesk.services import backup, clients, ledger, visits
from frontdesk.storage_errors import DatabaseBusy

CLIENT = {"first_name": "Crash", "last_name": "Tester", "date_of_birth": "01/02/1980"}
PAYMENT = {"method": "cash", "received_on": "11/02/2026", "amount_cents": "25.00"}
FIRST_VISIT = datetime(2030, 1, 1, 8)  # clear of any visit already booked
TRIES = 100


def retrying(save: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Save, trying again while another process holds the write lock (a refused save
    changed nothing), as a person told "wait a moment and try again" would."""
    for _ in range(TRIES - 1):
        try:
            return save(*args, **kwargs)
        except DatabaseBusy:
            time.sleep(0.01)
    return save(*args, **kwargs)


def report(kind: str, what: object) -> None:
    print(kind, what, flush=True)


def save_forever() -> None:
    therapist = Therapist.select().order_by(Therapist.id).first()
    while True:
        client = retrying(clients.save_client, CLIENT, allow_duplicate=True)
        report("client", client.id)
        starts_at = FIRST_VISIT + timedelta(hours=client.id)
        booked = retrying(
            visits.book_visit, client.id, therapist.id, starts_at, 60, wellness_reason="Relaxation"
        )
        report("visit", booked.visit.id)
        report("payment", retrying(ledger.record_payment, PAYMENT, client.id).id)


def back_up_forever(folder: Path) -> None:
    while True:
        report("backing", "up")
        made = retrying(backup.make_backup, folder)
        report("backup", made.path.name)


def main(argv: list[str]) -> None:
    db.open_database(Path(argv[0]))
    if argv[1:2] == ["backups"]:
        back_up_forever(Path(argv[2]))
    else:
        save_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
