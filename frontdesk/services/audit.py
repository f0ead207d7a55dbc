"""The audit trail: who did what to which record. Ids and actions only, never PHI.

Events are only ever appended. Each row's `chain_hash` is a SHA-256 over the previous
row's hash and this row's own fields, so changing a row, or removing one, breaks the
chain from that row on; `verify_chain` finds the first row where it breaks.
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from hashlib import sha256
from typing import Any

from frontdesk import access, db, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, clean_all, using
from frontdesk.models import AuditEvent, database_proxy

log = logging.getLogger(__name__)

UNKNOWN_ACTOR = "unknown"
LIST_LIMIT = 500
BATCH = 5000  # rows read at a time while walking the chain
HASHED = (
    AuditEvent.id,
    AuditEvent.at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.entity,
    AuditEvent.entity_id,
    AuditEvent.detail,
)

CHANGED = "changed"  # the row's fields or hash are not what was recorded
MISSING_BEFORE = "missing_before"  # a row before this one was removed
MISSING_AFTER = "missing_after"  # the newest rows, after this one, were removed
_written_here: set[int] = set()  # events this program wrote that the change watch has not seen


def current_actor() -> str:
    """Who is acting: the login signed in; before anyone is (a clinic's first set-up), the
    PC's user name."""
    actor = access.signed_in()
    return actor.username if actor is not None else pc_user()


def pc_user() -> str:
    """The PC's user name (the command line is audited under it)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return UNKNOWN_ACTOR
    return name.strip()[:100] or UNKNOWN_ACTOR


def record(
    action: str, entity: str, entity_id: int | None, actor: str = "", detail: str = ""
) -> None:
    """Append one audit event, chained to the one before (call inside the service's
    transaction).

    The row is written first, so this transaction holds the write lock before it reads the
    previous row: two PCs cannot chain onto the same row.
    """
    with database_proxy.atomic():
        event = AuditEvent.create(
            action=action,
            entity=entity,
            entity_id=entity_id,
            actor=actor or current_actor(),
            detail=detail,
        )
        previous = (
            AuditEvent.select(AuditEvent.chain_hash)
            .where(AuditEvent.id < event.id)
            .order_by(AuditEvent.id.desc())
            .limit(1)
            .scalar()
        )
        fields = (event.id, event.at, event.actor, action, entity, entity_id, detail)
        AuditEvent.update(chain_hash=chain_hash(previous, fields)).where(
            AuditEvent.id == event.id
        ).execute()
    _written_here.add(event.id)
    log.info("%s %s #%s", action, entity, entity_id)


# --- changes made on other PCs -------------------------------------------------------------


def watch_from_now() -> int:
    """The newest event's id (0 for none), to look for changes after it; what this program
    wrote before is forgotten (it may have been another database)."""
    _written_here.clear()
    return AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1).scalar() or 0


def changes_elsewhere(last_seen: int) -> tuple[int, bool]:
    """The newest event's id, and whether any event after `last_seen` was written by another
    program (another PC, or another window on this one) rather than this one."""
    ids = [
        row[0] for row in AuditEvent.select(AuditEvent.id).where(AuditEvent.id > last_seen).tuples()
    ]
    elsewhere = any(event_id not in _written_here for event_id in ids)
    newest = max(ids, default=last_seen)
    _written_here.difference_update({event_id for event_id in _written_here if event_id <= newest})
    return newest, elsewhere


# --- the chain ---------------------------------------------------------------------------


def _iso(at: Any) -> str:
    """A moment in ISO form, whether read as a datetime or as the text stored
    ("2026-11-27 09:30:00", as SQLite keeps it, only needs its "T")."""
    if isinstance(at, datetime):
        return at.isoformat()
    if isinstance(at, str) and len(at) >= 19 and at[10] == " ":
        return f"{at[:10]}T{at[11:]}"
    try:
        return datetime.fromisoformat(at).isoformat()
    except (TypeError, ValueError):
        return str(at)


def chain_hash(previous: str | None, fields: tuple[Any, ...]) -> str:
    """The hash of a row: the previous row's hash (None for the first row) and the row's
    id, at, actor, action, entity, entity_id and detail.

    Each field is written length first ("5:desk"), an empty entity_id as "~", so no two
    different rows encode alike. (One f-string: `verify_chain` runs this on every row.)
    """
    event_id, at, actor, action, entity, entity_id, detail = fields
    prev, ident, when = previous or "", str(event_id), _iso(at)
    record = "~" if entity_id is None else f"{len(str(entity_id))}:{entity_id}"
    encoded = (
        f"{len(prev)}:{prev}{len(ident)}:{ident}{len(when)}:{when}{len(actor)}:{actor}"
        f"{len(action)}:{action}{len(entity)}:{entity}{record}{len(detail)}:{detail}"
    )
    return sha256(encoded.encode()).hexdigest()


def _rows() -> Iterator[tuple[Any, ...]]:
    """Every event as stored (fields as in HASHED, then chain_hash), oldest first, a batch
    at a time (read straight from the cursor: no conversions)."""
    last = 0
    while True:
        query = (
            AuditEvent.select(*HASHED, AuditEvent.chain_hash)
            .where(AuditEvent.id > last)
            .order_by(AuditEvent.id)
            .limit(BATCH)
        )
        batch = database_proxy.execute(query).fetchall()
        yield from batch
        if len(batch) < BATCH:
            return
        last = batch[-1][0]


def chained_hashes() -> Iterator[tuple[str, int]]:
    """(hash, id) of every row as the chain of the rows as they stand makes it, oldest
    first (to chain the events kept from before the chain existed)."""
    previous = None
    for row in _rows():
        previous = chain_hash(previous, row[:7])
        yield previous, row[0]


@dataclass(frozen=True)
class ChainCheck:
    """What `verify_chain` found: intact, or the first row where the chain breaks and why."""

    events: int  # rows read
    broken_id: int | None = None
    reason: str = ""  # CHANGED, MISSING_BEFORE or MISSING_AFTER

    @property
    def intact(self) -> bool:
        return self.broken_id is None

    def problem(self) -> str:
        """What is wrong, in a few words ("" when intact)."""
        if self.reason == CHANGED:
            return f"event #{self.broken_id} is not as it was recorded"
        if self.reason == MISSING_BEFORE:
            return f"an event before #{self.broken_id} is missing"
        if self.reason == MISSING_AFTER:
            return f"the newest events, after #{self.broken_id}, are missing"
        return ""

    def summary(self) -> str:
        """One sentence for a person."""
        if self.intact:
            noun = "event" if self.events == 1 else "events"
            return (
                f"The audit trail is intact: {self.events} {noun}, each linked to the one before."
            )
        return f"The audit trail was changed: {self.problem()}."


def verify_chain() -> ChainCheck:
    """Walk the chain oldest first and name the first row that does not fit.

    A row whose hash does not follow from the row before it was changed, unless its id
    does not follow the previous id either: then a row before it was removed. Removing the
    newest rows shows when the database says it handed out a higher id than the last row's.
    """
    previous, count, last_id = None, 0, 0
    for row in _rows():
        event_id, stored = row[0], row[7]
        if chain_hash(previous, row[:7]) != stored:
            reason = CHANGED if event_id == last_id + 1 else MISSING_BEFORE
            return ChainCheck(count, event_id, reason)
        previous, count, last_id = stored, count + 1, event_id
    issued = db.last_id_issued(database_proxy.obj, AuditEvent._meta.table_name)
    if issued is not None and issued > last_id:
        return ChainCheck(count, last_id, MISSING_AFTER)
    return ChainCheck(count)


# --- the Audit page's list -----------------------------------------------------------------

DATE_HINT = "MM/DD/YYYY"
# (client_records.date_rule would import this module back through records)
START_RULE = FieldRule("start", "From", using(validation.us_date), empty=None, hint=DATE_HINT)
END_RULE = FieldRule("end", "To", using(validation.us_date), empty=None, hint=DATE_HINT)
RECORD_RULE = FieldRule(
    "record_id",
    "Record id",
    using(validation.integer, minimum=1, required=False),
    empty=None,
    hint="a number",
)
FILTER_RULES = (START_RULE, END_RULE, RECORD_RULE)


def filters(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The Audit page's From, To and Record id as typed, cleaned ("start", "end",
    "record_id"; None when blank); ValidationErrors naming each bad one."""
    collector = validation.ErrorCollector()
    values = clean_all(FILTER_RULES, raw, errors=collector)
    collector.check(validation.period_in_order, values["start"], values["end"])
    collector.raise_if_any()
    return values


@needs(Can.READ_AUDIT)
def list_events(
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
    record_id: int | None = None,
    limit: int = LIST_LIMIT,
) -> list[AuditEvent]:
    """Events newest first, from `start` to `end` (whole days, both included), of one kind
    of record and one record id when given."""
    query = AuditEvent.select()
    if start is not None:
        query = query.where(AuditEvent.at >= datetime.combine(start, time.min))
    if end is not None:
        query = query.where(AuditEvent.at < datetime.combine(end + timedelta(days=1), time.min))
    if kind:
        query = query.where(AuditEvent.entity == kind)
    if record_id is not None:
        query = query.where(AuditEvent.entity_id == record_id)
    return list(query.order_by(AuditEvent.id.desc()).limit(limit))


@needs(Can.READ_AUDIT)
def entity_kinds() -> list[str]:
    """The kinds of record the trail names, in alphabetical order."""
    query = AuditEvent.select(AuditEvent.entity).distinct().order_by(AuditEvent.entity)
    return [entity for (entity,) in query.tuples()]
