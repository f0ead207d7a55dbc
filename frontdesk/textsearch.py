"""Folding text for search: case, accents and punctuation do not matter.

"García-López, José" and "garcia lopez jose" fold to the same words.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['’`]")
_SEPARATORS = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower-case words without accents, apostrophes or punctuation, one space apart."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _APOSTROPHES.sub("", plain.casefold())
    return " ".join(_SEPARATORS.sub(" ", plain).split())


def search_key(*parts: str) -> str:
    """The text a record is found by: its folded words, each preceded by a space."""
    return " " + fold(" ".join(parts))


def word_patterns(query: str) -> list[str]:
    """LIKE patterns, one per word of the query, matching the start of any word of a key."""
    return [f"% {word}%" for word in fold(query).split()]
