"""The audit trail: who did what to which record. Ids and actions only, never PHI."""

from __future__ import annotations

import logging

from frontdesk.models import AuditEvent

log = logging.getLogger(__name__)


def record(
    action: str, entity: str, entity_id: int | None, actor: str = "", detail: str = ""
) -> None:
    """Write one audit event (call inside the service's transaction)."""
    AuditEvent.create(action=action, entity=entity, entity_id=entity_id, actor=actor, detail=detail)
    log.info("%s %s #%s", action, entity, entity_id)
