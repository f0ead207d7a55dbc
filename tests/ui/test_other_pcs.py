"""Two copies of Front Desk on one clinic database (a file, or the clinic server): each sees
the other's saves without asking, and neither overwrites the other's silently."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from helpers import (
    CLIENT_FORM,
    add_client,
    answering,
    enter_text,
    find_input,
    open_edit_form,
    press,
)
from PySide6.QtCore import Qt

from frontdesk.models import Client
from ui import change_watch

pytestmark = pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def window(open_window, set_up_clinic, database):
    return open_window(database.location)


def _another_copy_saves(location: str, form: dict, client_id: int | None = None, version=None):
    """Another Front Desk process on the same database saves a client, as another PC would."""
    script = textwrap.dedent(
        f"""
        from frontdesk import access, db
        from frontdesk.services import clients
        access.sign_in_as(access.Actor(None, "front desk 2", access.OWNER))
        db.open_database({location!r})
        clients.save_client({form!r}, {client_id!r}, version={version!r})
        db.close_database()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def _listed(window) -> list[str]:
    model = window.clients_screen.list_page.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_a_client_registered_on_another_pc_appears_in_the_list_without_asking(window, database):
    add_client(last_name="Adams")
    window.clients_screen.list_page.refresh()
    assert _listed(window) == ["Adams, Zelda"]
    _another_copy_saves(database.location, {**CLIENT_FORM, "last_name": "Baker"})
    window.session.changes.look()  # as its timer does every few seconds
    assert _listed(window) == ["Adams, Zelda", "Baker, Zelda"]


def test_this_pcs_own_saves_do_not_make_the_lists_read_again(window, monkeypatch):
    window.session.changes.look()
    read_again: list[object] = []
    monkeypatch.setattr(change_watch, "refresh_lists_in_view", read_again.append)
    add_client(last_name="Adams")
    window.session.changes.look()
    assert read_again == []


def test_a_save_over_another_pcs_newer_change_is_refused_and_reload_shows_it(
    qtbot, window, database
):
    zelda = add_client(city="Salem")
    open_edit_form(qtbot, window, zelda)
    theirs = {**CLIENT_FORM, "city": "Salem", "mobile_phone": "503 555 0199"}
    _another_copy_saves(database.location, theirs, zelda.id, zelda.version)
    enter_text(qtbot, window, "City", "Portland")
    with answering(qtbot, "Reload their version"):
        press(qtbot, Qt.Key.Key_Return)
    assert find_input(window, "Mobile phone").text() == "(503) 555-0199"
    assert Client.get_by_id(zelda.id).city == "Salem"  # nothing overwritten
    enter_text(qtbot, window, "City", "Portland")
    press(qtbot, Qt.Key.Key_Return)
    stored = Client.get_by_id(zelda.id)
    assert (stored.city, stored.mobile_phone) == ("Portland", "+15035550199")
