"""Logins: passwords, sign-in and its lockout (with a fake clock), the owner's changes, and
the first owner's login of a clinic that has none."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from frontdesk import access, db
from frontdesk.models import AuditEvent, Therapist, User
from frontdesk.services import users
from frontdesk.storage_errors import NotAllowed
from frontdesk.validation import ValidationError, ValidationErrors
from tests.conftest import CLINIC
from tests.core.test_schema_v4 import _insert, _version_3_file

PASSWORD = "harbor lights 42"
OWNER = {"username": "Dana.Reyes", "full_name": "Dana Reyes"}
DESK = {"username": "sam", "full_name": "Sam Ortiz", "role": "Front desk"}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, 0)

    def __call__(self) -> datetime:
        return self.now


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


def _front_desk() -> User:
    return users.add_user(DESK, PASSWORD)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short one", "at least 10 characters"),
        ("Password123", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("sam-at-the-desk", "may not contain the login name"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(set_up_clinic, password, why):
    with pytest.raises(ValidationErrors) as refused:
        users.add_user(DESK, password)
    assert [e.field for e in refused.value.errors] == ["Password"]
    assert why in refused.value.errors[0].message
    assert User.select().count() == 0


def test_the_password_is_kept_only_as_an_argon2id_hash(set_up_clinic):
    user = _front_desk()
    assert user.username == "sam" and user.role == access.FRONT_DESK
    stored = User.get_by_id(user.id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_names_the_person_and_their_role_and_is_audited(set_up_clinic):
    _front_desk()
    person = users.sign_in("  SAM ", PASSWORD)
    assert (person.username, person.role, person.full_name) == ("sam", "front_desk", "Sam Ortiz")
    assert [e.actor for e in _events("sign_in")] == ["sam"]


def test_a_wrong_password_or_unknown_login_is_refused_alike_and_audited(set_up_clinic):
    _front_desk()
    for name, password in (("sam", "not the password"), ("nobody", PASSWORD)):
        with pytest.raises(users.SignInRefused, match="do not match"):
            users.sign_in(name, password)
    assert [e.actor for e in _events("sign_in_failed")] == ["sam", "(unknown login)"]


def test_five_wrong_passwords_lock_the_login_for_five_minutes(set_up_clinic):
    clock = Clock()
    user = _front_desk()
    for _ in range(4):
        with pytest.raises(users.SignInRefused, match="do not match"):
            users.sign_in("sam", "wrong password", clock)
    with pytest.raises(users.SignInRefused, match="locked until 9:05 AM"):
        users.sign_in("sam", "wrong password", clock)
    clock.now += timedelta(minutes=4)
    with pytest.raises(users.SignInRefused, match="locked until 9:05 AM"):
        users.sign_in("sam", PASSWORD, clock)  # even the right password waits
    assert len(_events("login_locked")) == 1
    assert len(_events("sign_in_failed")) == 6
    clock.now += timedelta(minutes=1, seconds=1)
    assert users.sign_in("sam", PASSWORD, clock).user_id == user.id
    assert User.get_by_id(user.id).failed_sign_ins == 0


def test_a_right_password_clears_the_count_of_wrong_ones(set_up_clinic):
    clock = Clock()
    _front_desk()
    for _ in range(4):
        with pytest.raises(users.SignInRefused):
            users.sign_in("sam", "wrong password", clock)
    users.sign_in("sam", PASSWORD, clock)
    with pytest.raises(users.SignInRefused, match="do not match"):
        users.sign_in("sam", "wrong password", clock)  # one wrong, not the fifth


def test_a_disabled_login_cannot_sign_in(set_up_clinic):
    user = _front_desk()
    users.set_user_active(user.id, user.version, False)
    with pytest.raises(users.SignInRefused, match="disabled"):
        users.sign_in("sam", PASSWORD)


def test_a_therapist_login_is_tied_to_a_therapist(set_up_clinic):
    _, therapist = set_up_clinic
    form = {"username": "hannah", "full_name": "Hannah Okafor", "role": "Therapist"}
    with pytest.raises(ValidationErrors) as refused:
        users.add_user(form, PASSWORD)
    assert [e.field for e in refused.value.errors] == ["Therapist"]
    user = users.add_user(form, PASSWORD, therapist.id)
    person = users.sign_in("hannah", PASSWORD)
    assert (person.role, person.therapist_id) == (access.THERAPIST, therapist.id)
    assert User.get_by_id(user.id).therapist_id == Therapist.get().id


def test_a_login_name_is_taken_once(set_up_clinic):
    _front_desk()
    with pytest.raises(ValidationErrors, match="taken"):
        users.add_user({**DESK, "username": "SAM", "full_name": "Another Sam"}, PASSWORD)
    assert User.select().count() == 1


def test_the_clinic_keeps_an_active_owner(set_up_clinic):
    owner = users.add_user({**OWNER, "role": "Owner"}, PASSWORD)
    with pytest.raises(NotAllowed, match="only active owner"):
        users.set_user_active(owner.id, owner.version, False)
    with pytest.raises(NotAllowed, match="only active owner"):
        users.update_user(owner.id, owner.version, {**OWNER, "role": "Front desk"})
    assert User.get_by_id(owner.id).active and User.get_by_id(owner.id).role == access.OWNER


def test_the_owner_resets_a_password_which_also_ends_a_lockout(set_up_clinic):
    clock = Clock()
    user = _front_desk()
    for _ in range(5):
        with pytest.raises(users.SignInRefused):
            users.sign_in("sam", "wrong password", clock)
    users.reset_password(user.id, "a brand new secret")
    assert users.sign_in("sam", "a brand new secret", clock).user_id == user.id
    assert [e.entity_id for e in _events("password_reset")] == [user.id]


def test_only_the_owner_manages_logins(set_up_clinic):
    user = _front_desk()
    with access.acting_as(users.sign_in("sam", PASSWORD)):
        with pytest.raises(NotAllowed, match="Front desk logins may not add or change logins"):
            users.add_user({**DESK, "username": "kim"}, PASSWORD)
        with pytest.raises(NotAllowed):
            users.reset_password(user.id, "another good secret")
        with pytest.raises(NotAllowed):
            users.list_users()
    assert User.select().count() == 1


def test_anyone_changes_their_own_password_knowing_the_current_one(set_up_clinic):
    _front_desk()
    with access.acting_as(users.sign_in("sam", PASSWORD)):
        with pytest.raises(ValidationError, match="not your current password"):
            users.change_own_password("wrong password", "my new long secret")
        with pytest.raises(ValidationError, match="at least 10"):
            users.change_own_password(PASSWORD, "short")
        users.change_own_password(PASSWORD, "my new long secret")
        assert (
            AuditEvent.select().where(AuditEvent.action == "password_change").get().actor == "sam"
        )
    assert users.sign_in("sam", "my new long secret").username == "sam"
    with pytest.raises(users.SignInRefused):
        users.sign_in("sam", PASSWORD)


def test_the_first_owner_login_is_made_once(set_up_clinic):
    with access.acting_as(None):
        assert not users.has_logins()
        owner = users.create_first_owner(OWNER, PASSWORD)
        assert (owner.username, owner.role) == ("dana.reyes", access.OWNER)
        with pytest.raises(NotAllowed, match="already has logins"):
            users.create_first_owner({**OWNER, "username": "intruder"}, PASSWORD)
    assert [u.username for u in User.select()] == ["dana.reyes"]


def test_unlocking_takes_the_same_person_or_an_owner(set_up_clinic):
    users.add_user({**OWNER, "role": "Owner"}, PASSWORD)
    _front_desk()
    users.add_user({**DESK, "username": "kim", "full_name": "Kim Lee"}, PASSWORD)
    sam = users.sign_in("sam", PASSWORD)
    assert users.may_unlock(sam, "sam", PASSWORD).username == "sam"
    assert users.may_unlock(sam, "dana.reyes", PASSWORD).role == access.OWNER
    with pytest.raises(users.SignInRefused, match="Only Sam Ortiz or the clinic's owner"):
        users.may_unlock(sam, "kim", PASSWORD)


def test_an_older_file_keeps_its_logins_under_the_new_role_names(db_path):
    _version_3_file(db_path)
    with sqlite3.connect(db_path) as raw:
        _insert(raw, "user", username="Desk1", password_hash="x", role="reception", active=1)
    raw.close()
    database = db.open_database(db_path)
    try:
        assert db.schema_version(database) == db.LATEST_VERSION >= 8
        user = User.get()
        assert (user.username, user.role, user.failed_sign_ins, user.locked_until) == (
            "desk1",
            access.FRONT_DESK,
            0,
            None,
        )
    finally:
        db.close_database()


def test_a_person_stays_signed_in_only_while_their_login_is_as_it_was(set_up_clinic):
    user = _front_desk()
    sam = users.sign_in("sam", PASSWORD)
    assert users.still_signed_in(sam)
    assert users.still_signed_in(access.command_line("desk-pc"))  # no login to check
    kim_login = users.add_user({**DESK, "username": "kim", "full_name": "Kim Lee"}, PASSWORD)
    kim = users.sign_in("kim", PASSWORD)
    users.update_user(kim_login.id, kim_login.version, {**DESK, "username": "kim", "role": "Owner"})
    assert not users.still_signed_in(kim)  # a changed (or restored) login signs in again
    users.set_user_active(user.id, user.version, False)
    assert not users.still_signed_in(sam)


def test_the_lock_time_changes_that_alone_and_a_profile_open_elsewhere_is_refused(set_up_clinic):
    from frontdesk.models import ClinicProfile
    from frontdesk.services import clinic
    from frontdesk.services.records import RecordChanged

    opened = ClinicProfile.get()  # the Clinic tab open on another PC
    assert clinic.set_lock_minutes("25") == 25
    now = ClinicProfile.get()
    assert (now.lock_after_minutes, now.name) == (25, opened.name)
    assert now.version == opened.version + 1
    with pytest.raises(RecordChanged):
        clinic.update_clinic_profile({**CLINIC, "name": "Renamed Clinic"}, opened.version)
    with pytest.raises(ValidationError, match="240"):
        clinic.set_lock_minutes("0")
