"""The superbill: what a client sends an insurer, a workers' comp or an auto carrier to claim.

The patient and who pays (payer, member ID and group, authorization; the claim number and
date of injury of a case), the billing and rendering providers, the prescribing physician,
the diagnoses lettered A-L, and each medical service on its date with its place of service,
CPT/HCPCS code, diagnosis pointers, units and charge. Wellness visits are never listed.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from frontdesk.documents.receipt_parts import (
    Column,
    Content,
    TotalRow,
    address_markup,
    beside_totals,
    boxes,
    build_pdf,
    charge_rows,
    client_lines,
    counting,
    day,
    diagnoses_block,
    esc,
    grid,
    join,
    money,
    one_therapist,
    paid_stamp,
    paragraph,
    section,
    signature_block,
    therapist_lines,
    therapist_name,
)

HEADING = "Superbill"
CERTIFICATION = (
    "I certify that the services listed were medically necessary, were prescribed by the "
    "physician named above, and were provided by me or under my supervision by a licensed "
    "massage therapist."
)
DATE_LABELS = {"auto": "Date of accident"}
COLUMNS = (
    Column("Date of\nservice", 60),
    Column("POS", 28),
    Column("CPT/HCPCS", 58, bold=True),
    Column("Description", 0, wraps=True),
    Column("Dx\npointer", 46),
    Column("Units", 32, right=True),
    Column("Charge", 60, right=True),
)


def _insurance_lines(coverages: list[Content]) -> list[str]:
    if not coverages:
        return ["No insurance on file (self-pay)"]
    lines = []
    for coverage in coverages:
        lines.append(f"<b>{esc(coverage['payer'])}</b> {esc(coverage['plan_type'])}".strip())
        member = [
            f"Member ID {esc(coverage['member_id'])}" if coverage["member_id"] else "",
            f"Group {esc(coverage['group_number'])}" if coverage["group_number"] else "",
        ]
        lines += [join(member)] if any(member) else []
        if coverage["subscriber"]:
            lines.append(f"Subscriber {esc(coverage['subscriber'])} ({esc(coverage['relation'])})")
        if coverage["authorization_number"]:
            lines.append(f"Authorization no. {esc(coverage['authorization_number'])}")
        if coverage["payer_id_number"]:
            lines.append(f"Payer ID {esc(coverage['payer_id_number'])}")
    return lines


def _case_lines(cases: list[Content]) -> list[str]:
    lines = []
    for case in cases:
        when = DATE_LABELS.get(case["kind"], "Date of injury")
        claim = case["claim_number"]
        lines += [
            f"<b>{esc(case['kind_label'])}</b>",
            f"Claim no. {esc(claim)}" if claim else "Claim number not on file",
            f"{when} <b>{day(case['date_of_injury'])}</b>",
        ]
        extra = [
            f"Carrier {esc(case['carrier'])}" if case["carrier"] else "",
            f"Policy {esc(case['policy_number'])}" if case["policy_number"] else "",
            f"Employer {esc(case['employer'])}" if case["employer"] else "",
            f"Adjuster {esc(join([case['adjuster'], case['adjuster_phone']], ', '))}"
            if case["adjuster"]
            else "",
        ]
        lines += [line for line in extra if line]
    return lines


def _billing_lines(content: Content) -> list[str]:
    clinic, place = content["clinic"], content["place_of_service"]
    return [
        f"<b>{esc(clinic['name'])}</b>",
        *address_markup(clinic["address"]),
        f"NPI {esc(clinic['npi']) or 'not on file'}",
        f"Tax ID (EIN) {esc(clinic['ein']) or 'not on file'}",
        f"Place of service {place['code']} ({esc(place['label'])})",
    ]


def _physician_lines(prescriptions: list[Content]) -> list[str]:
    lines = []
    for rx in prescriptions:
        npi = esc(rx["physician_npi"]) or "not on file"
        lines += [f"<b>{esc(rx['physician'])}</b>", f"NPI {npi}"]
        lines.append(f"Prescription dated {day(rx['written_on'])}: {esc(rx['reason'])}")
    return lines


def _services(content: Content) -> Flowable:
    therapists = {t["therapist_id"]: t for t in content["therapists"]}
    several = len(therapists) > 1
    place = content["place_of_service"]["code"]
    rows = []
    for visit in content["visits"]:
        who = therapist_name(therapists[visit["therapist_id"]]) if several else ""
        for line in visit["lines"]:
            small = join([f"{visit['minutes']} min", esc(who)])
            rows.append(
                [
                    day(visit["date"]),
                    place,
                    line["code"],
                    f"{esc(line['description'])}<br/><font size=7.5>{small}</font>",
                    line["pointers"] or "—",
                    str(line["units"]),
                    money(line["charge_cents"]),
                ]
            )
    return grid(COLUMNS, rows)


def _totals(totals: Content) -> list[TotalRow]:
    rows = charge_rows(totals, "Total charges", "bold")
    rows += [
        ("Amount paid", totals["paid_cents"], ""),
        ("Balance due", totals["balance_cents"], "grand"),
    ]
    return rows


def _money_part(content: Content) -> Flowable:
    notes: list[Flowable] = [paid_stamp(content["totals"]["balance_cents"])]
    if content["left_out"]:
        visits = counting(content["left_out"], "visit that was", "visits that were")
        said = f"Not listed: {visits} not medical (wellness care or a missed-visit fee)."
        notes += [Spacer(1, 6), paragraph(said, "small")]
    return beside_totals(notes, _totals(content["totals"]))


def _story(content: Content) -> list[Flowable]:
    period = content["period"]
    who = [("Patient", client_lines(content["client"]))]
    who.append(("Insurance", _insurance_lines(content["coverages"])))
    if content["cases"]:
        who.append(("Claim", _case_lines(content["cases"])))
    providers = [
        ("Billing provider", _billing_lines(content)),
        ("Rendering provider", therapist_lines(content["therapists"])),
        ("Prescribing physician", _physician_lines(content["prescriptions"])),
    ]
    dates = f"Services from <b>{day(period['start'])}</b> to <b>{day(period['end'])}</b>"
    return [
        boxes(who, columns=3),
        Spacer(1, 10),
        boxes(providers, columns=3),
        *section("Diagnoses (ICD-10-CM)"),
        diagnoses_block(content["diagnoses"], content["letters"]),
        *section("Services"),
        paragraph(dates, "cell"),
        Spacer(1, 4),
        _services(content),
        Spacer(1, 10),
        _money_part(content),
        signature_block(
            CERTIFICATION, "Provider's signature", one_therapist(content["therapists"])
        ),
    ]


def superbill_pdf(content: Content, *, duplicate_of: int | None = None) -> bytes:
    """The superbill as PDF bytes; with `duplicate_of`, marked as a duplicate of that receipt."""
    return build_pdf(content, HEADING, _story(content), duplicate_of=duplicate_of)
