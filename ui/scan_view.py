"""A stored scan (a PDF, PNG or JPEG) shown as wide as the space it is given."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QBuffer, QByteArray, Qt
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import QWidget

from ui.pdf_view import CannotShow, PageJob, PageStrip

PDF = "application/pdf"
PICTURES = ("image/png", "image/jpeg")
NO_SCAN = "No scan attached."
MAX_PICTURE_WIDTH = 2400  # px: a phone photo is shrunk to this, still sharp at any width shown


def decode_in_job(data: bytes, job: PageJob) -> None:
    """Decode a picture (turned upright as the camera meant) and report it as one page."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        raise CannotShow("the picture is damaged or not a PNG or JPEG")
    if image.width() > MAX_PICTURE_WIDTH:
        image = image.scaledToWidth(MAX_PICTURE_WIDTH, Qt.TransformationMode.SmoothTransformation)
    job.signals.opened.emit(1)
    job.signals.page_ready.emit(0, image)


class ScanView(PageStrip):
    """Shows a scan's pages or its picture, or says there is none or why it cannot be shown."""

    def __init__(self, parent: QWidget | None = None, name: str = "Scan") -> None:
        super().__init__(parent)
        self.noun = "scan"
        self.setAccessibleName(name)
        self.show_scan(None, None)

    def show_scan(self, data: bytes | None, media_type: str | None) -> None:
        """Show stored scan bytes of the given media type; nothing shows the empty state."""
        if not data:
            self.show_message(NO_SCAN)
        elif media_type == PDF:
            self.show_pdf(data)
        elif media_type in PICTURES:
            self.show_from_job(partial(decode_in_job, data))
        else:
            reason = f"{media_type or 'this kind of'} files are not supported"
            self.show_message(f"This scan cannot be shown: {reason}.", problem=True)
