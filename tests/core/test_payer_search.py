"""Finding a payer the way a receptionist types it: parts, other names, plan types, typos."""

from __future__ import annotations

import pytest

from frontdesk.models import Payer, database_proxy
from frontdesk.services import payers
from tests.other_pc import OtherPC

QUERIES = {
    "Capital Blue Cross": [
        "capital", "capitol blue", "cbc", "blue cross capital", "capitl bluecross",
    ],
    "ChooseHealthy Affinity Program": [
        "choosehealthy", "choose healthy", "ash", "american specialty", "choose helthy",
    ],
    "Group Health, Inc.": ["ghi", "group health", "GROUP-HEALTH inc", "emblem", "grup health"],
    "Health Allies": ["health allies", "healthallies", "allies", "helth alies"],
    "Health Net Health Plan of Oregon": [
        "health net oregon", "health net", "net", "helth net of oregon",
    ],
    "HMSA": ["hmsa", "hawaii", "hawaii medical service", "blue cross blue shield hawaii"],
    "Priority Health": ["priority", "priorty", "priority ppo", "priority health hmo", "prio"],
    "Providence Health Plan": ["providence", "providance", "provid", "providence health"],
    "Veterans Affairs Community Care Network": [
        "va ccn", "veterans", "veterans affairs", "va", "community care", "optum va", "triwest",
        "veterns",
    ],
    "Whole Health Living Program": [
        "whole health", "whole health living", "tivity", "wholehealth", "whole helth",
    ],
}  # fmt: skip
CASES = [(name, query) for name, queries in QUERIES.items() for query in queries]


def _names(found: list[Payer]) -> list[str]:
    return [payer.name for payer in found]


@pytest.mark.parametrize(("name", "query"), CASES)
def test_each_seed_payer_comes_first_for_what_a_receptionist_types(database, name, query):
    assert _names(payers.search_payers(query))[:1] == [name]


@pytest.mark.parametrize(
    "query",
    [
        "aetna",
        "cigna",
        "xyz",
        "kaiser permanente",
        "united healthcare",
        "humana",
        "medicare",
        "aetna ppo",  # a plan type alone does not make it a match
        "blue cross of illinois",  # plans of another state are other companies
        "health net california",
    ],
)
def test_a_name_that_matches_nothing_finds_nothing(database, query):
    assert payers.search_payers(query) == []


def test_plan_types_and_kinds_are_words_too(database):
    assert _names(payers.search_payers("ppo")) == ["Capital Blue Cross", "Priority Health"]
    assert _names(payers.search_payers("hmo")) == ["Priority Health"]
    assert _names(payers.search_payers("workers comp"))[:1] == [
        "Workers' compensation carrier (other)"
    ]
    assert _names(payers.search_payers("no fault"))[:1] == ["Auto-accident / PIP carrier (other)"]
    assert _names(payers.search_payers("cash")) == ["Self-pay"]


def test_exact_words_come_before_typos_and_word_starts(database):
    payers.save_payer(
        {"name": "Provident Mutual", "kind": "commercial", "acceptance": "in_network"}
    )
    assert _names(payers.search_payers("provident")) == [
        "Provident Mutual",
        "Providence Health Plan",
    ]
    found = _names(payers.search_payers("health"))
    assert found[:2] == ["Health Allies", "Health Net Health Plan of Oregon"]
    assert "Group Health, Inc." in found


def test_blank_lists_every_active_payer_by_name(database):
    everyone = Payer.select().count()
    listed = payers.search_payers("", limit=100)
    assert len(listed) == everyone
    assert _names(listed)[:3] == ["Auto-accident / PIP carrier (other)", "Capital Blue Cross",
                                  "ChooseHealthy Affinity Program"]  # fmt: skip
    assert len(payers.search_payers("", limit=5)) == 5


def test_an_inactive_payer_is_found_only_when_asked(database):
    hmsa = Payer.get(name="HMSA")
    payers.set_payer_active(hmsa.id, False)
    assert payers.search_payers("hmsa") == []
    assert "HMSA" not in _names(payers.search_payers("", limit=100))
    assert _names(payers.search_payers("hmsa", include_inactive=True)) == ["HMSA"]
    payers.set_payer_active(hmsa.id, True)
    assert _names(payers.search_payers("hmsa")) == ["HMSA"]


def test_a_saved_payer_is_found_at_once(database):
    assert payers.search_payers("summit") == []
    saved = payers.save_payer(
        {
            "name": "Summit Mutual",
            "aliases": "SMH",
            "kind": "commercial",
            "acceptance": "in_network",
        }
    )
    assert _names(payers.search_payers("sumit")) == ["Summit Mutual"]
    payers.save_payer(
        {"name": "Summit Mutual", "aliases": "Peak Care", "kind": "commercial",
         "acceptance": "in_network"},
        saved.id,
        version=saved.version,
    )  # fmt: skip
    assert _names(payers.search_payers("peak")) == ["Summit Mutual"]
    assert payers.search_payers("smh") == []


def test_a_payer_changed_on_another_computer_is_found_by_its_new_name(database):
    payers.search_payers("anything")  # the index is built
    with OtherPC() as other:
        other.execute(
            "UPDATE payer SET name = 'Tidewater Health', version = version + 1 WHERE name = 'HMSA'"
        )
    assert _names(payers.search_payers("tidewater")) == ["Tidewater Health"]
    assert database_proxy.obj is database
