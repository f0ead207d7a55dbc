"""A throwaway PostgreSQL server for the test run, started from the installed server programs
in a temporary folder, and one fresh database per test cloned from a template.

FRONTDESK_TEST_POSTGRES=required (CI sets it) makes a missing server a failure; otherwise the
PostgreSQL part is left out when no server programs are installed, and the run says so.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from frontdesk.clinic_server import postgres_program

REQUIRED_VARIABLE = "FRONTDESK_TEST_POSTGRES"
SUPERUSER = "frontdesk"
PASSWORD_LOGIN = "clinic_desk"  # the one login that must give a password (scram-sha-256)
ACCESS_RULES = f"""\
local all all trust
host all {PASSWORD_LOGIN} 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
host all all ::1/128 trust
"""
START_TIMEOUT_S = 60
FAST_AND_UNSAFE = (  # a test server: nothing to keep if the machine stops
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c max_connections=60 -c shared_buffers=64MB"
)


class ServerMissing(RuntimeError):
    """No PostgreSQL server programs were found (initdb, pg_ctl)."""


def required() -> bool:
    return os.environ.get(REQUIRED_VARIABLE, "").strip().lower() in {"1", "yes", "required"}


def server_programs() -> Path:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's newest version."""
    found = postgres_program("initdb")
    if found is None:
        raise ServerMissing(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed; "
            "on Debian or Ubuntu: apt-get install postgresql"
        )
    return Path(found).resolve().parent


def _as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root, its programs run as the postgres user."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"]
    return []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ThrowawayServer:
    folder: Path
    port: int
    programs: Path
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def language_locale(self) -> str | None:
        """A locale of a language (en_US.utf8, say) the server's system has, if any."""
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres"
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT collcollate FROM pg_collation WHERE collprovider = 'c' "
                    "AND collcollate NOT ILIKE 'C%' AND collcollate <> 'POSIX' ORDER BY 1"
                )
                found = cursor.fetchone()
        finally:
            connection.close()
        return found[0] if found else None

    def admin(self, *statements: str) -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE) as the superuser."""
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres"
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    def new_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`); its name."""
        name = f"test_{next(self._names)}"
        copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        self.admin(f"CREATE DATABASE {name}{copy}")
        return name

    def drop(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def program(self, name: str) -> str:
        return str(self.programs / name)

    def stop(self) -> None:
        subprocess.run(
            [
                *_as_server_user(),
                self.program("pg_ctl"),
                "stop",
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[len(_as_server_user())]).name} failed: {done.stderr}")


@contextmanager
def throwaway_server() -> Iterator[ThrowawayServer]:
    """Start a server in a new temporary folder for the run; stop it and remove the folder."""
    programs = server_programs()
    folder = Path(tempfile.mkdtemp(prefix="frontdesk-pg-"))
    as_user = _as_server_user()
    if as_user:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    _run(
        [
            *as_user,
            str(programs / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
    )
    (data / "pg_hba.conf").write_text(ACCESS_RULES)
    _run(
        [
            *as_user,
            str(programs / "pg_ctl"),
            "start",
            "-w",
            "-t",
            str(START_TIMEOUT_S),
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-o",
            f"-p {port} -k {folder} -h 127.0.0.1 {FAST_AND_UNSAFE}",
        ]
    )
    server = ThrowawayServer(folder, port, programs)
    try:
        yield server
    finally:
        server.stop()
