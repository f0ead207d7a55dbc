"""The core never loads Qt: every frontdesk module imports in a fresh interpreter without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import frontdesk

SCRIPT = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))
print(','.join(loaded))
slow = [m for m in sys.modules if m.startswith('simple_icd_10_cm')]
print(','.join(slow))
"""


def _core_modules() -> list[str]:
    found = pkgutil.walk_packages(frontdesk.__path__, prefix="frontdesk.")
    return [
        "frontdesk",
        *sorted(module.name for module in found if module.name != "frontdesk.__main__"),
    ]


def test_core_modules_exist():
    names = _core_modules()
    assert {"frontdesk.db", "frontdesk.models", "frontdesk.validation", "frontdesk.icd10"} <= set(
        names
    )


def test_importing_the_whole_core_loads_no_qt_and_no_icd_source_package():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *_core_modules()],
        capture_output=True,
        text=True,
        check=True,
    )
    qt_modules, icd_source = result.stdout.splitlines()
    assert qt_modules == "", f"the core loaded Qt or ui: {qt_modules}"
    assert icd_source == "", "the core imported simple_icd_10_cm at run time"
