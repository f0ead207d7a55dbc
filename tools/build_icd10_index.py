"""Build resources/icd10cm_index.tsv.gz, the compact ICD-10-CM index Front Desk ships.

Run from the project root after installing the `icd10-source` extra:

    .venv/bin/python tools/build_icd10_index.py

The index holds every category, subcategory and billable code (no chapters, no blocks) in the
official tabular order, one per line:

    code <TAB> billable (1/0) <TAB> description <TAB> search terms separated by "|"

Search terms are the code's own inclusion terms from the tabular list (e.g. "Whiplash injury of
cervical spine" under S13.4) plus a few plain-language terms people at a massage clinic use
(LAY_TERMS below). The runtime applies a code's terms to the billable codes beneath it. Runs of
white space inside texts are collapsed to one space. The output is byte-for-byte deterministic
for a given code set (gzip mtime 0, no file name in the gzip header).
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import importlib
import io
import sys
import warnings
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "resources" / "icd10cm_index.tsv.gz"
FORMAT = "frontdesk-icd10cm-index 1"

# Plain-language terms for conditions a massage clinic sees often, where neither the
# description nor the official inclusion terms use the words a receptionist would type.
# Each applies to the code and every code beneath it.
LAY_TERMS: dict[str, tuple[str, ...]] = {
    "M54.2": ("Neck pain", "Cervical pain"),
    "M54.5": ("Lumbar pain",),
    "M54.6": ("Mid back pain", "Upper back pain", "Thoracic back pain"),
    "M43.6": ("Stiff neck", "Wry neck"),
    "M53.3": ("Tailbone pain",),
    "M79.1": ("Muscle pain",),
    "M62.83": ("Muscle cramp",),
    "M25.5": ("Joint pain",),
    "M26.6": ("TMJ", "Jaw joint disorder"),
    "G57.0": ("Piriformis syndrome",),
    "M77.0": ("Golfer's elbow",),
    "M76.3": ("IT band syndrome",),
    "S16.1": ("Neck strain",),
    "S39.012": ("Low back strain", "Lumbar strain"),
    "M50.2": ("Herniated disc, neck", "Bulging disc, neck", "Slipped disc, neck"),
    "M51.2": ("Herniated disc", "Bulging disc", "Slipped disc"),
    "M50.3": ("Degenerative disc disease, neck",),
    "M51.3": ("Degenerative disc disease",),
}


def clean(text: str) -> str:
    """Collapse white space (the source has a few tabs inside descriptions)."""
    return " ".join(text.split())


def collect() -> tuple[list[tuple[str, bool, str, list[str]]], str]:
    """Every category, subcategory and billable code with its data, and a note on the source."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm as icd

    rows: list[tuple[str, bool, str, list[str]]] = []
    seen: set[str] = set()
    for code in icd.get_all_codes(with_dots=True):
        # A few blocks share their name with their only category (e.g. B99); the package lists
        # the name twice and answers for the category, so keep the first of each.
        if code in seen or not icd.is_category_or_subcategory(code):
            continue
        seen.add(code)
        terms = [clean(term) for term in icd.get_inclusion_term(code)]
        terms += [term for term in LAY_TERMS.get(code, ()) if term not in terms]
        rows.append((code, icd.is_leaf(code), clean(icd.get_description(code)), terms))

    unknown = set(LAY_TERMS) - seen
    if unknown:
        raise SystemExit(f"LAY_TERMS names codes that do not exist: {sorted(unknown)}")
    implementation = importlib.import_module("simple_icd_10_cm.simple_icd_10_cm")
    source_file = getattr(implementation, "_all_codes_package_file_name", "unknown code list")
    source = f"simple-icd-10-cm {metadata.version('simple-icd-10-cm')} ({source_file})"
    return rows, source


def check(rows: list[tuple[str, bool, str, list[str]]]) -> None:
    """The runtime relies on these properties; stop rather than ship an index that breaks them."""
    codes = [row[0] for row in rows]
    for code, _billable, description, terms in rows:
        fields = [code, description, *terms]
        if any(not field or "\t" in field or "\n" in field for field in fields):
            raise SystemExit(f"{code}: empty field or a tab/newline inside a field")
        if any("|" in term for term in terms):
            raise SystemExit(f"{code}: a search term contains '|'")
        if code != code.upper() or (len(code) > 3 and code[3] != "."):
            raise SystemExit(f"{code}: not a dotted upper-case code")
    # Tabular order is a pre-order walk: the codes beneath a code follow it as one unbroken run,
    # and a code is billable exactly when nothing is beneath it.
    ordered = sorted(codes)
    for i, code in enumerate(codes):
        j = i + 1
        while j < len(codes) and codes[j].startswith(code):
            j += 1
        with_prefix = bisect.bisect_left(ordered, code + "\uffff") - bisect.bisect_left(
            ordered, code
        )
        if with_prefix != j - i:
            raise SystemExit(f"{code}: the codes beneath it are not contiguous")
        if rows[i][1] != (j == i + 1):
            raise SystemExit(f"{code}: billable flag disagrees with the tree")


def render(rows: list[tuple[str, bool, str, list[str]]], source: str) -> bytes:
    """The gzip-compressed index file."""
    billable = sum(1 for row in rows if row[1])
    lines = [
        f"# {FORMAT}",
        f"# source: {source}",
        f"# codes: {len(rows)} ({billable} billable)",
        "# columns: code, billable (1/0), description, search terms separated by '|'",
    ]
    for code, is_billable, description, terms in rows:
        lines.append(f"{code}\t{int(is_billable)}\t{description}\t{'|'.join(terms)}")
    text = "\n".join(lines) + "\n"
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Build the index and report what was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    rows, source = collect()
    check(rows)
    data = render(rows, source)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    billable = sum(1 for row in rows if row[1])
    print(
        f"wrote {args.output} ({len(data):,} bytes): {len(rows):,} codes, "
        f"{billable:,} billable, from {source}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
