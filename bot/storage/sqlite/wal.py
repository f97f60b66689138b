"""Switching a database to WAL when other processes open the same new file at the same moment.

`PRAGMA journal_mode = WAL` needs the file to itself. While another connection is switching or migrating
a brand-new file, SQLite answers "database is locked" at once instead of waiting out `busy_timeout`, so
two `study-bot run` processes started together on a new database would make one of them fail. The switch
is tried again until it succeeds or the busy timeout has passed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

import aiosqlite

RETRY_SECONDS = 0.02


async def use_wal(db: aiosqlite.Connection, timeout_ms: int) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            await db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        await asyncio.sleep(RETRY_SECONDS)
