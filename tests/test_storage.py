"""The SQLite store: migrations, schema rules and concurrent writers, on a real database file."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest

from bot.core.messages import ChatKind
from bot.core.ports import NewAnswer
from bot.storage.sqlite.migrate import SchemaTooNewError, available_migrations
from bot.storage.sqlite.store import SqliteStore

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def answer(user_id: int, chat_id: int, post_id: int, correct: bool = True, card: str = "card-1") -> NewAnswer:
    return NewAnswer(user_id, chat_id, card, post_id, "quiz", "A", correct, 5 if correct else 0, NOW,
                     NOW.replace(hour=0))  # fmt: skip


async def test_processes_starting_together_on_a_new_database_each_open_it(tmp_path):
    # two `study-bot run` processes on one new file race to migrate it: each must open it, none may fail
    for attempt in range(40):  # the race is lost one time in ten or so: enough tries to catch it
        path = tmp_path / f"race-{attempt}.sqlite3"
        stores = await asyncio.gather(*(SqliteStore.open(path) for _ in range(3)))
        for store in stores:
            await store.close()
        with sqlite3.connect(path) as db:
            versions = [
                row[0] for row in db.execute("SELECT version FROM schema_migrations ORDER BY version")
            ]
        assert versions == [m.version for m in available_migrations()]


async def test_migrations_create_the_schema_in_an_empty_file_and_record_it(db_path):
    assert not db_path.exists()
    store = await SqliteStore.open(db_path)
    await store.close()
    with sqlite3.connect(db_path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        versions = [row[0] for row in db.execute("SELECT version FROM schema_migrations")]
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert {"users", "chats", "quiz_posts", "attempts", "scores", "schema_migrations"} <= tables
    assert versions == [m.version for m in available_migrations()]
    assert {1, 2, 3, 4, 5, 6} <= set(versions)
    assert journal == "wal"
    # opening again applies nothing twice
    await (await SqliteStore.open(db_path)).close()
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(versions)


async def test_a_database_newer_than_the_code_is_refused_with_a_clear_message(db_path):
    await (await SqliteStore.open(db_path)).close()
    with sqlite3.connect(db_path) as db:
        db.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', 0)")
    with pytest.raises(
        SchemaTooNewError, match="schema version 99, newer than this version of study-bot knows"
    ):
        await SqliteStore.open(db_path)


async def test_a_failing_migration_leaves_nothing_half_applied(db_path, tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_good.sql").write_text("CREATE TABLE good (id INTEGER);")
    (folder / "0002_bad.sql").write_text("CREATE TABLE half (id INTEGER); THIS IS NOT SQL;")
    with pytest.raises(sqlite3.OperationalError):
        await SqliteStore.open(db_path, migrations=folder)
    with sqlite3.connect(db_path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "good" in tables and "half" not in tables
        assert [row[0] for row in db.execute("SELECT version FROM schema_migrations")] == [1]


async def test_one_answer_per_user_per_post_is_enforced_by_the_schema(store, db_path):
    user = await store.ensure_user("test", "u1", "Ann")
    chat = await store.ensure_chat("test", "c1", ChatKind.GROUP)
    post = await store.create_post(chat.id, "card-1", "quiz", ("a", "b", "c", "d"), 0, 1, NOW, None)
    assert (await store.record_answer(answer(user.id, chat.id, post.id))).recorded
    assert not (await store.record_answer(answer(user.id, chat.id, post.id))).recorded
    with sqlite3.connect(db_path) as db, pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        db.execute(
            "INSERT INTO attempts (user_id, chat_id, card_id, post_id, mode, answer, correct, points, created_at)"
            " VALUES (?, ?, 'card-1', ?, 'quiz', 'B', 0, 0, 0)",
            (user.id, chat.id, post.id),
        )


async def test_concurrent_answers_from_many_users_all_count_exactly_once(store, db_path):
    chat = await store.ensure_chat("test", "busy", ChatKind.GROUP)
    posts = [
        await store.create_post(chat.id, f"card-{i}", "quiz", ("a", "b"), 0, 1, NOW, None) for i in range(5)
    ]
    users = [await store.ensure_user("test", f"u{i}", f"User {i}") for i in range(40)]
    attempts = [
        answer(u.id, chat.id, p.id, correct=(u.id + p.id) % 2 == 0, card=p.card_id)
        for u in users
        for p in posts
    ]
    results = await asyncio.gather(*(store.record_answer(a) for a in attempts + attempts[:50]))  # 50 doubles
    assert sum(r.recorded for r in results) == 200
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 200
        # the aggregate agrees with the attempts it summarises
        mismatches = db.execute(
            "SELECT COUNT(*) FROM scores s WHERE s.points != (SELECT SUM(points) FROM attempts a"
            " WHERE a.chat_id = s.chat_id AND a.user_id = s.user_id)"
            " OR s.answered != (SELECT COUNT(*) FROM attempts a WHERE a.chat_id = s.chat_id AND a.user_id = s.user_id)"
        ).fetchone()[0]
    assert mismatches == 0


async def test_writes_from_concurrent_coroutines_never_share_a_transaction(store):
    chat = await store.ensure_chat("test", "c", ChatKind.GROUP)

    async def settle(i: int) -> None:
        await store.set_chat_decks(chat.id, (f"deck-{i}",))
        await store.create_post(chat.id, f"card-{i}", "quiz", ("a", "b"), 0, 1, NOW, None)

    await asyncio.gather(
        *(settle(i) for i in range(50)), *(store.start_new_round(chat.id) for _ in range(20))
    )
    assert (await store.ensure_chat("test", "c", ChatKind.GROUP)).quiz_round == 21
    assert len(await store.asked_cards(chat.id, 1)) == 50


async def test_leaderboard_ties_share_a_rank(store):
    chat = await store.ensure_chat("test", "ties", ChatKind.GROUP)
    post_ids = [
        (await store.create_post(chat.id, f"c{i}", "quiz", ("a", "b"), 0, 1, NOW, None)).id for i in range(3)
    ]
    wins = {"Ann": 2, "Ben": 2, "Cat": 1, "Dan": 0}
    for name, count in wins.items():
        user = await store.ensure_user("test", name, name)
        for i, post_id in enumerate(post_ids):
            await store.record_answer(answer(user.id, chat.id, post_id, correct=i < count, card=f"c{i}"))
    board = await store.leaderboard(chat.id, 10)
    assert [(line.display_name, line.rank, line.points) for line in board] == [
        ("Ann", 1, 10), ("Ben", 1, 10), ("Cat", 3, 5), ("Dan", 4, 0),
    ]  # fmt: skip
    dan = await store.ensure_user("test", "Dan", "Dan")
    line, players = await store.score(chat.id, dan.id)
    assert (line.rank, players) == (4, 4)
