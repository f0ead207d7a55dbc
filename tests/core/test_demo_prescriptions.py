"""The demo clinic's physicians and prescriptions are entered through the services."""

from __future__ import annotations

from datetime import date

from frontdesk.models import AuditEvent, Physician, Prescription, PrescriptionDiagnosis
from frontdesk.services import physicians, prescriptions


def _created(entity: str) -> int:
    query = AuditEvent.select().where(
        (AuditEvent.entity == entity)
        & (AuditEvent.action == "create")
        & (AuditEvent.actor == "demo")
    )
    return query.count()


def test_demo_physicians_and_prescriptions_came_through_the_services(demo_clinic):
    assert _created("physician") == Physician.select().count() == 3
    assert _created("prescription") == Prescription.select().count() > 30
    assert [p.last_name for p in physicians.search_physicians("ortho")] == ["Haines"]
    primaries = PrescriptionDiagnosis.select().where(PrescriptionDiagnosis.position == 1)
    assert primaries.count() == Prescription.select().count()
    assert all(d.description for d in PrescriptionDiagnosis.select())


def test_the_demo_prescriptions_list_shows_every_state(demo_clinic):
    today = date.today()  # the demo clinic is built around today
    states = {row.state for row in prescriptions.clinic_prescriptions("all", today)}
    assert {"active", "ending_soon", "used_up", "expired"} <= states
    for show in ("attention", "ending_soon", "used_up", "expired"):
        assert prescriptions.clinic_prescriptions(show, today), show
