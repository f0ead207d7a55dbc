"""The Qt binding the program runs on must not corrupt Python's own objects."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QObject, Signal


def pyside_drops_none_references() -> bool:
    """True when Qt calls lose references to None or True.

    PySide6 6.12.0 does this on Python 3.11 (6.11.3 does not): each call of a void Qt
    method loses a reference to None, each Python `signal.emit(...)` one to True. On
    Python 3.12+ those objects are immortal, so it is harmless there; on 3.11 a count
    reaches zero after some thousands of calls and the interpreter aborts
    ("none_dealloc" / "bool_dealloc").
    """
    if sys.version_info >= (3, 12):
        return False
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(100):
        probe.setObjectName("probe")
        probe.ping.emit()
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    return lost_none > 50 or lost_true > 50


class _Probe(QObject):
    ping = Signal()


def test_qt_calls_keep_none_and_true_alive():
    assert not pyside_drops_none_references(), (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} loses a reference "
        "to None on every void Qt call and to True on every signal emit; the program aborts "
        "('none_dealloc' / 'bool_dealloc') after some thousands of calls. Pin "
        "PySide6-Essentials below 6.12 (6.11.3 is fine) or require Python 3.12 or newer."
    )
