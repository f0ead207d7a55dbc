"""The name index behind payer search: typos, word starts, generic words, states, order."""

from __future__ import annotations

import pytest

from frontdesk.namesearch import NameEntry, NameIndex, edit_distance, states_named, typos_allowed


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("priority", "priority", 0),
        ("priorty", "priority", 1),  # a letter left out
        ("providance", "providence", 1),  # a letter replaced
        ("hmas", "hmsa", 1),  # two letters swapped
        ("capitol", "capital", 1),
        ("kitten", "sitting", 3),
    ],
)
def test_edit_distance_counts_typos(a, b, distance):
    assert edit_distance(a, b, 5) == distance


def test_edit_distance_stops_past_the_limit():
    assert edit_distance("aetna", "health", 1) == 2
    assert edit_distance("a", "abcdef", 2) == 3


@pytest.mark.parametrize(
    ("word", "allowed"), [("va", 0), ("hmsa", 1), ("priorty", 1), ("providance", 2)]
)
def test_longer_words_may_hold_more_typos(word, allowed):
    assert typos_allowed(word) == allowed


def test_states_are_found_by_their_full_names():
    assert states_named(["health", "net", "of", "oregon"]) == {"OR"}
    assert states_named(["ghi", "new", "york"]) == {"NY"}
    assert states_named(["west", "virginia"]) == {"WV"}
    assert states_named(["va", "ccn"]) == frozenset()  # VA is Veterans Affairs here


def _index(*names: str, **extra: tuple[str, ...]) -> NameIndex:
    entries = [
        NameEntry(key=number, name=name, phrases=(name, *extra.get(f"k{number}", ())))
        for number, name in enumerate(names, start=1)
    ]
    return NameIndex(entries)


def test_an_exact_word_comes_before_a_typo():
    index = _index("Providence Health", "Provident Mutual")
    assert index.search("provident", 10) == [2, 1]


def test_more_words_matched_come_first_and_one_of_four_may_miss():
    index = _index("Alpha Beta Gamma Delta", "Alpha Beta Gamma Omega", "Alpha Orion")
    assert index.search("alpha beta gamma delta", 10) == [1, 2]
    assert index.search("alpha beta", 10) == [1, 2]  # both needed: "Alpha Orion" is left out


def test_generic_words_alone_find_nothing_new():
    index = _index("Acme Health Plan", "Health First")
    assert index.search("zenith health plan", 10) == []
    assert index.search("health", 10) == [2, 1]  # the word first in the name comes first


def test_a_word_start_does_not_count_on_a_generic_word():
    index = _index("Health Net of Oregon", "Community Care Network")
    assert index.search("health net", 10) == [1]


def test_a_state_in_the_query_rules_out_plans_of_other_states():
    index = _index("Health Net of Oregon", "Health Net of California", "Net Mutual")
    assert index.search("health net oregon", 10) == [1, 3]  # Net Mutual names no state
    assert index.search("health net texas", 10) == [3]


def test_blank_lists_the_active_entries_a_to_z():
    entries = [
        NameEntry(1, "Zeta Care", ("Zeta Care",)),
        NameEntry(2, "alpha Plan", ("alpha Plan",)),
        NameEntry(3, "Orion", ("Orion",), active=False),
    ]
    index = NameIndex(entries)
    assert index.search("  ", 10) == [2, 1]
    assert index.search("", 10, include_inactive=True) == [2, 3, 1]
    assert index.search("orion", 10) == []
    assert index.search("orion", 10, include_inactive=True) == [3]
