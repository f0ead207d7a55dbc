"""What every benchmark reports: a figure measured on this machine, next to its floor (the
same work done the plainest way, measured in the same run) and its budget.

Each benchmark module offers `figures() -> list[Figure]`; `bench/report.py` runs them all and
writes docs/performance.md. Run alone, a benchmark prints its own table.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from time import perf_counter


@dataclass(frozen=True)
class Figure:
    """One measured figure. `budget` is checked against `value` (in `unit`), or against
    value / floor when `ratio_budget` is set; `floor` may be None where nothing plainer exists.
    """

    name: str
    value: float
    unit: str
    budget: float | None = None
    floor: float | None = None
    ratio_budget: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if not self.floor else self.value / self.floor

    @property
    def passed(self) -> bool:
        if self.budget is not None and self.value > self.budget:
            return False
        ratio = self.ratio
        return self.ratio_budget is None or (ratio is not None and ratio <= self.ratio_budget)

    def budget_text(self) -> str:
        parts = []
        if self.budget is not None:
            parts.append(f"≤ {self.budget:g} {self.unit}")
        if self.ratio_budget is not None:
            parts.append(f"≤ {self.ratio_budget:g}× floor")
        return ", ".join(parts) or "—"


def timings_ms(action: Callable[[], object], runs: int) -> list[float]:
    """How long each of `runs` calls took, in milliseconds."""
    found = []
    for _ in range(runs):
        started = perf_counter()
        action()
        found.append((perf_counter() - started) * 1000)
    return found


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def p95(values: Iterable[float]) -> float:
    """The 95th percentile (the largest value when there are few)."""
    ordered = sorted(values)
    if len(ordered) < 20:
        return ordered[-1]
    return statistics.quantiles(ordered, n=20, method="inclusive")[-1]


def print_table(figures: Iterable[Figure]) -> bool:
    """Print the figures; True when every one is within its budget."""
    passed = True
    print(f"  {'figure':44} {'value':>10} {'floor':>10} {'ratio':>6}  budget")
    for figure in figures:
        passed &= figure.passed
        floor = "—" if figure.floor is None else f"{figure.floor:.1f}"
        ratio = "—" if figure.ratio is None else f"{figure.ratio:.2f}"
        verdict = "pass" if figure.passed else "OVER"
        print(
            f"  {figure.name:44} {figure.value:8.1f}{figure.unit:>2} {floor:>10} {ratio:>6}  "
            f"{figure.budget_text()}  {verdict}"
        )
    return passed
