"""Finding an organisation (a payer) by any part of its names: any order, case, accents, typos.

An index is built once from each entry's phrases (its name, other names, plan types, ...)
and then answers a query quickly: exact words and word starts come from a sorted
vocabulary, typos from the letter pairs a vocabulary word shares with the typed word,
confirmed by edit distance. A query word is found as a whole word, as the start of a word,
or with a typo or two (more allowed in longer words).

Which entries a query finds: every distinctive word it holds must match (one may miss when
there are four or more), generic words ("health", "plan", "inc", ...) only help the order,
and a state named in the query rules out entries that name other states only (plans of the
same brand in different states are different companies).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise
from typing import NamedTuple

from frontdesk.textsearch import fold
from frontdesk.validation import STATES

EXACT, PREFIX, TYPO = 3, 2, 1  # how well a typed word matched an indexed one
PREFIX_TYPO_MIN = 6  # a typed word this long may be the start of a word, typed with a typo
MAX_CACHED_WORDS = 4096
_GENERIC = """
a and association benefit benefits bronze care card co company corp corporation for gold health
healthcare inc insurance insurer llc medical member network of plan plans platinum plus premier
program programs select service services silver the
"""
GENERIC_WORDS = frozenset(_GENERIC.split())  # they only help the order of what is found
_STATE_NAMES = {fold(name): code for code, name in STATES.items()}
_LONGEST_STATE = max(len(name.split()) for name in _STATE_NAMES)


def typos_allowed(word: str) -> int:
    """How many typos a typed word may hold and still match: 0 up to 3 letters, then 1, then 2."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Letters inserted, deleted, replaced or swapped with a neighbour to turn `a` into `b`.

    Stops early: any distance over `limit` is returned as `limit + 1`.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other))
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                value = min(value, before[j - 2] + 1)
            current.append(value)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


_LONG_GENERIC_WORDS = tuple(word for word in sorted(GENERIC_WORDS) if typos_allowed(word))


@lru_cache(maxsize=MAX_CACHED_WORDS)
def is_generic(word: str) -> bool:
    """True for a generic word ("health", "plan", "inc"), or one typed with a typo ("helth")."""
    if word in GENERIC_WORDS:
        return True
    if not typos_allowed(word):
        return False
    return any(edit_distance(word, generic, 1) <= 1 for generic in _LONG_GENERIC_WORDS)


def _state_names(words: list[str]) -> Iterator[tuple[str, range]]:
    """Each US state named in full among the folded words: its postal code and the words' places."""
    start = 0
    while start < len(words):
        for size in range(min(_LONGEST_STATE, len(words) - start), 0, -1):
            code = _STATE_NAMES.get(" ".join(words[start : start + size]))
            if code is not None:
                yield code, range(start, start + size)
                start += size
                break
        else:
            start += 1


def states_named(words: list[str]) -> frozenset[str]:
    """The US states (postal codes) whose full names appear among the folded words."""
    return frozenset(code for code, _ in _state_names(words))


def _pairs(word: str) -> set[str]:
    """The word's letter pairs, its start and end marked: "ash" -> ^a, as, sh, h$."""
    padded = f"^{word}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def _indexed_words(words: list[str]) -> Iterator[tuple[str, int]]:
    """Each word with its place, and each two neighbours written as one ("choose healthy")."""
    yield from ((word, place) for place, word in enumerate(words))
    yield from ((first + second, place) for place, (first, second) in enumerate(pairwise(words)))


@dataclass(frozen=True)
class NameEntry:
    """One thing to find: its key, its name, and every phrase it is known by (the name first)."""

    key: int
    name: str
    phrases: tuple[str, ...]
    active: bool = True


class _Match(NamedTuple):
    """How a query word matched an entry; a greater one is a better match."""

    decisive: bool  # on a distinctive word (a generic word that "net" starts does not count)
    quality: int  # EXACT, PREFIX or TYPO
    place: int  # minus the place of the word matched (the name's first word is best)


@dataclass(frozen=True)
class _Found:
    number: int  # the entry's place in the index
    words: int  # query words matched
    quality: int  # their summed quality
    place: int  # where the earliest matched word sits (name first)


