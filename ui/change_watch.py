"""Other PCs' saves shown without asking: every few seconds the window asks the database for
its newest audit event (every save on any PC appends one); when another PC (or another window)
has saved since, the lists in view read their rows again, keeping what is selected.

Forms are never reloaded under someone's typing: a save based on an old version is refused
and the form offers to reload or keep editing (RecordChanged).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from frontdesk.models import database_proxy
from frontdesk.services import audit
from frontdesk.storage_errors import StorageError

log = logging.getLogger(__name__)

LOOK_EVERY_MS = 5000


class ChangeWatch(QObject):
    """Looks for other PCs' saves while the window is in use (not while it is locked)."""

    def __init__(self, window: QWidget, is_covered: Callable[[], bool]) -> None:
        super().__init__(window)
        self.window = window
        self.is_covered = is_covered
        self.seen: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(LOOK_EVERY_MS)
        self.timer.timeout.connect(self.look)

    def start(self) -> None:
        self.seen = None
        self.timer.start()
        self.look()

    def stop(self) -> None:
        self.timer.stop()

    def look(self) -> None:
        database = database_proxy.obj
        if database is None or database.is_closed() or self.is_covered():
            return
        try:
            if self.seen is None:
                self.seen = audit.watch_from_now()
                return
            self.seen, elsewhere = audit.changes_elsewhere(self.seen)
        except StorageError as error:
            log.info("could not look for other PCs' saves (%s)", type(error).__name__)
            return
        if elsewhere:
            refresh_lists_in_view(self.window)


def refresh_lists_in_view(window: QWidget) -> None:
    """Read the rows of every list the window shows again (each keeps its selection)."""
    from ui.screens.client_list import ClientListPage
    from ui.screens.day_sheet import DaySheetPage
    from ui.screens.insurers import InsurersScreen
    from ui.screens.prescriptions import PrescriptionsScreen
    from ui.screens.receipts import ReceiptsScreen

    for kind in (ClientListPage, DaySheetPage, PrescriptionsScreen, ReceiptsScreen, InsurersScreen):
        for page in window.findChildren(kind):
            if page.isVisible():
                page.refresh()
