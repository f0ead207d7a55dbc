"""The year-end statement: every visit and ledger entry of a client in a period, with totals.

What a client needs to claim at year end: each service (medical or not), the diagnoses and
prescribing physicians, every payment and refund (a void and the payment it cancels shown
but not counted), and the totals: charges, discounts, payments, refunds and the balance,
with medical services and gratuities shown apart.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from frontdesk.documents.receipt_parts import (
    Content,
    TotalRow,
    beside_totals,
    boxes,
    build_pdf,
    charge_rows,
    client_lines,
    counting,
    day,
    diagnoses_part,
    eligible_notes,
    paragraph,
    payments_table,
    section,
    services_table,
    therapist_lines,
)

HEADING = "Year-end statement"
ELIGIBLE = (
    "What was paid, by the client, for the medical services of this period; never a gratuity, "
    "a fee or a non-medical service."
)
GIVEN_BY = (
    "All services were provided by a licensed massage therapist. Services marked medical were "
    "given under a physician's prescription for the diagnoses listed; non-medical (wellness) "
    "services, fees and gratuities are not medical expenses."
)


def _period_lines(content: Content) -> list[str]:
    period = content["period"]
    start, end = period["start"], period["end"]
    whole_year = start[4:] == "-01-01" and end[4:] == "-12-31" and start[:4] == end[:4]
    lines = [f"<b>{day(start)} to {day(end)}</b>"]
    if whole_year:
        lines.append(f"Calendar year {start[:4]}")
    counted = sum(1 for entry in content["entries"] if entry["counted"])
    lines += [counting(len(content["visits"]), "visit charged", "visits charged")]
    lines += [counting(counted, "payment or refund", "payments and refunds")]
    return lines


def _totals(totals: Content) -> list[TotalRow]:
    rows = charge_rows(totals)
    rows += [
        ("Payments", -totals["paid_cents"], ""),
        ("Refunds", totals["refunds_cents"], ""),
        ("Balance for the period", totals["balance_cents"], "grand"),
        ("Medical services (after discounts)", totals["medical_cents"], "muted"),
        ("Non-medical services and fees", totals["non_medical_cents"], "muted"),
    ]
    if totals["gratuity_cents"]:
        rows.append(("Gratuities, paid apart (not counted)", totals["gratuity_cents"], "muted"))
    return rows


def _story(content: Content) -> list[Flowable]:
    therapists = content["therapists"]
    story: list[Flowable] = [
        boxes(
            [
                ("Client", client_lines(content["client"])),
                ("Period", _period_lines(content)),
                ("Treated by", therapist_lines(therapists) or ["No visits in this period"]),
            ]
        ),
        *section("Visits"),
    ]
    if content["visits"]:
        story.append(services_table(content["visits"], therapists))
    else:
        story.append(paragraph("No visits were charged in this period.", "cell"))
    story += diagnoses_part(content)
    story += section("Payments and refunds")
    if content["entries"]:
        story.append(payments_table(content["entries"], ledger=True))
    else:
        story.append(paragraph("No payments were received in this period.", "cell"))
    totals = content["totals"]
    story += [Spacer(1, 10), beside_totals(eligible_notes(totals, ELIGIBLE), _totals(totals))]
    story.append(paragraph(GIVEN_BY, "attest"))
    return story


def statement_pdf(content: Content, *, duplicate_of: int | None = None) -> bytes:
    """The statement as PDF bytes; with `duplicate_of`, marked as a duplicate of that receipt."""
    return build_pdf(content, HEADING, _story(content), duplicate_of=duplicate_of)
