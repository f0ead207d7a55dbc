"""ICD-10-CM diagnosis codes: normalize, look up, list billable codes and search by words.

The codes come from resources/icd10cm_index.tsv.gz, built from the official code set by
tools/build_icd10_index.py. The file is read on first use (about 0.1 s); the word index behind
`search` is built on the first search. Nothing happens at import time, and the slow
simple_icd_10_cm package is never imported here.
"""

from __future__ import annotations

import bisect
import gzip
import heapq
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress

from frontdesk.resources import resource_path

__all__ = ["Icd10Code", "billable_children", "lookup", "normalize_code", "search"]

INDEX_FILE = "icd10cm_index.tsv.gz"
_FORMAT = "# frontdesk-icd10cm-index 1"

# Query words that carry no meaning on their own ("pain in neck" finds "neck pain" codes too).
_STOP_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to"})
_WORD_RE = re.compile(r"[a-z0-9]+")
_CODE_QUERY_RE = re.compile(r"[A-Z][0-9A-Z]{1,2}(?:\.[0-9A-Z]{0,4})?")
_PREFIX_CACHE_LIMIT = 1_000_000  # positions held by the cache of word-prefix matches


@dataclass(frozen=True, slots=True)
class Icd10Code:
    """One ICD-10-CM code: a category, a subcategory or a billable code."""

    code: str  # dotted, upper case, e.g. "M54.50"
    description: str
    billable: bool


def normalize_code(text: str) -> str:
    """Spell a code the standard way: no spaces, upper case, a dot after the 3rd character."""
    code = "".join(text.split()).upper()
    if len(code) > 3 and "." not in code:
        code = f"{code[:3]}.{code[3:]}"
    return code


def lookup(text: str) -> Icd10Code | None:
    """The code typed (dotted or not, any case), or None when ICD-10-CM has no such code."""
    index = _index()
    i = index.position.get(normalize_code(text).rstrip("."))
    return None if i is None else index.code_at(i)


def billable_children(code: str) -> list[Icd10Code]:
    """The billable codes at or beneath a code, in code order ([] for an unknown code)."""
    index = _index()
    i = index.position.get(normalize_code(code).rstrip("."))
    if i is None:
        return []
    return [index.code_at(j) for j in index.subtree(i) if index.billable[j]]


def search(text: str, limit: int = 20) -> list[Icd10Code]:
    """Billable codes matching every word typed as a word prefix (or a code prefix), best first."""
    if limit <= 0 or not text.strip():
        return []
    index = _index()
    found = index.search_code_prefix(text, limit)
    if found is None:
        found = index.search_words(text, limit)
    return [index.code_at(i) for i in found]


# --- the index -------------------------------------------------------------------------------

_default_index: _Index | None = None
_default_lock = threading.Lock()


def _index() -> _Index:
    """The shipped index, read on first use."""
    global _default_index
    index = _default_index
    if index is None:
        with _default_lock:
            index = _default_index
            if index is None:
                index = _default_index = _Index.from_file()
    return index


