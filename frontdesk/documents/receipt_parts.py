"""The parts a receipt, a superbill and a statement share: the page, who is who, the money.

Each document is drawn from its content alone (a draft's, or an issued receipt's snapshot;
see frontdesk.services.receipts), so a copy drawn years later is the same document: only a
duplicate's mark differs, drawn in a space every page keeps for it. The output is byte for
byte the same for the same content (reportlab's invariant mode: no dates or random ids).
Everything a person typed is escaped before it reaches reportlab's markup.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from frontdesk import formatting
from frontdesk.documents.layout import (
    ACCENT,
    ALERT_RED,
    BAND,
    BOLD,
    CAUTION_AMBER,
    INK,
    ITALIC,
    MARGIN,
    MUTED,
    OK_GREEN,
    PAGE_HEIGHT,
    REGULAR,
    RULE,
    WIDTH,
    NumberedCanvas,
    fit,
    wrap,
)

Content = Mapping[str, Any]
HEADER_HEIGHT = 74  # points from the top margin down to where the body starts
TITLE_BLOCK = 200  # the width of the header's right-hand block (kind, number, date, mark)
LOGO_HEIGHT = 48
FOOTER_SIZE = 7.5
CELL_PADDING = 4
SECTION_ROOM = 90  # points a section needs below its band on the page, or it starts a new one
CONFIDENTIAL = "Confidential: this document holds protected health information."
MARK_FILL = colors.HexColor("#FDECEA")

STYLES = {
    "body": ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, textColor=INK),
    "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5, textColor=INK),
    "small": ParagraphStyle("small", fontName=REGULAR, fontSize=7.5, leading=9.5, textColor=MUTED),
    "label": ParagraphStyle(
        "label", fontName=BOLD, fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=1
    ),
    "attest": ParagraphStyle(
        "attest", fontName=ITALIC, fontSize=8.5, leading=11, textColor=INK, spaceBefore=8
    ),
    "section": ParagraphStyle("section", fontName=BOLD, fontSize=9, leading=11, textColor=ACCENT),
}


# --- words ------------------------------------------------------------------------------------


def esc(text: str | None) -> str:
    """Stored text made safe for reportlab's markup, its line breaks kept."""
    return escape(text or "").replace("\r\n", "\n").replace("\n", "<br/>")


def money(cents: int) -> str:
    return formatting.money(cents)


def day(iso: str | None) -> str:
    """A stored ISO date as MM/DD/YYYY ("" for none)."""
    return formatting.us_date(date.fromisoformat(iso)) if iso else ""


def coloured(markup: str, colour: colors.Color) -> str:
    return f'<font color="{colour.hexval()}">{markup}</font>'


def join(parts: Sequence[str], between: str = " · ") -> str:
    return between.join(part for part in parts if part)


def counting(count: int, one: str, many: str) -> str:
    """ "1 visit", "3 visits"."""
    return f"{count} {one if count == 1 else many}"


def number_text(content: Content) -> str:
    number = content.get("number")
    return f"Receipt no. {number}" if number is not None else "Receipt no. assigned when printed"


# --- the page: header, footer, page numbers, the duplicate's mark -----------------------------


def _logo(canvas: Canvas, logo: str | None, top: float) -> float:
    """Draw the clinic's logo (PNG in base64) at the top left; the x where the text starts."""
    if not logo:
        return MARGIN
    image = ImageReader(io.BytesIO(base64.b64decode(logo)))
    width, height = image.getSize()
    shown = LOGO_HEIGHT * width / height
    canvas.drawImage(image, MARGIN, top - LOGO_HEIGHT, shown, LOGO_HEIGHT, mask="auto")
    return MARGIN + shown + 10


