"""Find the program's data files (payer directory, service codes, icons, style).

One function serves a source checkout, an installed wheel and a frozen bundle.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any


@cache
def resources_dir() -> Path:
    """The folder that holds the program's resources."""
    candidates = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    package_dir = Path(__file__).resolve().parent
    candidates.append(package_dir / "_resources")  # installed wheel
    candidates.append(package_dir.parent / "resources")  # source checkout
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("The program's resources folder is missing; reinstall Front Desk.")


def resource_path(*parts: str) -> Path:
    """Path of one resource file, e.g. resource_path("icons", "clients.svg")."""
    return resources_dir().joinpath(*parts)


def load_json(name: str) -> Any:
    """Read one JSON resource."""
    import json  # not needed for the window's first frame

    with resource_path(name).open(encoding="utf-8") as handle:
        return json.load(handle)
