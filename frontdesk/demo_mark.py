"""The mark that tells the demo clinic's database from a clinic's own, kept apart from the
demo's data so that the main window can ask without loading it."""

from __future__ import annotations

from frontdesk.models import AuditEvent

DEMO_MARK = "demo_clinic"  # the audit event that says a database was filled as the demo


class DatabaseNotEmpty(Exception):
    """The demo clinic is only written into a database without clients."""


def is_demo_clinic() -> bool:
    """True when the open database was filled as the demo clinic (its people are made up)."""
    return AuditEvent.select().where(AuditEvent.entity == DEMO_MARK).exists()
