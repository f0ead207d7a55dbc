"""Work done at the same time, as by two PCs on one clinic file: each copy on a thread of its
own, with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from frontdesk.models import database_proxy


def at_once(work: Callable[[], None], copies: int = 2) -> None:
    """Run `copies` of `work` at the same time; the first error any of them met is raised."""
    errors: list[BaseException] = []

    def one() -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            database_proxy.close()

    workers = [threading.Thread(target=one) for _ in range(copies)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
