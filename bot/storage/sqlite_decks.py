"""Decks uploaded by chats and the upload log behind the per-minute limit (the part of SqliteStore issue 14 added)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

import aiosqlite

from bot.core.ports import StoredDeck
from bot.storage.sqlite_rows import to_ms

T = TypeVar("T")
_COLUMNS = "chat_id, deck_id, file_name, source, sha256, card_count, uploaded_by, uploaded_at"


class DeckQueries:
    """Mixed into SqliteStore, whose connections and write lock it uses."""

    if TYPE_CHECKING:

        async def _write(self, work: Callable[[aiosqlite.Connection], Awaitable[T]]) -> T: ...

        async def _read(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]: ...

    async def save_chat_deck(self, deck: StoredDeck) -> None:
        """Insert or replace (same chat, same deck id) in one transaction."""

        async def upsert(db: aiosqlite.Connection) -> None:
            await db.execute(
                f"INSERT OR REPLACE INTO chat_decks ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (deck.chat_id, deck.deck_id, deck.file_name, deck.source, deck.sha256, deck.card_count,
                 deck.uploaded_by, to_ms(deck.uploaded_at)),
            )  # fmt: skip

        await self._write(upsert)

    async def remove_chat_deck(self, chat_id: int, deck_id: str) -> bool:
        async def delete(db: aiosqlite.Connection) -> bool:
            cursor = await db.execute(
                "DELETE FROM chat_decks WHERE chat_id = ? AND deck_id = ?", (chat_id, deck_id)
            )
            return cursor.rowcount > 0

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

        async def log(db: aiosqlite.Connection) -> int:
            await db.execute("DELETE FROM deck_uploads WHERE at < ?", (to_ms(at - timedelta(days=1)),))
            await db.execute("INSERT INTO deck_uploads (chat_id, at) VALUES (?, ?)", (chat_id, to_ms(at)))
            cursor = await db.execute(
                "SELECT count(*) FROM deck_uploads WHERE chat_id = ? AND at > ?",
                (chat_id, to_ms(at - window)),
            )
            row = await cursor.fetchone()
            return int(row[0]) if row else 0

        return await self._write(log)
