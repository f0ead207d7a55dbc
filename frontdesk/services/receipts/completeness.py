"""The completeness check: what a document lacks for a plan or insurer to accept it.

Each problem names where it is fixed (the clinic's profile, a therapist, the client, a
prescription, a visit), so the screen can open that place. Problems never stop printing:
the person fixes them or prints anyway with the gaps listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from frontdesk import icd10
from frontdesk.access import Can, needs
from frontdesk.formatting import us_date
from frontdesk.models import Client, Prescription, Visit
from frontdesk.services import clinic
from frontdesk.services.prescriptions.status import counted_visits
from frontdesk.services.receipts.common import Problem
from frontdesk.services.receipts.facts import has_address

MAX_LETTERED = 12  # a claim form letters its diagnoses A to L


@needs(Can.ISSUE_RECEIPTS)
def clinic_problems() -> list[Problem]:
    profile = clinic.clinic_profile()
    if profile is None:
        return [Problem("The clinic's profile is not set up.", "clinic", None)]
    missing = [
        Problem(f"The clinic's profile has no {what}.", "clinic", None)
        for what, value in (("tax ID (EIN)", profile.ein), ("NPI", profile.npi))
        if not value
    ]
    return missing


def client_problems(client: Client) -> list[Problem]:
    problems = []
    if client.date_of_birth is None:
        problems.append(Problem("The client has no date of birth on file.", "client", client.id))
    if not has_address(client):
        problems.append(Problem("The client has no full address on file.", "client", client.id))
    return problems


def therapist_problems(visits: Iterable[Visit]) -> list[Problem]:
    therapists = {visit.therapist_id: visit.therapist for visit in visits}
    problems = []
    for therapist in therapists.values():
        if not therapist.license_number:
            message = f"{therapist.display_name} has no state license number."
        elif not therapist.license_state:
            message = f"{therapist.display_name}'s license number has no state."
        else:
            continue
        problems.append(Problem(message, "therapist", therapist.id))
    return problems


def _visit_numbers(prescription_ids: set[int]) -> dict[int, int]:
    """Each counted visit's place on its prescription: 1 for the first treatment, ..."""
    query = (
        Visit.select(Visit.id, Visit.prescription)
        .where(Visit.prescription.in_(list(prescription_ids)) & counted_visits())
        .order_by(Visit.starts_at, Visit.id)
    )
    numbers: dict[int, int] = {}
    seen: dict[int, int] = {}
    for visit in query:
        seen[visit.prescription_id] = seen.get(visit.prescription_id, 0) + 1
        numbers[visit.id] = seen[visit.prescription_id]
    return numbers


def _prescription_problems(
    part: dict[str, Any], prescription: Prescription, number: int | None
) -> list[Problem]:
    """The visit against its prescription: its dates and its number of treatments."""
    day, rx = date.fromisoformat(part["date"]), prescription
    on, written = f"The visit on {us_date(day)}", us_date(rx.written_on)
    messages = []
    if day > rx.end_date:
        messages.append(
            f"{on} is after its prescription (written {written}) ended on {us_date(rx.end_date)}."
        )
    elif day < rx.written_on:
        messages.append(f"{on} is before its prescription was written ({written}).")
    if number is not None and number > rx.treatments_prescribed:
        messages.append(
            f"{on} is treatment {number} of the {rx.treatments_prescribed} prescribed on {written}."
        )
    return [Problem(message, "prescription", rx.id) for message in messages]


def _diagnosis_problems(part: dict[str, Any], rx_id: int) -> list[Problem]:
    """A medical visit needs a diagnosis, and each code must be billable on its date.

    Codes are judged by the ICD-10-CM code set Front Desk ships (the one in force now).
    """
    day = us_date(date.fromisoformat(part["date"]))
    if not part["diagnoses"]:
        return [
            Problem(f"The medical visit on {day} has no diagnosis code.", "prescription", rx_id)
        ]
    problems = []
    for diagnosis in part["diagnoses"]:
        found = icd10.lookup(diagnosis["code"])
        if found is None or not found.billable:
            problems.append(
                Problem(
                    f"Diagnosis {diagnosis['code']} is not a valid billable ICD-10-CM code "
                    f"for the visit on {day}.",
                    "prescription",
                    rx_id,
                )
            )
    return problems


@needs(Can.ISSUE_RECEIPTS)
def visit_problems(parts: Sequence[dict[str, Any]]) -> list[Problem]:
    """What is wrong with the medical visits: diagnoses, dates, treatments beyond the count."""
    medical = [part for part in parts if part["medical"]]
    rx_ids = {part["prescription_id"] for part in medical}
    prescriptions = {rx.id: rx for rx in Prescription.select().where(Prescription.id.in_(rx_ids))}
    numbers = _visit_numbers(rx_ids)
    problems: list[Problem] = []
    for part in medical:
        rx = prescriptions[part["prescription_id"]]
        problems += _prescription_problems(part, rx, numbers.get(part["visit_id"]))
        problems += _diagnosis_problems(part, rx.id)
    return problems


def lettering_problems(parts: Sequence[dict[str, Any]], codes: Sequence[str]) -> list[Problem]:
    """A superbill letters at most 12 diagnoses; the visit bringing the 13th is named."""
    if len(codes) <= MAX_LETTERED:
        return []
    extra = set(codes[MAX_LETTERED:])
    first = next(p for p in parts if extra & {d["code"] for d in p["diagnoses"]})
    day = us_date(date.fromisoformat(first["date"]))
    return [
        Problem(
            f"More than {MAX_LETTERED} diagnoses in this period (from the visit on {day}); "
            "print a superbill for a shorter period.",
            "visit",
            first["visit_id"],
        )
    ]


@needs(Can.ISSUE_RECEIPTS)
def find_problems(
    client: Client, visits: Sequence[Visit], parts: Sequence[dict[str, Any]]
) -> tuple[Problem, ...]:
    """Every problem of a document showing these visits (`parts` as gathered), none twice."""
    problems = [
        *clinic_problems(),
        *client_problems(client),
        *therapist_problems(visits),
        *visit_problems(parts),
    ]
    return tuple(dict.fromkeys(problems))
