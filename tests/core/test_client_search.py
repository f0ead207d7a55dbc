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


def ids(text: str, **options: object) -> list[int]:
    return [row.id for row in clients.search_clients(text, **options)]


def register(first: str, last: str, born: str = "04/17/1980", **values: str) -> int:
    raw = {"first_name": first, "last_name": last, "date_of_birth": born, **values}
    return clients.save_client(raw, allow_duplicate=True).id


@pytest.mark.parametrize(
    ("typed", "found"),
    [("garcía", "García-López"), ("GARCIA", "García-López"), ("garcia-lo", "García-López"),
     ("López", "García-López"), ("lopez jo", "García-López"), ("o'brien", "O'Brien"),
     ("obri", "O'Brien"), ("O’B", "O'Brien")],
)  # fmt: skip
def test_accents_apostrophes_and_hyphens_do_not_matter(database, typed, found):
    register("José", "García-López")
    register("José", "O’Brien")
    assert [row.name for row in clients.search_clients(typed)] == [f"{found}, José"]


def test_last_comma_first_and_first_last_find_the_same_client(database):
    silva = register("Ana", "Silva")
    register("Bea", "Silva")
    register("Ana", "Costa")
    assert ids("silva, ana") == ids("ana silva") == ids("Silva, A") == [silva]


@pytest.mark.parametrize(
    "typed", ["0142", "555-0142", "5550142", "(503) 555-01", "+1 503 555 0142"]
)
def test_phone_fragments_find_the_client_by_mobile_or_home_phone(database, typed):
    mobile = register("Ana", "Silva", mobile_phone="(503) 555-0142")
    home = register("Bea", "Costa", home_phone="(503) 555-0142")
    register("Cy", "Lima", mobile_phone="(971) 555-0199")
    assert sorted(ids(typed)) == sorted([mobile, home])


def test_a_renamed_client_is_found_by_the_new_name_only(database):
    client_id = register("Ana", "Silva", mobile_phone="(503) 555-0142")
    client = clients.get_client(client_id)
    raw = {"first_name": "Ana", "last_name": "Moreira", "date_of_birth": "04/17/1980"}
    clients.save_client(raw, client_id, version=client.version)
    assert ids("silva") == [] and ids("0142") == []
    assert ids("moreira") == [client_id]


def test_an_archived_client_is_found_only_with_archived_shown(database):
    client_id = register("Ana", "Silva")
    clients.archive_client(client_id)
    assert ids("silv") == [] and ids("04/17/1980") == []
    assert ids("silv", include_archived=True) == [client_id]
    assert clients.archived_matches("silv") == clients.archived_matches("") == 1
    clients.archive_client(client_id, archived=False)
    assert ids("silv") == [client_id] and clients.archived_matches("silv") == 0


def test_a_deleted_client_s_words_go_with_them(database):
    from frontdesk.models import ClientSearchWord

    client_id = register("Ana", "Silva")
    assert ClientSearchWord.select().where(ClientSearchWord.client == client_id).exists()
    clients.delete_client(client_id)
    assert not ClientSearchWord.select().where(ClientSearchWord.client == client_id).exists()
    assert ids("silva") == []


def test_every_word_typed_must_start_a_word_of_the_client(database):
    ana = register("Ana", "Silva", mobile_phone="(503) 555-0142")
    register("Ana", "Costa")
    assert ids("an si") == [ana]
    assert ids("silva 0142") == [ana]  # a name and the phone's last digits
    assert ids("ilva") == [] and ids("ana zz") == []


def test_the_first_matches_by_name_come_before_the_limit_either_way(database):
    made = [register(first, "Silva") for first in ("Cy", "Ana", "Bea")]
    assert ids("silva", limit=2) == [made[1], made[2]]
    assert ids("silva", limit=2, descending=True) == [made[0], made[2]]
    assert ids("silva", sort_by="date_of_birth") == sorted(
        made, key=lambda i: clients.get_client(i).search_key
    )
