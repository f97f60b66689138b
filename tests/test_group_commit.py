"""Group commit: a burst of answers is written by a few statements, and each answer's outcome is the one
it would have had alone (a repeat of a card the same day earns nothing, a second answer is refused)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.messages import ChatKind
from bot.core.ports import NewAnswer
from bot.storage.sqlite.store import SqliteStore

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def answer(user_id: int, chat_id: int, post_id: int | None, card: str, correct: bool = True) -> NewAnswer:
    return NewAnswer(user_id, chat_id, card, post_id, "quiz", "A", correct, 5 if correct else 0, NOW,
                     NOW.replace(hour=0), "2026-11-02")  # fmt: skip


def count_writer_calls(store: SqliteStore, monkeypatch) -> list[str]:
    """Every call on the writer connection (each one is a hop to its thread), by the SQL it runs."""
    calls: list[str] = []
    writer = store._writer
    for method in ("execute", "execute_fetchall", "executemany", "executescript"):
        original = getattr(writer, method)

        def counted(sql, *args, _original=original, **kwargs):
            calls.append(sql.strip().split("(")[0].strip())
            return _original(sql, *args, **kwargs)

        monkeypatch.setattr(writer, method, counted)
    return calls


async def test_a_burst_of_answers_is_written_in_one_statement_per_batch(store, monkeypatch):
    chat = await store.ensure_chat("test", "burst", ChatKind.GROUP)
    posts = [
        await store.create_post(chat.id, f"card-{i}", "quiz", ("a", "b"), 0, 1, NOW, None) for i in range(4)
    ]
    users = [await store.ensure_user("test", f"u{i}", f"User {i}") for i in range(50)]
    calls = count_writer_calls(store, monkeypatch)
    results = await asyncio.gather(
        *(store.record_answer(answer(u.id, chat.id, p.id, p.card_id)) for p in posts for u in users)
    )
    assert all(r.recorded and r.points == 5 for r in results)
    # 200 answers in one or a few batches: one INSERT each, its own transaction, so no BEGIN or COMMIT
    assert 1 <= len(calls) <= 4 and set(calls) == {"INSERT INTO attempts"}, calls
    board = await store.leaderboard(chat.id, 100)
    assert len(board) == 50 and {line.points for line in board} == {20}


async def test_answers_in_one_batch_keep_the_outcome_they_would_have_alone(store, monkeypatch):
    chat = await store.ensure_chat("test", "same-batch", ChatKind.GROUP)
    first = await store.create_post(chat.id, "card-x", "quiz", ("a", "b"), 0, 1, NOW, None)
    again = await store.create_post(chat.id, "card-x", "quiz", ("a", "b"), 0, 1, NOW, None)
    other = await store.create_post(chat.id, "card-y", "quiz", ("a", "b"), 0, 1, NOW, None)
    ann = await store.ensure_user("test", "ann", "Ann")
    ben = await store.ensure_user("test", "ben", "Ben")
    calls = count_writer_calls(store, monkeypatch)
    results = await asyncio.gather(
        store.record_answer(answer(ann.id, chat.id, first.id, "card-x")),
        store.record_answer(answer(ann.id, chat.id, again.id, "card-x")),  # the same card again today
        store.record_answer(answer(ann.id, chat.id, first.id, "card-x")),  # a second answer to a post
        store.record_answer(answer(ben.id, chat.id, first.id, "card-x")),
        store.record_answer(answer(ben.id, chat.id, other.id, "card-y", correct=False)),
        store.record_answer(answer(ann.id, chat.id, None, "card-x")),  # graded in study: no post, a repeat
    )
    assert [(r.recorded, r.points) for r in results] == [
        (True, 5), (True, 0), (False, 0), (True, 5), (True, 0), (True, 0),
    ]  # fmt: skip
    # the repeats wait for the answers they repeat, in a later statement of the same transaction
    assert calls == ["BEGIN IMMEDIATE"] + ["INSERT INTO attempts"] * 4 + ["COMMIT"], calls
    line, _ = await store.score(chat.id, ann.id)
    assert (line.points, line.answered) == (5, 3)
