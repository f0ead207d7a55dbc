"""Before Qt starts on Linux: is there a screen, and are the X libraries Qt needs installed?

Qt aborts with a cryptic message when they are missing; this names the fix instead.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

# Shared library -> the Debian/Ubuntu package that provides it.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def _qt_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).resolve().parent / "Qt"


def missing_libraries(binaries: list[Path]) -> list[str]:
    """Shared libraries that `ldd` cannot find for the given binaries."""
    import re  # only when Qt's library does not load: the usual start never gets here
    import subprocess

    missing: list[str] = []
    for binary in binaries:
        if not binary.exists():
            continue
        try:
            output = subprocess.run(
                ["ldd", str(binary)], capture_output=True, text=True, check=False, timeout=20
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            return []
        for name in re.findall(r"^\s*(\S+) => not found", output, flags=re.MULTILINE):
            if name not in missing:
                missing.append(name)
    return missing


def install_hint(missing: list[str]) -> str:
    packages = sorted({DEBIAN_PACKAGES.get(name, name) for name in missing})
    return (
        "Front Desk cannot start: Qt needs system libraries that are not installed "
        f"({', '.join(missing)}).\nOn Debian or Ubuntu, install them with:\n"
        f"  sudo apt-get install {' '.join(packages)}"
    )


def platform_problem() -> str:
    """A message saying what stops Qt from starting on this machine, or "" when nothing does."""
    if not sys.platform.startswith("linux"):
        return ""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform in ("offscreen", "minimal", "vnc") or platform.startswith("wayland"):
        return ""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return (
            "Front Desk needs a desktop session: no display was found (DISPLAY is not set).\n"
            "Start it from the desktop, or under a virtual screen with: xvfb-run make run"
        )
    plugins = _qt_dir() / "plugins" / "platforms"
    binaries = [plugins / "libqxcb.so", _qt_dir() / "lib" / "libQt6XcbQpa.so.6"]
    if all(_loads(binary) for binary in binaries):
        return ""  # the usual case, found in a few milliseconds: no need to ask ldd
    missing = missing_libraries(binaries)
    return install_hint(missing) if missing else ""


def _loads(binary: Path) -> bool:
    """The library loads with everything it needs (Qt loads it a moment later anyway)."""
    if not binary.exists():
        return True  # nothing to check: Qt says what is wrong if it matters
    try:
        ctypes.CDLL(str(binary))
    except OSError:
        return False
    return True
