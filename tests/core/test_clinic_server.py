"""Pointing Front Desk at the clinic server: the address, the password (never in the address:
~/.pgpass or the system keyring), and what a person is told when the server cannot be used."""

from __future__ import annotations

import logging
import os

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError
from peewee import DataError

from frontdesk import cli, db
from frontdesk.clinic_server import AddressRefused, ServerAddress
from frontdesk.models import Client
from frontdesk.services import clients
from tests.other_pc import OtherPC
from tests.postgres_server import PASSWORD_LOGIN

PASSWORD = "correct horse battery staple"


# --- the address ---------------------------------------------------------------------------


def test_an_address_names_user_host_port_and_database():
    address = ServerAddress.parse("postgresql://desk@clinic-server:5433/harbor")
    assert (address.user, address.host, address.port, address.database) == (
        "desk",
        "clinic-server",
        5433,
        "harbor",
    )
    assert address.url == "postgresql://desk@clinic-server:5433/harbor"
    assert ServerAddress.parse("postgres://clinic-server/harbor").url == (
        "postgresql://clinic-server/harbor"
    )
    secured = ServerAddress.parse("postgresql://desk@clinic-server/harbor?sslmode=require")
    assert secured.connect_params()["sslmode"] == "require"
    assert secured.url.endswith("/harbor?sslmode=require")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("postgresql://desk:secret@server/clinic", "must not hold the password"),
        ("postgresql://desk@server/clinic?password=secret", "must not hold the password"),
        ("postgresql://desk@server/", "looks like postgresql://user@host/database"),
        ("postgresql://desk@server:port/clinic", "port in the address is not a number"),
    ],
)
def test_an_address_that_cannot_be_used_is_refused_in_words(typed, said):
    with pytest.raises(AddressRefused, match=said):
        ServerAddress.parse(typed)


def test_the_command_line_refuses_a_password_in_the_address_and_never_prints_it(
    capsys, monkeypatch
):
    assert cli.main(["--db", "postgresql://desk:s3cret-pw@127.0.0.1:1/clinic", "check"]) == 2
    said = capsys.readouterr()
    assert "must not hold the password" in said.out + said.err
    assert "s3cret-pw" not in said.out + said.err
    monkeypatch.setenv("FRONTDESK_DB", "postgresql://desk:s3cret-pw@127.0.0.1:1/clinic")
    assert cli.main(["where"]) == 2
    monkeypatch.delenv("FRONTDESK_DB")
    for typed in (
        ["--db=postgresql://desk:s3cret-pw@127.0.0.1:1/clinic", "where"],
        ["--db", "postgresql://desk@127.0.0.1:1/clinic?password=s3cret-pw", "where"],
    ):
        assert cli.main(typed) == 2
    assert "s3cret-pw" not in "".join(capsys.readouterr())


# --- the password --------------------------------------------------------------------------


@pytest.fixture
def login_with_password(postgres) -> str:
    """A database on the server whose login must give a password; its address."""
    name = postgres.new_database()
    postgres.admin(
        f"DROP ROLE IF EXISTS {PASSWORD_LOGIN}",
        f"CREATE ROLE {PASSWORD_LOGIN} LOGIN PASSWORD '{PASSWORD}'",
        f"ALTER DATABASE {name} OWNER TO {PASSWORD_LOGIN}",
    )
    yield f"postgresql://{PASSWORD_LOGIN}@127.0.0.1:{postgres.port}/{name}"
    db.close_database()
    postgres.drop(name)


def _write_pgpass(port: int, password: str) -> None:
    pgpass = os.path.join(os.environ["HOME"], ".pgpass")
    with open(pgpass, "w") as file:
        file.write(f"127.0.0.1:{port}:*:{PASSWORD_LOGIN}:{password}\n")
    os.chmod(pgpass, 0o600)


def test_the_password_is_read_from_pgpass(login_with_password, postgres, monkeypatch, caplog):
    monkeypatch.delenv("PGPASSFILE", raising=False)
    _write_pgpass(postgres.port, PASSWORD)
    with caplog.at_level(logging.DEBUG):
        database = db.open_database(login_with_password)
    assert database.is_server and Client.select().count() == 0
    assert PASSWORD not in caplog.text


