"""Schema 7: clients are found through a table of their search words, filled for the clients
an older file already holds; the list's (archived, search key) index replaces the one on the
archived flag alone."""

from __future__ import annotations

import sqlite3

from frontdesk import db
from frontdesk.models import Client, ClientSearchWord, search_word_rows
from frontdesk.services import clients
from tests.core.test_schema_v4 import _insert, _version_3_file


def _older_file(db_path) -> None:
    _version_3_file(db_path)  # client 7: Ana Silva, born 04/17/1980
    with sqlite3.connect(db_path) as raw:
        _insert(raw, "client", id=8, first_name="José", last_name="García-López",
                date_of_birth="1975-02-03", mobile_phone="+15035550142",
                search_key=" garcia lopez jose")  # fmt: skip
    raw.close()


def _indexes(database) -> set[str]:
    rows = database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
    return {name for (name,) in rows.fetchall()}


def test_an_older_file_gets_every_client_s_search_words(db_path):
    _older_file(db_path)
    database = db.open_database(db_path)
    try:
        assert db.schema_version(database) == db.LATEST_VERSION >= 7
        assert db.check_database(database) == []
        for client in Client.select():
            stored = ClientSearchWord.select().where(ClientSearchWord.client == client.id)
            assert {tuple(row) for row in stored.tuples()} == set(search_word_rows(client))
        assert "client_archived" not in _indexes(database)
        assert {"client_archived_search_key", "client_search_key"} <= _indexes(database)
    finally:
        db.close_database()


def test_search_works_after_the_upgrade(db_path):
    _older_file(db_path)
    db.open_database(db_path)
    try:
        found = {text: [row.id for row in clients.search_clients(text)] for text in
                 ("silva", "garcia lo", "lopez, jo", "555-0142", "02/03/1975", "zzz")}  # fmt: skip
        assert found == {
            "silva": [7], "garcia lo": [8], "lopez, jo": [8], "555-0142": [8],
            "02/03/1975": [8], "zzz": [],
        }  # fmt: skip
    finally:
        db.close_database()
