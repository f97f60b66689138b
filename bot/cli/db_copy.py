"""`study-bot db copy SOURCE TARGET [--force]`: move a bot's whole database between SQLite and PostgreSQL.

SOURCE and TARGET are each a path, `sqlite:///path` or a `postgresql://` URL. Both are migrated to this
version's schema first; the copy shows a progress bar per table on stderr, checks every table's row count
before it commits, and refuses a target that already holds rows unless --force. Passwords in URLs are
never printed.
"""

from __future__ import annotations

import time
from typing import TextIO

from tqdm import tqdm

from bot.config import ConfigError, parse_database
from bot.storage.copy import CopyRefusedError, copy_database
from bot.storage.errors import DatabaseUnusableError, SchemaTooNewError


async def run_db_copy(source: str, target: str, force: bool, out: TextIO, err: TextIO) -> int:
    try:
        source_db = parse_database(source, "SOURCE")
        target_db = parse_database(target, "TARGET")
    except ConfigError as exc:
        print(f"study-bot: {exc}", file=err)
        return 2
    bars: dict[str, tqdm] = {}

    def progress(table: str, done: int, total: int) -> None:
        bar = bars.get(table)
        if bar is None:
            bar = bars[table] = tqdm(total=total, desc=f"{table:<22}", unit=" rows", file=err, leave=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    started = time.perf_counter()
    try:
        copied = await copy_database(source_db, target_db, force=force, progress=progress)
    except (CopyRefusedError, SchemaTooNewError) as exc:
        print(f"study-bot: nothing copied: {exc}", file=err)
        return 1
    except DatabaseUnusableError as exc:
        print(f"study-bot: nothing copied: {exc}", file=err)
        return 1
    finally:
        for bar in bars.values():
            bar.close()
    rows = sum(table.rows for table in copied)
    print(
        f"copied {rows:,} rows in {len(copied)} tables in {time.perf_counter() - started:.1f} s; "
        "every table's row count matches the source",
        file=out,
    )
    return 0
