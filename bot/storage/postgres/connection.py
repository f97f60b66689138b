"""The PostgreSQL side of the shared query code: a wrapper giving an asyncpg connection aiosqlite's three
calls (`execute`, `execute_fetchall`, `executemany`) and translating SQLite's `?` and `:name`
placeholders to PostgreSQL's `$n`, once per distinct statement (the translations are cached)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import asyncpg

from bot.storage.sql import Params


@lru_cache(maxsize=2048)
def translate(sql: str) -> tuple[str, tuple[str, ...] | int]:
    """`sql` with `$n` placeholders, and how to order the parameters: the names of `:name` placeholders in
    `$n` order, or the count of `?` placeholders. Quoted text, identifiers, comments and `::` casts are kept."""
    out: list[str] = []
    names: list[str] = []
    positional = 0
    i, n = 0, len(sql)
    while i < n:
        char = sql[i]
        if char in "'\"":  # a string or a quoted identifier, doubled quotes inside
            end = i + 1
            while end < n:
                if sql[end] == char:
                    if end + 1 < n and sql[end + 1] == char:
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i : end + 1])
            i = end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end])
            i = end
        elif char == "?":
            positional += 1
            out.append(f"${positional}")
            i += 1
        elif char == ":" and sql.startswith("::", i):
            out.append("::")
            i += 2
        elif char == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_"):
            end = i + 1
            while end < n and (sql[end].isalnum() or sql[end] == "_"):
                end += 1
            name = sql[i + 1 : end]
            if name not in names:
                names.append(name)
            out.append(f"${names.index(name) + 1}")
            i = end
        else:
            out.append(char)
            i += 1
    if names and positional:
        raise ValueError("a statement mixes ? and :name placeholders")
    return "".join(out), tuple(names) if names else positional


def bind(sql: str, parameters: Params) -> tuple[str, Sequence[Any]]:
    """The PostgreSQL statement and its positional arguments."""
    statement, order = translate(sql)
    if isinstance(parameters, Mapping):
        if isinstance(order, int):
            raise ValueError("named parameters for a statement with ? placeholders")
        return statement, [parameters[name] for name in order]
    return statement, list(parameters)


class PgConnection:
    """An asyncpg connection (inside a transaction the store opened) as the shared query code uses it."""

    __slots__ = ("raw",)

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

    async def execute(self, sql: str, parameters: Params = ()) -> str:
        statement, args = bind(sql, parameters)
        return await self.raw.execute(statement, *args)

    async def execute_fetchall(self, sql: str, parameters: Params = ()) -> list[asyncpg.Record]:
        statement, args = bind(sql, parameters)
        return await self.raw.fetch(statement, *args)

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> None:
        rows = [list(row) for row in parameters]
        if rows:
            await self.raw.executemany(translate(sql)[0], rows)
