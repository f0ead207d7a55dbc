"""Work that takes a while (a backup, an export, a check), done on the thread pool so the
window never waits, with its result handed back on the window's thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from frontdesk import db


class _Signals(QObject):
    finished = Signal(object)  # what the work returned, or what `failed` made of its error


class BackgroundJob(QRunnable):
    """Runs `work()` on the thread pool and emits `signals.finished` with its result.

    An exception is turned into a result by `failed(error)`. The thread's own connection
    to the database is closed afterwards (a later restore replaces the file), and `done`
    is set once the job is over, for waiting without the event loop.
    """

    def __init__(self, work: Callable[[], Any], failed: Callable[[Exception], Any]) -> None:
        super().__init__()
        # Owned by the application: it delivers the result after the thread is done.
        self.signals = _Signals(QCoreApplication.instance())
        self.done = threading.Event()
        self._work, self._failed = work, failed

    def run(self) -> None:
        try:
            try:
                result = self._work()
            except Exception as error:
                result = self._failed(error)
            finally:
                db.close_database()  # this thread's connection only
            self.signals.finished.emit(result)
            self.signals.deleteLater()  # in the application's thread, after the result
        finally:
            self.done.set()


def in_background(
    work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], Any]
) -> BackgroundJob:
    """Start `work()` on the thread pool; `done(result)` is called on the window's thread."""
    job = BackgroundJob(work, failed)
    job.signals.finished.connect(done)
    QThreadPool.globalInstance().start(job)
    return job
