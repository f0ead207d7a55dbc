"""Logins: who may sign in, with which role, and their passwords.

Passwords are kept only as argon2id hashes. A password has at least 10 characters and is
not one of the commonly used ones. Five wrong passwords in a row lock a login for five
minutes; every failed sign-in and every lockout is in the audit trail. The owner adds,
disables and resets logins; anyone changes their own password.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from frontdesk import access, validation
from frontdesk.access import Can, needs
from frontdesk.fieldrules import FieldRule, clean_all, using
from frontdesk.models import Therapist, User, database_proxy
from frontdesk.resources import resource_path
from frontdesk.services import audit, records
from frontdesk.storage_errors import NotAllowed
from frontdesk.validation import ErrorCollector, ValidationError, ValidationErrors

MIN_PASSWORD_LENGTH = 10
MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=5)
PASSWORD = "Password"
NEW_PASSWORD = "New password"
USERNAME_SHAPE = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
WRONG = "That login name and password do not match. Check them and try again."
Clock = Callable[[], datetime]


class SignInRefused(Exception):
    """A sign-in was refused; the message says why and what to do."""


def _username(text: str, field: str) -> str:
    name = validation.required_text(text, field, max_length=40).casefold()
    if not USERNAME_SHAPE.fullmatch(name):
        raise ValidationError(
            field, "Use 2 to 40 letters, digits, dots, dashes or underscores (e.g. maria.lopez)."
        )
    return name


def _role(text: str, field: str) -> str:
    return validation.choice(text, field, access.ROLE_NAMES)


USER_RULES: tuple[FieldRule, ...] = (
    FieldRule("username", "Login name", _username, required=True),
    FieldRule(
        "full_name", "Full name", using(validation.required_text, max_length=80), required=True
    ),
    FieldRule(
        "role",
        "Role",
        _role,
        required=True,
        choices=tuple((role, access.ROLE_NAMES[role]) for role in access.ROLES),
    ),
)


@cache
def common_passwords() -> frozenset[str]:
    """The commonly used passwords refused as too easy to guess (folded to lower case)."""
    text = resource_path("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def check_password(password: str, username: str = "", field: str = PASSWORD) -> str:
    """The password, when it is long and uncommon enough; else ValidationError saying why."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            field, f"Use at least {MIN_PASSWORD_LENGTH} characters; a short sentence works well."
        )
    folded = password.casefold()
    if folded in common_passwords() or len(set(folded)) < 4:
        raise ValidationError(field, "That password is too common to be safe; choose another.")
    if username and username.casefold() in folded:
        raise ValidationError(field, "The password may not contain the login name.")
    return password


