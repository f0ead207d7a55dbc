"""Client search as the list runs it while typing, over the large clinic (100,000 clients).

    python bench/bench_client_search.py [--clients N] [--fresh]
    python bench/bench_client_search.py --server [postgresql://user@host/database]

200 queries drawn with a fixed seed from the generated clients: names typed keystroke by
keystroke ("g", "ga", "gar", ...), "last, first", phone digits, birth dates (MM/DD/YYYY) and
words nobody has. Per kind of query: the 95th percentile of the whole search (rows ready for
the list) against one frame (16 ms), and of its SQL part (finding the clients and reading
their rows) against the same statements written by hand and run through sqlite3 on the same
file (at most 3 times as long). The clinic file is bench_safety's: generated once, reused.

With --server the same queries run on a clinic server (PostgreSQL) holding a copy of that
clinic (bench/server_clinic.py), through the same search function, the floor run through
psycopg2; without an address a throwaway server is started on this machine and removed after.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import as_owner  # noqa: F401  (signs the benchmark in as the owner)
from figures import Figure, median, p95, print_table, timings_ms
from large_clinic import clinic_file, clinic_options
from server_clinic import server_clinic, server_version

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


Run = Callable[[str, list], list[tuple]]  # a statement with ? marks and its values: the rows
KEEP_PER_ROW = "LIMIT -1 OFFSET 0"  # a subquery run per row (PostgreSQL: OFFSET 0)


def _range(alias: str) -> str:
    return f"{alias}.word >= ? AND {alias}.word < ?"


def by_hand(run: Run, text: str) -> list[tuple]:
    """The list's rows for `text` (archived clients hidden, by name), in plain SQL: the
    rarest word's range of the word index, each other word checked among the client's own
    words, the first rows in name order with a client's repeats dropped."""
    words = clients._query_words(text)
    if words is None:
        return run(
            f"SELECT {ROW_COLUMNS} FROM client WHERE archived = ? "
            "ORDER BY search_key, id LIMIT 200",
            [False],
        )
    if not words:
        return []
    driver, *rest = sorted(words, key=partial(_matches, run)) if len(words) > 1 else words
    others = "".join(
        " AND EXISTS (SELECT 1 FROM client_search_word o WHERE o.client_id = w.client_id "
        f"AND substr(o.word, 1, {len(word)}) = ? {KEEP_PER_ROW})"
        for word in rest
    )
    rows = run(
        f"SELECT w.search_key, w.client_id FROM client_search_word w "
        f"WHERE {_range('w')} AND w.archived = ?{others} "
        "ORDER BY w.search_key, w.client_id LIMIT 400",
        [driver, driver + "\uffff", False, *rest],
    )
    ids = list(dict.fromkeys(client_id for _, client_id in rows))[:200]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    return run(f"SELECT {ROW_COLUMNS} FROM client WHERE id IN ({marks})", ids)


def _matches(run: Run, word: str) -> int:
    """How many search words start with `word`, counted up to the search's cap."""
    found = run(
        f"SELECT count(*) FROM (SELECT 1 FROM client_search_word w WHERE {_range('w')} "
        f"LIMIT {clients.RAREST_COUNT_CAP}) AS capped",
        [word, word + "\uffff"],
    )
    return found[0][0]


@contextmanager
def plain_connection(location: Path | str) -> Iterator[Run]:
    """The floor's own connection: sqlite3 on the file, or psycopg2 to the server."""
    if isinstance(location, Path):
        connection = sqlite3.connect(f"{location.as_uri()}?mode=ro", uri=True)
        try:
            yield lambda sql, values: connection.execute(sql, values).fetchall()
        finally:
            connection.close()
        return
    import psycopg2

    from frontdesk.clinic_server import ServerAddress

    address = ServerAddress.parse(location)
    server = psycopg2.connect(dbname=address.database, **address.connect_params())
    server.autocommit = True

    def run(sql: str, values: list) -> list[tuple]:
        with server.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s").replace(KEEP_PER_ROW, "OFFSET 0"), values)
            return cursor.fetchall()

    try:
        yield run
    finally:
        server.close()


