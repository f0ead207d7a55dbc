"""The Qt binding the program runs on must not corrupt Python's own objects."""

from __future__ import annotations

import sys

import PySide6
from helpers import pyside_drops_none_references


def test_qt_calls_keep_none_and_true_alive():
    assert not pyside_drops_none_references(), (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} loses a reference "
        "to None on every void Qt call and to True on every signal emit; the program aborts "
        "('none_dealloc' / 'bool_dealloc') after some thousands of calls. Pin "
        "PySide6-Essentials below 6.12 (6.11.3 is fine) or require Python 3.12 or newer."
    )
