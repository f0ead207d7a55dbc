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

from frontdesk.resources import resource_path

__all__ = ["Icd10Code", "billable_children", "lookup", "normalize_code", "search"]

INDEX_FILE = "icd10cm_index.tsv.gz"
_FORMAT = "# frontdesk-icd10cm-index 1"

# Query words that carry no meaning on their own ("pain in neck" finds "neck pain" codes too).
_STOP_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to"})
_WORD_RE = re.compile(r"[a-z0-9]+")
_CODE_QUERY_RE = re.compile(r"[A-Z][0-9A-Z]{1,2}(?:\.[0-9A-Z]{0,4})?")
_PREFIX_CACHE_SIZE = 256


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
    """Word -> billable codes, over descriptions and search terms (a code's terms also apply to
    the codes beneath it)."""

    def __init__(self, index: _Index) -> None:
        codes, billable, descriptions = index.codes, index.billable, index.descriptions
        # Descriptions repeat their parent's text before ", " (7th-character codes above all), so
        # words are found once per distinct piece of text and posted for all its codes at once.
        holders: dict[str, list[int]] = {}  # piece of a description -> codes that have it
        # Ties rank by the length of the parent's description: the shorter (more general) family
        # first, and siblings (right/left side, initial encounter/sequela) in code order.
        family_length: dict[int, int] = {}
        ancestors: list[int] = []  # the codes above the current one (the file is a pre-order walk)
        for i, description in enumerate(descriptions):
            code = codes[i]
            while ancestors and not code.startswith(codes[ancestors[-1]]):
                ancestors.pop()
            if not billable[i]:
                ancestors.append(i)
                continue
            family_length[i] = len(descriptions[ancestors[-1]] if ancestors else description)
            for piece in description.split(", "):
                found = holders.get(piece)
                if found is None:
                    holders[piece] = [i]
                else:
                    found.append(i)

        desc_postings: dict[str, list[int]] = {}
        folded_pieces: dict[str, str] = {}
        for piece, found in holders.items():
            words = _words(piece)
            folded_pieces[piece] = " ".join(words)
            for word in set(words):
                desc_postings.setdefault(word, []).extend(found)
        # position -> " folded words of the description ", for matching the query as a phrase
        texts = {
            i: f" {' '.join(map(folded_pieces.__getitem__, descriptions[i].split(', ')))} "
            for i in family_length
        }

        term_postings: dict[str, list[int]] = {}
        term_texts: dict[int, list[str]] = {}
        for i, terms in enumerate(index.terms):
            if not terms:
                continue
            beneath = [j for j in index.subtree(i) if billable[j]]
            for term in terms.split("|"):
                words = _words(term)
                folded = f" {' '.join(words)} "
                for j in beneath:
                    term_texts.setdefault(j, []).append(folded)
                for word in set(words):
                    term_postings.setdefault(word, []).extend(beneath)

        self.desc_postings = desc_postings
        self.term_postings = term_postings
        self.texts = texts
        self.term_texts = term_texts
        self.family_length = family_length
        self.vocabulary = sorted(desc_postings.keys() | term_postings.keys())
        self._prefix_cache: dict[str, tuple[set[int], set[int]]] = {}
        self._cache_lock = threading.Lock()

    def _matching(self, prefix: str) -> tuple[set[int], set[int]]:
        """Codes with a word starting with prefix: (in the description, in the description or
        the terms)."""
        cached = self._prefix_cache.get(prefix)
        if cached is not None:
            return cached
        vocabulary = self.vocabulary
        lo = bisect.bisect_left(vocabulary, prefix)
        hi = bisect.bisect_left(vocabulary, prefix + "\x7f", lo)
        words = vocabulary[lo:hi]
        in_desc = _union(self.desc_postings.get(word) for word in words)
        anywhere = in_desc | _union(self.term_postings.get(word) for word in words)
        with self._cache_lock:
            if len(self._prefix_cache) >= _PREFIX_CACHE_SIZE:
                self._prefix_cache.clear()
            self._prefix_cache[prefix] = (in_desc, anywhere)
        return in_desc, anywhere

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
        texts, term_texts, family_length = self.texts, self.term_texts, self.family_length

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
            return 5 if all(f" {word}" in folded for word in words) else 6

        def rank(i: int) -> tuple[int, int, bool, int, int]:
            best, source = closeness(texts[i]), 0
            for folded in term_texts.get(i, ()):
                if best == 0:
                    break
                near = closeness(folded)
                if near < best:
                    best, source = near, 1
            return best, source, i not in in_desc, family_length[i], i

        return heapq.nsmallest(limit, candidates, key=rank)


def _union(postings: Iterable[list[int] | None]) -> set[int]:
    """All positions in the given posting lists."""
    result: set[int] = set()
    for found in postings:
        if found:
            result.update(found)
    return result