def _sql_part(text: str) -> list:
    """What the search asks the database: the clients found, their list columns read."""
    words = clients._query_words(text)
    return [] if words == [] else clients._listed(words, False, clients.SEARCH_LIMIT, "name", False)


# --- measuring ------------------------------------------------------------------------------


def measure(path: Path, server: str | None = None) -> dict[str, dict[str, list[float]]]:
    """Per kind: each query's median whole-search, SQL-part and by-hand times, in ms, on the
    clinic file or on the server database holding its copy."""
    queries = draw_queries(path)
    found: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    location = server or path
    db.open_database(location)
    try:
        with plain_connection(location) as plain:
            for kind, text in queries:
                assert _ids(by_hand(plain, text)) == _ids(_sql_part(text)), text
                times = found[kind]
                times["total"].append(_median_ms(partial(clients.search_clients, text)))
                times["sql"].append(_median_ms(partial(_sql_part, text)))
                times["floor"].append(_median_ms(partial(by_hand, plain, text)))
    finally:
        db.close_database()
    return found


def _ids(rows: list) -> set[int]:
    return {row[0] if isinstance(row, tuple) else row.id for row in rows}


def _median_ms(action: Callable[[], object]) -> float:
    return median(timings_ms(action, RUNS))


def figures(clients_count: int = 100_000, fresh: bool = False) -> list[Figure]:
    return _figures(measure(clinic_file(clients_count, fresh)))


def server_figures(
    clients_count: int = 100_000, fresh: bool = False, address: str | None = None
) -> list[Figure]:
    """The same figures on a clinic server: `address`, else a throwaway server started here.
    None (and a line printed) when no address is given and no server programs are installed.
    """
    try:
        with server_clinic(clients_count, fresh, address) as url:
            version = server_version(url)
            measured = measure(clinic_file(clients_count, False), url)
    except RuntimeError as missing:  # ServerMissing, or a throwaway server that did not start
        if address:
            raise
        print(f"client search on a clinic server: not measured ({missing})")
        return []
    where = "the server given" if address else "a throwaway server on this machine"
    return _figures(measured, f"PostgreSQL {version}, {where}, a copy of the same clinic")


def _figures(measured: dict, server_note: str = "") -> list[Figure]:
    every = defaultdict(list)
    result = []
    for kind in KINDS:
        times = measured[kind]
        for part, values in times.items():
            every[part].extend(values)
        result.extend(_kind_figures(f"{kind} ({len(times['total'])})", times))
    overall = _kind_figures(f"all {len(every['total'])} queries", every, SQL_RATIO, server_note)
    return [*overall, *result]


def _kind_figures(
    label: str,
    times: dict[str, list[float]],
    ratio_budget: float | None = None,
    server_note: str = "",
) -> list[Figure]:
    """The whole call within a frame; the SQL part against its floor (the budget is on all
    the queries together; each kind's ratio is shown for what it tells)."""
    note = "p95 over the queries of each one's median of 3 runs" if ratio_budget else ""
    if note and server_note:
        note = f"{note}; {server_note}"
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
    parser = clinic_options(__doc__.splitlines()[0])
    parser.add_argument(
        "--server",
        nargs="?",
        const="",
        metavar="ADDRESS",
        help="run on a clinic server (postgresql://user@host/database); "
        "without an address, on a throwaway server started here",
    )
    args = parser.parse_args(argv)
    if args.server is None:
        found = figures(args.clients, args.fresh)
    else:
        found = server_figures(args.clients, args.fresh, args.server or None)
        if not found:
            return 0
    print(f"client search over {args.clients:,} clients, {QUERIES} queries (p95, ms)")
    return 0 if print_table(found) else 1


if __name__ == "__main__":
    sys.exit(main())
