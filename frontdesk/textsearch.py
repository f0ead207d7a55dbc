"""Cleaning text a person typed, and folding it for search.

`normalize_text` keeps what a person meant: "Anne‐Marie" (U+2010) becomes
"Anne-Marie" and invisible characters go. `fold` makes case, accents and
punctuation not matter: "García-López, José" and "garcia lopez jose" fold to
the same words.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_LOOK_ALIKES = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d", "-"),
        **dict.fromkeys("\u2018\u2019\u201b\u02bc\uff07\u0060\u00b4\u2032", "'"),
        **dict.fromkeys("\u2028\u2029", "\n"),
    }
)
_SEPARATORS = re.compile(r"[\W_]+")


def normalize_text(text: str) -> str:
    """NFC text with plain hyphens, apostrophes and line breaks, and no invisible characters.

    Invisible means Unicode format characters: zero-width spaces and joiners, the
    byte-order mark, soft hyphens and the marks that change the writing direction.
    """
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFC", visible.translate(_LOOK_ALIKES))


def fold(text: str) -> str:
    """Lower-case words without accents, apostrophes or punctuation, one space apart."""
    decomposed = unicodedata.normalize("NFKD", normalize_text(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.casefold().replace("'", "")
    return " ".join(_SEPARATORS.sub(" ", plain).split())


def search_key(*parts: str) -> str:
    """The text a record is found by: its folded words, each preceded by a space."""
    return " " + fold(" ".join(parts))


def word_starts(query: str) -> list[str]:
    """What a search key holds where a word starts with each word of the query."""
    return [f" {word}" for word in fold(query).split()]


PHONE_TAILS = (10, 7, 4)  # a US number, without its area code, its last four digits
COUNTRY_CODE = "1"


def phone_digits(text: str) -> str:
    """The digits of a phone number as typed or stored, without the US country code."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith(COUNTRY_CODE):
        return digits[1:]
    return digits


def phone_words(phone: str) -> set[str]:
    """The digit strings a phone number is found by: whole, without the area code, last four."""
    digits = phone_digits(phone)
    return {digits[-tail:] for tail in PHONE_TAILS if len(digits) >= tail}


def index_words(names: tuple[str, ...], phones: tuple[str, ...]) -> set[str]:
    """The words a record is found by: its folded name words and its phones' digit strings."""
    words = set(fold(" ".join(names)).split())
    for phone in phones:
        words |= phone_words(phone)
    return words


def birth_date_word(born: date) -> str:
    """How a birth date is kept among a record's words: marked, so no typed word reaches it."""
    return f"#{born}"  # a date prints as YYYY-MM-DD