def _letterhead(canvas: Canvas, clinic: Content, top: float) -> None:
    """The clinic's name, address, phone, tax ID and NPI, left of the title block."""
    x = _logo(canvas, clinic.get("logo"), top)
    room = MARGIN + WIDTH - TITLE_BLOCK - 12 - x
    canvas.setFillColor(ACCENT)
    canvas.setFont(BOLD, 15)
    canvas.drawString(x, top - 14, fit(clinic["name"], room, 15))
    contact = join(
        [
            f"Phone {clinic['phone']}" if clinic["phone"] else "",
            f"Fax {clinic['fax']}" if clinic["fax"] else "",
            clinic["email"],
        ],
        "   ·   ",
    )
    ids = join(
        [
            f"Tax ID (EIN) {clinic['ein']}" if clinic["ein"] else "",
            f"NPI {clinic['npi']}" if clinic["npi"] else "",
        ],
        "   ·   ",
    )
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 9)
    for row, line in enumerate((", ".join(clinic["address"]), contact, ids)):
        canvas.drawString(x, top - 30 - 12 * row, fit(line, room, 9, REGULAR))


def _title_block(canvas: Canvas, content: Content, heading: str, top: float) -> None:
    """What the document is, its number and the day it was issued, at the top right."""
    right = MARGIN + WIDTH
    canvas.setFillColor(MUTED)
    canvas.setFont(BOLD, 8)
    canvas.drawRightString(right, top - 8, heading.upper())
    canvas.setFillColor(INK)
    if content.get("number") is None:
        canvas.setFont(ITALIC, 10)
        canvas.drawRightString(right, top - 25, number_text(content))
        canvas.setFont(REGULAR, 9)
        canvas.drawRightString(right, top - 38, "Preview: not issued yet")
        return
    canvas.setFont(BOLD, 14)
    canvas.drawRightString(right, top - 25, number_text(content))
    canvas.setFont(REGULAR, 9)
    canvas.drawRightString(right, top - 38, f"Issued {day(content['issued_on'])}")


def _footer(canvas: Canvas, content: Content) -> None:
    """The clinic's own footer (or a confidentiality line) under a rule."""
    right = MARGIN + WIDTH
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, MARGIN - 2, right, MARGIN - 2)
    text = content["clinic"]["footer"].strip() or CONFIDENTIAL
    lines = wrap(" ".join(text.split()), WIDTH * 0.6, FOOTER_SIZE)
    if len(lines) > 2:
        lines = [lines[0], fit(" ".join(lines[1:]), WIDTH * 0.6, FOOTER_SIZE, REGULAR)]
    canvas.setFont(REGULAR, FOOTER_SIZE)
    canvas.setFillColor(MUTED)
    for row, line in enumerate(lines):
        canvas.drawString(MARGIN, MARGIN - 12 - 9 * row, line)


def _draw_page(content: Content, heading: str, canvas: Canvas, _document: Any) -> None:
    """What every page carries before its content: the letterhead, the title block, the footer."""
    canvas.saveState()
    top = PAGE_HEIGHT - MARGIN
    _letterhead(canvas, content["clinic"], top)
    _title_block(canvas, content, heading, top)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.4)
    canvas.line(MARGIN, top - HEADER_HEIGHT + 8, MARGIN + WIDTH, top - HEADER_HEIGHT + 8)
    _footer(canvas, content)
    canvas.restoreState()


def mark_box(text: str) -> tuple[float, float, float, float]:
    """Where a duplicate's mark sits on every page: x, y, width, height (under the date)."""
    width = stringWidth(text, BOLD, 10) + 16
    return MARGIN + WIDTH - width, PAGE_HEIGHT - MARGIN - 59, width, 16


def duplicate_text(number: int) -> str:
    return f"DUPLICATE of receipt {number}"


def _draw_mark(canvas: Canvas, number: int) -> None:
    text = duplicate_text(number)
    x, y, width, height = mark_box(text)
    canvas.setStrokeColor(ALERT_RED)
    canvas.setFillColor(MARK_FILL)
    canvas.setLineWidth(1.2)
    canvas.rect(x, y, width, height, stroke=1, fill=1)
    canvas.setFillColor(ALERT_RED)
    canvas.setFont(BOLD, 10)
    canvas.drawCentredString(x + width / 2, y + 4.5, text)


def _finish_page(
    content: Content, duplicate_of: int | None, canvas: Canvas, number: int, total: int
) -> None:
    """What needs the page count or marks every page: "Page N of M", a duplicate's mark."""
    canvas.saveState()
    issued = content.get("number")
    tail = f" · {'Preview' if issued is None else f'No. {issued}'} · Page {number} of {total}"
    room = WIDTH * 0.38 - stringWidth(tail, REGULAR, 8)
    line = fit(content["client"]["name"], room, 8, REGULAR) + tail
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(INK)
    canvas.drawRightString(MARGIN + WIDTH, MARGIN - 12, line)
    if duplicate_of is not None:
        _draw_mark(canvas, duplicate_of)
    canvas.restoreState()


def build_pdf(
    content: Content, heading: str, story: list[Flowable], *, duplicate_of: int | None
) -> bytes:
    """The document as PDF bytes: US Letter, every page with its header, footer and number.

    `heading` is what the document is, printed above its number ("HSA/FSA payment receipt").
    The body's frame has no padding, so tables line up with the letterhead and the rules.
    """
    buffer = io.BytesIO()
    body = Frame(
        MARGIN,
        MARGIN + 8,
        WIDTH,
        PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT - 8,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        pageTemplates=[PageTemplate("page", [body], onPage=partial(_draw_page, content, heading))],
        title=f"{content['kind_label']}: {number_text(content)}",
        author=content["clinic"]["name"],
        subject=content["kind_label"],
        creator="Front Desk",
        pageCompression=1,
        invariant=1,
    )
    finish = partial(_finish_page, content, duplicate_of)
    document.build(story, canvasmaker=partial(NumberedCanvas, finish=finish))
    return buffer.getvalue()


# --- blocks -----------------------------------------------------------------------------------


def section(title: str) -> list[Flowable]:
    """A shaded band naming the next part, on a new page when too little room is left under it.

    (Not `keepWithNext`: kept with a table taller than what is left, the band would leave the
    rest of the page blank.)
    """
    band = Table([[paragraph(escape(title.upper()), "section")]], colWidths=[WIDTH])
    band.setStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    )
    band.spaceBefore, band.spaceAfter = 9, 4
    return [CondPageBreak(SECTION_ROOM), band]


def paragraph(markup: str, style: str = "body") -> Paragraph:
    return Paragraph(markup, STYLES[style])


def boxes(blocks: Sequence[tuple[str, Sequence[str]]], columns: int = 0) -> Table:
    """Blocks side by side, each a small heading over its lines (markup, already escaped).

    The blocks share the width in `columns` equal parts (by default, one part each).
    """
    cells: list[Any] = [
        [paragraph(escape(heading.upper()), "label"), *(paragraph(line, "cell") for line in lines)]
        for heading, lines in blocks
    ]
    count = max(columns, len(blocks))
    cells += [""] * (count - len(blocks))
    gap = 10
    width = (WIDTH - gap * (count - 1)) / count
    widths = [width + (gap if i < count - 1 else 0) for i in range(count)]
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    table.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), gap),
            ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return table


def address_markup(lines: Sequence[str]) -> list[str]:
    """Street lines joined on one line, then the town: ["455 Oak Ave, Apt 3", "Salem, OR"]."""
    if len(lines) < 2:
        return [esc(line) for line in lines]
    return [esc(", ".join(lines[:-1])), esc(lines[-1])]


def client_lines(client: Content) -> list[str]:
    born = day(client["date_of_birth"]) or "not on file"
    address = address_markup(client["address"]) or ["Address not on file"]
    return [f"<b>{esc(client['name'])}</b>", f"Date of birth {born}", *address]


def therapist_name(therapist: Content) -> str:
    name = therapist["name"]
    return f"{name}, {therapist['credentials']}" if therapist["credentials"] else name


def license_text(therapist: Content) -> str:
    number, state = therapist["license_number"], therapist["license_state"]
    if not number:
        return "State license number not on file"
    return f"{state} license {number}" if state else f"License {number}"


