"""Cleaning typed text, and folding names for search."""

from __future__ import annotations

import pytest

from frontdesk.textsearch import fold, normalize_text, search_key, word_starts


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("García-López, José", "garcia lopez jose"),
        ("O’Brien", "obrien"),
        ("  ANNE   marie ", "anne marie"),
        ("Zoë St. John", "zoe st john"),
        ("Oʼbrien", "obrien"),  # U+02BC
        ("snake_case%", "snake case"),
        ("_%", ""),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_search_key_and_patterns_match_word_starts():
    assert search_key("Silva", "Ana", "", "Annie") == " silva ana annie"
    assert word_starts("Silva, An") == [" silva", " an"]


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Anne\u2010Marie", "Anne-Marie"),
        ("Anne\u2011Marie\u2012\u2013\u2212\ufe63\uff0d", "Anne-Marie-----"),
        (
            "O\u2018Brien O\u2019Neil O\u02bcHara O\uff07Day O`Toole",
            "O'Brien O'Neil O'Hara O'Day O'Toole",
        ),
        ("Lee\u200b\u200c\u200d\u2060\ufeff", "Lee"),
        ("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202eabc\u2066\u2067\u2068\u2069", "abc"),
        ("Jose\u0301", "José"),
        ("line one\nline two\u2028three", "line one\nline two\nthree"),
    ],
)
def test_normalize_text(text, normalized):
    assert normalize_text(text) == normalized
