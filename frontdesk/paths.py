"""Where the program's files live by default (kept light: the desktop start needs only this)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "FrontDesk"
DB_FILENAME = "frontdesk.db"


SERVER_SCHEMES = ("postgresql", "postgres")


def is_server_address(location: object) -> bool:
    """Whether a --db value names a clinic server (postgresql://...) rather than a file."""
    scheme, separator, _ = str(location).partition("://")
    return bool(separator) and scheme.lower() in SERVER_SCHEMES


def holds_password(word: object) -> bool:
    """Whether a server address (or a `--db=ADDRESS` word) carries a password, before the
    host or as `?password=` (refused: it would show in the list of running programs, in the
    shell's history and in what the program prints)."""
    text = str(word)
    if text.startswith("--") and "=" in text:
        text = text.partition("=")[2]
    if not is_server_address(text):
        return False
    from urllib.parse import parse_qsl, urlsplit

    address = urlsplit(text)
    options = {name.lower() for name, _ in parse_qsl(address.query, keep_blank_values=True)}
    return address.password is not None or "password" in options


def as_location(text: str) -> Path | str:
    """A --db value as the program keeps it: a server's address as typed, else a path."""
    return text.strip() if is_server_address(text) else Path(text).expanduser()


def default_db_path() -> Path | str:
    """Where the database lives: FRONTDESK_DB (a file or a clinic server's address), or the
    user's data folder."""
    override = os.environ.get("FRONTDESK_DB")
    if override:
        return as_location(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME
