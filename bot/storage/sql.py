"""What the shared query code needs of a connection: aiosqlite's Connection has it, and so has the
PostgreSQL wrapper (bot/storage/postgres/connection.py), which translates `?` and `:name` to `$n`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

Row = Sequence[Any]
Params = Sequence[Any] | Mapping[str, Any]


class SqlConnection(Protocol):
    async def execute(self, sql: str, parameters: Params = ...) -> Any: ...

    async def execute_fetchall(self, sql: str, parameters: Params = ...) -> Iterable[Row]: ...

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Any: ...
