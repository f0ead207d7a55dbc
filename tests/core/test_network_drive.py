"""A clinic file on a network drive is refused, in words, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk import db, network_drive
from frontdesk.network_drive import linux_network_location, windows_network_location

MOUNTS = [
    ("/", "ext4"),
    ("/mnt/clinic", "nfs4"),
    ("/mnt/clinic/local", "ext4"),  # a local disk mounted inside the share
    ("/media/office share", "cifs"),
]


def test_linux_names_the_network_mount_above_the_file(tmp_path):
    share = tmp_path / "share"
    (share / "sub").mkdir(parents=True)
    mounts = [*MOUNTS, (str(share), "cifs")]
    assert linux_network_location(share / "sub" / "clinic.db", mounts) == (
        f"a Windows (SMB) share at {share}"
    )
    assert linux_network_location(tmp_path / "clinic.db", mounts) is None


def test_linux_takes_the_deepest_mount_and_local_file_systems_pass(tmp_path, monkeypatch):
    monkeypatch.setattr(network_drive, "_existing", lambda path: path)
    assert linux_network_location(Path("/mnt/clinic/clinic.db"), MOUNTS) == (
        "an NFS share at /mnt/clinic"
    )
    assert linux_network_location(Path("/mnt/clinic/local/clinic.db"), MOUNTS) is None
    assert linux_network_location(Path("/media/office share/c.db"), MOUNTS).startswith(
        "a Windows (SMB) share"
    )
    assert linux_network_location(Path("/home/desk/clinic.db"), MOUNTS) is None


def test_proc_mounts_lines_read_spaces_in_mount_points():
    line = r"//server/office /media/office\040share cifs rw,relatime 0 0"
    assert network_drive._mount_entry(line) == ("/media/office share", "cifs")


@pytest.mark.parametrize(
    ("path", "drive_type", "expected"),
    [
        (r"\\server\clinic\clinic.db", 3, r"the network share \\server\clinic"),
        (r"Z:\Front Desk\clinic.db", 4, "the network drive Z:"),
        (r"C:\Users\desk\clinic.db", 3, None),
    ],
)
def test_windows_unc_paths_and_mapped_drives(path, drive_type, expected):
    assert windows_network_location(path, lambda _root: drive_type) == expected


def test_opening_a_clinic_file_on_a_network_drive_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(db, "network_location", lambda _path: "an NFS share at /mnt")
    path = tmp_path / "clinic.db"
    with pytest.raises(db.OnNetworkDrive, match=r"clinic\.db is on an NFS share at /mnt"):
        db.open_database(path)
    assert not path.exists()  # nothing made there
