"""Power cut or crash: a process killed mid-save or mid-backup loses nothing it committed.

A writer process (tests/core/crash_writer.py) saves through the services and reports each
commit; it is killed with SIGKILL at a random moment. Afterwards the file opens, passes
the integrity check and holds every reported save; the last good backup stays good.
The kill moments come from a fixed seed, named in every failure, so a failure can be
replayed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from frontdesk import db
from frontdesk.models import Client, Payment, Visit
from frontdesk.services import backup, clinic
from tests.conftest import CLINIC, THERAPIST

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

SEED = 20261127
SAVE_KILLS = 24
BACKUP_KILLS = 6
KILL_AFTER_S = (0.05, 0.4)
BACKUP_KILL_AFTER_S = (0.05, 0.8)  # a backup takes a few tenths: cut short, or done
START_TIMEOUT_S = 30
ROOT = Path(__file__).resolve().parents[2]
MODELS = {"client": Client, "visit": Visit, "payment": Payment}
GROWTH = 50  # copies of the demo's clients, visits and payments: a backup takes a while


class Writer:
    """A crash_writer process and the lines it reported, read as they come."""

    def __init__(self, db_path: Path, log: Path, *mode: str) -> None:
        self.lines: list[tuple[str, str]] = []
        self.log = log
        with log.open("ab") as errors:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.core.crash_writer", str(db_path), *mode],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.endswith("\n"):  # a line cut short by the kill was not reported
                kind, _space, what = line.strip().partition(" ")
                self.lines.append((kind, what))

    def wait_for(self, kind: str, note: str) -> None:
        """Wait until the process reported a line of `kind` (it must not have stopped)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while not any(k == kind for k, _ in self.lines):
            stopped = self.process.poll() is not None
            assert not stopped and time.monotonic() < deadline, (
                f"{note}: the writer stopped or stalled before reporting {kind!r}:\n"
                f"{self.log.read_text(errors='replace')[-2000:]}"
            )
            time.sleep(0.005)

    def kill(self) -> None:
        assert self.process.poll() is None, f"the writer had stopped:\n{self.log.read_text()}"
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.reader.join()
        self.process.stdout.close()

    def reported(self, kind: str) -> list[str]:
        return [what for k, what in self.lines if k == kind]


def kill_at_random(
    writers: list[Writer], rng: random.Random, wait_for: str, note: str, within=KILL_AFTER_S
) -> None:
    """Kill the writers together a random moment after the first reported `wait_for`."""
    writers[0].wait_for(wait_for, note)
    time.sleep(rng.uniform(*within))
    for writer in writers:
        writer.kill()


def assert_sound(db_path: Path, writer: Writer | None, note: str) -> None:
    """The file opens, passes the integrity check and holds every save the writer reported."""
    database = db.open_database(db_path)
    try:
        integrity = [row[0] for row in database.execute_sql("PRAGMA integrity_check")]
        assert integrity == ["ok"], f"{note}: {integrity[:3]}"
        for kind, model in MODELS.items():
            ids = [int(what) for what in writer.reported(kind)] if writer else []
            found = model.select().where(model.id.in_(ids)).count()
            assert found == len(ids), f"{note}: {len(ids) - found} reported {kind}s are missing"
    finally:
        db.close_database()


def test_saves_reported_before_a_kill_are_all_there(db_path, tmp_path):
    db.open_database(db_path)
    clinic.setup_clinic(CLINIC, THERAPIST)
    db.close_database()
    rng = random.Random(SEED)
    saved = 0
    for kill in range(1, SAVE_KILLS + 1):
        note = f"seed {SEED}, kill {kill} of {SAVE_KILLS}"
        writer = Writer(db_path, tmp_path / "writer.log")
        kill_at_random([writer], rng, "client", note)
        assert_sound(db_path, writer, note)
        saved += len(writer.lines)
    assert saved >= SAVE_KILLS * 3  # the writer really wrote between starting and the kill


def grown_demo(demo_template: Path, db_path: Path) -> None:
    """The demo clinic with its clients, visits and payments copied GROWTH times over."""
    shutil.copyfile(demo_template, db_path)
    with sqlite3.connect(db_path) as raw:
        for table in MODELS:
            columns = [row[1] for row in raw.execute(f'PRAGMA table_info("{table}")')]
            names = ", ".join(f'"{name}"' for name in columns if name != "id")
            raw.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "{table}", n',
                (GROWTH,),
            )
    raw.close()


def assert_backups_sound(folder: Path, made: list[str], note: str) -> None:
    """The newest good backup passes its check; every backup reported is good; no .partial
    file is listed as a backup."""
    listed = {info.path for info in backup.list_backups(folder)}
    cut_short = {path for path in folder.iterdir() if backup.PARTIAL_SUFFIX in path.name}
    assert not listed & cut_short, note
    newest = backup.last_good_backup(folder)
    assert newest is not None, note
    assert backup.check_backup_file(newest.path)["client"] > 0, note
    for name in made:
        backup.check_backup_file(folder / name)  # raises if a reported backup is bad


def test_a_kill_during_a_backup_leaves_the_database_and_the_last_good_backup_good(
    demo_template, db_path, tmp_path
):
    grown_demo(demo_template, db_path)
    folder = tmp_path / "backups"
    db.open_database(db_path)
    backup.make_backup(folder)
    db.close_database()
    rng = random.Random(SEED)
    made: list[str] = []
    for kill in range(1, BACKUP_KILLS + 1):
        note = f"seed {SEED}, backup kill {kill} of {BACKUP_KILLS}"
        backing_up = Writer(db_path, tmp_path / "backup.log", "backups", str(folder))
        writers = [backing_up]
        if kill % 2 == 0:  # every other time, saves go on during the backup
            writers.append(Writer(db_path, tmp_path / "writer.log"))
        kill_at_random(writers, rng, "backing", note, BACKUP_KILL_AFTER_S)
        made += backing_up.reported("backup")
        assert_sound(db_path, writers[-1] if len(writers) > 1 else None, note)
        assert_backups_sound(folder, made, note)
