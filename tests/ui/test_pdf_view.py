"""The PDF preview: every page shown, saved byte for byte, printed page for page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest
from helpers import (
    answering,
    click_button,
    find_button,
    find_input,
    pdf_printer,
    press,
    visible_texts,
)
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialog, QFileDialog
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from ui.pdf_view import PageView, PdfPages, PdfPreviewDialog, render_pages

LETTER_AT_72_DPI = (612, 792)


def make_pdf(pages: int = 2) -> bytes:
    """A real PDF from reportlab: a heading and a solid block on each page."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=LETTER)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 24)
        canvas.drawString(72, 700, f"Receipt page {number}")
        canvas.rect(72, 400, 200, 200, fill=1)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def dark_share(image: QImage) -> float:
    """The share of a picture's pixels (sampled) that are dark: 0.0 for a blank page."""
    points = [(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)]
    return sum(image.pixelColor(x, y).lightness() < 100 for x, y in points) / len(points)


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def open_preview(qtbot):
    def open_it(pdf_bytes: bytes, **options) -> PdfPreviewDialog:
        dialog = PdfPreviewDialog(pdf_bytes, "Receipt 1042", "receipt-1042.pdf", **options)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return open_it


def shown_pages(dialog: PdfPreviewDialog) -> list[PageView]:
    return [view for view in dialog.findChildren(PageView) if view.isVisible()]


def wait_for_pages(qtbot, dialog: PdfPreviewDialog, count: int) -> list[PageView]:
    def all_rendered() -> None:
        pages = shown_pages(dialog)
        assert len(pages) == count
        assert all(not page.image.isNull() for page in pages)

    qtbot.waitUntil(all_rendered, timeout=10_000)
    return shown_pages(dialog)


def test_render_pages_gives_one_picture_per_page() -> None:
    images = render_pages(make_pdf(2), dpi=72)

    assert [(image.width(), image.height()) for image in images] == [LETTER_AT_72_DPI] * 2
    assert all(dark_share(image) > 0.05 for image in images)


def test_the_preview_shows_every_page_readably(qtbot, open_preview) -> None:
    dialog = open_preview(make_pdf(2))

    pages = wait_for_pages(qtbot, dialog, 2)

    assert "2 pages" in visible_texts(dialog)
    assert find_input(dialog, "Page 1 of 2") is pages[0]
    assert find_input(dialog, "Page 2 of 2") is pages[1]
    viewport = dialog.pages.viewport()
    for page in pages:
        assert 600 <= page.width() <= viewport.width()  # as wide as the area: readable
        assert page.height() == round(page.width() * 11 / 8.5)  # Letter, neither cut nor squashed
        assert dark_share(page.grab().toImage()) > 0.05  # the page's content is painted
    assert dialog.windowTitle() == "Receipt 1042"


def test_the_window_opens_before_the_pages_are_rendered(qtbot) -> None:
    dialog = PdfPreviewDialog(make_pdf(30), "Year-end statement", "statement.pdf")
    qtbot.addWidget(dialog)

    assert dialog.pages.images() == []  # nothing was rendered while the window was being made

    dialog.show()
    wait_for_pages(qtbot, dialog, 30)
    assert "30 pages" in visible_texts(dialog)


def test_closing_stops_the_rendering(qtbot, open_preview, monkeypatch) -> None:
    rendered: list[int] = []
    render = PdfPages.image

    def counted(pages: PdfPages, index: int, dpi: float) -> QImage:
        rendered.append(index)
        return render(pages, index, dpi)

    monkeypatch.setattr(PdfPages, "image", counted)
    dialog = open_preview(make_pdf(150))
    qtbot.waitUntil(lambda: len(dialog.pages.images()) > 0)

    click_button(qtbot, dialog, "Close")

    assert QThreadPool.globalInstance().waitForDone(10_000)
    assert len(rendered) < 150


def test_save_as_pdf_writes_the_same_bytes(qtbot, open_preview, monkeypatch, tmp_path) -> None:
    pdf = make_pdf(2)
    dialog = open_preview(pdf)
    target = tmp_path / "saved.pdf"
    asked: list[str] = []

    def choose_file(_parent, _caption, suggested, _filter):
        asked.append(suggested)
        return str(target), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose_file)
    click_button(qtbot, dialog, "Save as PDF…")

    assert target.read_bytes() == pdf
    assert asked == [str(Path(platformdirs.user_documents_dir()) / "receipt-1042.pdf")]
    assert f"Saved to {target}." in visible_texts(dialog)
    assert list(tmp_path.glob(".*.tmp")) == []


