"""Folding names for search."""

from __future__ import annotations

import pytest

from frontdesk.textsearch import fold, search_key, word_patterns


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("García-López, José", "garcia lopez jose"),
        ("O’Brien", "obrien"),
        ("  ANNE   marie ", "anne marie"),
        ("Zoë St. John", "zoe st john"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_search_key_and_patterns_match_word_starts():
    assert search_key("Silva", "Ana", "", "Annie") == " silva ana annie"
    assert word_patterns("Silva, An") == ["% silva%", "% an%"]
