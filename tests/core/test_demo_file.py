"""The demo clinic lives in a file of its own, beside the clinic's database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from frontdesk import db
from frontdesk.demo import DatabaseNotEmpty, demo_path_for, is_demo_clinic, open_demo_clinic
from frontdesk.models import Client
from frontdesk.services import clinic


def test_the_demo_file_sits_beside_the_database_and_is_never_the_database():
    assert demo_path_for(Path("/clinic/frontdesk.db")) == Path("/clinic/frontdesk-demo.db")
    assert demo_path_for(Path("/clinic/records")) == Path("/clinic/records-demo.db")


def test_a_demo_already_there_is_opened_as_it_is(demo_template, db_path):
    shutil.copyfile(demo_template, demo_path_for(db_path))
    try:
        assert open_demo_clinic(db_path) == demo_path_for(db_path)
        assert is_demo_clinic()
        assert Client.select().count() == 41
    finally:
        db.close_database()
    assert not db_path.exists()  # the clinic's own file was never touched


@pytest.mark.sqlite_only  # the demo clinic is a file of its own beside the clinic's
def test_a_real_clinic_is_not_a_demo_and_is_never_filled_with_one(set_up_clinic, db_path):
    assert not is_demo_clinic()
    db.close_database()
    shutil.copyfile(db_path, demo_path_for(db_path))
    try:
        with pytest.raises(DatabaseNotEmpty):
            open_demo_clinic(db_path)
        assert not Client.select().exists()
        assert not clinic.needs_setup()
    finally:
        db.close_database()
