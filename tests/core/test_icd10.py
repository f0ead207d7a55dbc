"""The ICD-10-CM index: normalizing, looking up, billable codes beneath a category, and search."""

from __future__ import annotations

import gzip
import importlib.util
import random
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk import icd10
from frontdesk.icd10 import Icd10Code

ROOT = Path(__file__).resolve().parents[2]


def codes(found: list[Icd10Code]) -> list[str]:
    return [item.code for item in found]


# --- normalize_code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("m5450", "M54.50"),
        ("M54.50", "M54.50"),
        (" m54.5 ", "M54.5"),
        ("M54", "M54"),
        ("m54", "M54"),
        ("s134xxa", "S13.4XXA"),
        ("M 54 50", "M54.50"),
        ("", ""),
    ],
)
def test_normalize_code(raw: str, expected: str) -> None:
    assert icd10.normalize_code(raw) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_normalize_is_idempotent_and_lookup_never_raises(text: str) -> None:
    once = icd10.normalize_code(text)
    assert icd10.normalize_code(once) == once
    found = icd10.lookup(text)
    assert found is None or found.code == once.rstrip(".")


# --- lookup ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["M54.50", "M5450", "m54.50", "m5450", "  m54.50\t"])
def test_lookup_accepts_dotted_undotted_and_any_case(raw: str) -> None:
    assert icd10.lookup(raw) == Icd10Code("M54.50", "Low back pain, unspecified", True)


def test_lookup_seventh_character_code() -> None:
    found = icd10.lookup("s134xxa")
    assert found is not None
    assert found.code == "S13.4XXA"
    assert found.billable
    assert found.description == "Sprain of ligaments of cervical spine, initial encounter"


@pytest.mark.parametrize(
    "raw", ["", "   ", "Z99.99X", "M54.50000", "M54.5X", "ZZZ", "back pain", "M50-M54", "1", "5450"]
)
def test_lookup_unknown_is_none(raw: str) -> None:
    assert icd10.lookup(raw) is None


def test_chapters_and_blocks_are_not_codes() -> None:
    assert icd10.lookup("M50-M54") is None
    assert icd10.lookup("A00-A09") is None


def test_category_is_not_billable() -> None:
    assert icd10.lookup("M54.5") == Icd10Code("M54.5", "Low back pain", False)
    assert icd10.lookup("m54") == Icd10Code("M54", "Dorsalgia", False)
    # A block shares its name with its only category; the category is what is indexed.
    b99 = icd10.lookup("B99")
    assert b99 is not None
    assert not b99.billable
    assert b99.description == "Other and unspecified infectious diseases"


def test_code_is_immutable() -> None:
    found = icd10.lookup("M54.50")
    assert found is not None
    with pytest.raises(AttributeError):
        found.code = "M54.51"  # type: ignore[misc]


# --- billable_children -------------------------------------------------------------------------


def test_billable_children_of_a_subcategory() -> None:
    assert codes(icd10.billable_children("M54.5")) == ["M54.50", "M54.51", "M54.59"]
    assert codes(icd10.billable_children("m545")) == ["M54.50", "M54.51", "M54.59"]


def test_billable_children_of_a_category() -> None:
    found = icd10.billable_children("M54")
    assert len(found) > 20
    assert all(item.billable and item.code.startswith("M54.") for item in found)
    assert codes(found) == sorted(codes(found))  # tabular order, which is text order here
    assert {"M54.2", "M54.50", "M54.9"} <= set(codes(found))


def test_billable_children_skip_placeholder_levels() -> None:
    assert codes(icd10.billable_children("S13.4")) == ["S13.4XXA", "S13.4XXD", "S13.4XXS"]


def test_billable_children_of_a_billable_code_is_itself() -> None:
    assert codes(icd10.billable_children("M54.50")) == ["M54.50"]


def test_billable_children_of_unknown_code_is_empty() -> None:
    assert icd10.billable_children("Z99.99X") == []
    assert icd10.billable_children("") == []


# --- search ------------------------------------------------------------------------------------


def test_search_low_back_pain() -> None:
    found = codes(icd10.search("low back pain"))
    assert "M54.50" in found[:3]
    assert {"M54.50", "M54.51", "M54.59"} <= set(found[:5])


@pytest.mark.parametrize(
    ("query", "expected", "within"),
    [
        ("Low Back Pain", "M54.50", 3),
        ("whiplash", "S13.4XXA", 1),  # an inclusion term of S13.4
        ("neck pain", "M54.2", 3),  # a plain-language term of M54.2 Cervicalgia
        ("sciatica", "M54.30", 3),
        ("back pain", "M54.9", 3),  # "Back pain NOS"
        ("frozen shoulder", "M75.00", 3),
        ("fibromyalgia", "M79.7", 1),
        ("carpal tunnel", "G56.00", 4),
        ("musc spas back", "M62.830", 1),  # word prefixes
        ("Parkinson's", "G20.A1", 10),
        ("guillain barre", "G61.0", 2),
        ("vitamin b12", "D51.9", 10),
    ],
)
def test_search_finds(query: str, expected: str, within: int) -> None:
    assert expected in codes(icd10.search(query))[:within]