def therapist_lines(therapists: Sequence[Content]) -> list[str]:
    lines = []
    for therapist in therapists:
        npi = f" · NPI {esc(therapist['npi'])}" if therapist["npi"] else ""
        lines += [f"<b>{esc(therapist_name(therapist))}</b>", esc(license_text(therapist)) + npi]
    return lines


@dataclass(frozen=True)
class Column:
    """One column of a table: its heading ("\n" breaks it) and how its cells are shown.

    A cell of a `wraps` column is markup that wraps onto more lines; any other cell is plain
    text on one line (shortened with "…" if it would not fit), which is much faster to lay out.
    """

    heading: str
    width: float  # 0: the width the other columns leave
    right: bool = False
    wraps: bool = False
    bold: bool = False


def _widths(columns: Sequence[Column]) -> list[float]:
    fixed = sum(column.width for column in columns)
    return [column.width or WIDTH - fixed for column in columns]


def grid(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], muted: Collection[int] = ()
) -> Table:
    """A table with a shaded heading row and a rule under each row; `muted` rows (counted from
    1, the first row under the headings) in grey."""
    widths = _widths(columns)

    def cell(value: str, column: Column, width: float, grey: bool) -> Any:
        if column.wraps:
            return paragraph(coloured(value, MUTED) if grey else value, "cell")
        return fit(value, width - 2 * CELL_PADDING, 8.5, BOLD if column.bold else REGULAR)

    body: list[list[Any]] = [[column.heading for column in columns]]
    for number, row in enumerate(rows, start=1):
        cells = zip(row, columns, widths, strict=True)
        body.append([cell(v, c, w, number in muted) for v, c, w in cells])
    style: list[tuple] = [
        ("FONT", (0, 0), (-1, 0), BOLD, 8, 10),
        ("FONT", (0, 1), (-1, -1), REGULAR, 8.5, 10.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), BAND),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for index, column in enumerate(columns):
        if column.right:
            style.append(("ALIGN", (index, 0), (index, -1), "RIGHT"))
        if column.bold:
            style.append(("FONT", (index, 1), (index, -1), BOLD, 8.5, 10.5))
    style += [("TEXTCOLOR", (0, number), (-1, number), MUTED) for number in muted]
    table = Table(body, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(style)
    return table


def diagnoses_block(
    diagnoses: Sequence[Content], letters: Mapping[str, str] | None = None
) -> Table:
    """The ICD-10-CM codes with their descriptions; lettered A-L for a claim."""
    described = Column("Description", 0, wraps=True)
    if letters is None:
        rows = [[d["code"], esc(d["description"])] for d in diagnoses]
        return grid([Column("Code", 70, bold=True), described], rows)
    rows = [
        [letters[d["code"]], d["code"], esc(d["description"])]
        for d in diagnoses
        if d["code"] in letters
    ]
    return grid([Column("Pointer", 46, bold=True), Column("ICD-10-CM", 70), described], rows)


def prescription_lines(prescriptions: Sequence[Content]) -> list[Paragraph]:
    """Who prescribed the treatment, with NPI and the prescription's date and reason."""
    lines = []
    for rx in prescriptions:
        npi = f"NPI {esc(rx['physician_npi'])}" if rx["physician_npi"] else "NPI not on file"
        said = (
            f"Prescribed by <b>{esc(rx['physician'])}</b> ({npi}) on <b>{day(rx['written_on'])}</b>"
            f" for {esc(rx['reason'])}; valid through {day(rx['end_date'])}."
        )
        lines.append(paragraph(said, "cell"))
    return lines


def diagnoses_part(content: Content) -> list[Flowable]:
    """The diagnoses, then who prescribed the treatment; nothing when there are no diagnoses."""
    if not content["diagnoses"]:
        return []
    return [
        *section("Diagnoses (ICD-10-CM)"),
        diagnoses_block(content["diagnoses"]),
        Spacer(1, 6),
        *prescription_lines(content["prescriptions"]),
    ]


SERVICE_COLUMNS = (
    Column("Date", 54),
    Column("Service", 0, wraps=True),
    Column("CPT/HCPCS", 56),
    Column("Min", 26, right=True),
    Column("Units", 30, right=True),
    Column("Charge", 54, right=True),
    Column("Discount", 50, right=True),
    Column("Amount", 54, right=True),
)


def _service_note(line: Content, therapist: Content | None) -> str:
    """The small print under a service: its diagnoses or why it is not medical; who gave it
    (when several therapists share the document); the reason for a discount."""
    if line["medical"]:
        note = f"Dx {esc(', '.join(line['diagnosis_codes']))}" if line["diagnosis_codes"] else ""
    elif line["fee"]:
        note = coloured("Not a medical service", CAUTION_AMBER)
    else:
        note = coloured("Non-medical service: not HSA/FSA eligible", CAUTION_AMBER)
    who = ""
    if therapist is not None and not line["fee"]:
        who = esc(f"{therapist_name(therapist)}, {license_text(therapist)}")
    discount = esc(line["discount_reason"]) if line["discount_cents"] else ""
    return join([note, who, discount])


def services_table(visits: Sequence[Content], therapists: Sequence[Content]) -> Table:
    """Every line of every visit: date, service, code, minutes, units, charge, discount, amount."""
    by_id = {t["therapist_id"]: t for t in therapists} if len(therapists) > 1 else {}
    rows = []
    for visit in visits:
        for index, line in enumerate(visit["lines"]):
            note = _service_note(line, by_id.get(visit["therapist_id"]))
            first = index == 0
            rows.append(
                [
                    day(visit["date"]) if first else "",
                    f"{esc(line['description'])}<br/><font size=7.5>{note}</font>",
                    line["code"] or "—",
                    str(visit["minutes"]) if first else "",
                    str(line["units"]),
                    money(line["charge_cents"]),
                    money(-line["discount_cents"]) if line["discount_cents"] else "—",
                    money(line["charge_cents"] - line["discount_cents"]),
                ]
            )
    return grid(SERVICE_COLUMNS, rows)


PAYMENT_COLUMNS = (
    Column("Date", 60),
    Column("Paid by", 190, wraps=True),
    Column("Reference", 120),
    Column("For services", 80, right=True),
    Column("Gratuity", 0, right=True),
)
LEDGER_COLUMNS = (
    Column("Date", 60),
    Column("Entry", 130, wraps=True),
    Column("Paid by", 130, wraps=True),
    Column("Reference", 90),
    Column("For services", 70, right=True),
    Column("Gratuity", 0, right=True),
)


def payments_table(entries: Sequence[Content], *, ledger: bool = False) -> Table:
    """Payments with method and reference, the amount for services and the gratuity apart.

    With `ledger`, each entry says what it is (payment, refund, void) and one that does not
    count (a void, a voided payment) is shown in grey.
    """
    rows, greyed = [], set()
    for number, entry in enumerate(entries, start=1):
        counted = entry.get("counted", True)
        payer = join([esc(entry["method"]), esc(entry["payer"])], ": ")
        signed = -entry["amount_cents"] if entry.get("kind") == "refund" else entry["amount_cents"]
        gratuity = money(entry["gratuity_cents"]) if entry["gratuity_cents"] else "—"
        row = [day(entry["date"]), payer, entry["reference"] or "—", money(signed), gratuity]
        if ledger:
            row.insert(1, esc(entry["label"]) + ("" if counted else "<br/>not counted"))
        if not counted:
            greyed.add(number)
        rows.append(row)
    return grid(LEDGER_COLUMNS if ledger else PAYMENT_COLUMNS, rows, greyed)


TotalRow = tuple[str, int, str]  # label, cents, emphasis: "" / bold / strong / grand / muted


def charge_rows(totals: Content, label: str = "Charges", emphasis: str = "") -> list[TotalRow]:
    """The totals' first rows: the charges, then the discounts when there are any."""
    rows: list[TotalRow] = [(label, totals["charges_cents"], emphasis)]
    if totals["discounts_cents"]:
        rows.append(("Discounts", -totals["discounts_cents"], ""))
    return rows


def totals_table(rows: Sequence[TotalRow], width: float = 260) -> Table:
    """Labels and amounts, right-aligned: "bold", "strong" (bold under a rule), "grand" (boxed)
    and "muted" (grey) rows."""
    body, style = (
        [],
        [
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("FONT", (0, 0), (-1, -1), REGULAR, 9),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ],
    )
    for index, (label, cents, emphasis) in enumerate(rows):
        body.append([label, money(cents)])
        if emphasis in ("bold", "strong", "grand"):
            style.append(("FONT", (0, index), (-1, index), BOLD, 9.5))
        if emphasis == "strong":
            style.append(("LINEABOVE", (0, index), (-1, index), 0.8, INK))
        if emphasis == "grand":
            style += [("BOX", (0, index), (-1, index), 1, ACCENT)]
            style += [("BACKGROUND", (0, index), (-1, index), BAND)]
        if emphasis == "muted":
            style.append(("TEXTCOLOR", (0, index), (-1, index), MUTED))
    table = Table(body, colWidths=[width - 80, 80], hAlign="RIGHT")
    table.setStyle(style)
    return table


def stamp(text: str, colour: colors.Color) -> Table:
    """A boxed word or two in a colour of meaning ("PAID IN FULL" in green)."""
    style = ParagraphStyle("stamp", fontName=BOLD, fontSize=12, leading=14, textColor=colour)
    width = stringWidth(text, BOLD, 12) + 22
    table = Table([[Paragraph(escape(text), style)]], colWidths=[width], hAlign="LEFT")
    table.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 1.6, colour),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    return table


