"""Numbered SQL migrations, one folder per dialect (`migrations/sqlite/`, `migrations/postgres/`) with the
same version numbers, recorded in one table, `schema_migrations`, in either database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.storage.errors import SchemaTooNewError


def _root() -> Path:
    # beside the package in a checkout or an editable install; the working folder in the container image
    beside = Path(__file__).resolve().parent.parent.parent / "migrations"
    return beside if beside.is_dir() else Path.cwd() / "migrations"


MIGRATIONS_ROOT = _root()
_NAME = re.compile(r"^(\d+)_([\w-]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path


def migrations_dir(dialect: str) -> Path:
    """The folder of `dialect`'s migrations ("sqlite" or "postgres")."""
    return MIGRATIONS_ROOT / dialect


def available_migrations(folder: Path) -> list[Migration]:
    found = []
    for path in folder.glob("*.sql"):
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"two migrations in {folder} share a number: {versions}")
    return found


def refuse_newer(applied: set[int], known: list[Migration], database: str) -> None:
    """Raise SchemaTooNewError when the database holds a version this bot does not know."""
    newest_known = max((m.version for m in known), default=0)
    if applied and max(applied) > newest_known:
        raise SchemaTooNewError(
            f"the database {database} has schema version {max(applied)}, newer than this version of study-bot "
            f"knows ({newest_known}): upgrade study-bot, or point it at another database"
        )