def _fold(text: str) -> str:
    """Lower case, apostrophes dropped, accents removed: the form words are compared in."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text


def _words(text: str) -> list[str]:
    """The words of a text, folded."""
    return _WORD_RE.findall(_fold(text))


class _Index:
    """All codes in tabular order, plus lazily built helpers for prefix and word search."""

    def __init__(
        self, codes: list[str], descriptions: list[str], billable: list[bool], terms: list[str]
    ) -> None:
        self.codes = codes
        self.descriptions = descriptions
        self.billable = billable
        self.terms = terms  # "|"-separated search terms of each code, often ""
        self.position = dict(zip(codes, range(len(codes)), strict=True))
        self._lock = threading.Lock()
        self._sorted: tuple[list[str], list[int]] | None = None
        self._words: _WordIndex | None = None

    @classmethod
    def from_file(cls) -> _Index:
        """Read the shipped index file."""
        path = resource_path(INDEX_FILE)
        try:
            text = gzip.decompress(path.read_bytes()).decode("utf-8")
        except FileNotFoundError:
            raise FileNotFoundError(
                f"The ICD-10-CM index {path} is missing; reinstall Front Desk."
            ) from None
        return cls.parse(text)

    @classmethod
    def parse(cls, text: str) -> _Index:
        """Build the index from the file's text (header lines, then one code per line)."""
        if not text.startswith(_FORMAT):
            raise ValueError("The ICD-10-CM index file has an unknown format.")
        start = 0
        while text.startswith("#", start):
            start = text.index("\n", start) + 1
        body = text[start:].rstrip("\n")
        fields = body.replace("\n", "\t").split("\t")
        if len(fields) % 4:
            raise ValueError("The ICD-10-CM index file is damaged.")
        flags = fields[1::4]
        return cls(fields[0::4], fields[2::4], [flag == "1" for flag in flags], fields[3::4])

    def code_at(self, i: int) -> Icd10Code:
        """The code at position i."""
        return Icd10Code(self.codes[i], self.descriptions[i], self.billable[i])

    def subtree(self, i: int) -> range:
        """Positions of the code at i and every code beneath it (an unbroken run in the file)."""
        codes, code = self.codes, self.codes[i]
        end = i + 1
        while end < len(codes) and codes[end].startswith(code):
            end += 1
        return range(i, end)

    # --- search ---

    def search_code_prefix(self, text: str, limit: int) -> list[int] | None:
        """Billable codes starting with a code-like query, in code order; None if not code-like."""
        prefix = normalize_code(text)
        if not (_CODE_QUERY_RE.fullmatch(prefix) and any(c.isdigit() for c in prefix[1:3])):
            return None
        ordered, positions = self._sorted_codes()
        lo = bisect.bisect_left(ordered, prefix)
        hi = bisect.bisect_left(ordered, prefix + "\uffff", lo)
        if lo == hi and "." not in prefix:  # e.g. "B12" is no code, but "vitamin b12" is a word
            return None
        matches = sorted(i for i in positions[lo:hi] if self.billable[i])
        return matches[:limit]

    def _sorted_codes(self) -> tuple[list[str], list[int]]:
        """Codes sorted as text, with their positions, for prefix look-ups."""
        if self._sorted is None:
            with self._lock:
                if self._sorted is None:
                    positions = sorted(range(len(self.codes)), key=self.codes.__getitem__)
                    self._sorted = ([self.codes[i] for i in positions], positions)
        return self._sorted

    def search_words(self, text: str, limit: int) -> list[int]:
        """Billable codes matching every word of the query as a word prefix, best first."""
        if self._words is None:
            with self._lock:
                if self._words is None:
                    self._words = _WordIndex(self)
        return self._words.search(text, limit)


