"""The store's in-memory caches stay bounded however many users and chats it has seen, and a user or chat
that fell out of them is found again unchanged."""

from __future__ import annotations

from bot.core.messages import ChatKind
from bot.storage.sqlite import rows as sqlite_rows
from bot.storage.sqlite import store as sqlite_store
from bot.storage.sqlite.store import SqliteStore


async def test_users_and_chats_beyond_the_cache_are_found_again_and_memory_stays_bounded(
    db_path, monkeypatch
):
    monkeypatch.setattr(sqlite_store, "USER_CACHE_SIZE", 50)
    monkeypatch.setattr(sqlite_store, "CACHE_SIZE", 20)  # sizes the chat-key map
    monkeypatch.setattr(sqlite_rows, "CACHE_SIZE", 20)  # sizes the chat cache itself
    store = await SqliteStore.open(db_path)
    try:
        first = await store.ensure_user("test", "u0", "Ann")
        first_chat = await store.ensure_chat("test", "c0", ChatKind.GROUP)
        for i in range(1, 300):
            await store.ensure_user("test", f"u{i}", f"User {i}")
            await store.ensure_chat("test", f"c{i}", ChatKind.GROUP)
        assert len(store._users) == 50 and len(store._chat_keys) == 40
        assert await store.ensure_user("test", "u0", "Ann") == first
        renamed = await store.ensure_user("test", "u0", "Ann B.")
        assert (renamed.id, renamed.display_name) == (first.id, "Ann B.")
        assert (await store.ensure_chat("test", "c0", ChatKind.GROUP)).id == first_chat.id
        await store.set_chat_language(first_chat.id, "zh")  # a chat's change is seen at once while cached
        assert (await store.ensure_chat("test", "c0", ChatKind.GROUP)).language == "zh"
        await store.set_chat_language(first_chat.id, "en")
        assert (await store.ensure_chat("test", "c0", ChatKind.GROUP)).language == "en"
    finally:
        await store.close()
