"""`study-bot db copy`: a bot's database moved from SQLite to PostgreSQL and back keeps every row, the
leaderboards and scores its members see, and goes on working (new answers, new ids) after the move."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import asyncpg
import pytest

from bot.core.messages import ChatKind
from bot.core.service import StudyService
from bot.core.study import StudySettings
from bot.storage.copy import CopyRefusedError, copy_database
from tests.conftest import Chat, open_store, option_action, postgres_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def postgres_database():
    server = await postgres_server()
    name = await server.empty()  # no schema yet: the copy migrates it
    yield server.url_for(name)
    await server.drop(name)


async def play(bank, store, clock) -> None:
    """A group where four members answer quiz questions, one subscribes the daily question, and a member
    studies flashcards privately."""
    service = StudyService(
        bank, store, clock=clock, rng=random.Random(5), study=StudySettings(fuzz_intervals=False)
    )
    group = Chat(service)
    group.admins.add("Ann")
    await group.say("Ann", "/daily 09:00")
    for round_number in range(4):
        reply, post = await group.quiz("Ann")
        for index, member in enumerate(("Ann", "Bob", "Cid", "Dee")):
            right = (index + round_number) % 3 != 0
            await group.click(member, option_action(reply, post.correct if right else (post.correct + 1) % 4))
        clock.advance(minutes=7)
    private = Chat(service, chat_id="dm-ann", kind=ChatKind.PRIVATE)
    for _ in range(3):
        shown = (await private.say("Ann", "/study"))[0]
        reveal = next(b.action for row in shown.buttons for b in row if b.label.startswith("Show"))
        revealed = (await private.click("Ann", reveal))[0]
        good = next(
            b.action for row in revealed.buttons for b in row if b.label.lstrip("✓ ").startswith("Good")
        )
        await private.click("Ann", good)


def sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
            if not t.startswith("sqlite_") and t != "schema_migrations"
        }
    finally:
        db.close()


async def planner_rows(url: str, table: str) -> float:
    """The row count PostgreSQL's planner has for `table` (-1 until the table is first analysed)."""
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval("SELECT reltuples FROM pg_class WHERE oid = $1::regclass", table)
    finally:
        await connection.close()


async def test_a_bot_moves_to_postgresql_and_back_with_every_row_and_the_same_boards(
    bank, clock, tmp_path, postgres_database
):
    original = tmp_path / "bot.sqlite3"
    store = await open_store(original)
    await play(bank, store, clock)
    chat = await store.ensure_chat("test", "group-1", ChatKind.GROUP)
    board_before = await store.leaderboard(chat.id, 10)
    await store.close()

    seen: list[tuple[str, int, int]] = []
    copied = await copy_database(original, postgres_database, progress=lambda *p: seen.append(p))
    counts = {table.name: table.rows for table in copied}
    assert counts["attempts"] == 16 and counts["users"] == 4 and counts["scores"] == 4
    assert ("attempts", 16, 16) in seen  # the progress reached the end of every table
    assert await planner_rows(postgres_database, "attempts") == 16  # analysed: queries are planned for them

    back = tmp_path / "back.sqlite3"
    await copy_database(postgres_database, back)
    assert sqlite_rows(back) == sqlite_rows(original)  # there and back: every row as it was
    with closing(sqlite3.connect(back)) as db:  # and analysed there too: sqlite_stat1 starts with the rows
        (stat,) = db.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'attempts' LIMIT 1").fetchone()
    assert stat.split()[0] == "16"

    moved = await open_store(postgres_database)
    try:
        chat_pg = await moved.ensure_chat("test", "group-1", ChatKind.GROUP)
        assert await moved.leaderboard(chat_pg.id, 10) == board_before  # totals copied, not counted twice
        # the bot goes on: a new member's answer gets a new id and lands on the boards
        service = StudyService(bank, moved, clock=clock, rng=random.Random(9))
        group = Chat(service)
        reply, post = await group.quiz("Eve")
        assert post.id > max(p[0] for p in sqlite_rows(original)["quiz_posts"])
        await group.click("Eve", option_action(reply, post.correct))
        board_after = await moved.leaderboard(chat_pg.id, 10)
        assert len(board_after) == 5 and any(line.display_name == "Eve" for line in board_after)
    finally:
        await moved.close()


async def test_a_target_that_holds_rows_is_refused_unless_forced(bank, clock, tmp_path, postgres_database):
    source = tmp_path / "bot.sqlite3"
    store = await open_store(source)
    await play(bank, store, clock)
    await store.close()
    await copy_database(source, postgres_database)
    with pytest.raises(CopyRefusedError, match=r"already holds rows.*--force"):
        await copy_database(source, postgres_database)
    copied = await copy_database(source, postgres_database, force=True)  # replaced, not doubled
    assert {t.name: t.rows for t in copied}["attempts"] == 16
    with pytest.raises(CopyRefusedError, match="the same database"):
        await copy_database(source, Path(str(source)))


def test_the_command_shows_progress_and_counts_and_never_the_password(tmp_path):
    source = tmp_path / "empty.sqlite3"
    target = tmp_path / "copy.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "db", "copy", str(source), f"sqlite:///{target}"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "copied 0 rows in" in done.stdout and "row count matches" in done.stdout
    assert "attempts" in done.stderr  # a progress bar per table
    refused = subprocess.run(
        [sys.executable, "-m", "bot", "db", "copy", str(source), "postgresql://bot:s3cr3t-pw@127.0.0.1:1/none"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "nothing copied" in refused.stderr and "s3cr3t-pw" not in refused.stderr + refused.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "db", "copy", str(source), "mysql://x/y"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "TARGET" in bad.stderr
