"""Records exports: a client's complete record, and CSV lists of clients and payments.

A client's record is one folder: `record.json` with every row the database holds about
them (found through the models' foreign keys, so a new table or column is exported
without a change here), their treatment history and receipts as PDFs, and their
prescriptions' scans as kept. The lists are for the accountant. Every export is built
aside and put in place whole, with one audit event (ids and counts, never PHI).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import JOIN, ForeignKeyField, Model, ModelSelect

from frontdesk import __version__, access, db, formatting, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import clean_all
from frontdesk.models import (
    ALL_MODELS,
    AuditEvent,
    Client,
    ClinicProfile,
    Payer,
    Payment,
    Receipt,
    database_proxy,
)
from frontdesk.services import audit, clinic, ledger, records
from frontdesk.services.client_records import date_rule
from frontdesk.services.history import TreatmentHistory, treatment_history
from frontdesk.services.receipts import render, snapshot_of
from frontdesk.services.visits import NOTE_TEXT_FIELDS, PAIN_FIELDS
from frontdesk.validation import ValidationError, ValidationErrors

log = logging.getLogger(__name__)

RECORD_FILE = "record.json"
HISTORY_FILE = "treatment-history.pdf"
RECEIPTS_FOLDER = "receipts"
FILE_FOLDERS = {"prescription_scan": "scans"}  # where a table's kept files go (else "files")
JSON_TEXT = {("receipt", "snapshot")}  # text columns that hold JSON, exported as JSON
NOTE_COLUMNS = frozenset(  # what a treatment note says: left out for a login that may not read it
    {("visit", name) for name in (*NOTE_TEXT_FIELDS, *PAIN_FIELDS)} | {("visit_addendum", "text")}
)
ENTITY_TABLES = {  # audit entities that are not table names, and the table their id is in
    "treatment_history": "client",
    "prescription_request": "prescription",
}
SUMMARY = (
    ("visit", "visit", "visits"),
    ("payment", "ledger entry", "ledger entries"),
    ("prescription", "prescription", "prescriptions"),
    ("receipt", "receipt", "receipts"),
    ("file", "scan", "scans"),
    ("pdf", "PDF", "PDFs"),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


class ExportFailed(Exception):
    """The export could not be written; nothing was left behind. The message says why."""

    def __init__(self, place: Path, reason: str, kind: str = "folder") -> None:
        self.place = place
        self.reason = reason
        self.kind = kind
        super().__init__(self.describe())

    def describe(self, show: Callable[[Path], str] = str) -> str:
        """The message, with the folder or file shown by `show` (the home folder as "~")."""
        return (
            f"The {self.kind} {show(self.place)} could not be written ({self.reason}). "
            "Check that it may be written and that the disk has space."
        )


@dataclass(frozen=True)
class ExportResult:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """'11 visits, 10 ledger entries, 1 prescription, ...' (counts only)."""
        return ", ".join(
            f"{self.counts[key]} {one if self.counts[key] == 1 else many}"
            for key, one, many in SUMMARY
            if key in self.counts
        )


def _failed(place: Path, error: OSError, kind: str = "folder") -> ExportFailed:
    return ExportFailed(place, error.strerror or str(error), kind)


# --- which rows are the client's -----------------------------------------------------------


def _table(model: type[Model]) -> str:
    return model._meta.table_name


def _foreign_keys(model: type[Model]) -> list[ForeignKeyField]:
    return [f for f in model._meta.sorted_fields if isinstance(f, ForeignKeyField)]


def _owned_models() -> list[type[Model]]:
    """The models whose rows hang off a client, directly or through another such model,
    each after the models it hangs off."""
    owned = [model for model in ALL_MODELS if model is not Client and _reaches_client(model)]
    ordered: list[type[Model]] = [Client]
    while len(ordered) <= len(owned):
        ready = [
            model
            for model in owned
            if model not in ordered and _owned_parents(model, owned) <= set(ordered)
        ]
        if not ready:
            raise RuntimeError("the models' foreign keys go round in a circle")
        ordered.extend(ready)
    return ordered[1:]


def _owned_parents(model: type[Model], owned: list[type[Model]]) -> set[type[Model]]:
    parents = {key.rel_model for key in _foreign_keys(model)} - {model}
    return {parent for parent in parents if parent is Client or parent in owned}


def _reaches_client(model: type[Model], seen: frozenset = frozenset()) -> bool:
    if model is Client:
        return True
    parents = {f.rel_model for f in _foreign_keys(model)} - {model} - seen
    return any(_reaches_client(parent, seen | {model}) for parent in parents)


def _owned_query(
    model: type[Model], client_id: int, queries: Mapping[type[Model], ModelSelect]
) -> ModelSelect:
    """The client's rows of `model`: by its client column, else by the owned rows it hangs off."""
    keys = _foreign_keys(model)
    direct = [f for f in keys if f.rel_model is Client]
    if direct:
        condition = direct[0] == client_id
    else:
        condition = None
        for key in keys:
            if key.rel_model in queries and key.rel_model is not model:
                parent = key.rel_model
                found = key.in_(queries[parent].select(parent.id))
                condition = found if condition is None else condition | found
    assert condition is not None, "an owned model hangs off an owned model"
    return model.select().where(condition)


