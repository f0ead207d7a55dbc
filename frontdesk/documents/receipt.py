"""The HSA/FSA payment receipt: what a plan administrator needs to repay a medical expense.

Each service with its date, code, minutes, units and price; the diagnoses and the physician
who prescribed the treatment; who treated, with their state license; what was paid and how;
"Paid in full" when nothing is owed; and the HSA/FSA-eligible amount, which counts medical
services the client paid for and never a gratuity or a non-medical (wellness) service.
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
    diagnoses_part,
    eligible_notes,
    one_therapist,
    payments_table,
    section,
    services_table,
    signature_block,
    therapist_lines,
)

HEADING = "HSA/FSA payment receipt"
GIVEN_BY = "The services above were provided by a licensed massage therapist"
AS_PRESCRIBED = ", as prescribed by the physician named above for the diagnoses listed"
LEFT_OUT = (
    "Gratuities, non-medical (wellness) services and what insurers paid are not part of "
    "the HSA/FSA-eligible amount."
)


def _totals(totals: Content) -> list[TotalRow]:
    rows = charge_rows(totals)
    rows += [
        ("Paid", totals["paid_cents"], ""),
        ("Balance", totals["balance_cents"], "strong"),
        ("HSA/FSA-eligible amount paid", totals["eligible_cents"], "grand"),
    ]
    apart = (
        ("Non-medical services (not eligible)", "non_medical_cents"),
        ("Paid by insurers or carriers (not eligible)", "third_party_cents"),
        ("Gratuity, paid apart (not eligible)", "gratuity_cents"),
    )
    rows += [(label, totals[key], "muted") for label, key in apart if totals[key]]
    return rows


def _story(content: Content) -> list[Flowable]:
    therapists = content["therapists"]
    story: list[Flowable] = [
        boxes(
            [
                ("Client", client_lines(content["client"])),
                ("Treated by", therapist_lines(therapists)),
            ]
        ),
        *section("Services"),
        services_table(content["visits"], therapists),
    ]
    story += diagnoses_part(content)
    if content["payments"]:
        story += [*section("Payments"), payments_table(content["payments"])]
    totals = content["totals"]
    story += [Spacer(1, 10), beside_totals(eligible_notes(totals, LEFT_OUT), _totals(totals))]
    medical = any(visit["medical"] for visit in content["visits"])
    attestation = GIVEN_BY + (AS_PRESCRIBED if medical else "") + "."
    signer = "Signature of the licensed massage therapist"
    story.append(signature_block(attestation, signer, one_therapist(therapists)))
    return story


def hsa_fsa_receipt_pdf(content: Content, *, duplicate_of: int | None = None) -> bytes:
    """The receipt as PDF bytes; with `duplicate_of`, marked as a duplicate of that receipt."""
    return build_pdf(content, HEADING, _story(content), duplicate_of=duplicate_of)
