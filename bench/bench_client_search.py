"""Client search as the list runs it while typing, over the large clinic (100,000 clients).

    python bench/bench_client_search.py [--clients N] [--fresh]

200 queries drawn with a fixed seed from the generated clients: names typed keystroke by
keystroke ("g", "ga", "gar", ...), "last, first", phone digits, birth dates (MM/DD/YYYY) and
words nobody has. Per kind of query: the 95th percentile of the whole search (rows ready for
the list) against one frame (16 ms), and of its SQL part (finding the clients and reading
their rows) against the same statements written by hand and run through sqlite3 on the same
file (at most 3 times as long). The clinic file is bench_safety's: generated once, reused.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path

import as_owner  # noqa: F401  (signs the benchmark in as the owner)
from figures import Figure, median, p95, print_table, timings_ms
from large_clinic import clinic_file, clinic_options

from frontdesk import db
from frontdesk.services import clients
from frontdesk.textsearch import fold

FRAME_MS, SQL_RATIO = 16.0, 3.0
QUERIES, RUNS, SEED = 200, 3, 7
KINDS = ("name typed", "last, first", "phone digits", "birth date", "nothing found")
ROW_COLUMNS = (
    "id, first_name, last_name, preferred_name, date_of_birth, mobile_phone, home_phone, "
    "archived, health_conditions, search_key"
)


def draw_queries(path: Path, count: int = QUERIES) -> list[tuple[str, str]]:
    """(kind, text) pairs: about a fifth of each kind, drawn from the file's clients."""
    chosen = random.Random(SEED)
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
        people = connection.execute(
            "SELECT last_name, first_name, mobile_phone, date_of_birth FROM client"
        ).fetchall()
    connection.close()
    makers = (_typed, _last_first, _phone, _born, _nobody)
    found: list[tuple[str, str]] = []
    for draw in range(count):
        kind = draw % len(makers)
        texts = makers[kind](chosen.choice(people), chosen)
        found.extend((KINDS[kind], text) for text in texts)
    return found[:count]


def _typed(person: tuple, chosen: random.Random) -> list[str]:
    """A last name as typed, one keystroke at a time."""
    word = fold(person[0]).split()[0]
    return [word[:end] for end in range(1, min(len(word), 5) + 1)]


def _last_first(person: tuple, chosen: random.Random) -> list[str]:
    return [f"{person[0]}, {person[1][: chosen.randint(1, len(person[1]))]}"]


def _phone(person: tuple, chosen: random.Random) -> list[str]:
    digits = person[2][-10:]
    return [
        chosen.choice((digits[-4:], f"{digits[3:6]}-{digits[6:]}", f"({digits[:3]}) {digits[3:8]}"))
    ]


def _born(person: tuple, chosen: random.Random) -> list[str]:
    year, month, day = person[3].split("-")
    return [f"{month}/{day}/{year}"]


def _nobody(person: tuple, chosen: random.Random) -> list[str]:
    return [chosen.choice(("zzq", "xqj", "qwv", "zzq ana", "vvx"))]


# --- the same search written by hand -----------------------------------------------------


def _range(alias: str) -> str:
    return f"{alias}.word >= ? AND {alias}.word < ?"


def by_hand(connection: sqlite3.Connection, text: str) -> list[tuple]:
    """The list's rows for `text` (archived clients hidden, by name), in plain SQL."""
    words = clients._query_words(text)
    if words is None:
        return connection.execute(
            f"SELECT {ROW_COLUMNS} FROM client WHERE archived = 0 ORDER BY search_key, id LIMIT 200"
        ).fetchall()
    if not words:
        return []
    others = "".join(
        f" AND EXISTS (SELECT 1 FROM client_search_word o WHERE o.client_id = w.client_id "
        f"AND {_range('o')})"
        for _ in words[1:]
    )
    ids = connection.execute(
        f"SELECT DISTINCT w.search_key, w.client_id FROM client_search_word w "
        f"WHERE {_range('w')} AND w.archived = 0{others} "
        "ORDER BY w.search_key, w.client_id LIMIT 200",
        [bound for word in words for bound in (word, word + "\uffff")],
    ).fetchall()
    marks = ", ".join("?" * len(ids))
    return connection.execute(
        f"SELECT {ROW_COLUMNS} FROM client WHERE id IN ({marks})", [i for _, i in ids]
    ).fetchall()


def _sql_part(text: str) -> list:
    """What the search asks the database: the clients found, their list columns read."""
    words = clients._query_words(text)
    return [] if words == [] else clients._listed(words, False, clients.SEARCH_LIMIT, "name", False)


# --- measuring ------------------------------------------------------------------------------


def measure(path: Path) -> dict[str, dict[str, list[float]]]:
    """Per kind: each query's median whole-search, SQL-part and by-hand times, in ms."""
    queries = draw_queries(path)
    found: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    db.open_database(path)
    plain = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        for kind, text in queries:
            assert len(by_hand(plain, text)) == len(_sql_part(text)), text
            times = found[kind]
            times["total"].append(_median_ms(partial(clients.search_clients, text)))
            times["sql"].append(_median_ms(partial(_sql_part, text)))
            times["floor"].append(_median_ms(partial(by_hand, plain, text)))
    finally:
        plain.close()
        db.close_database()
    return found


def _median_ms(action: Callable[[], object]) -> float:
    return median(timings_ms(action, RUNS))


def figures(clients_count: int = 100_000, fresh: bool = False) -> list[Figure]:
    path = clinic_file(clients_count, fresh)
    measured = measure(path)
    every = defaultdict(list)
    result = []
    for kind in KINDS:
        times = measured[kind]
        for part, values in times.items():
            every[part].extend(values)
        result.extend(_kind_figures(f"{kind} ({len(times['total'])})", times))
    overall = _kind_figures(f"all {len(every['total'])} queries", every, ratio_budget=SQL_RATIO)
    return [*overall, *result]


def _kind_figures(
    label: str, times: dict[str, list[float]], ratio_budget: float | None = None
) -> list[Figure]:
    """The whole call within a frame; the SQL part against its floor (the budget is on all
    the queries together; each kind's ratio is shown for what it tells)."""
    note = "p95 over the queries of each one's median of 3 runs" if ratio_budget else ""
    return [
        Figure(f"client search, {label}", p95(times["total"]), "ms", FRAME_MS, note=note),
        Figure(
            f"client search SQL, {label}",
            p95(times["sql"]),
            "ms",
            floor=p95(times["floor"]),
            ratio_budget=ratio_budget,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    args = clinic_options(__doc__.splitlines()[0]).parse_args(argv)
    found = figures(args.clients, args.fresh)
    print(f"client search over {args.clients:,} clients, {QUERIES} queries (p95, ms)")
    return 0 if print_table(found) else 1


if __name__ == "__main__":
    sys.exit(main())
