"""Whether a file lies on a network drive, where a SQLite database must not be kept.

SQLite's locking does not hold over network file systems: two PCs writing to one clinic
file on a shared drive damage it. Where the operating system can tell (Windows network
paths and mapped network drives, Linux NFS, SMB/CIFS and similar mounts), the program
refuses to open the clinic's file there and says why.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path, PureWindowsPath

NETWORK_FILE_SYSTEMS = {  # Linux mount types that reach another computer's disk
    "nfs": "an NFS share",
    "nfs4": "an NFS share",
    "cifs": "a Windows (SMB) share",
    "smbfs": "a Windows (SMB) share",
    "smb3": "a Windows (SMB) share",
    "fuse.sshfs": "an SSH share",
    "afs": "an AFS share",
    "ceph": "a Ceph share",
    "glusterfs": "a GlusterFS share",
    "davfs": "a WebDAV share",
    "fuse.gvfsd-fuse": "a share opened by the desktop",
}
DRIVE_REMOTE = 4  # GetDriveTypeW: a network drive


def network_location(path: Path | str) -> str | None:
    """What network place holds `path` ("an NFS share at /mnt/clinic", ...), or None when
    it is on this PC's own disks (or the system cannot tell)."""
    if sys.platform == "win32":
        return windows_network_location(str(path), _windows_drive_type)
    if sys.platform.startswith("linux"):
        return linux_network_location(Path(path), _linux_mounts())
    return None


def windows_network_location(path: str, drive_type: Callable[[str], int]) -> str | None:
    """A UNC path (\\\\server\\share\\...) or a drive letter mapped to a network share."""
    windows = PureWindowsPath(path)
    if windows.drive.startswith(("\\\\", "//")):
        return f"the network share {windows.drive}"
    if windows.drive and drive_type(f"{windows.drive}\\") == DRIVE_REMOTE:
        return f"the network drive {windows.drive}"
    return None


def linux_network_location(path: Path, mounts: Iterable[tuple[str, str]]) -> str | None:
    """The network file system mounted deepest above `path`, from (mount point, type)."""
    where = _existing(path)
    best: tuple[str, str] | None = None
    for mount_point, kind in mounts:
        inside = where == Path(mount_point) or Path(mount_point) in where.parents
        if inside and (best is None or len(mount_point) > len(best[0])):
            best = (mount_point, kind)
    if best is None or best[1] not in NETWORK_FILE_SYSTEMS:
        return None
    return f"{NETWORK_FILE_SYSTEMS[best[1]]} at {best[0]}"


def _existing(path: Path) -> Path:
    """The path resolved, or its nearest folder that exists (a file not made yet)."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path.resolve()


def _linux_mounts() -> list[tuple[str, str]]:
    try:
        text = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [_mount_entry(line) for line in text.splitlines() if len(line.split()) >= 3]


def _mount_entry(line: str) -> tuple[str, str]:
    """(mount point, file system type) of a /proc/mounts line (spaces written as \\040)."""
    _, mount_point, kind = line.split()[:3]
    return mount_point.replace("\\040", " ").replace("\\011", "\t"), kind


def _windows_drive_type(root: str) -> int:
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(root)  # type: ignore[attr-defined]
