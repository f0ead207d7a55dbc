"""Client search speed over a large clinic (5,000 clients), as the list runs it while typing.

    python bench/bench_client_search.py

The search runs on the UI thread, so each query should stay under one frame (16 ms).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from frontdesk import db
from frontdesk.models import Client, database_proxy
from frontdesk.services.clients import search_clients

CLIENTS = 5_000
FRAME_MS = 16.0
QUERIES = ("", "gar", "garcia an", "5550", "01/01/1950", "zzz")
LAST = ("Garcia", "Nguyen", "Smith", "López", "Kealoha", "Miller", "Davis", "O'Brien", "Lee")
FIRST = ("Ana", "Bo", "Cyrus", "Dina", "Edu", "Flora", "Gus", "Hal", "Ivy", "José")


def fill(count: int) -> None:
    chosen = random.Random(1)
    with database_proxy.atomic():
        for number in range(count):
            Client.create(
                first_name=chosen.choice(FIRST),
                last_name=f"{chosen.choice(LAST)}{'' if number % 3 else number % 97}",
                date_of_birth=date(1950 + number % 50, 1 + number % 12, 1 + number % 28),
                mobile_phone=f"+1503555{number % 10_000:04d}",
                health_conditions=["blood_clots"] if number % 7 == 0 else [],
            )


def timed(query: str, repeats: int = 5) -> tuple[int, float]:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        rows = search_clients(query)
        runs.append((time.perf_counter() - start) * 1000)
    return len(rows), statistics.median(runs)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        db.open_database(Path(folder) / "bench.db")
        fill(CLIENTS)
        print(f"client search over {CLIENTS:,} clients (median of 5)")
        worst = 0.0
        for query in QUERIES:
            count, ms = timed(query)
            worst = max(worst, ms)
            print(f"  {query!r:14} {count:4} rows  {ms:6.1f} ms")
        db.close_database()
    verdict = "OK" if worst < FRAME_MS else "TOO SLOW"
    print(f"{verdict}: slowest {worst:.1f} ms (one frame is {FRAME_MS:.0f} ms)")
    return 0 if worst < FRAME_MS else 1


if __name__ == "__main__":
    sys.exit(main())
