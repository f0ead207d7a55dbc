"""Run the benchmarks with budgets and write docs/performance.md: each figure, its floor
(the same work done the plainest way, measured in the same run), the ratio, the budget, and
the machine it ran on.

    python bench/report.py            # `make bench` runs this

The large clinic (100,000 clients) is generated once into the system's temporary folder
and reused while it matches the program's schema (bench/large_clinic.py). Client search is
measured on a clinic server too, a throwaway PostgreSQL server started on this machine with a
copy of that clinic; without PostgreSQL's server programs that part is skipped with a line.
"""

from __future__ import annotations

import importlib
import os
import platform
import sqlite3
import sys
from datetime import date
from pathlib import Path

import as_owner  # noqa: F401  (signs the benchmark in as the owner)
from figures import Figure, print_table

BENCHMARKS = (  # (title, module, the function giving its figures)
    ("Start-up", "bench_startup", "figures"),
    ("Client search", "bench_client_search", "figures"),
    ("Client search on a clinic server (PostgreSQL)", "bench_client_search", "server_figures"),
    ("A client's records and the day sheet", "bench_records", "figures"),
    ("Backups and the start-up check", "bench_safety", "figures"),
)
NOT_MEASURED = "Not measured on this machine: PostgreSQL's server programs are not installed."
OUT = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> str:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return "unknown"
    return f"{pages * size / 2**30:.0f} GB"


def machine() -> list[str]:
    from PySide6 import __version__ as pyside_version

    return [
        f"- {platform.system()} {platform.release()}, {_cpu()}, {os.cpu_count()} cores, "
        f"{_memory_gb()} of memory",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PySide6 {pyside_version}",
        f"- measured on {date.today():%m/%d/%Y}",
    ]


def _cell(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:,.1f}{unit}"


def table(figures: list[Figure]) -> list[str]:
    rows = [
        "| figure | measured | floor | ratio | budget | within |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for figure in figures:
        unit = f" {figure.unit}"
        ratio = "—" if figure.ratio is None else f"{figure.ratio:.2f}"
        budgeted = figure.budget is not None or figure.ratio_budget is not None
        within = "—" if not budgeted else ("yes" if figure.passed else "**no**")
        rows.append(
            f"| {figure.name} | {_cell(figure.value, unit)} | {_cell(figure.floor, unit)} | "
            f"{ratio} | {figure.budget_text()} | {within} |"
        )
    notes = [f"- {figure.name}: {figure.note}" for figure in figures if figure.note]
    return rows + (["", *notes] if notes else [])


def main() -> int:
    sections, passed = [], True
    for title, module_name, function in BENCHMARKS:
        print(f"== {title}")
        found = getattr(importlib.import_module(module_name), function)()
        passed &= print_table(found)
        sections += [f"## {title}", "", *(table(found) if found else [NOT_MEASURED]), ""]
    text = [
        "# Performance",
        "",
        "Written by `make bench` (bench/report.py). Each figure is measured next to its floor,",
        "the same work done the plainest way in the same run; times are the 95th percentile",
        "of repeated runs unless the name says otherwise.",
        "",
        *machine(),
        "",
        *sections,
    ]
    OUT.write_text("\n".join(text).rstrip() + "\n", encoding="utf-8")
    print(f"{OUT.name} written; {'every budget met' if passed else 'some figures are over'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
