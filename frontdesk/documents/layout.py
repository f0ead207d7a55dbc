"""What every printed document shares: US Letter margins, the palette, fonts, fitting text."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.6 * inch
WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1B2A3A")
ACCENT = colors.HexColor("#1F4E79")
MUTED = colors.HexColor("#5A6772")
BAND = colors.HexColor("#E8EEF4")
RULE = colors.HexColor("#9AA7B2")
REGULAR, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"


def fit(text: str, width: float, size: float, font: str = BOLD) -> str:
    """The text, shortened with "…" when it would not fit `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
