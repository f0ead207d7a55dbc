"""Resources are found from a source checkout and from a frozen bundle."""

from __future__ import annotations

import sys

from frontdesk import resources


def test_source_checkout_finds_the_resources_folder():
    resources.resources_dir.cache_clear()
    assert resources.resource_path("payers.json").is_file()
    assert resources.resource_path("icons", "clients.svg").is_file()


def test_a_frozen_bundle_is_looked_in_first(tmp_path, monkeypatch):
    (tmp_path / "resources").mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    resources.resources_dir.cache_clear()
    try:
        assert resources.resources_dir() == tmp_path / "resources"
    finally:
        monkeypatch.delattr(sys, "_MEIPASS")
        resources.resources_dir.cache_clear()
    assert resources.resources_dir() != tmp_path / "resources"
