"""The pickers that find a client or an insurer by typing part of it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk import formatting
from frontdesk.models import Client, Payer
from frontdesk.services import clients, payers
from ui.record_picker import MAX_SUGGESTIONS, RecordPicker


def client_text(client) -> str:
    """How a client reads in the picker: "Last, First (MM/DD/YYYY)"."""
    name = getattr(client, "name", None) or client.display_name
    return f"{name} ({formatting.us_date(client.date_of_birth)})"


def client_picker(parent: QWidget | None = None) -> RecordPicker:
    """Find a client by name, phone or birth date; its value is the client's id."""
    return RecordPicker(
        lambda text: clients.search_clients(text, limit=MAX_SUGGESTIONS),
        client_text,
        lambda client_id: Client.get_or_none(Client.id == client_id),
        "Type part of the name, then pick (required)",
        parent=parent,
    )


def payer_text(payer: Payer) -> str:
    """How an insurer reads in a picker: its name and whether the clinic accepts it."""
    accepted = dict(payers.ACCEPTANCE_CHOICES).get(payer.acceptance, payer.acceptance)
    return f"{payer.name} · {accepted}"


def payer_picker(kind: str = "", parent: QWidget | None = None) -> RecordPicker:
    """Find an insurer (of one kind, when given) by any part of its name, alias or plan."""

    def find(text: str) -> list[Payer]:
        found = payers.search_payers(text, MAX_SUGGESTIONS * 2)
        return [payer for payer in found if not kind or payer.kind == kind]

    return RecordPicker(
        find,
        payer_text,
        lambda payer_id: Payer.get_or_none(Payer.id == payer_id),
        "Type part of the name, then pick (required)",
        parent=parent,
    )
