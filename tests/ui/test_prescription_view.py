"""A client's prescriptions: the list on the summary, one prescription's view, renewing, scans."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from helpers import (
    answering,
    click_button,
    find_input,
    form_rows,
    group_box,
    open_client_summary,
    open_prescription,
    press,
    table_rows,
    visible_buttons,
    visible_texts,
)
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
from test_pdf_view import make_pdf

from frontdesk import formatting
from frontdesk.models import Client, Prescription, PrescriptionScan
from frontdesk.services import prescriptions
from ui.scan_view import NO_SCAN
from ui.screens.prescription_view import PrescriptionViewPage

TODAY = formatting.us_date(date.today())
BACK_PAIN_CODES = "M54.50  Low back pain, unspecified\nM62.830  Muscle spasm of back"


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    """Scans render in the background: let that finish before the window goes."""
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def allen(demo_window) -> Client:
    """The first demo client treated for low back pain: active, 2 of 12 visits used."""
    return (
        Client.select()
        .join(Prescription)
        .where(Prescription.reason == "Low back pain", Client.archived == False)  # noqa: E712
        .order_by(Client.last_name)
        .first()
    )


def details(window) -> dict[str, str]:
    return form_rows(group_box(window, "The physician's order"))


def heading(window) -> str:
    return window.clients_screen.pages.currentWidget().heading.text()


def stored_prescriptions(client: Client) -> list[Prescription]:
    return list(
        Prescription.select().where(Prescription.client == client).order_by(Prescription.id)
    )


# --- the list on the summary, the view, renewing -----------------------------------------


def test_the_summary_lists_prescriptions_newest_first_with_state_and_visits(
    qtbot, demo_window, allen
):
    [old] = stored_prescriptions(allen)
    prescriptions.save_prescription(prescriptions.renew_values(old.id), allen.id)
    open_client_summary(qtbot, demo_window, allen)
    listed = table_rows(demo_window, "Client's prescriptions")
    assert [(r["Written"], r["State"], r["Visits used"]) for r in listed] == [
        (TODAY, "Active", "0 of 12 visits"),
        (formatting.us_date(old.written_on), "Active", "2 of 12 visits"),
    ]


def test_open_prescription_shows_its_codes_with_descriptions_and_visits(qtbot, demo_window, allen):
    [stored] = stored_prescriptions(allen)
    open_prescription(qtbot, demo_window, allen)
    assert heading(demo_window) == f"Prescription of {formatting.us_date(stored.written_on)}"
    shown = details(demo_window)
    assert shown["Reason for medical necessity"] == "Low back pain"
    assert shown["Diagnosis codes"] == BACK_PAIN_CODES
    assert shown["Visits"] == "2 used, 10 left"
    assert shown["End date"] == formatting.us_date(stored.end_date)
    assert "Active" in visible_texts(demo_window)  # the state chip


def test_renew_fills_the_form_from_the_old_one_and_saving_adds_a_second(qtbot, demo_window, allen):
    open_client_summary(qtbot, demo_window, allen)
    click_button(qtbot, demo_window, "Renew prescription")
    assert heading(demo_window) == f"Renew prescription: {allen.display_name}"
    assert find_input(demo_window, "Date written").text() == TODAY
    end = prescriptions.end_date_for(date.today(), 6, "month")
    assert find_input(demo_window, "End date").text() == formatting.us_date(end)
    codes = find_input(demo_window, "Chosen diagnosis codes")
    assert [codes.item(row).text() for row in range(codes.count())] == [
        "1. M54.50  Low back pain, unspecified (primary)",
        "2. M62.830  Muscle spasm of back",
    ]

    click_button(qtbot, demo_window, "Save prescription")

    old, new = stored_prescriptions(allen)
    assert (new.written_on, new.end_date) == (date.today(), end)
    assert [d.code for d in new.diagnoses] == ["M54.50", "M62.830"]
    assert (new.reason, new.body_areas) == (old.reason, old.body_areas)
    assert heading(demo_window) == f"Prescription of {TODAY}"
    assert details(demo_window)["Visits"] == "0 used, 12 left"


def test_esc_on_an_unchanged_renewal_goes_back_to_the_summary_without_a_question(
    qtbot, demo_window, allen
):
    open_client_summary(qtbot, demo_window, allen)
    click_button(qtbot, demo_window, "Renew prescription")
    press(qtbot, Qt.Key.Key_Escape)
    assert QApplication.activeModalWidget() is None
    assert heading(demo_window) == allen.display_name
    assert "Renew prescription" in visible_buttons(demo_window)
    assert len(stored_prescriptions(allen)) == 1


def test_cancel_on_an_unchanged_edit_goes_back_to_the_prescription(qtbot, demo_window, allen):
    open_prescription(qtbot, demo_window, allen)
    click_button(qtbot, demo_window, "Edit prescription")
    assert heading(demo_window) == f"Edit prescription: {allen.display_name}"
    click_button(qtbot, demo_window, "Cancel")
    assert QApplication.activeModalWidget() is None
    assert details(demo_window)["Visits"] == "2 used, 10 left"


# --- the scanned copy ---------------------------------------------------------------------


@pytest.fixture
def scan_file(monkeypatch: pytest.MonkeyPatch):
    """Answer the file dialog of "Attach scan" with the given path."""

    def choose(path: Path) -> None:
        monkeypatch.setattr(PrescriptionViewPage, "choose_scan_file", lambda _page: path)

    return choose


def png_file(folder: Path) -> Path:
    """A scanned-looking page: white paper with a dark block of writing."""
    image = QImage(850, 1100, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.fillRect(80, 80, 400, 300, QColor("#1b2a3a"))
    painter.end()
    path = folder / "rx-scan.png"
    assert image.save(str(path))
    return path


def pdf_file(folder: Path, pages: int) -> Path:
    path = folder / "rx-scan.pdf"
    path.write_bytes(make_pdf(pages))
    return path


def scan_viewer(window):
    return find_input(window, "Scanned copy")


def wait_for_scan_pages(qtbot, window, count: int) -> None:
    """The "Scanned copy" viewer shows `count` rendered pages."""
    qtbot.waitUntil(lambda: len(scan_viewer(window).images()) == count, timeout=10_000)
    assert scan_viewer(window).page_count() == count


def reopen(qtbot, window, client: Client) -> None:
    click_button(qtbot, window, "Back to client")
    click_button(qtbot, window, "Open prescription")


def kept_scans(client: Client) -> list[tuple[str, str]]:
    query = PrescriptionScan.select().join(Prescription).where(Prescription.client == client)
    return [(scan.filename, scan.media_type) for scan in query]


def test_an_attached_png_is_kept_and_shown_after_reopening(
    qtbot, demo_window, allen, scan_file, tmp_path
):
    open_prescription(qtbot, demo_window, allen)
    assert NO_SCAN in visible_texts(demo_window)
    scan_file(png_file(tmp_path))
    click_button(qtbot, demo_window, "Attach scan")
    assert kept_scans(allen) == [("rx-scan.png", "image/png")]
    wait_for_scan_pages(qtbot, demo_window, 1)

    reopen(qtbot, demo_window, allen)
    wait_for_scan_pages(qtbot, demo_window, 1)
    assert {"Replace scan", "Remove scan"} <= set(visible_buttons(demo_window))
    assert NO_SCAN not in visible_texts(demo_window)


def test_an_attached_pdf_is_kept_and_shows_every_page(
    qtbot, demo_window, allen, scan_file, tmp_path
):
    open_prescription(qtbot, demo_window, allen)
    scan_file(pdf_file(tmp_path, pages=2))
    click_button(qtbot, demo_window, "Attach scan")
    assert kept_scans(allen) == [("rx-scan.pdf", "application/pdf")]

    reopen(qtbot, demo_window, allen)
    wait_for_scan_pages(qtbot, demo_window, 2)


def test_a_text_file_named_pdf_is_refused_and_nothing_is_kept(
    qtbot, demo_window, allen, scan_file, tmp_path
):
    fake = tmp_path / "prescription.pdf"
    fake.write_text("Dr. Chen: massage 2x/month for 6 months\n")
    open_prescription(qtbot, demo_window, allen)
    scan_file(fake)
    click_button(qtbot, demo_window, "Attach scan")
    assert find_input(demo_window, "Prescription message").text() == (
        "Not attached: this file is a text file; save the scan as a PDF, JPEG or PNG."
    )
    assert kept_scans(allen) == []
    assert NO_SCAN in visible_texts(demo_window)
    assert "Remove scan" not in visible_buttons(demo_window)


def test_replace_scan_asks_first_and_no_keeps_the_old_one(
    qtbot, demo_window, allen, scan_file, tmp_path
):
    open_prescription(qtbot, demo_window, allen)
    scan_file(png_file(tmp_path))
    click_button(qtbot, demo_window, "Attach scan")
    scan_file(pdf_file(tmp_path, pages=1))
    with answering(qtbot, "No", title="Replace scan") as box:
        click_button(qtbot, demo_window, "Replace scan")
    assert box.text == "Replace the scanned copy kept now with this file?"
    assert kept_scans(allen) == [("rx-scan.png", "image/png")]
    wait_for_scan_pages(qtbot, demo_window, 1)


def test_remove_scan_asks_first_then_removes_it(qtbot, demo_window, allen, scan_file, tmp_path):
    open_prescription(qtbot, demo_window, allen)
    scan_file(png_file(tmp_path))
    click_button(qtbot, demo_window, "Attach scan")
    wait_for_scan_pages(qtbot, demo_window, 1)
    with answering(qtbot, "Yes", title="Remove scan") as box:
        click_button(qtbot, demo_window, "Remove scan")
    assert box.text == "Remove the scanned copy of this prescription?"
    assert kept_scans(allen) == []
    assert NO_SCAN in visible_texts(demo_window)
    assert "Attach scan" in visible_buttons(demo_window)
    assert "Remove scan" not in visible_buttons(demo_window)