class NameIndex:
    """The word index of a list of entries; build it once, query it many times."""

    def __init__(self, entries: Iterable[NameEntry]) -> None:
        self.entries = list(entries)
        self.postings: dict[str, list[tuple[int, int]]] = {}  # word -> [(entry, place)]
        self.states: list[frozenset[str]] = []
        for number, entry in enumerate(self.entries):
            self._add(number, entry)
        self.words = sorted(self.postings)
        self.by_pair: dict[str, list[str]] = {}
        for word in self.words:
            for pair in _pairs(word):
                self.by_pair.setdefault(pair, []).append(word)
        self.folded_names = [fold(entry.name) for entry in self.entries]
        self.by_name = sorted(range(len(self.entries)), key=self._name_order)
        self._cache: dict[str, dict[str, int]] = {}

    def _add(self, number: int, entry: NameEntry) -> None:
        places: dict[str, int] = {}
        all_words: list[str] = []
        for phrase_number, phrase in enumerate(entry.phrases):
            words = fold(phrase).split()
            all_words.extend(words)
            for word, place in _indexed_words(words):
                places.setdefault(word, phrase_number * 100 + place)
        for word, place in places.items():
            self.postings.setdefault(word, []).append((number, place))
        self.states.append(states_named(all_words))

    def _name_order(self, number: int) -> tuple[str, int]:
        return (self.folded_names[number], self.entries[number].key)

    # --- one typed word -----------------------------------------------------------------

    def word_matches(self, word: str) -> dict[str, int]:
        """The indexed words a typed (folded) word finds, each with how well it matched."""
        found = self._cache.get(word)
        if found is None:
            found = self._prefixed(word)
            limit = typos_allowed(word)
            for candidate in self._typo_candidates(word, limit) if limit else ():
                if candidate not in found and _is_typo(word, candidate, limit):
                    found[candidate] = TYPO
            if len(self._cache) >= MAX_CACHED_WORDS:
                self._cache.clear()
            self._cache[word] = found
        return found

    def _prefixed(self, word: str) -> dict[str, int]:
        found = {}
        at = bisect_left(self.words, word)
        while at < len(self.words) and self.words[at].startswith(word):
            found[self.words[at]] = EXACT if self.words[at] == word else PREFIX
            at += 1
        return found

    def _typo_candidates(self, word: str, limit: int) -> list[str]:
        """Words sharing enough letter pairs with `word` to be within `limit` typos of it.

        One typo changes at most three pairs; the end mark is left out, as the word
        may be the start of a longer one.
        """
        pairs = _pairs(word) - {word[-1] + "$"}
        needed = max(1, len(pairs) - 3 * limit)
        shared = Counter(chain.from_iterable(self.by_pair.get(pair, ()) for pair in pairs))
        shortest = len(word) - limit
        return [
            candidate
            for candidate, count in shared.items()
            if count >= needed and len(candidate) >= shortest
        ]

    # --- a whole query ------------------------------------------------------------------

    def search(self, query: str, limit: int, include_inactive: bool = False) -> list[int]:
        """The keys of the entries `query` finds, the best first; blank finds all, A to Z."""
        words = list(dict.fromkeys(fold(query).split()))
        if not words:
            chosen = (n for n in self.by_name if include_inactive or self.entries[n].active)
            return [self.entries[n].key for n in chosen][:limit]
        best = self._best_per_entry(words)
        required, needed = _required_words(words)
        wanted_states = states_named(words)
        found = [
            _summary(number, slot)
            for number, slot in best.items()
            if (include_inactive or self.entries[number].active)
            and sum(word in slot and slot[word].decisive for word in required) >= needed
            and self._in_state(number, wanted_states)
        ]
        found.sort(key=lambda f: (-f.words, -f.quality, f.place, self._name_order(f.number)))
        return [self.entries[f.number].key for f in found[:limit]]

    def _best_per_entry(self, words: list[str]) -> dict[int, dict[str, _Match]]:
        """For each entry, each query word's best match."""
        best: dict[int, dict[str, _Match]] = {}
        for word in words:
            generic = is_generic(word)
            for indexed, quality in self.word_matches(word).items():
                decisive = generic or indexed not in GENERIC_WORDS
                for number, place in self.postings[indexed]:
                    slot = best.setdefault(number, {})
                    match = _Match(decisive, quality, -place)
                    if word not in slot or slot[word] < match:
                        slot[word] = match
        return best

    def _in_state(self, number: int, wanted: frozenset[str]) -> bool:
        """False when the query names states and the entry names only other ones."""
        named = self.states[number]
        return not (wanted and named) or bool(wanted & named)


def _is_typo(word: str, candidate: str, limit: int) -> bool:
    """The candidate is `word` with a few typos, or starts like it (one typo, same first letter).

    Both must be long enough for a typo: a short word (an acronym) is typed exactly.
    """
    whole_limit = min(limit, typos_allowed(candidate))
    if whole_limit and edit_distance(word, candidate, whole_limit) <= whole_limit:
        return True
    if len(word) < PREFIX_TYPO_MIN or len(candidate) <= len(word) or candidate[0] != word[0]:
        return False
    lengths = (len(word) - 1, len(word), len(word) + 1)
    return any(edit_distance(word, candidate[:n], 1) <= 1 for n in lengths)


def _required_words(words: list[str]) -> tuple[list[str], int]:
    """The query words an entry must match, and how many of them (one may miss out of 4+)."""
    in_states = {place for _, places in _state_names(words) for place in places}
    required = [
        word for place, word in enumerate(words) if not is_generic(word) and place not in in_states
    ] or words
    return required, len(required) if len(required) < 4 else len(required) - 1


def _summary(number: int, slot: dict[str, _Match]) -> _Found:
    return _Found(
        number=number,
        words=len(slot),
        quality=sum(match.quality for match in slot.values()),
        place=min(-match.place for match in slot.values()),
    )
