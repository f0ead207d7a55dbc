"""Finding clients: no wildcards, a case- and accent-blind order, sorting before the limit."""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk.services import clients

NAMES = ("Baker", "Young", "Zimmer", "adams", "de la Cruz", "Álvarez")


def add(last_name: str, born: str = "04/17/1980", **values: str) -> None:
    clients.save_client(
        {"first_name": "Ana", "last_name": last_name, "date_of_birth": born, **values},
        allow_duplicate=True,
    )


def names(rows: list[clients.ClientRow]) -> list[str]:
    return [row.name.split(",")[0] for row in rows]


@pytest.mark.parametrize("query", ["_", "%", "%%", "_%_", "-", "'"])
def test_wildcards_and_punctuation_alone_match_no_one(database, query):
    for name in NAMES:
        add(name)
    assert clients.search_clients(query) == []
    assert clients.search_clients(query, include_archived=True) == []


def test_a_word_with_an_underscore_matches_its_words_only(database):
    add("Baker")
    add("Young")
    assert names(clients.search_clients("bak_")) == ["Baker"]


def test_list_order_ignores_case_and_accents(database):
    for name in NAMES:
        add(name)
    expected = ["adams", "Álvarez", "Baker", "de la Cruz", "Young", "Zimmer"]
    assert names(clients.search_clients("")) == expected
    assert names(clients.search_clients("", descending=True)) == expected[::-1]


def test_sorting_by_birth_date_covers_every_match_not_only_the_first_ones(database):
    for number, name in enumerate(NAMES):
        add(name, born=f"01/0{number + 1}/19{50 + number}")
    oldest = clients.search_clients("", limit=2, sort_by="date_of_birth")
    assert [row.date_of_birth for row in oldest] == [date(1950, 1, 1), date(1951, 1, 2)]
    youngest = clients.search_clients("", limit=1, sort_by="date_of_birth", descending=True)
    assert names(youngest) == ["Álvarez"]


def test_sorting_by_phone_uses_the_home_phone_when_there_is_no_mobile(database):
    add("Baker", mobile_phone="(503) 555-0199")
    add("Young", home_phone="(503) 555-0111")
    add("Zimmer", mobile_phone="(503) 555-0155")
    assert names(clients.search_clients("", sort_by="phone")) == ["Young", "Zimmer", "Baker"]


def test_an_archived_match_is_counted_when_the_list_hides_it(database):
    add("Silva")
    clients.archive_client(clients.search_clients("Silva")[0].id)
    assert clients.search_clients("Silva") == []
    assert clients.archived_matches("Silva") == 1
    assert clients.archived_matches("Costa") == 0
    assert clients.archived_matches("_") == 0


@pytest.mark.parametrize("typed", ["04/17/1980", "4/17/1980", "1980-04-17"])
def test_a_birth_date_finds_the_client_in_each_way_the_intake_takes_it(database, typed):
    add("Silva")
    add("Costa", born="04/18/1980")
    assert names(clients.search_clients(typed)) == ["Silva"]