def test_search_keeps_seventh_character_siblings_in_code_order() -> None:
    assert codes(icd10.search("whiplash")) == ["S13.4XXA", "S13.4XXD", "S13.4XXS"]


@pytest.mark.parametrize(
    "query", ["low back pain", "pain", "back", "fracture", "sprain neck", "s", "diabetes", "m54"]
)
def test_search_returns_only_billable_codes(query: str) -> None:
    found = icd10.search(query, limit=200)
    assert found
    assert all(item.billable for item in found)
    assert len(set(codes(found))) == len(found)


@pytest.mark.parametrize("query", ["low back pain", "sprain cerv", "pain in neck", "lumbago"])
def test_search_needs_every_word(query: str) -> None:
    index = icd10._index()
    wanted = [word for word in icd10._words(query) if word not in icd10._STOP_WORDS]
    for item in icd10.search(query, limit=500):
        # the description and the search terms that apply to the code (its own and inherited)
        text, terms, _ = index._words._profile(index.position[item.code])
        words = " ".join([text, *terms]).split()
        assert all(any(w.startswith(part) for w in words) for part in wanted), item
    assert icd10.search("whiplash zebra") == []


def test_search_by_code_prefix() -> None:
    assert codes(icd10.search("M54.5")) == ["M54.50", "M54.51", "M54.59"]
    assert codes(icd10.search("m545")) == ["M54.50", "M54.51", "M54.59"]
    found = codes(icd10.search("M54", limit=100))
    assert found[0] == "M54.00"
    assert all(code.startswith("M54.") for code in found)
    assert codes(icd10.search("s134")) == ["S13.4XXA", "S13.4XXD", "S13.4XXS"]
    assert icd10.search("Z99.99X") == []


def test_word_that_looks_like_a_code_falls_back_to_words() -> None:
    # There is no code B12, but there are vitamin B12 deficiencies.
    assert "D51.9" in codes(icd10.search("b12"))


def test_search_limit_and_empty_queries() -> None:
    assert len(icd10.search("pain", limit=5)) == 5
    assert icd10.search("pain", limit=0) == []
    assert icd10.search("") == []
    assert icd10.search("  ,. ") == []
    assert icd10.search("qqqqzzzz") == []


def test_search_ignores_filler_words() -> None:
    assert "M54.2" in codes(icd10.search("pain in the neck"))[:3]


# --- loading -----------------------------------------------------------------------------------


def test_import_does_no_work_and_never_loads_the_source_package() -> None:
    script = (
        "import sys\n"
        "import frontdesk.icd10 as icd10\n"
        "assert icd10._default_index is None\n"
        "assert icd10.lookup('M54.50').billable\n"
        "assert icd10.search('whiplash')\n"
        "assert 'simple_icd_10_cm' not in sys.modules\n"
        "assert not any(name.startswith('PySide6') for name in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_icd10_index", ROOT / "tools" / "build_icd10_index.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builder_output_is_deterministic_and_readable() -> None:
    builder = _builder()
    rows = [
        ("M54", False, "Dorsalgia", []),
        ("M54.5", False, "Low back pain", ["Lumbar pain"]),
        ("M54.50", True, "Low back pain, unspecified", ["Loin pain", "Lumbago NOS"]),
    ]
    builder.check(rows)
    data = builder.render(rows, "test")
    assert data == builder.render(rows, "test")
    assert data[4:8] == b"\0\0\0\0"  # gzip mtime
    index = icd10._Index.parse(gzip.decompress(data).decode("utf-8"))
    assert index.code_at(2) == Icd10Code("M54.50", "Low back pain, unspecified", True)
    assert [index.codes[i] for i in index.search_words("lumbago", 5)] == ["M54.50"]
    assert [index.codes[i] for i in index.search_words("lumbar", 5)] == ["M54.50"]


def test_shipped_index_is_compact() -> None:
    from frontdesk.resources import resource_path

    assert resource_path(icd10.INDEX_FILE).stat().st_size < 2_500_000


# --- agreement with the official code set ------------------------------------------------------


@pytest.fixture(scope="module")
def source() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package uses deprecated importlib.resources calls
        return pytest.importorskip("simple_icd_10_cm")


def test_shipped_index_agrees_with_simple_icd_10_cm(source: Any) -> None:
    official = list(
        dict.fromkeys(
            code
            for code in source.get_all_codes(with_dots=True)
            if source.is_category_or_subcategory(code)
        )
    )
    index = icd10._index()
    assert index.codes == official  # same codes, same (tabular) order
    assert sum(index.billable) == sum(1 for code in official if source.is_leaf(code))

    sample = random.Random(20260401).sample(official, 200)
    sample += ["M54.5", "M54.50", "S13.4XXA", "B99", "QA0.0101"]
    for code in sample:
        found = icd10.lookup(code.replace(".", "").lower())
        assert found is not None, code
        assert found.code == code
        assert found.billable == source.is_leaf(code), code
        assert found.description == " ".join(source.get_description(code).split()), code
        if not found.billable:
            expected = [
                child
                for child in source.get_descendants(code)
                if source.is_leaf(child) and source.is_category_or_subcategory(child)
            ]
            assert codes(icd10.billable_children(code)) == expected, code
    for code in ("M50-M54", "A00-A09", "1", "XXII"):
        assert icd10.lookup(code) is None
