"""Who is signed in, and what each role may do. The services ask here before they act.

One person is signed in to a running program at a time (`sign_in_as`, `sign_out`); every
service that reads or changes records names what it needs (`needs(Can.X)` or
`require(Can.X)`), and refuses, with `NotAllowed`, a role that may not, or nobody at all.
The command line acts as the clinic's owner: whoever runs it holds the database file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import ParamSpec, TypeVar

from frontdesk.storage_errors import NotAllowed

OWNER, FRONT_DESK, THERAPIST = "owner", "front_desk", "therapist"
ROLES = (FRONT_DESK, THERAPIST, OWNER)
ROLE_NAMES = {OWNER: "Owner", FRONT_DESK: "Front desk", THERAPIST: "Therapist"}


class Can(Enum):
    """What a role may do; each value reads after "may not" in a refusal."""

    READ_CLIENTS = "see clients' records"
    EDIT_CLIENTS = "register or change clients, their coverage and cases"
    EDIT_PRESCRIPTIONS = "enter or change prescriptions and physicians"
    BOOK_VISITS = "book, check in or cancel visits"
    READ_NOTES = "read treatment notes"
    WRITE_NOTES = "write treatment notes"
    TAKE_PAYMENTS = "take payments or see balances"
    ISSUE_RECEIPTS = "issue receipts, superbills or statements"
    LOOK_UP_PAYERS = "look up insurers and programs"
    EDIT_PAYERS = "change the payer directory"
    EDIT_FEES = "change the fee schedule"
    EDIT_CLINIC = "change the clinic's settings or therapists"
    MANAGE_USERS = "add or change logins"
    MANAGE_BACKUPS = "back up or restore the clinic's records"
    READ_AUDIT = "read the audit trail"
    EXPORT_RECORDS = "export records"


ROLE_RIGHTS: dict[str, frozenset[Can]] = {
    OWNER: frozenset(Can),
    FRONT_DESK: frozenset(
        {
            Can.READ_CLIENTS,
            Can.EDIT_CLIENTS,
            Can.EDIT_PRESCRIPTIONS,
            Can.BOOK_VISITS,
            Can.TAKE_PAYMENTS,
            Can.ISSUE_RECEIPTS,
            Can.LOOK_UP_PAYERS,
        }
    ),
    THERAPIST: frozenset({Can.READ_CLIENTS, Can.READ_NOTES, Can.WRITE_NOTES}),
}


@dataclass(frozen=True)
class Actor:
    """The person acting: their login (None for the command line), name and role."""

    user_id: int | None
    username: str
    role: str
    therapist_id: int | None = None
    full_name: str = ""

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    def may(self, can: Can) -> bool:
        return can in ROLE_RIGHTS.get(self.role, frozenset())


def command_line(pc_user: str) -> Actor:
    """The command line, run by the PC's user `pc_user`: the owner's rights."""
    return Actor(None, f"command line ({pc_user})", OWNER)


_signed_in: Actor | None = None  # the whole program's: background work acts for them too


def signed_in() -> Actor | None:
    return _signed_in


def sign_in_as(actor: Actor) -> None:
    global _signed_in
    _signed_in = actor


def sign_out() -> None:
    global _signed_in
    _signed_in = None


@contextmanager
def acting_as(actor: Actor | None) -> Iterator[Actor | None]:
    """Inside, `actor` is signed in; afterwards whoever was before."""
    before = _signed_in
    sign_in_as(actor) if actor is not None else sign_out()
    try:
        yield actor
    finally:
        sign_in_as(before) if before is not None else sign_out()


def may(can: Can) -> bool:
    """Whether the person signed in may do this (screens hide what they may not)."""
    return _signed_in is not None and _signed_in.may(can)


def require(can: Can) -> Actor:
    """The person signed in, when they may do this; else `NotAllowed`, saying why."""
    actor = _signed_in
    if actor is None:
        raise NotAllowed("nobody is signed in", "Sign in, then try again.")
    if not actor.may(can):
        raise NotAllowed(f"{actor.role_name.lower()} logins may not {can.value}")
    return actor


P = ParamSpec("P")
R = TypeVar("R")


def needs(can: Can) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A service function that refuses, before doing anything, a person who may not `can`."""

    def guard(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            require(can)
            return function(*args, **kwargs)

        guarded.needs = can  # type: ignore[attr-defined]
        return guarded

    return guard
