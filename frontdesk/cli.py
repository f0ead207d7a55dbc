"""The `frontdesk` command: open the program, or work on a database file."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

from frontdesk import db

log = logging.getLogger(__name__)
SHELL_ENTRY_POINTS = "frontdesk.shell"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdesk", description="Front Desk for medical-massage clinics."
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help="database file (default: FRONTDESK_DB, or the user's data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("demo", help="fill a new database with a demo clinic")
    commands.add_parser("check", help="check the database file and print one line")
    commands.add_parser("where", help="print where the database file is")
    commands.add_parser("selftest")  # the installer's check: build the window, then close it
    return parser


def run_demo(path: Path) -> int:
    from frontdesk.demo import DatabaseNotEmpty, build_demo_clinic

    try:
        db.open_database(path)
        count = build_demo_clinic()
    except (db.DatabaseUnavailable, DatabaseNotEmpty) as refusal:
        print(f"{path}: {refusal}", file=sys.stderr)
        return 1
    print(f"{path}: demo clinic with {count} clients written.")
    return 0


def run_check(path: Path) -> int:
    if not path.exists():
        print(f"{path}: no such database file", file=sys.stderr)
        return 1
    try:
        database = db.open_database(path, migrate=False)
        problems = db.check_database(database)
    except db.DatabaseUnavailable as error:
        print(f"{path}: PROBLEM: {error}")
        return 1
    if problems:
        print(f"{path}: PROBLEM: " + "; ".join(problems))
        return 1
    print(f"{path}: OK (schema version {db.schema_version(database)}, integrity and keys checked)")
    return 0


def desktop_shell(command: str) -> Callable[[Path], int]:
    """The desktop window's command, found through the `frontdesk.shell` entry points.

    The Qt shell registers itself there (see pyproject.toml), so the core never imports it.
    """
    found = entry_points(group=SHELL_ENTRY_POINTS, name=command)
    if not found:
        raise SystemExit("The desktop window is not installed; run 'make run' to install it.")
    return next(iter(found)).load()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("FRONTDESK_LOG", "WARNING").upper(),
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("peewee").setLevel(logging.INFO)  # its debug lines carry query values
    args = _parser().parse_args(argv)
    path = args.db or db.default_db_path()
    if args.command == "demo":
        return run_demo(path)
    if args.command == "check":
        return run_check(path)
    if args.command == "selftest":
        return desktop_shell("selftest")(path)
    if args.command == "where":
        print(path)
        return 0
    return desktop_shell("run")(path)


if __name__ == "__main__":
    sys.exit(main())