class _WordIndex:
    """Word -> billable codes over descriptions and search terms; a code's search terms also
    apply to the billable codes beneath it."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        descriptions = index.descriptions
        # Descriptions repeat their parent's text before ", " (7th-character codes above all), so
        # words are found once per distinct piece of text and posted for all its codes at once.
        holders: dict[str, list[int]] = {}  # piece of a description -> billable codes with it
        for i in compress(range(len(descriptions)), index.billable):
            for piece in descriptions[i].split(", "):
                found = holders.get(piece)
                if found is None:
                    holders[piece] = [i]
                else:
                    found.append(i)
        piece_words = [_WORD_RE.findall(piece) for piece in _fold_all(holders)]
        self.desc_postings: dict[str, list[int]] = {}
        for found, words in zip(holders.values(), piece_words, strict=True):
            for word in set(words):
                self.desc_postings.setdefault(word, []).extend(found)
        self.folded_pieces = dict(zip(holders, map(" ".join, piece_words), strict=True))

        # Search terms are posted on the code that has them (often a category) and spread to
        # the billable codes beneath it when a query matches.
        self.term_postings: dict[str, list[int]] = {}
        self.own_terms: dict[int, list[str]] = {}
        positions = list(compress(range(len(index.terms)), index.terms))
        terms_texts = [index.terms[i].split("|") for i in positions]
        folded = iter(_fold_all([term for terms in terms_texts for term in terms]))
        for i, terms in zip(positions, terms_texts, strict=True):
            words_of_terms = [_WORD_RE.findall(next(folded)) for _ in terms]
            self.own_terms[i] = [f" {' '.join(words)} " for words in words_of_terms]
            for word in {word for words in words_of_terms for word in words}:
                self.term_postings.setdefault(word, []).append(i)

        self.vocabulary = sorted(self.desc_postings.keys() | self.term_postings.keys())
        self._lock = threading.Lock()
        self._prefix_cache: dict[str, tuple[set[int], set[int]]] = {}
        self._prefix_cache_size = 0
        self._profiles: dict[int, tuple[str, list[str], int]] = {}

    def _matching(self, prefix: str) -> tuple[set[int], set[int]]:
        """Billable codes with a word starting with prefix: (in the description, anywhere)."""
        cached = self._prefix_cache.get(prefix)
        if cached is not None:
            return cached
        vocabulary = self.vocabulary
        lo = bisect.bisect_left(vocabulary, prefix)
        hi = bisect.bisect_left(vocabulary, prefix + "\x7f", lo)
        words = vocabulary[lo:hi]
        in_desc = _union(self.desc_postings.get(word) for word in words)
        anywhere = set(in_desc)
        index = self.index
        billable = index.billable
        for i in _union(self.term_postings.get(word) for word in words):
            anywhere.update(j for j in index.subtree(i) if billable[j])
        with self._lock:
            if self._prefix_cache_size > _PREFIX_CACHE_LIMIT:
                self._prefix_cache.clear()
                self._prefix_cache_size = 0
            self._prefix_cache[prefix] = (in_desc, anywhere)
            self._prefix_cache_size += len(in_desc) + len(anywhere)
        return in_desc, anywhere

    def _profile(self, i: int) -> tuple[str, list[str], int]:
        """What ranking needs of billable code i: its folded description, the folded search terms
        that apply to it, and the length of its parent's description."""
        index = self.index
        code, description = index.codes[i], index.descriptions[i]
        pieces = map(self.folded_pieces.__getitem__, description.split(", "))
        text = f" {' '.join(pieces)} "
        terms = list(self.own_terms.get(i, ()))
        family_length = 0
        for end in range(len(code) - 1, 2, -1):
            j = index.position.get(code[:end])
            if j is not None:
                family_length = family_length or len(index.descriptions[j])
                terms += self.own_terms.get(j, ())
        profile = self._profiles[i] = (text, terms, family_length or len(description))
        return profile

    def search(self, text: str, limit: int) -> list[int]:
        """Positions of the best matching billable codes."""
        typed = _words(text)
        words = list(dict.fromkeys(word for word in typed if word not in _STOP_WORDS))
        if not words:
            words = list(dict.fromkeys(typed))
        if not words:
            return []
        matches = sorted((self._matching(word) for word in words), key=lambda m: len(m[1]))
        candidates = set(matches[0][1])
        for _, anywhere in matches[1:]:
            candidates &= anywhere
            if not candidates:
                return []
        in_desc = set(matches[0][0])
        for desc_only, _ in matches[1:]:
            in_desc &= desc_only

        phrase = " " + " ".join(typed)
        whole = phrase + " "
        word_starts = [" " + word for word in words]
        profiles, profile = self._profiles, self._profile

        def closeness(folded: str) -> int:
            """How closely one text matches the query as typed (0 is best)."""
            if folded.startswith(whole):
                return 0 if len(folded) == len(whole) else 1
            if folded.startswith(phrase):
                return 2
            if whole in folded:
                return 3
            if phrase in folded:
                return 4
            return 5 if all(start in folded for start in word_starts) else 6

        def rank(i: int) -> tuple[int, int, bool, int, int]:
            # Siblings tie on their parent's description length, so they stay in code order
            # (right/left side; initial encounter/sequela); shorter families come first.
            folded_description, terms, family_length = profiles.get(i) or profile(i)
            best, source = closeness(folded_description), 0
            for folded in terms:
                if best == 0:
                    break
                near = closeness(folded)
                if near < best:
                    best, source = near, 1
            return best, source, i not in in_desc, family_length, i

        return heapq.nsmallest(limit, candidates, key=rank)


def _fold_all(texts: Iterable[str]) -> list[str]:
    """_fold of many texts at once (one pass over their joined text)."""
    folded = "\n".join(texts).lower().replace("'", "").replace("\u2019", "").split("\n")
    return [text if text.isascii() else _fold(text) for text in folded]


def _union(postings: Iterable[list[int] | None]) -> set[int]:
    """All positions in the given posting lists."""
    result: set[int] = set()
    for found in postings:
        if found:
            result.update(found)
    return result