@dataclass
class Gathered:
    """What the database holds about one client, as read in one transaction."""

    client: Client
    owned: dict[str, list[Model]]
    referenced: dict[str, list[Model]]
    audit_events: list[AuditEvent]
    history: TreatmentHistory
    profile: ClinicProfile


def _gather(client_id: int) -> Gathered:
    client = records.get_record(Client, client_id, "client")
    queries: dict[type[Model], ModelSelect] = {
        Client: Client.select().where(Client.id == client_id)
    }
    for model in _owned_models():
        queries[model] = _owned_query(model, client_id, queries)
    owned = {
        _table(model): list(query.order_by(model.id))
        for model, query in queries.items()
        if model is not Client
    }
    return Gathered(
        client=client,
        owned=owned,
        referenced=_referenced(queries),
        audit_events=list(_audit_query(queries)),
        history=treatment_history(client_id),
        profile=clinic.clinic_profile() or ClinicProfile(name=""),
    )


def _referenced(queries: Mapping[type[Model], ModelSelect]) -> dict[str, list[Model]]:
    """The shared rows the client's rows refer to: physicians, therapists, payers, codes."""
    wanted: dict[type[Model], ModelSelect | None] = {}
    for model, query in queries.items():
        for key in _foreign_keys(model):
            if key.rel_model in queries:
                continue
            ids = query.select(key)
            before = wanted.get(key.rel_model)
            wanted[key.rel_model] = ids if before is None else before | ids
    return {
        _table(model): list(model.select().where(model.id.in_(ids)).order_by(model.id))
        for model, ids in wanted.items()
    }


def _audit_query(queries: Mapping[type[Model], ModelSelect]) -> ModelSelect:
    """The audit events about any of the client's rows."""
    tables = {_table(model): model for model in queries}
    entities = {name: name for name in tables} | {
        entity: table for entity, table in ENTITY_TABLES.items() if table in tables
    }
    condition = None
    for entity, table in entities.items():
        model = tables[table]
        about = (AuditEvent.entity == entity) & AuditEvent.entity_id.in_(
            queries[model].select(model.id)
        )
        condition = about if condition is None else condition | about
    return AuditEvent.select().where(condition).order_by(AuditEvent.id)


