"""PDF pages as pictures: render them with PDFium, show them, save the file, print it.

PDFium is not thread-safe, not even across documents, so every call into it holds
PDFIUM_LOCK, and each document is opened, rendered and closed in one thread.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

import platformdirs
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRect,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import button

log = logging.getLogger(__name__)

PDFIUM_LOCK = threading.Lock()
POINTS_PER_INCH = 72
PREVIEW_DPI = 110  # a Letter page about 935 px wide: sharp at the dialog's width
MAX_PRINT_DPI = 600  # beyond this a page's picture gets huge and nothing prints sharper
LETTER_SHAPE = QSize(85, 110)  # width : height of a page not rendered yet
PAGE_GAP = 12
BACKDROP = QColor("#e3e7eb")
PAGE_EDGE = QColor("#b8c1c9")
PENDING_TEXT = QColor("#6b7780")
PROBLEM_CLASS = "fieldError"
UNEXPECTED = "something unexpected went wrong"
PRINTER_WONT_START = "the printer could not be started; check that it is on, then try again"

PDF_REFUSALS = {
    pdfium_raw.FPDF_ERR_PASSWORD: "it is protected by a password",
    pdfium_raw.FPDF_ERR_SECURITY: "it is locked against viewing",
}


class CannotShow(Exception):
    """A PDF or picture that cannot be shown or printed; the message says why, plainly."""


# --- rendering ------------------------------------------------------------------------------


class PdfPages:
    """An opened PDF whose pages are rendered one at a time. Use it in one thread only."""

    def __init__(self, pdf_bytes: bytes) -> None:
        if not pdf_bytes:
            raise CannotShow("the file is empty")
        with PDFIUM_LOCK:
            self._document = _open_document(pdf_bytes)
            self.count = len(self._document)
        if not self.count:
            self.close()
            raise CannotShow("it has no pages")

    def image(self, index: int, dpi: float) -> QImage:
        """Page `index` (from 0) as a picture with `dpi` pixels per inch."""
        with PDFIUM_LOCK:
            page = self._document[index]
            try:
                bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)
                try:
                    return _as_qimage(bitmap)
                finally:
                    bitmap.close()
            finally:
                page.close()

    def close(self) -> None:
        with PDFIUM_LOCK:
            self._document.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()


def _open_document(pdf_bytes: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf_bytes)
    except pdfium.PdfiumError as error:
        reason = PDF_REFUSALS.get(getattr(error, "err_code", None), "it is damaged or not a PDF")
        raise CannotShow(reason) from error


def _as_qimage(bitmap: pdfium.PdfBitmap) -> QImage:
    """A copy of a 3-byte RGB bitmap (render(..., rev_byteorder=True)) that outlives it."""
    view = memoryview(bitmap.buffer).cast("B")
    shared = QImage(view, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
    return shared.copy()


def render_pages(pdf_bytes: bytes, dpi: float) -> list[QImage]:
    """Every page of a PDF as a picture; raises CannotShow when it cannot be opened."""
    with PdfPages(pdf_bytes) as pages:
        return [pages.image(index, dpi) for index in range(pages.count)]


# --- work in the background -----------------------------------------------------------------


class JobSignals(QObject):
    opened = Signal(int)  # the page count
    page_ready = Signal(int, QImage)  # index from 0, picture
    finished = Signal(str)  # "" when all went well, else why it stopped


class PageJob(QRunnable):
    """Runs `work(job)` on the thread pool; `work` reports pages through job.signals.

    CannotShow, or any other error, ends the job with a plain reason in `finished`.
    """

    def __init__(self, work: Callable[[PageJob], None]) -> None:
        super().__init__()
        # Owned by the application, not by this job's Python object: the job may be
        # forgotten (cancelled) while its thread still reports through the signals, which
        # live until the thread is done with them (deleteLater at the end of run).
        self.signals = JobSignals(QCoreApplication.instance())
        self.cancelled = threading.Event()
        self._work = work

    def start(self) -> None:
        QThreadPool.globalInstance().start(self)

    def cancel(self) -> None:
        """Stop at the next page; results already on their way are ignored by the receiver."""
        self.cancelled.set()

    def run(self) -> None:
        signals = self.signals
        try:
            self._work(self)
        except CannotShow as problem:
            signals.finished.emit(str(problem))
        except Exception as error:
            log.error("PDF job failed with %s", type(error).__qualname__)
            signals.finished.emit(UNEXPECTED)
        else:
            signals.finished.emit("")
        finally:
            signals.deleteLater()  # in the application's thread, after what was sent


def render_in_job(pdf_bytes: bytes, dpi: float, job: PageJob) -> None:
    """Open the PDF, report its page count, then each page in turn."""
    with PdfPages(pdf_bytes) as pages:
        job.signals.opened.emit(pages.count)
        for index in range(pages.count):
            if job.cancelled.is_set():
                return
            job.signals.page_ready.emit(index, pages.image(index, dpi))


def print_in_job(pdf_bytes: bytes, printer: QPrinter, job: PageJob) -> None:
    """Paint each page onto the printer as a picture at its resolution, fit to the page."""
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    with PdfPages(pdf_bytes) as pages:
        job.signals.opened.emit(pages.count)
        painter = QPainter()
        if not painter.begin(printer):
            raise CannotShow(PRINTER_WONT_START)
        try:
            for index in range(pages.count):
                if job.cancelled.is_set():
                    printer.abort()
                    return
                if index:
                    printer.newPage()
                image = pages.image(index, dpi)
                painter.drawImage(fitted(image.size(), painter.viewport()), image)
        finally:
            painter.end()


def fitted(size: QSize, area: QRect) -> QRect:
    """The largest rectangle of `size`'s shape inside `area`, centred across, at the top."""
    scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = area.left() + (area.width() - scaled.width()) // 2
    return QRect(left, area.top(), scaled.width(), scaled.height())