def test_a_missing_or_wrong_password_is_said_so_and_never_shown(login_with_password, postgres):
    with pytest.raises(db.DatabaseUnavailable, match="password is missing or wrong") as refused:
        db.open_database(login_with_password)
    assert "~/.pgpass" in str(refused.value)
    _write_pgpass(postgres.port, "not the password")
    with pytest.raises(db.DatabaseUnavailable, match="password is missing or wrong") as refused:
        db.open_database(login_with_password)
    assert "not the password" not in str(refused.value)


class _OneSecretKeyring(KeyringBackend):
    """A system keyring holding one password, as the clinic's IT person would store it."""

    priority = 1

    def __init__(self, service: str, username: str, password: str) -> None:
        super().__init__()
        self.entry = (service, username)
        self.password = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.password if (service, username) == self.entry else None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("this keyring only holds the one password")

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("this keyring only holds the one password")


def test_the_password_is_taken_from_the_system_keyring(login_with_password, monkeypatch):
    before = keyring.get_keyring()
    keyring.set_keyring(_OneSecretKeyring("Front Desk", login_with_password, PASSWORD))
    try:
        database = db.open_database(login_with_password)
    finally:
        keyring.set_keyring(before)
    assert database.is_server and db.schema_version(database) == db.LATEST_VERSION


# --- a server that cannot be used ----------------------------------------------------------


def test_a_database_the_server_does_not_have_is_named(postgres):
    with pytest.raises(db.DatabaseUnavailable, match="has no database named no_such_clinic"):
        db.open_database(postgres.url("no_such_clinic"))


def test_a_server_that_does_not_answer_is_said_to_be_unreachable(postgres):
    closed_port = postgres.port + 1 if postgres.port < 65535 else postgres.port - 1
    with pytest.raises(db.DatabaseUnavailable, match="could not be reached"):
        db.open_database(f"postgresql://frontdesk@127.0.0.1:{closed_port}/clinic")


def test_check_on_the_server_reads_every_table_and_the_audit_trail(
    postgres, postgres_template, capsys
):
    name = postgres.new_database(postgres_template)
    try:
        assert cli.main(["--db", postgres.url(name), "check"]) == 0
        said = capsys.readouterr().out
        assert "OK (schema version" in said and "tables read" in said
        assert "audit trail intact" in said
    finally:
        db.close_database()
        postgres.drop(name)


def test_search_finds_the_start_of_a_name_whatever_the_servers_language(postgres):
    """A database made with a language's collation (as createdb or pgAdmin make it by
    default) still finds a client by the first letters of a name or phone number."""
    name, language = "clinic_in_a_language", postgres.language_locale()
    collation = (  # the system's own (libc), else the ICU library's that PostgreSQL carries
        f"LOCALE '{language}'" if language else "LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
    )
    postgres.admin(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' {collation}")
    try:
        db.open_database(postgres.url(name))
        clients.save_client(
            {"first_name": "Ana", "last_name": "Silva", "date_of_birth": "04/17/1980",
             "mobile_phone": "(503) 555-0123"}
        )  # fmt: skip
        for typed in ("sil", "Silva", "ana sil", "503-555", "Silva, An"):
            assert [row.name for row in clients.search_clients(typed)] == ["Silva, Ana"], typed
    finally:
        db.close_database()
        postgres.drop(name)


@pytest.mark.server_only
def test_the_write_lock_held_for_a_restore_is_let_go_whatever_happened_inside(database):
    with pytest.raises(RuntimeError, match="outside a transaction"), database.atomic():
        database.writes_held().__enter__()  # refused: a transaction would outlive it
    with pytest.raises(DataError), database.writes_held(), database.atomic():
        database.execute_sql("SELECT 1 / 0")  # the work inside failed mid-transaction
    with OtherPC(wait_s=0) as other:
        assert other.can_take_write_lock()
    assert Client.select().count() == 0  # the connection still works
