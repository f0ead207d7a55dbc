"""Schema 5: visits, notes and payments gain their new columns with defaults; price history."""

from __future__ import annotations

import sqlite3

from frontdesk import db
from frontdesk.models import Payer, Payment, ServiceCode, ServiceLine, Visit
from frontdesk.services import fees, ledger
from tests.core.test_schema_v4 import _insert, _version_3_file


def test_an_older_file_gains_the_ledger_columns_with_their_defaults(db_path):
    _version_3_file(db_path)
    with sqlite3.connect(db_path) as raw:
        code = raw.execute("SELECT id FROM service_code WHERE code = '97124'").fetchone()[0]
        _insert(raw, "service_line", id=41, visit_id=31, service_code_id=code, units=4,
                charge_cents=14000, discount_cents=0)  # fmt: skip
        _insert(raw, "payment", id=51, client_id=7, received_on="2026-02-01", amount_cents=9000,
                gratuity_cents=0, method="card")  # fmt: skip
    raw.close()
    database = db.open_database(db_path)
    try:
        assert db.schema_version(database) == db.LATEST_VERSION >= 5
        assert db.check_database(database) == []
        visit = Visit.get_by_id(31)
        assert (visit.wellness, visit.wellness_reason, visit.fee_cents) == (False, "", 0)
        assert ServiceLine.get_by_id(41).medical is True
        payment = Payment.get_by_id(51)
        assert (payment.kind, payment.reverses_id, payment.reason) == ("payment", None, "")
        assert ledger.client_balance(7).balance_cents == 5000
        assert {(p.unit_rounding, p.discount_percent) for p in Payer.select()} == {("cms", 0)}
        assert fees.price_on(ServiceCode.get_by_id(code), visit.starts_at.date()) == 3500
    finally:
        db.close_database()