# --- showing pages ------------------------------------------------------------------------


class PageView(QWidget):
    """One page as a picture: as wide as it is given, as tall as the page's shape asks."""

    def __init__(self, number: int, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.image = QImage()
        self._shown = QImage()  # the image smoothly scaled to the size last painted
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName(f"Page {number} of {count}")

    def set_image(self, image: QImage) -> None:
        reshaped = self.heightForWidth(1000) != round(1000 * image.height() / image.width())
        self.image = image
        self._shown = QImage()
        if reshaped:
            self.updateGeometry()
        self.update()

    def _shape(self) -> QSize:
        return self.image.size() if not self.image.isNull() else LETTER_SHAPE

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        shape = self._shape()
        return round(width * shape.height() / shape.width())

    def sizeHint(self) -> QSize:
        return QSize(600, self.heightForWidth(600))

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.heightForWidth(120))

    def _scaled_to(self, size: QSize) -> QImage:
        """The image at `size`, averaged down (fine lines of a big scan stay visible)."""
        ratio = self.devicePixelRatioF()
        pixels = size * ratio
        if self._shown.size() != pixels:
            self._shown = self.image.scaled(
                pixels,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._shown.setDevicePixelRatio(ratio)
        return self._shown

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        page = QRect(0, 0, self.width(), self.heightForWidth(self.width()))
        painter.fillRect(page, Qt.GlobalColor.white)
        if self.image.isNull():
            painter.setPen(PENDING_TEXT)
            painter.drawText(page, Qt.AlignmentFlag.AlignCenter, f"Loading page {self.number}…")
        else:
            painter.drawImage(page.topLeft(), self._scaled_to(page.size()))
        painter.setPen(PAGE_EDGE)
        painter.drawRect(page.adjusted(0, 0, -1, -1))


class PageStrip(QScrollArea):
    """Pages one under another, each as wide as the area, or one message in their place.

    Pages are made in the background: the page count arrives first (`opened`), then
    the pages, first page first; `failed` says why they cannot be shown.
    """

    opened = Signal(int)
    rendered = Signal()  # every page is in
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys and Page Down scroll
        sheet = QWidget()
        sheet.setAutoFillBackground(True)
        sheet.setBackgroundRole(QPalette.ColorRole.Window)
        palette = sheet.palette()
        palette.setColor(QPalette.ColorRole.Window, BACKDROP)
        sheet.setPalette(palette)
        self.column = QVBoxLayout(sheet)
        self.column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.column.setSpacing(PAGE_GAP)
        self.setWidget(sheet)
        self.page_views: list[PageView] = []
        self.message = QLabel(sheet)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.hide()
        self._job: PageJob | None = None
        self.noun = "PDF"  # what a failure calls the thing shown: "This PDF cannot be shown"

    def show_pdf(self, pdf_bytes: bytes, dpi: float = PREVIEW_DPI) -> None:
        """Render the PDF's pages in the background and show them as they come."""
        self.show_from_job(partial(render_in_job, pdf_bytes, dpi * self.devicePixelRatioF()))

    def show_from_job(self, work: Callable[[PageJob], None]) -> None:
        """Show the pages that `work` reports from a background thread (see render_in_job)."""
        self.clear()
        job = PageJob(work)
        job.signals.opened.connect(self._open_pages)
        job.signals.page_ready.connect(self._show_page)
        job.signals.finished.connect(self._finish)
        self.destroyed.connect(job.cancel)
        self._job = job
        job.start()

    def show_message(self, text: str, problem: bool = False) -> None:
        """A line in place of the pages: an empty state, or (in red) why nothing is shown."""
        self.clear()
        self.message.setText(text)
        self.message.setProperty("class", PROBLEM_CLASS if problem else "")
        self.message.style().polish(self.message)
        self.column.addWidget(self.message, 1)
        self.message.show()

    def clear(self) -> None:
        self.stop()
        for view in self.page_views:
            view.hide()
            view.deleteLater()
        self.page_views = []
        self.message.hide()
        while self.column.count():
            self.column.takeAt(0)

    def stop(self) -> None:
        """Stop rendering in the background (at the end of the page being rendered)."""
        if self._job is not None:
            self._job.cancel()
            self._forget_job()

    def _forget_job(self) -> None:
        self.destroyed.disconnect(self._job.cancel)
        self._job = None

    def page_count(self) -> int:
        return len(self.page_views)

    def images(self) -> list[QImage]:
        """The pictures of the pages rendered so far."""
        return [view.image for view in self.page_views if not view.image.isNull()]

    def _from_current_job(self) -> bool:
        return self._job is not None and self.sender() is self._job.signals

    def _add_views(self, count: int) -> None:
        self.page_views = [PageView(number, count, self.widget()) for number in range(1, count + 1)]
        for view in self.page_views:
            self.column.addWidget(view)
        self.column.addStretch(1)

    def _open_pages(self, count: int) -> None:
        if self._from_current_job():
            self._add_views(count)
            self._fit_pages()
            self.opened.emit(count)

    def _show_page(self, index: int, image: QImage) -> None:
        if self._from_current_job():
            self.page_views[index].set_image(image)
            self._fit_pages()

    def _fit_pages(self) -> None:
        """Each page as tall as its shape asks at the width of the area (no squashing)."""
        width = self.viewport().width() - 2 * PAGE_GAP
        for view in self.page_views:
            view.setFixedHeight(view.heightForWidth(width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_pages()

    def _finish(self, problem: str) -> None:
        if not self._from_current_job():
            return
        self._forget_job()
        if problem:
            self.show_message(f"This {self.noun} cannot be shown: {problem}.", problem=True)
            self.failed.emit(problem)
        else:
            self.rendered.emit()


# --- the preview dialog ---------------------------------------------------------------------


def high_resolution_printer() -> QPrinter:
    """The system's default printer at its own resolution."""
    return QPrinter(QPrinter.PrinterMode.HighResolution)


def pages_text(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def write_file(path: Path, data: bytes) -> None:
    """Write all of `data` to `path` or leave it as it was (a temporary file is renamed)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_problem(error: OSError, path: Path) -> str:
    """Why a file could not be written, in words a receptionist can act on."""
    if isinstance(error, FileNotFoundError):
        return f"the folder {path.parent} does not exist. Choose another folder."
    if isinstance(error, PermissionError):
        return f"you may not write to {path.parent}. Choose another folder."
    return f"{error.strerror or 'the file could not be written'} ({path})."


class PdfPreviewDialog(QDialog):
    """Shows a PDF's pages, and prints it or saves it as a PDF file.

    make_printer builds the printer offered in the print dialog (tests point it at a file);
    it is set to US Letter before the dialog shows.
    """

    printed = Signal()
    saved = Signal(Path)

    def __init__(
        self,
        pdf_bytes: bytes,
        title: str,
        file_name: str,
        parent: QWidget | None = None,
        make_printer: Callable[[], QPrinter] = high_resolution_printer,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pdf_bytes = pdf_bytes
        self.file_name = file_name
        self._make_printer = make_printer
        self._printer: QPrinter | None = None
        self._print_job: PageJob | None = None
        self._pages_printing = 0
        self.pages = PageStrip(self)
        self.pages.setAccessibleName("Pages")
        self.page_count = QLabel("Opening…", self)
        self.page_count.setAccessibleName("Page count")
        self.status = QLabel(self)
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        self.print_button = button("Print…", "print", primary=True, parent=self)
        self.save_button = button("Save as PDF…", "save", parent=self)
        self.close_button = button("Close", parent=self)
        self._lay_out()
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as_pdf)
        self.close_button.clicked.connect(self.reject)
        self.pages.opened.connect(lambda count: self.page_count.setText(pages_text(count)))
        self.pages.failed.connect(self._cannot_show)
        self.resize(840, 760)
        self.pages.setFocus()
        self.pages.show_pdf(pdf_bytes)

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        for push in (self.print_button, self.save_button, self.close_button):
            actions.addWidget(push)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page_count)
        layout.addWidget(self.pages, 1)
        layout.addLayout(actions)

    def _say(self, text: str, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("class", PROBLEM_CLASS if problem else "")
        self.status.style().polish(self.status)

    def _cannot_show(self, _problem: str) -> None:
        self.page_count.setText("No pages")
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def output_bytes(self) -> bytes | None:
        """The PDF to print or save, once the person has chosen where (a preview may differ).

        None when there is nothing to put out; the dialog has then said why.
        """
        return self.pdf_bytes

    def save_as_pdf(self) -> None:
        suggested = Path(platformdirs.user_documents_dir()) / self.file_name
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save as PDF", str(suggested), "PDF files (*.pdf)"
        )
        if not chosen:
            return
        path = Path(chosen if chosen.lower().endswith(".pdf") else f"{chosen}.pdf")
        data = self.output_bytes()
        if data is None:
            return
        try:
            write_file(path, data)
        except OSError as error:
            self._say(f"Not saved: {save_problem(error, path)}", problem=True)
            return
        self._say(f"Saved to {path}.")
        self.saved.emit(path)

    def print_document(self) -> None:
        printer = self._make_printer()
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
        printer.setDocName(self.windowTitle())
        if not self._print_dialog_accepts(printer):
            return
        data = self.output_bytes()
        if data is None:
            return
        self._printer = printer  # it must outlive the job
        job = PageJob(partial(print_in_job, data, printer))
        job.signals.opened.connect(self._count_pages_printing)
        job.signals.finished.connect(self._print_finished)
        self._print_job = job
        self.print_button.setEnabled(False)
        self._say("Printing…")
        job.start()

    def _print_dialog_accepts(self, printer: QPrinter) -> bool:
        dialog = QPrintDialog(printer, self)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def _count_pages_printing(self, count: int) -> None:
        self._pages_printing = count

    def _print_finished(self, problem: str) -> None:
        if self._print_job is None or self.sender() is not self._print_job.signals:
            return
        self._print_job = None
        self.print_button.setEnabled(True)
        if problem:
            self._say(f"Not printed: {problem}.", problem=True)
        else:
            self._say(f"Sent {pages_text(self._pages_printing)} to the printer.")
            self.printed.emit()

    def done(self, result: int) -> None:
        self.pages.stop()
        if self._print_job is not None:
            self._print_job.cancel()
        super().done(result)