def beside_totals(left: Sequence[Flowable], rows: Sequence[TotalRow]) -> KeepTogether:
    """Notes or a stamp on the left, the totals' `rows` on the right, kept on one page."""
    table = Table([[list(left), totals_table(rows)]], colWidths=[WIDTH - 260, 260])
    table.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return KeepTogether(table)


def paid_stamp(balance_cents: int) -> Table:
    if balance_cents <= 0:
        return stamp("PAID IN FULL", OK_GREEN)
    return stamp(f"BALANCE DUE {money(balance_cents)}", CAUTION_AMBER)


def eligible_notes(totals: Content, explanation: str) -> list[Flowable]:
    """Beside the totals: the stamp, the HSA/FSA-eligible amount paid, what it leaves out."""
    eligible = money(totals["eligible_cents"])
    return [
        paid_stamp(totals["balance_cents"]),
        Spacer(1, 8),
        paragraph(f"HSA/FSA-eligible medical services paid: <b>{eligible}</b>.", "cell"),
        paragraph(explanation, "small"),
    ]


def signature_block(attestation: str, signer: str, printed_name: str = "") -> KeepTogether:
    """What the signer attests, and lines to sign and date (the printed name under them)."""
    rule = Table([["", "", ""]], colWidths=[WIDTH * 0.58, WIDTH * 0.07, WIDTH * 0.35])
    rule.setStyle(
        [
            ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
            ("LINEBELOW", (2, 0), (2, 0), 0.8, INK),
            ("TOPPADDING", (0, 0), (-1, -1), 18),
        ]
    )
    under = join([signer, esc(printed_name)], ": ")
    labels = Table(
        [[paragraph(under, "small"), "", paragraph("Date", "small")]],
        colWidths=[WIDTH * 0.58, WIDTH * 0.07, WIDTH * 0.35],
    )
    labels.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 2)])
    return KeepTogether([paragraph(attestation, "attest"), rule, labels])


def one_therapist(therapists: Sequence[Content]) -> str:
    """The therapist's name when one therapist gave every service (to print under a signature)."""
    return therapist_name(therapists[0]) if len(therapists) == 1 else ""
