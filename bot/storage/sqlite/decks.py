"""Decks uploaded by chats and the upload log behind the per-minute limit (the part of the store issue 14
added; SQL shared by SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from bot.core.ports import StoredDeck
from bot.storage.sql import Row, SqlConnection
from bot.storage.sqlite.rows import to_ms

T = TypeVar("T")
_COLUMNS = "chat_id, deck_id, file_name, source, sha256, card_count, uploaded_by, uploaded_at"


class DeckQueries:
    """Mixed into SqliteStore and PostgresStore, whose connections and write lock it uses."""

    if TYPE_CHECKING:

        async def _write(self, work: Callable[[SqlConnection], Awaitable[T]]) -> T: ...

        async def _read(self, sql: str, params: tuple | dict = ()) -> list[Row]: ...

    async def save_chat_deck(self, deck: StoredDeck) -> None:
        """Insert or replace (same chat, same deck id) in one transaction."""

        async def upsert(db: SqlConnection) -> None:
            await db.execute(
                f"INSERT INTO chat_decks ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id, deck_id) DO UPDATE SET file_name = excluded.file_name,"
                " source = excluded.source, sha256 = excluded.sha256, card_count = excluded.card_count,"
                " uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at",
                (deck.chat_id, deck.deck_id, deck.file_name, deck.source, deck.sha256, deck.card_count,
                 deck.uploaded_by, to_ms(deck.uploaded_at)),
            )  # fmt: skip

        await self._write(upsert)

    async def remove_chat_deck(self, chat_id: int, deck_id: str) -> bool:
        async def delete(db: SqlConnection) -> bool:
            rows = await db.execute_fetchall(
                "DELETE FROM chat_decks WHERE chat_id = ? AND deck_id = ? RETURNING deck_id",
                (chat_id, deck_id),
            )
            return bool(list(rows))

        return await self._write(delete)

    async def chat_decks(self, chat_id: int | None = None) -> list[StoredDeck]:
        """One chat's uploaded decks, or every chat's (at start), in upload order."""
        where, params = ("WHERE chat_id = ?", (chat_id,)) if chat_id is not None else ("", ())
        rows = await self._read(
            f"SELECT {_COLUMNS} FROM chat_decks {where} ORDER BY uploaded_at, deck_id", params
        )
        return [
            StoredDeck(
                chat, deck, name, bytes(source), sha, count, user, datetime.fromtimestamp(at / 1000, UTC)
            )
            for chat, deck, name, source, sha, count, user, at in rows
        ]

    async def count_upload(self, chat_id: int, at: datetime, window: timedelta) -> int:
        """Log an upload attempt and return how many this chat made within `window` before `at` (this one too)."""

        async def log(db: SqlConnection) -> int:
            await db.execute("DELETE FROM deck_uploads WHERE at < ?", (to_ms(at - timedelta(days=1)),))
            await db.execute("INSERT INTO deck_uploads (chat_id, at) VALUES (?, ?)", (chat_id, to_ms(at)))
            rows = list(
                await db.execute_fetchall(
                    "SELECT count(*) FROM deck_uploads WHERE chat_id = ? AND at > ?",
                    (chat_id, to_ms(at - window)),
                )
            )
            return int(rows[0][0]) if rows else 0

        return await self._write(log)
