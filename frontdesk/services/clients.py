"""Clients: intake rules, saving, finding, archiving."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from peewee import SQL, Select, fn

from frontdesk import catalog, db, formatting, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, NotBefore, clean_all, using
from frontdesk.models import (
    Client,
    ClientSearchWord,
    Payment,
    Prescription,
    Receipt,
    Visit,
    client_display_name,
    database_proxy,
)
from frontdesk.services import audit, coverage, records
from frontdesk.services.prescriptions import PrescriptionStatus, latest_status_by_client
from frontdesk.textsearch import birth_date_word, fold, phone_digits

SEX_CHOICES = (("", "Not given"), ("F", "Female"), ("M", "Male"), ("X", "Another / X"))
CONTACT_CHOICES = (
    ("", "No preference"),
    ("mobile", "Mobile phone"),
    ("text", "Text message"),
    ("home", "Home phone"),
    ("email", "Email"),
)


def _text(max_length: int) -> Any:
    return using(validation.optional_text, max_length=max_length)


def _choice(choices: tuple[tuple[str, str], ...]) -> Any:
    """One of the choices, by value or shown text; blank is fine when "" is a choice."""
    options = dict(choices)

    def parse(text: str, label: str) -> str:
        if not text.strip() and "" in options:
            return ""
        return validation.choice(text, label, options)

    return parse


_optional_name = using(validation.person_name, required=False)
_phone = using(validation.phone)
DATE_HINT = "MM/DD/YYYY"


CLIENT_RULES: tuple[FieldRule, ...] = (
    FieldRule("first_name", "First name", using(validation.person_name), required=True),
    FieldRule("middle_name", "Middle name", _optional_name),
    FieldRule("last_name", "Last name", using(validation.person_name), required=True),
    FieldRule("preferred_name", "Preferred name", _optional_name),
    FieldRule(
        "date_of_birth", "Date of birth", validation.birth_date, required=True, hint=DATE_HINT
    ),
    FieldRule("sex", "Sex", _choice(SEX_CHOICES), choices=SEX_CHOICES),
    FieldRule("address_line1", "Address", _text(120)),
    FieldRule("address_line2", "Address line 2", _text(120)),
    FieldRule("city", "City", _text(80)),
    FieldRule("state", "State", using(validation.state)),
    FieldRule("zip_code", "ZIP", using(validation.zip_code)),
    FieldRule("mobile_phone", "Mobile phone", _phone, show=formatting.phone),
    FieldRule("home_phone", "Home phone", _phone, show=formatting.phone),
    FieldRule("email", "Email", using(validation.email)),
    FieldRule(
        "preferred_contact", "Preferred contact", _choice(CONTACT_CHOICES), choices=CONTACT_CHOICES
    ),
    FieldRule("emergency_name", "Emergency contact", _optional_name),
    FieldRule("emergency_relation", "Relation", _text(40)),
    FieldRule("emergency_phone", "Emergency phone", _phone, show=formatting.phone),
    FieldRule("employer", "Employer", _text(120)),
    FieldRule("occupation", "Occupation", _text(80)),
    FieldRule("health_notes", "Health history notes", _text(4000), multiline=True),
    FieldRule("current_complaint", "Current complaint", _text(2000), multiline=True),
    FieldRule(
        "consent_signed_on",
        "Consent signed on",
        using(validation.past_or_today_date),
        empty=None,
        hint=DATE_HINT,
    ),
    FieldRule(
        "privacy_notice_on",
        "Privacy notice acknowledged on",
        using(validation.past_or_today_date),
        empty=None,
        hint=DATE_HINT,
    ),
    FieldRule("referral_source", "Referred by", _text(120)),
    FieldRule("notes", "Notes", _text(4000), multiline=True),
)
RULES_BY_NAME = {rule.name: rule for rule in CLIENT_RULES}
CLIENT_ORDERS = tuple(
    NotBefore(RULES_BY_NAME[name], RULES_BY_NAME["date_of_birth"])
    for name in ("consent_signed_on", "privacy_notice_on")
)
CHECKLIST_LABELS = {"health_conditions": "Health history", "pain_areas": "Areas of pain"}


def _clean_keys(raw: Any, items: tuple[catalog.CatalogItem, ...], label: str) -> list[str]:
    """Keys picked from a catalog, in catalog order without repeats."""
    known = [item.key for item in items]
    keys = list(raw or [])
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise validation.ValidationError(label, f"unknown item {unknown[0]!r}; pick from the list.")
    return [key for key in known if key in keys]


def validate_client(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a whole intake form; raise ValidationErrors listing every bad field."""
    errors = validation.ErrorCollector()
    values = errors.check(clean_all, CLIENT_RULES, raw, CLIENT_ORDERS) or {}
    conditions, areas = catalog.health_conditions(), catalog.body_areas()
    checklists = (
        ("health_conditions", conditions, CHECKLIST_LABELS["health_conditions"]),
        ("pain_areas", areas, CHECKLIST_LABELS["pain_areas"]),
    )
    for name, items, label in checklists:
        values[name] = errors.check(_clean_keys, raw.get(name), items, label)
    errors.raise_if_any()
    return values


@needs(Can.READ_CLIENTS)
def find_duplicates(
    first_name: str, last_name: str, date_of_birth: date, exclude_id: int | None = None
) -> list[Client]:
    """Clients born the same day whose first and last names match, ignoring case and accents."""
    query = Client.select().where(Client.date_of_birth == date_of_birth)
    if exclude_id is not None:
        query = query.where(Client.id != exclude_id)
    wanted = (fold(first_name), fold(last_name))
    return [c for c in query if (fold(c.first_name), fold(c.last_name)) == wanted]


class PossibleDuplicate(Exception):
    """Another client has the same name and date of birth; nothing was saved."""

    def __init__(self, existing: Client) -> None:
        super().__init__(f"client #{existing.id} has the same name and date of birth")
        self.existing = existing


@needs(Can.EDIT_CLIENTS)
def save_client(
    raw: Mapping[str, Any],
    client_id: int | None = None,
    *,
    version: int | None = None,
    actor: str = "",
    allow_duplicate: bool = False,
) -> Client:
    """Register a client, or update the one opened at `version`, from raw form values.

    Nothing is saved if any field is bad (ValidationErrors), if, unless
    `allow_duplicate`, another client has the same name and birth date
    (PossibleDuplicate), if the client was saved elsewhere since `version`
    (RecordChanged) or deleted (RecordMissing). Saving no change writes nothing.
    """
    records.check_can_save(client_id, version, "client")
    values = validate_client(raw)
    if not allow_duplicate:
        twins = find_duplicates(
            values["first_name"], values["last_name"], values["date_of_birth"], client_id
        )
        if twins:
            raise PossibleDuplicate(twins[0])
    return records.save_record(Client, client_id, version, values, noun="client", actor=actor)


def changed_field_labels(opened: Mapping[str, Any], current: Client) -> list[str]:
    """The labels of the fields that differ between the client as opened and as stored now."""
    names = [*RULES_BY_NAME, *CHECKLIST_LABELS]
    labels = {**{name: rule.label for name, rule in RULES_BY_NAME.items()}, **CHECKLIST_LABELS}
    return [labels[name] for name in records.changed_fields(opened, current, names)]


@needs(Can.READ_CLIENTS)
def get_client(client_id: int) -> Client:
    return records.get_record(Client, client_id, "client")


@needs(Can.READ_CLIENTS)
def has_history(client: Client) -> bool:
    """True when the client has visits, prescriptions, payments or receipts."""
    related = (Visit, Prescription, Payment, Receipt)
    return any(model.select().where(model.client == client).exists() for model in related)


@needs(Can.EDIT_CLIENTS)
def archive_client(client_id: int, archived: bool = True, actor: str = "") -> Client:
    with database_proxy.atomic():
        client = get_client(client_id)
        client.archived = archived
        client.save()
        audit.record("archive" if archived else "restore", "client", client.id, actor)
    return client


class ClientHasHistory(Exception):
    """A client with history is archived, never deleted."""


@needs(Can.EDIT_CLIENTS)
def delete_client(client_id: int, actor: str = "") -> None:
    with database_proxy.atomic():
        client = get_client(client_id)
        if has_history(client):
            raise ClientHasHistory("This client has a history; archive them instead.")
        client.delete_instance(recursive=True)
        audit.record("delete", "client", client_id, actor)


# --- search --------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientRow:
    """One line of the clients list."""

    id: int
    name: str
    date_of_birth: date
    phone: str
    archived: bool
    alerts: tuple[catalog.CatalogItem, ...]
    prescription: PrescriptionStatus | None
    payer: str = ""  # the primary current coverage's payer, in a word or two


def _query_words(text: str) -> list[str] | None:
    """The words `text` looks for: a birth date's, phone digits, or the name words typed.

    None for blank text (every client); an empty list when no client can match.
    """
    text = text.strip()
    if not text:
        return None
    born = _as_date(text)
    if born is not None:
        return [birth_date_word(born)]
    digits = phone_digits(text)
    if len(digits) >= 3 and not re.search(r"[A-Za-z]", text):
        return [digits]
    return sorted(set(fold(text).split()))


def _as_date(text: str) -> date | None:
    """The date typed as MM/DD/YYYY or YYYY-MM-DD (as the intake takes it), else None."""
    try:
        return validation.us_date(text, "Date of birth")
    except validation.ValidationError:
        return None


SEARCH_LIMIT = 200  # a longer list is never read; typing more narrows it
SORTS = {
    "name": Client.search_key,  # folded: case and accents do not change the order
    "date_of_birth": Client.date_of_birth,
    "phone": fn.COALESCE(fn.NULLIF(Client.mobile_phone, ""), Client.home_phone),
}
ROW_FIELDS = (
    Client.id, Client.first_name, Client.last_name, Client.preferred_name,
    Client.date_of_birth, Client.mobile_phone, Client.home_phone, Client.archived,
    Client.health_conditions, Client.search_key,
)  # fmt: skip


class ListedClient(NamedTuple):
    """A client's columns the list shows (ROW_FIELDS), read as a plain row: building a
    model object for each of two hundred clients costs more than the query."""

    id: int
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    mobile_phone: str
    home_phone: str
    archived: bool
    health_conditions: list[str]
    search_key: str

    @property
    def display_name(self) -> str:
        return client_display_name(self.last_name, self.first_name, self.preferred_name)


def _listed_rows(query: Any) -> list[ListedClient]:
    return [ListedClient(*row) for row in query.tuples()]


RAREST_COUNT_CAP = 5_000  # counting a word's matches stops here: enough to pick the rarest
ROWS_PER_MATCH = 2  # word rows read per client wanted (a client may match through several)


def _starting_with(column: Any, word: str) -> Any:
    """`column` starts with `word`: a range any B-tree index answers, and never a pattern."""
    return (column >= word) & (column < word + "\uffff")


def _rarest_first(words: list[str]) -> list[str]:
    """The words, the one fewest clients have first (it drives the search)."""
    if len(words) == 1:
        return words

    def capped_count(word: str) -> Select:
        rows = ClientSearchWord.select(SQL("1")).where(_starting_with(ClientSearchWord.word, word))
        return Select([rows.limit(RAREST_COUNT_CAP).alias("matches")], [fn.COUNT(SQL("*"))])

    counted = database_proxy.execute(Select(columns=[capped_count(word) for word in words]))
    matches = dict(zip(words, counted.fetchone(), strict=True))  # one statement for all words
    return sorted(words, key=matches.__getitem__)


def _word_matches(words: list[str], archived: bool | None) -> Any:
    """Search-word rows of the clients having a word starting with each of `words`.

    The rarest word is read as a range of the word index; every other word is checked
    per client through the table's key (client, word): the client's few words are read
    and compared, never a range of the word index, and `OFFSET 0` keeps the check per
    client. So the plan does not hang on what a server's statistics guess about a word
    (PostgreSQL's take a common last name for a rare one, and would then read the other
    word's whole range once per client). `archived` None takes archived clients too.
    """
    driver, *others = _rarest_first(words)
    found = ClientSearchWord.select().where(_starting_with(ClientSearchWord.word, driver))
    for word in others:
        other = ClientSearchWord.alias()
        starts_with_word = fn.SUBSTR(other.word, 1, len(word)) == word
        has_word = other.select(SQL("1")).where(
            (other.client == ClientSearchWord.client) & starts_with_word
        )
        found = found.where(fn.EXISTS(has_word.offset(0)))
    if archived is not None:
        found = found.where(ClientSearchWord.archived == archived)
    return found


def _first_by_name(
    words: list[str], archived: bool | None, limit: int, descending: bool
) -> list[int]:
    """The ids of the first `limit` matches in name order, from the word index alone.

    A client matching through several words gives several rows, side by side in this
    order, so the first rows are read (a top-N sort, cheaper than DISTINCT over every
    match) and repeats dropped; more are read only when repeats left too few.
    """
    order = (ClientSearchWord.search_key, ClientSearchWord.client)
    matches = _word_matches(words, archived).select(*order)
    matches = matches.order_by(*(column.desc() if descending else column for column in order))
    wanted = limit * ROWS_PER_MATCH
    while True:
        rows = list(matches.limit(wanted).tuples())
        ids = list(dict.fromkeys(client_id for _, client_id in rows))
        if len(ids) >= limit or len(rows) < wanted:
            return ids[:limit]
        wanted *= 2


def _clients_by_id(ids: list[int]) -> list[ListedClient]:
    """The clients with these ids, in this order (the row columns only)."""
    query = Client.select(*ROW_FIELDS).where(db.among(Client.id, ids))
    found = {client.id: client for client in _listed_rows(query)}
    return [found[client_id] for client_id in ids if client_id in found]


def _listed(
    words: list[str] | None, include_archived: bool, limit: int, sort_by: str, descending: bool
) -> list[ListedClient]:
    """The first `limit` clients `words` finds (everyone for None), in the order asked."""
    archived = None if include_archived else False
    if words is not None and sort_by == "name":
        return _clients_by_id(_first_by_name(words, archived, limit, descending))
    query = Client.select(*ROW_FIELDS)
    if words is not None:
        query = query.where(
            Client.id.in_(_word_matches(words, archived).select(ClientSearchWord.client))
        )
    elif archived is not None:
        query = query.where(Client.archived == archived)
    key = SORTS[sort_by]
    order = (key, Client.search_key, Client.id)
    return _listed_rows(
        query.order_by(*(k.desc() if descending else k for k in order)).limit(limit)
    )


@needs(Can.READ_CLIENTS)
def search_clients(
    text: str = "",
    include_archived: bool = False,
    limit: int = SEARCH_LIMIT,
    *,
    sort_by: str = "name",
    descending: bool = False,
) -> list[ClientRow]:
    """Clients matching a name prefix, phone digits or a birth date, sorted by a `SORTS` key.

    Sorting happens before the `limit`, so the first rows are the first of every match.
    """
    words = _query_words(text)
    if words == []:
        return []
    clients = _listed(words, include_archived, limit, sort_by, descending)
    ids = [client.id for client in clients]
    statuses, payer_names = latest_status_by_client(ids), coverage.primary_payer_names(ids)
    return [_row(client, statuses.get(client.id), payer_names) for client in clients]


@needs(Can.READ_CLIENTS)
def archived_matches(text: str) -> int:
    """How many archived clients `text` finds (the list hides them unless asked)."""
    words = _query_words(text)
    if words is None:
        return Client.select().where(Client.archived == True).count()  # noqa: E712
    if not words:
        return 0
    return _word_matches(words, True).select(ClientSearchWord.client).distinct().count()


def _row(
    client: ListedClient, status: PrescriptionStatus | None, payer_names: Mapping[int, str]
) -> ClientRow:
    return ClientRow(
        id=client.id,
        name=client.display_name,
        date_of_birth=client.date_of_birth,
        phone=client.mobile_phone or client.home_phone,
        archived=client.archived,
        alerts=health_alerts(client),
        prescription=status,
        payer=payer_names.get(client.id, ""),
    )


def health_alerts(client: Client) -> tuple[catalog.CatalogItem, ...]:
    """The client's health conditions, contraindications first."""
    known = catalog.by_key(catalog.health_conditions())
    items = [known[key] for key in client.health_conditions if key in known]
    return tuple(sorted(items, key=lambda item: item.severity != "contraindication"))
