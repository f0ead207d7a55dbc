"""The prescription request form, printed for a client to take to their physician."""

from __future__ import annotations

from datetime import date

from frontdesk.access import Can, needs
from frontdesk.models import Client, Prescription
from frontdesk.services import audit, clinic, records


@needs(Can.EDIT_PRESCRIPTIONS)
def request_form(
    client_id: int, prescription_id: int | None = None, actor: str = "", today: date | None = None
) -> bytes:
    """The request as PDF bytes, pre-filled from `prescription_id` for a renewal; audited."""
    from frontdesk.documents.prescription_request import prescription_request_pdf  # reportlab

    client = records.get_record(Client, client_id, "client")
    prescription = (
        records.get_record(Prescription, prescription_id, "prescription")
        if prescription_id is not None
        else None
    )
    pdf = prescription_request_pdf(clinic.clinic_profile(), client, prescription, today=today)
    audit.record("print", "prescription_request", prescription_id, actor, f"client {client_id}")
    return pdf