@cache
def _hasher() -> Any:
    from argon2 import PasswordHasher  # loads with the first sign-in, not at start-up

    return PasswordHasher()  # argon2id


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _password_matches(user: User, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        User.update(password_hash=hash_password(password)).where(User.id == user.id).execute()
    return True


def actor_of(user: User) -> access.Actor:
    return access.Actor(user.id, user.username, user.role, user.therapist_id, user.full_name)


# --- signing in ---------------------------------------------------------------------------


def still_signed_in(person: access.Actor) -> bool:
    """Whether the database (perhaps just restored from a backup) still has this person's
    login as they signed in: there, active, with the same name and role. A person the
    program acts as itself (the command line: no login) stays."""
    if person.user_id is None:
        return True
    user = User.get_or_none(User.id == person.user_id)
    return (
        user is not None
        and user.active
        and (user.username, user.role, user.therapist_id)
        == (person.username, person.role, person.therapist_id)
    )


def has_logins() -> bool:
    """Whether any login exists (a clinic from before logins has none until the owner's)."""
    return User.select().exists()


def sign_in(username: str, password: str, now: Clock = datetime.now) -> access.Actor:
    """The person whose login and password these are; SignInRefused when not.

    Every try is audited. Five wrong passwords in a row lock the login for five minutes
    (the count is kept though the sign-in fails).
    """
    with database_proxy.atomic():
        refusal, user = _try_sign_in(username.strip().casefold(), password, now())
    if refusal:
        raise SignInRefused(refusal)
    assert user is not None
    return actor_of(user)


def _try_sign_in(name: str, password: str, moment: datetime) -> tuple[str, User | None]:
    """Why the sign-in is refused ("" when it is not), and the login tried."""
    user = User.get_or_none(User.username == name)
    if user is None:
        audit.record("sign_in_failed", "user", None, actor="(unknown login)")
        return WRONG, None
    if user.locked_until is not None and user.locked_until > moment:
        audit.record("sign_in_failed", "user", user.id, actor=user.username, detail="locked")
        return _locked_text(user.locked_until), user
    if not _password_matches(user, password):
        return _count_wrong_password(user, moment), user
    if not user.active:
        audit.record("sign_in_failed", "user", user.id, actor=user.username, detail="disabled")
        return "This login is disabled. Ask the clinic's owner.", user
    User.update(failed_sign_ins=0, locked_until=None).where(User.id == user.id).execute()
    audit.record("sign_in", "user", user.id, actor=user.username)
    return "", user


def _count_wrong_password(user: User, moment: datetime) -> str:
    """Count the wrong password, locking the login at the fifth; the refusal to show."""
    audit.record("sign_in_failed", "user", user.id, actor=user.username)
    failed = user.failed_sign_ins + 1
    if failed < MAX_FAILED_SIGN_INS:
        User.update(failed_sign_ins=failed).where(User.id == user.id).execute()
        return WRONG
    until = moment + LOCKOUT
    User.update(failed_sign_ins=0, locked_until=until).where(User.id == user.id).execute()
    audit.record("login_locked", "user", user.id, actor=user.username, detail="for 5 minutes")
    return _locked_text(until)


def _locked_text(until: datetime) -> str:
    return (
        f"Too many wrong passwords: this login is locked until {until:%I:%M %p}. "
        "Try again then, or ask the clinic's owner to reset the password."
    ).replace(" 0", " ", 1)


def may_unlock(
    locked_for: access.Actor, username: str, password: str, now: Clock = datetime.now
) -> access.Actor:
    """Unlocking the window: the person who was signed in, or an owner (SignInRefused for
    anyone else)."""
    person = sign_in(username, password, now)
    if person.user_id != locked_for.user_id and person.role != access.OWNER:
        raise SignInRefused(
            f"Only {locked_for.full_name or locked_for.username} or the clinic's owner can "
            "unlock this window. To work as yourself, they must sign out first."
        )
    return person


# --- the owner's page, and one's own password ----------------------------------------------


def _therapist_for(role: str, therapist_id: int | None, errors: ErrorCollector) -> int | None:
    """The therapist record a login is tied to: needed for a therapist's, none for the front
    desk's, optional for an owner who also treats."""
    if role == access.FRONT_DESK:
        return None
    if therapist_id is None:
        if role == access.THERAPIST:
            errors.add("Therapist", "Choose the therapist this login is for.")
        return None
    if not Therapist.select().where(Therapist.id == therapist_id).exists():
        errors.add("Therapist", "That therapist no longer exists.")
    return therapist_id


def _role_as_typed(raw: Mapping[str, Any]) -> str:
    """The role chosen, or "" (its own error is reported by the form's rules)."""
    try:
        return _role(str(raw.get("role", "")), "Role")
    except ValidationError:
        return ""


def _login_values(
    raw: Mapping[str, Any], therapist_id: int | None, password: str | None
) -> dict[str, Any]:
    """The login's fields checked together (and its first password, when given)."""
    errors = ErrorCollector()
    values = errors.check(clean_all, USER_RULES, raw) or {}
    if password is not None:
        errors.check(check_password, password, values.get("username", ""))
    therapist = _therapist_for(_role_as_typed(raw), therapist_id, errors)
    errors.raise_if_any()
    return {**values, "therapist_id": therapist}


def _refuse_taken(username: str, user_id: int | None = None) -> None:
    taken = User.select().where((User.username == username) & (User.id != (user_id or 0)))
    if taken.exists():
        raise ValidationErrors(
            [ValidationError("Login name", "That login name is taken; choose another.")]
        )


@needs(Can.MANAGE_USERS)
def list_users() -> list[User]:
    """Every login: active ones first, by name."""
    return list(User.select().order_by(User.active.desc(), User.full_name, User.username))


@needs(Can.MANAGE_USERS)
def get_user(user_id: int) -> User:
    return records.get_record(User, user_id, "login")


@needs(Can.MANAGE_USERS)
def add_user(raw: Mapping[str, Any], password: str, therapist_id: int | None = None) -> User:
    """A new login with its first password (the person changes it once signed in)."""
    values = _login_values(raw, therapist_id, password)
    with database_proxy.atomic():
        _refuse_taken(values["username"])
        return records.save_record(
            User,
            None,
            None,
            values,
            noun="login",
            create_with={"password_hash": hash_password(password)},
        )


@needs(Can.MANAGE_USERS)
def update_user(
    user_id: int, version: int, raw: Mapping[str, Any], therapist_id: int | None = None
) -> User:
    """Change a login's name, role or therapist, as opened at `version`."""
    values = _login_values(raw, therapist_id, None)
    with database_proxy.atomic():
        _refuse_taken(values["username"], user_id)
        if values["role"] != access.OWNER:
            _keep_an_owner(user_id)
        return records.save_record(User, user_id, version, values, noun="login")


@needs(Can.MANAGE_USERS)
def set_user_active(user_id: int, version: int, active: bool) -> User:
    """Disable a login (its history stays), or enable it again."""
    me = access.signed_in()
    if not active and me is not None and me.user_id == user_id:
        raise NotAllowed("you cannot disable your own login", "Ask another owner to do it.")
    with database_proxy.atomic():
        if not active:
            _keep_an_owner(user_id)
        return records.save_record(User, user_id, version, {"active": active}, noun="login")


def _keep_an_owner(user_id: int) -> None:
    """Refuse what would leave the clinic without an active owner's login."""
    user = User.get_or_none(User.id == user_id)
    if user is None or user.role != access.OWNER or not user.active:
        return
    others = User.select().where((User.role == access.OWNER) & User.active & (User.id != user_id))
    if not others.exists():
        raise NotAllowed(
            "this is the clinic's only active owner login",
            "Make another login an owner first.",
        )


@needs(Can.MANAGE_USERS)
def reset_password(user_id: int, new_password: str) -> None:
    """The owner sets a new password for someone who forgot theirs (it also ends a lockout)."""
    with database_proxy.atomic():
        user = records.get_record(User, user_id, "login")
        check_password(new_password, user.username, NEW_PASSWORD)
        _set_password(user, new_password)
        audit.record("password_reset", "user", user.id)


def change_own_password(current: str, new_password: str) -> None:
    """The person signed in changes their password; the current one must be right."""
    actor = access.signed_in()
    if actor is None or actor.user_id is None:
        raise NotAllowed("nobody is signed in with a login", "Sign in, then try again.")
    with database_proxy.atomic():
        user = records.get_record(User, actor.user_id, "login")
        if not _password_matches(user, current):
            raise ValidationError("Current password", "That is not your current password.")
        check_password(new_password, user.username, NEW_PASSWORD)
        _set_password(user, new_password)
        audit.record("password_change", "user", user.id)


def _set_password(user: User, password: str) -> None:
    User.update(
        password_hash=hash_password(password),
        failed_sign_ins=0,
        locked_until=None,
        version=User.version + 1,
    ).where(User.id == user.id).execute()


def create_first_owner(raw: Mapping[str, Any], password: str) -> access.Actor:
    """The owner's login of a clinic that has none yet (a new clinic, or one from before
    logins); refused once any login exists."""
    values = _login_values({**raw, "role": access.OWNER}, None, password)
    with database_proxy.atomic():
        if has_logins():
            raise NotAllowed("this clinic already has logins", "Sign in with one of them.")
        user = User.create(**values, password_hash=hash_password(password))
        audit.record("create", "user", user.id, actor=user.username)
    return actor_of(user)


def set_up_clinic(
    clinic_raw: Mapping[str, Any],
    therapist_raw: Mapping[str, Any],
    owner_raw: Mapping[str, Any],
    password: str,
) -> access.Actor:
    """First run: the clinic, its first therapist and the owner's login, saved together or
    not at all; every refused field is named at once."""
    from frontdesk.services import clinic

    errors = ErrorCollector()
    errors.check(clean_all, clinic.CLINIC_RULES, clinic_raw)
    errors.check(clean_all, clinic.THERAPIST_RULES, therapist_raw)
    errors.check(_login_values, {**owner_raw, "role": access.OWNER}, None, password)
    errors.raise_if_any()
    with database_proxy.atomic():
        clinic.setup_clinic(clinic_raw, therapist_raw)
        return create_first_owner(owner_raw, password)
