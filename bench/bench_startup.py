"""Cold start: from process start to the main window shown, against a bare PySide6 window.

    python bench/bench_startup.py [RUNS]

Both programs start the same way (a new Python process) on one Xvfb display, alternating,
after one run of each to warm the file cache. A program counts as started when X reports a
visible window of its process (`xdotool search --onlyvisible --pid`); the Clients screen puts
the cursor in its search box as it is shown. The clinic is a generated one with a few hundred
clients, set up (no first-run dialog), so the figure is what a clinic sees each morning.
Budget: at most 1.5 times the bare window. Linux only; needs Xvfb and xdotool.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import as_owner  # noqa: F401  (signs the benchmark in as the owner)
from figures import Figure, median, print_table
from large_clinic import generate

RUNS = 9
CLIENTS = 300
RATIO_BUDGET = 1.5
TIMEOUT_S = 60.0
TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool"}  # program: the Debian/Ubuntu package
BARE_WINDOW = (
    "from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow\n"
    "app = QApplication([])\n"
    "window = QMainWindow()\n"
    "window.setCentralWidget(QLineEdit())\n"
    "window.resize(1000, 700)\n"
    "window.setWindowTitle('bare')\n"
    "window.show()\n"
    "app.exec()\n"
)


def missing_tools() -> str:
    """The apt-get line that installs what the measurement needs; empty when all is there."""
    missing = [package for tool, package in TOOLS.items() if shutil.which(tool) is None]
    return f"sudo apt-get install -y {' '.join(missing)}" if missing else ""


@contextmanager
def x_display() -> Iterator[str]:
    """A fresh Xvfb server; its display name (it picks a free number itself)."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as reader:
            yield ":" + reader.readline().strip()
    finally:
        server.terminate()
        server.wait()


def isolated_env(display: str, home: Path) -> dict[str, str]:
    """The display, and this PC's settings, backups and caches kept in a folder of their own.

    Modules are compiled once (by the warm-up run, into that folder) and read compiled
    afterwards, as an installed program's are (pip compiles them when it installs).
    """
    env = dict(os.environ, DISPLAY=display, PYTHONPYCACHEPREFIX=str(home / "pycache"))
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    return env


def seconds_to_window(command: Sequence[str], env: dict[str, str], tries: int = 3) -> float:
    """Start the command; seconds until X shows a window of it. The process is then ended.

    A start that fails (now and then a client cannot reach a busy X server) is tried again.
    """
    for _ in range(tries - 1):
        try:
            return _one_start(command, env)
        except ProcessLookupError:
            continue
    return _one_start(command, env)


def _one_start(command: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        return _wait_for_window(process, env) - started
    finally:
        _end(process)


def _wait_for_window(process: subprocess.Popen, env: dict[str, str]) -> float:
    search = ["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)]
    deadline = time.perf_counter() + TIMEOUT_S
    while time.perf_counter() < deadline:
        found = subprocess.run(search, env=env, capture_output=True, check=False)
        if found.returncode == 0:
            return time.perf_counter()
        if process.poll() is not None:
            raise ProcessLookupError(f"exited with {process.returncode} before showing a window")
        time.sleep(0.005)
    raise RuntimeError(f"no window within {TIMEOUT_S:.0f} s")


def _end(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def paired_runs(program: Sequence[str], runs: int, env: dict[str, str]) -> tuple[list, list]:
    """Seconds to the window for the program and the bare window, alternating."""
    bare = [sys.executable, "-c", BARE_WINDOW]
    seconds_to_window(bare, env)  # warm the file cache for both
    seconds_to_window(program, env)
    found: tuple[list, list] = ([], [])
    for _ in range(runs):
        found[0].append(seconds_to_window(program, env))
        found[1].append(seconds_to_window(bare, env))
    return found


def figures(runs: int = RUNS) -> list[Figure]:
    """Cold start over a set-up clinic, in milliseconds, against the bare window."""
    if missing_tools():
        raise RuntimeError(f"the startup benchmark needs Xvfb and xdotool: {missing_tools()}")
    with tempfile.TemporaryDirectory() as folder, x_display() as display:
        path = Path(folder) / "clinic.db"
        generate(path, clients=CLIENTS)
        program = [sys.executable, "-m", "frontdesk", "--db", str(path)]
        program_s, bare_s = paired_runs(program, runs, isolated_env(display, Path(folder)))
    return [
        Figure(
            f"cold start, {CLIENTS} clients (median of {runs})",
            median(program_s) * 1000,
            "ms",
            floor=median(bare_s) * 1000,
            ratio_budget=RATIO_BUDGET,
            note=f"slowest {max(program_s) * 1000:.0f} ms; floor: a bare PySide6 window; "
            "the window shows before it asks who signs in",
        )
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if missing_tools():
        print(f"Needs Xvfb and xdotool; install them with: {missing_tools()}", file=sys.stderr)
        return 2
    return 0 if print_table(figures(int(args[0]) if args else RUNS)) else 1


if __name__ == "__main__":
    sys.exit(main())
