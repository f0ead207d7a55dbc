"""Before Qt starts: a missing screen or missing X libraries are named, with the fix."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ui import platform_check

LDD_OUTPUT = """\
\tlibQt6Gui.so.6 => /opt/qt/lib/libQt6Gui.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_missing_libraries_are_read_from_ldd(monkeypatch, tmp_path):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    seen = []

    def fake_run(command, **_options):
        seen.append(command)
        return subprocess.CompletedProcess(command, 0, stdout=LDD_OUTPUT, stderr="")

    monkeypatch.setattr(subprocess, "run", fake_run)
    missing = platform_check.missing_libraries([plugin, tmp_path / "absent.so"])
    assert missing == ["libxcb-icccm.so.4", "libxkbcommon-x11.so.0"]
    assert seen == [["ldd", str(plugin)]]  # a binary that is not there is not asked about


def test_the_hint_is_one_apt_get_line_with_debian_package_names():
    hint = platform_check.install_hint(["libxcb-icccm.so.4", "libxkbcommon-x11.so.0"])
    assert hint.splitlines()[-1].strip() == (
        "sudo apt-get install libxcb-icccm4 libxkbcommon-x11-0"
    )


def test_no_display_is_named(monkeypatch):
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    for variable in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(variable, raising=False)
    assert "no display was found" in platform_check.platform_problem()


def test_offscreen_needs_no_check(monkeypatch):
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.platform_problem() == ""


def test_a_display_with_every_library_present_is_fine(monkeypatch):
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(platform_check, "missing_libraries", lambda binaries: [])
    assert platform_check.platform_problem() == ""
    assert Path(platform_check._qt_dir(), "plugins").is_dir()


def test_a_library_that_does_not_load_is_named_by_ldd(monkeypatch):
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(platform_check, "_loads", lambda binary: False)
    monkeypatch.setattr(
        platform_check, "missing_libraries", lambda binaries: ["libxcb-cursor.so.0"]
    )
    assert "sudo apt-get install libxcb-cursor0" in platform_check.platform_problem()
