"""What every printed document shares: Letter margins, the palette, fonts, text, page numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.6 * inch
WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1B2A3A")
ACCENT = colors.HexColor("#1F4E79")
MUTED = colors.HexColor("#5A6772")
BAND = colors.HexColor("#E8EEF4")
RULE = colors.HexColor("#9AA7B2")
OK_GREEN = colors.HexColor("#1B5E20")  # the screens' colours of meaning: paid in full, ...
CAUTION_AMBER = colors.HexColor("#8A5300")  # ... a warning (not a medical service), ...
ALERT_RED = colors.HexColor("#B3261E")  # ... a refusal or a mark that must not be missed
REGULAR, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"


def fit(text: str, width: float, size: float, font: str = BOLD) -> str:
    """The text, shortened with "…" when it would not fit `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, width: float, size: float, font: str = REGULAR) -> list[str]:
    """The text broken into lines no wider than `width` (a longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


class NumberedCanvas(Canvas):
    """A canvas that finishes every page once it knows how many there are.

    `finish(canvas, number, total)` draws what needs the page count ("Page N of M") or
    what every page carries over its laid-out content (a duplicate's mark).
    """

    def __init__(
        self,
        *args: Any,
        finish: Callable[[Canvas, int, int], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._finish = finish
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            if self._finish is not None:
                self._finish(self, number, total)
            super().showPage()
        super().save()
