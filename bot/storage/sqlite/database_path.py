"""Whether a database path can hold the bot's SQLite database, and why not, in one line.

`study-bot migrate` and `run` show the line instead of a traceback: it names the path and says what to
do. Checked before SQLite sees the path (a folder, a file where a folder should be, no permission),
and SQLite's own errors are translated (not a database, corrupted, read-only).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.storage.errors import DatabaseUnusableError

__all__ = ["DatabaseUnusableError", "explain", "prepare_database_path"]

CHOOSE = "set `database` in config.yaml to another path"


def prepare_database_path(path: Path) -> None:
    """Create the database's folder if needed; raise DatabaseUnusableError if the path cannot work."""
    if path.is_dir():
        raise DatabaseUnusableError(
            f"the database path {path} is a folder, not a file: {CHOOSE}, e.g. {path / 'bot.sqlite3'}"
        )
    for ancestor in path.parents:  # the nearest one that exists must be a folder
        if ancestor.exists():
            if not ancestor.is_dir():
                raise DatabaseUnusableError(
                    f"cannot create the database {path}: {ancestor} is a file, not a folder; "
                    f"{CHOOSE}, or move {ancestor} away"
                )
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnusableError(
            f"cannot create the folder {path.parent} for the database ({exc.strerror or exc}): "
            f"{CHOOSE}, or make the folder writable for this user"
        ) from exc
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnusableError(
            f"the database {path} is not readable and writable by this user: fix its permissions, or {CHOOSE}"
        )
    # SQLite writes its journal (-wal, -shm) beside the database, so the folder must be writable too
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise DatabaseUnusableError(
            f"the folder {path.parent} is not writable by this user, and the database {path.name} and its "
            f"journal must be written there: make the folder writable, or {CHOOSE}"
        )


def explain(error: BaseException, path: Path) -> DatabaseUnusableError | None:
    """SQLite's (or the file system's) error about `path`, as one line saying what to do; None for an
    error that is not about the file (a bug in a migration stays a traceback)."""
    message = str(error)
    lowered = message.lower()
    if "file is not a database" in lowered or "not a database" in lowered:
        text = (
            f"{path} is not an SQLite database (or it is encrypted): {CHOOSE}, "
            f"or move the file away to start a new database"
        )
    elif "malformed" in lowered or "corrupt" in lowered:
        text = (
            f"the database {path} is corrupted ({message}): restore it from a backup, "
            f"or move it away to start a new database"
        )
    elif "readonly" in lowered or "read-only" in lowered:
        text = f"the database {path} is read-only ({message}): make it and its folder writable, or {CHOOSE}"
    elif "unable to open" in lowered or isinstance(error, PermissionError):
        text = f"cannot open the database {path} ({message}): check that its folder exists and is writable"
    elif isinstance(error, sqlite3.DatabaseError) and "disk i/o" in lowered:
        text = (
            f"cannot read or write the database {path} ({message}): check the disk and the file, or {CHOOSE}"
        )
    else:
        return None
    return DatabaseUnusableError(text)