# --- the record as JSON -----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A stored value as JSON: dates ISO, lists as lists, the rest as stored."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class Folder:
    """The export being built: files written under a folder, their names kept unique."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: set[str] = set()

    def write(self, relative: str, data: bytes) -> str:
        stem, dot, extension = relative.rpartition(".")
        name, number = relative, 1
        while name.casefold() in self.written:
            number += 1
            name = f"{stem}-{number}{dot}{extension}" if dot else f"{relative}-{number}"
        self.written.add(name.casefold())
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return name


def _safe_name(name: str) -> str:
    return UNSAFE_IN_NAMES.sub("_", name).strip(" .") or "file"


def _kept_file(row: Model, column: str, data: bytes, folder: Folder) -> dict[str, Any]:
    """Write a kept file (a scan) as it is stored; the JSON names it and its checksum."""
    table = _table(type(row))
    own_name = getattr(row, "filename", "") or f"{column}.bin"
    relative = f"{FILE_FOLDERS.get(table, 'files')}/{table}-{row.id}-{_safe_name(own_name)}"
    written = folder.write(relative, data)
    return {"file": written, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _row(row: Model, folder: Folder) -> dict[str, Any]:
    """Every column of a row by its name in the database."""
    table = _table(type(row))
    withheld = frozenset() if access.may(Can.READ_NOTES) else NOTE_COLUMNS
    out: dict[str, Any] = {}
    for column in type(row)._meta.sorted_fields:
        value = row.__data__.get(column.name)
        if (table, column.name) in withheld:
            value = None
        if isinstance(value, bytes | bytearray | memoryview):
            value = _kept_file(row, column.column_name, bytes(value), folder)
        elif (table, column.name) in JSON_TEXT and value:
            value = json.loads(value)
        out[column.column_name] = _plain(value)
    return out


def _rows(found: Mapping[str, list[Model]], folder: Folder) -> dict[str, list[dict[str, Any]]]:
    return {table: [_row(row, folder) for row in rows] for table, rows in found.items()}


def _header(client_id: int) -> dict[str, Any]:
    return {
        "program": "Front Desk",
        "program_version": __version__,
        "schema_version": db.schema_version(database_proxy.obj),
        "exported_at": datetime.now().replace(microsecond=0).isoformat(),
        "client_id": client_id,
        "notes_withheld": not access.may(Can.READ_NOTES),
    }


def _documents(gathered: Gathered, folder: Folder) -> list[str]:
    """The treatment history and a duplicate of each receipt issued, as PDFs."""
    from frontdesk.documents.treatment_history import treatment_history_pdf  # reportlab

    written = [
        folder.write(HISTORY_FILE, treatment_history_pdf(gathered.history, gathered.profile))
    ]
    for receipt in gathered.owned.get(_table(Receipt), []):
        pdf = render(snapshot_of(receipt), duplicate_of=receipt.number)
        written.append(folder.write(f"{RECEIPTS_FOLDER}/{receipt.kind}-{receipt.number}.pdf", pdf))
    return written


def _write_record(gathered: Gathered, header: dict[str, Any], folder: Folder) -> dict[str, int]:
    """Write record.json and the files; return the counts written."""
    record = {
        "header": header,
        "client": _row(gathered.client, folder),
        "records": _rows(gathered.owned, folder),
        "referenced": _rows(gathered.referenced, folder),
        "audit_events": [_row(event, folder) for event in gathered.audit_events],
    }
    files = len(folder.written)
    record["documents"] = _documents(gathered, folder)
    text = json.dumps(record, indent=2, ensure_ascii=False)
    folder.write(RECORD_FILE, text.encode("utf-8"))
    counts = {table: len(rows) for table, rows in gathered.owned.items()}
    return counts | {"file": files, "pdf": len(record["documents"])}


# --- putting an export in place -----------------------------------------------------------------


def _free_folder(parent: Path, stem: str) -> Path:
    candidate, number = parent / stem, 1
    while candidate.exists():
        number += 1
        candidate = parent / f"{stem}-{number}"
    return candidate


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def _removed_on_failure(partial: Path, place: Path, kind: str = "folder") -> Iterator[None]:
    """Remove the export being built when the block fails; a disk error becomes ExportFailed
    about `place`."""
    try:
        yield
    except BaseException as error:
        _remove(partial)
        if isinstance(error, OSError):
            raise _failed(place, error, kind) from error
        raise


def _move(partial: Path, target: Path) -> None:
    if partial.is_dir():
        os.rename(partial, target)  # refused if a folder of that name was made meanwhile
    else:
        os.replace(partial, target)


def _place(partial: Path, target: Path, audited: Callable[[], None]) -> None:
    """Move the finished export into place with its audit event: both happen or neither.

    A file the export replaces is set aside first and put back if the export fails.
    """
    earlier = _set_aside(target)
    moved = False
    try:
        with database_proxy.atomic():
            audited()
            _move(partial, target)
            moved = True
    except BaseException as error:
        _remove(target if moved else partial)
        if earlier is not None:
            os.replace(earlier, target)
        if isinstance(error, OSError):
            raise _failed(target.parent, error) from error
        raise
    if earlier is not None:
        earlier.unlink(missing_ok=True)
    log.info("export written (%s)", "folder" if target.is_dir() else "file")


def _set_aside(target: Path) -> Path | None:
    """An existing file at `target` moved to a hidden name beside it (None when there is none)."""
    if not target.is_file():
        return None
    aside = target.with_name(f".{target.name}.earlier")
    try:
        os.replace(target, aside)
    except OSError as error:
        raise _failed(target.parent, error) from error
    return aside


@needs(Can.EXPORT_RECORDS)
def export_client_record(
    client_id: int, folder: Path | str, actor: str = "", *, today: date | None = None
) -> ExportResult:
    """Write the client's complete record into a new folder inside `folder`.

    The folder is `client-<id>-record-YYYY-MM-DD` (-2, -3... when that exists). Raises
    RecordMissing for a client that is gone, ExportFailed when the folder cannot be
    written (nothing is left behind), StorageError when the database cannot be read.
    """
    parent = Path(folder)
    with database_proxy.atomic(lock_type="DEFERRED"):  # one consistent reading of everything
        gathered = _gather(client_id)
        header = _header(client_id)
    stem = f"client-{client_id}-record-{(today or date.today()).isoformat()}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f".{stem}.", suffix=".partial", dir=parent))
    except OSError as error:
        raise _failed(parent, error) from error
    with _removed_on_failure(partial, parent):
        counts = _write_record(gathered, header, Folder(partial))
    target = _free_folder(parent, stem)
    made = ExportResult(target, counts)
    _place(
        partial, target, lambda: audit.record("export", "client", client_id, actor, made.summary())
    )
    return made


# --- CSV lists for the accountant ---------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    text: bool = True  # a person's text: defused against spreadsheet formulas


def defused(text: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading = + - @ gets an apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def dollars(cents: int) -> str:
    """Cents as plain dollars for a spreadsheet: 8500 -> "85.00", -550 -> "-5.50"."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}.{rest:02d}"


def _cells(columns: Iterable[Column], item: Any) -> list[str]:
    cells = []
    for column in columns:
        value = column.value(item)
        text = "" if value is None else str(value)
        cells.append(defused(text) if column.text else text)
    return cells


def _write_csv(path: Path, columns: tuple[Column, ...], items: Iterable[Any]) -> tuple[int, Path]:
    """Write the rows to a new file beside `path`; returns the row count and that file."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as error:
        raise _failed(path.parent, error) from error
    partial, count = Path(name), 0
    with (
        _removed_on_failure(partial, path, "file"),
        open(handle, "w", newline="", encoding="utf-8") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(column.header for column in columns)
        for item in items:
            writer.writerow(_cells(columns, item))
            count += 1
    return count, partial


def _csv_export(
    path: Path | str,
    columns: tuple[Column, ...],
    items: Iterable[Any],
    audited: Callable[[int], None],
) -> ExportResult:
    path = Path(path)
    count, partial = _write_csv(path, columns, items)
    _place(partial, path, lambda: audited(count))
    return ExportResult(path, {"row": count})


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


CLIENT_COLUMNS = (
    Column("Client id", lambda c: c.id, text=False),
    Column("Last name", lambda c: c.last_name),
    Column("First name", lambda c: c.first_name),
    Column("Middle name", lambda c: c.middle_name),
    Column("Preferred name", lambda c: c.preferred_name),
    Column("Date of birth", lambda c: formatting.us_date(c.date_of_birth)),
    Column("Mobile phone", lambda c: formatting.phone(c.mobile_phone)),
    Column("Home phone", lambda c: formatting.phone(c.home_phone)),
    Column("Email", lambda c: c.email),
    Column("Address line 1", lambda c: c.address_line1),
    Column("Address line 2", lambda c: c.address_line2),
    Column("City", lambda c: c.city),
    Column("State", lambda c: c.state),
    Column("ZIP", lambda c: c.zip_code),
    Column("Archived", lambda c: _yes(c.archived), text=False),
    Column("Created", lambda c: formatting.us_date(c.created_at.date()), text=False),
)


@needs(Can.EXPORT_RECORDS)
def export_clients_csv(path: Path | str, actor: str = "") -> ExportResult:
    """Every client, archived ones too, one row each, by id. Raises ExportFailed."""
    with database_proxy.atomic(lock_type="DEFERRED"):  # reads only
        clients = list(Client.select().order_by(Client.id))

    def audited(count: int) -> None:
        audit.record(
            "export", "client", None, actor, f"clients CSV: {formatting.counted(count, 'row')}"
        )

    return _csv_export(path, CLIENT_COLUMNS, clients, audited)


# --- payments ----------------------------------------------------------------------------------

START_RULE = date_rule("start", "From", required=True)
END_RULE = date_rule("end", "To", required=True)
PERIOD_RULES = (START_RULE, END_RULE)


def default_period(today: date | None = None) -> tuple[date, date]:
    """Last calendar year until the end of March (the accountant's season), else this year."""
    today = today or date.today()
    if today.month <= 3:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return date(today.year, 1, 1), today


def period(raw: Mapping[str, Any]) -> tuple[date, date]:
    """The From and To dates typed ("start", "end"); ValidationErrors naming each bad one."""
    values = clean_all(PERIOD_RULES, raw)
    try:
        validation.period_in_order(values["start"], values["end"])
    except ValidationError as error:
        raise ValidationErrors([error]) from None
    return values["start"], values["end"]


@dataclass(frozen=True)
class PaymentRow:
    entry: Payment
    status: str


def _status(entry: Payment, voided: set[int], refunded: Mapping[int, int]) -> str:
    if entry.id in voided:
        return "Voided"
    if entry.id in refunded:
        return "Refunded" if refunded[entry.id] >= entry.amount_cents else "Partly refunded"
    return ""


def _payment_rows(start: date, end: date) -> Iterator[PaymentRow]:
    entries = list(
        Payment.select(Payment, Client, Payer)
        .join(Client)
        .switch(Payment)
        .join(Payer, on=(Payment.payer == Payer.id), join_type=JOIN.LEFT_OUTER)
        .where(Payment.received_on.between(start, end))
        .order_by(Payment.received_on, Payment.id)
    )
    voided = {p.reverses_id for p in Payment.select(Payment.reverses).where(Payment.kind == "void")}
    refunded: dict[int, int] = {}
    for refund in Payment.select().where(Payment.kind == "refund"):
        if refund.id not in voided:
            refunded[refund.reverses_id] = refunded.get(refund.reverses_id, 0) + refund.amount_cents
    return (PaymentRow(entry, _status(entry, voided, refunded)) for entry in entries)


PAYMENT_COLUMNS = (
    Column("Entry id", lambda r: r.entry.id, text=False),
    Column("Date", lambda r: formatting.us_date(r.entry.received_on), text=False),
    Column("Kind", lambda r: ledger.KIND_LABELS.get(r.entry.kind, r.entry.kind), text=False),
    Column("Client id", lambda r: r.entry.client_id, text=False),
    Column("Client", lambda r: f"{r.entry.client.last_name}, {r.entry.client.first_name}"),
    Column("Method", lambda r: ledger.METHOD_LABELS.get(r.entry.method, r.entry.method)),
    Column("Amount", lambda r: dollars(r.entry.amount_cents), text=False),
    Column("Gratuity", lambda r: dollars(r.entry.gratuity_cents), text=False),
    Column("Payer", lambda r: r.entry.payer.name if r.entry.payer_id else ""),
    Column("Reference", lambda r: r.entry.reference),
    Column("Reverses entry", lambda r: r.entry.reverses_id, text=False),
    Column("Status", lambda r: r.status, text=False),
)


@needs(Can.EXPORT_RECORDS)
def export_payments_csv(path: Path | str, start: date, end: date, actor: str = "") -> ExportResult:
    """Every ledger entry (payments, refunds, voids) received from `start` to `end`.

    Raises ValidationError when `end` is before `start`, ExportFailed when not written.
    """
    validation.period_in_order(start, end)
    with database_proxy.atomic(lock_type="DEFERRED"):  # reads only
        rows = list(_payment_rows(start, end))

    def audited(count: int) -> None:
        period = f"{formatting.us_date(start)} to {formatting.us_date(end)}"
        detail = f"payments CSV, {period}: {formatting.counted(count, 'row')}"
        audit.record("export", "payment", None, actor, detail)

    return _csv_export(path, PAYMENT_COLUMNS, rows, audited)