def test_saving_into_a_missing_folder_says_so(qtbot, open_preview, monkeypatch, tmp_path) -> None:
    dialog = open_preview(make_pdf(2))
    target = tmp_path / "no such folder" / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(target), ""))

    click_button(qtbot, dialog, "Save as PDF…")

    status = find_input(dialog, "Status")
    assert status.text().startswith("Not saved: the folder")
    assert "does not exist" in status.text()
    assert not target.exists()
    assert dialog.isVisible()
    assert find_button(dialog, "Save as PDF…").isEnabled()


def test_cancelling_the_save_dialog_writes_nothing(qtbot, open_preview, monkeypatch) -> None:
    dialog = open_preview(make_pdf(1))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: ("", ""))

    click_button(qtbot, dialog, "Save as PDF…")

    assert find_input(dialog, "Status").text() == ""


def test_print_sends_every_page_to_the_printer(qtbot, open_preview, tmp_path) -> None:
    printed = tmp_path / "printed.pdf"
    dialog = open_preview(make_pdf(2), make_printer=pdf_printer(printed))
    wait_for_pages(qtbot, dialog, 2)

    with answering(qtbot, "Print"):
        click_button(qtbot, dialog, "Print…")

    status = find_input(dialog, "Status")
    qtbot.waitUntil(lambda: status.text() == "Sent 2 pages to the printer.", timeout=10_000)
    pages = render_pages(printed.read_bytes(), dpi=72)
    assert [(page.width(), page.height()) for page in pages] == [LETTER_AT_72_DPI] * 2
    assert all(dark_share(page) > 0.05 for page in pages)  # the pictures, not blank paper
    assert find_button(dialog, "Print…").isEnabled()


def test_cancelling_the_print_dialog_prints_nothing(qtbot, open_preview, tmp_path) -> None:
    printed = tmp_path / "printed.pdf"
    dialog = open_preview(make_pdf(2), make_printer=pdf_printer(printed))

    with answering(qtbot, "Cancel"):
        click_button(qtbot, dialog, "Print…")

    assert not printed.exists()
    assert find_input(dialog, "Status").text() == ""


def test_a_printer_that_cannot_start_is_reported(
    qtbot, open_preview, monkeypatch, tmp_path
) -> None:
    # The print dialog refuses an unwritable file, so this printer fails only once accepted.
    monkeypatch.setattr(QPrintDialog, "exec", lambda _dialog: QDialog.DialogCode.Accepted)
    missing = tmp_path / "no such folder" / "printed.pdf"
    dialog = open_preview(make_pdf(2), make_printer=pdf_printer(missing))

    click_button(qtbot, dialog, "Print…")

    status = find_input(dialog, "Status")
    qtbot.waitUntil(lambda: status.text().startswith("Not printed:"), timeout=10_000)
    assert status.text() == (
        "Not printed: the printer could not be started; check that it is on, then try again."
    )
    assert dialog.isVisible()


@pytest.mark.parametrize(
    ("pdf_bytes", "reason"),
    [(b"", "the file is empty"), (b"%PDF-1.4 torn off", "it is damaged or not a PDF")],
)
def test_a_broken_pdf_shows_a_message(qtbot, open_preview, pdf_bytes, reason) -> None:
    dialog = open_preview(pdf_bytes)

    message = f"This PDF cannot be shown: {reason}."
    qtbot.waitUntil(lambda: message in visible_texts(dialog), timeout=10_000)
    assert shown_pages(dialog) == []
    assert not find_button(dialog, "Print…").isEnabled()
    assert not find_button(dialog, "Save as PDF…").isEnabled()


def test_escape_closes_the_preview(qtbot, open_preview) -> None:
    dialog = open_preview(make_pdf(1))
    wait_for_pages(qtbot, dialog, 1)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow())

    press(qtbot, Qt.Key.Key_Escape)

    assert not dialog.isVisible()


def test_close_closes_the_preview(qtbot, open_preview) -> None:
    dialog = open_preview(make_pdf(1))

    click_button(qtbot, dialog, "Close")

    assert not dialog.isVisible()
