"""Exports from the screens: a client's record from their summary, CSV lists from Settings."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from helpers import (
    click_button,
    demo_client,
    field_error,
    fill,
    find_input,
    open_client_summary,
    press,
    visible_buttons,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from frontdesk.models import AuditEvent, Client, Payment
from frontdesk.services import records_export


def _choose_folder(monkeypatch, folder: Path | str) -> list[str]:
    """The folder dialog answers `folder`; returns the headings it was opened with."""
    asked: list[str] = []

    def answer(_parent, heading, *_args, **_kwargs) -> str:
        asked.append(heading)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", answer)
    return asked


def _save_as(monkeypatch, path: Path | None) -> list[str]:
    """The save dialog answers `path` (None: cancelled); returns the names it suggested."""
    suggested: list[str] = []

    def answer(_parent, _heading, name, *_args, **_kwargs) -> tuple[str, str]:
        suggested.append(Path(name).name)
        return (str(path) if path else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return suggested


def _shown(qtbot, parent, name: str) -> str:
    """The text of the line `name` once the export in the background has reported."""
    qtbot.waitUntil(lambda: any(w.isVisible() for w in _named(parent, name)))
    [line] = [w for w in _named(parent, name) if w.isVisible()]
    return line.text()


def _named(parent, name: str) -> list[QLabel]:
    return [w for w in parent.findChildren(QLabel) if w.accessibleName() == name]


# --- a client's record from the summary ------------------------------------------------------


@pytest.fixture
def summary(qtbot, demo_window):
    client = demo_client()
    open_client_summary(qtbot, demo_window, client)
    return demo_window, client


def test_export_record_writes_the_folder_and_says_where(qtbot, summary, monkeypatch):
    window, client = summary
    records = Path.home() / "Records"
    asked = _choose_folder(monkeypatch, records)
    assert "Export record…" in visible_buttons(window)
    click_button(qtbot, window, "Export record…")
    done = _shown(qtbot, window, "Done")
    assert asked == ["Export the client's record into"]
    [folder] = records.iterdir()
    assert folder.name.startswith(f"client-{client.id}-record-{date.today().isoformat()}")
    assert done.startswith(f"Record exported to ~/Records/{folder.name} (")
    assert "visits" in done
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    assert record["client"]["id"] == client.id
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.action, event.entity, event.entity_id) == ("export", "client", client.id)


def test_a_folder_that_cannot_be_written_is_refused_beside_the_buttons(qtbot, summary, monkeypatch):
    window, _ = summary
    blocked = Path.home() / "a file"
    blocked.write_text("")
    _choose_folder(monkeypatch, blocked)
    click_button(qtbot, window, "Export record…")
    message = _shown(qtbot, window, "Action message")
    assert message.startswith("Not exported: The folder ~/a file could not be written (")
    assert str(Path.home()) not in message


def test_cancelling_the_folder_dialog_exports_nothing(qtbot, summary, monkeypatch):
    window, _ = summary
    before = AuditEvent.select().count()
    _choose_folder(monkeypatch, "")
    click_button(qtbot, window, "Export record…")
    assert AuditEvent.select().count() == before
    page = window.clients_screen.summary_page
    assert page.action_done.isHidden() and page.action_message.isHidden()


# --- Settings ▸ Export ------------------------------------------------------------------------


@pytest.fixture
def section(qtbot, demo_window):
    """Settings (Ctrl+6), its Export tab."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    screen = demo_window.settings_screen
    screen.sections.setCurrentWidget(screen.exports)
    return screen.exports


def _tabs(section) -> list[str]:
    tabs = section.parentWidget().parentWidget()  # the tab widget's stack, then the tab widget
    return [tabs.tabText(index) for index in range(tabs.count())]


def test_the_export_tab_comes_after_backups(section):
    tabs = _tabs(section)
    assert tabs.index("Backups") < tabs.index("Export") < tabs.index("Users")
    start, end = records_export.default_period()
    assert find_input(section, "From").text() == f"{start:%m/%d/%Y}"
    assert find_input(section, "To").text() == f"{end:%m/%d/%Y}"


def test_clients_are_saved_as_csv(qtbot, section, monkeypatch):
    out = Path.home() / "clients.csv"
    suggested = _save_as(monkeypatch, out)
    click_button(qtbot, section, "Clients (CSV)…")
    done = _shown(qtbot, section, "Done")
    assert suggested == [f"clients-{date.today().isoformat()}.csv"]
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == Client.select().count()
    assert done == f"Saved ~/clients.csv: {len(rows)} clients."


def test_payments_of_the_period_typed_are_saved(qtbot, section, monkeypatch):
    year = date.today().year
    fill(qtbot, section, "From", f"01/01/{year}")
    fill(qtbot, section, "To", f"12/31/{year}")
    out = Path.home() / "payments.csv"
    suggested = _save_as(monkeypatch, out)
    click_button(qtbot, section, "Payments (CSV)…")
    assert suggested == [f"payments-{year}-01-01-to-{year}-12-31.csv"]
    in_year = Payment.select().where(
        Payment.received_on.between(date(year, 1, 1), date(year, 12, 31))
    )
    assert _shown(qtbot, section, "Done") == (
        f"Saved ~/payments.csv: {in_year.count()} ledger entries from 01/01/{year} to 12/31/{year}."
    )


def test_a_bad_date_is_shown_beside_its_field_and_nothing_is_saved(qtbot, section, monkeypatch):
    fill(qtbot, section, "From", "13/45/2026")
    suggested = _save_as(monkeypatch, Path.home() / "payments.csv")
    before = AuditEvent.select().count()
    click_button(qtbot, section, "Payments (CSV)…")
    assert "not a real date" in field_error(section, "From")
    assert suggested == [] and AuditEvent.select().count() == before
    assert not (Path.home() / "payments.csv").exists()


def test_a_period_that_ends_before_it_starts_is_refused(qtbot, section, monkeypatch):
    fill(qtbot, section, "From", "02/01/2026")
    fill(qtbot, section, "To", "01/01/2026")
    suggested = _save_as(monkeypatch, Path.home() / "payments.csv")
    click_button(qtbot, section, "Payments (CSV)…")
    assert field_error(section, "To").startswith("this is before the From date (02/01/2026)")
    assert suggested == []


def test_a_file_that_cannot_be_written_is_refused(qtbot, section, monkeypatch):
    _save_as(monkeypatch, Path.home() / "no such folder" / "clients.csv")
    click_button(qtbot, section, "Clients (CSV)…")
    message = _shown(qtbot, section, "Message")
    assert message.startswith("Not exported: The folder ~/no such folder could not be written (")
