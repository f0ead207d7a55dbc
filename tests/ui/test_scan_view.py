"""The scan viewer: a stored PDF or picture as wide as its space, or a plain message."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import find_input, visible_texts
from PySide6.QtCore import QBuffer, Qt, QThreadPool
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QVBoxLayout, QWidget
from test_pdf_view import dark_share, make_pdf

from ui.pdf_view import PageView
from ui.scan_view import ScanView


def picture_bytes(kind: str, width: int = 850, height: int = 1100) -> bytes:
    """A scanned-looking page made with QImage: white paper, a dark block of "writing"."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.fillRect(80, 80, width // 2, height // 3, QColor("#1b2a3a"))
    painter.end()
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    assert image.save(buffer, kind)
    return bytes(buffer.data())


@pytest.fixture(autouse=True)
def no_work_left_behind() -> Iterator[None]:
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def viewer(qtbot) -> Iterator[ScanView]:
    """A scan viewer filling a small panel, as on the Prescriptions screen."""
    panel = QWidget()
    qtbot.addWidget(panel)
    view = ScanView(panel)
    QVBoxLayout(panel).addWidget(view)
    panel.resize(480, 600)
    panel.show()
    qtbot.waitExposed(panel)
    yield view  # the panel (kept here) holds the viewer


def wait_for_pages(qtbot, viewer: ScanView, count: int) -> list[PageView]:
    def shown() -> list[PageView]:
        return [page for page in viewer.findChildren(PageView) if page.isVisible()]

    def all_rendered() -> None:
        assert len(shown()) == count
        assert all(not page.image.isNull() for page in shown())

    qtbot.waitUntil(all_rendered, timeout=10_000)
    return shown()


def assert_fills_the_width(viewer: ScanView, page: PageView) -> None:
    gaps = viewer.viewport().width() - page.width()
    assert 0 < gaps <= 40, "the page is as wide as the space, less the margins"
    assert dark_share(page.grab().toImage()) > 0.05, "the writing on the page is painted"


def test_with_no_scan_it_says_so(viewer) -> None:
    assert "No scan attached." in visible_texts(viewer)
    assert find_input(viewer.window(), "Scan") is viewer


@pytest.mark.parametrize(("kind", "media_type"), [("PNG", "image/png"), ("JPG", "image/jpeg")])
def test_it_shows_a_picture_as_wide_as_its_space(qtbot, viewer, kind, media_type) -> None:
    viewer.show_scan(picture_bytes(kind), media_type)

    [page] = wait_for_pages(qtbot, viewer, 1)

    assert "No scan attached." not in visible_texts(viewer)
    assert page.accessibleName() == "Page 1 of 1"
    assert_fills_the_width(viewer, page)
    assert page.height() == round(page.width() * 1100 / 850)


def test_a_huge_photo_is_shrunk_but_keeps_its_shape(qtbot, viewer) -> None:
    viewer.show_scan(picture_bytes("JPG", 4000, 3000), "image/jpeg")

    [page] = wait_for_pages(qtbot, viewer, 1)

    assert page.image.width() <= 2400
    assert page.height() == round(page.width() * 3 / 4)


def test_it_shows_every_page_of_a_pdf(qtbot, viewer) -> None:
    viewer.show_scan(make_pdf(2), "application/pdf")

    pages = wait_for_pages(qtbot, viewer, 2)

    assert [page.accessibleName() for page in pages] == ["Page 1 of 2", "Page 2 of 2"]
    for page in pages:
        assert_fills_the_width(viewer, page)


def test_a_new_scan_replaces_the_old_and_none_empties_it(qtbot, viewer) -> None:
    viewer.show_scan(make_pdf(2), "application/pdf")
    viewer.show_scan(picture_bytes("PNG"), "image/png")  # before the PDF is rendered

    wait_for_pages(qtbot, viewer, 1)
    qtbot.wait(50)  # anything the PDF's rendering still sends is ignored
    assert len(wait_for_pages(qtbot, viewer, 1)) == 1

    viewer.show_scan(None, None)
    assert "No scan attached." in visible_texts(viewer)
    assert viewer.page_count() == 0


@pytest.mark.parametrize(
    ("data", "media_type", "message"),
    [
        (b"", "image/png", "No scan attached."),
        (
            b"not a picture",
            "image/png",
            "This scan cannot be shown: the picture is damaged or not a PNG or JPEG.",
        ),
        (
            b"%PDF-1.4 torn off",
            "application/pdf",
            "This scan cannot be shown: it is damaged or not a PDF.",
        ),
        (b"GIF89a", "image/gif", "This scan cannot be shown: image/gif files are not supported."),
    ],
)
def test_what_cannot_be_shown_is_explained(qtbot, viewer, data, media_type, message) -> None:
    viewer.show_scan(data, media_type)

    qtbot.waitUntil(lambda: message in visible_texts(viewer), timeout=10_000)
    assert viewer.page_count() == 0
