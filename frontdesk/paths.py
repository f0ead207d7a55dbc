"""Where the program's files live by default (kept light: the desktop start needs only this)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "FrontDesk"
DB_FILENAME = "frontdesk.db"


def default_db_path() -> Path:
    """Where the database lives: FRONTDESK_DB, or the user's data folder."""
    override = os.environ.get("FRONTDESK_DB")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME
