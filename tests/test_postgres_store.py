"""What only PostgreSQL has to show: several processes (stores) on one database, migrations under an
advisory lock, a newer schema refused, deadlocks retried, and URLs whose password never reaches a log.
Against the real server named by STUDY_BOT_TEST_POSTGRES; skipped, saying how to enable it, without one."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from datetime import UTC, datetime

import asyncpg
import pytest

from bot.core.messages import ChatKind
from bot.core.ports import NewAnswer
from bot.storage.errors import SchemaTooNewError
from bot.storage.postgres.store import PostgresStore
from bot.storage.postgres.url import redacted, unusable
from bot.storage.schema import available_migrations, migrations_dir
from tests.conftest import CONTENT, open_store, postgres_server

STORE_BACKENDS = ("postgres",)
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PASSWORD = "s3cret-Pg-pass-word"
LATEST = available_migrations(migrations_dir("postgres"))[-1].version  # the schema version this code knows


def answer(user_id: int, chat_id: int, post_id: int, correct: bool = True, card: str = "card-1") -> NewAnswer:
    return NewAnswer(user_id, chat_id, card, post_id, "quiz", "A", correct, 5 if correct else 0, NOW,
                     NOW.replace(hour=0), local_day="2026-11-02")  # fmt: skip


def with_password(url: str) -> str:
    """The same server with a password in the URL (trust authentication never asks for it)."""
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1) if "@" in rest else ("postgres", rest)
    return f"{scheme}://{user.split(':')[0]}:{PASSWORD}@{host}"


async def study_bot(*args: str, url: str, cwd, timeout: float = 60) -> tuple[int, str]:
    """Run `study-bot ARGS` as its own process with DATABASE_URL=url; (exit status, stderr + stdout)."""
    env = {**os.environ, "DATABASE_URL": url}
    for name in ("TELEGRAM_TOKEN", "DISCORD_TOKEN"):
        env.pop(name, None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=cwd, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    return process.returncode or 0, err.decode() + out.decode()


async def test_two_processes_answering_at_once_record_one_answer_per_user_per_post(database):
    first, second = await open_store(database), await open_store(database)
    try:
        chat = await first.ensure_chat("test", "busy", ChatKind.GROUP)
        posts = [
            await first.create_post(chat.id, f"card-{i}", "quiz", ("a", "b"), 0, 1, NOW, None)
            for i in range(5)
        ]
        users = [await first.ensure_user("test", f"u{i}", f"User {i}") for i in range(40)]
        attempts = [
            answer(u.id, chat.id, p.id, correct=(u.id + p.id) % 2 == 0, card=p.card_id)
            for u in users
            for p in posts
        ]
        # every member taps twice, once through each process, at the same moment
        results = await asyncio.gather(
            *(first.record_answer(a) for a in attempts),
            *(second.record_answer(a) for a in reversed(attempts)),
        )
        assert sum(r.recorded for r in results) == 200
        connection = await asyncpg.connect(database)
        try:
            assert await connection.fetchval("SELECT COUNT(*) FROM attempts") == 200
            mismatches = await connection.fetchval(
                "SELECT COUNT(*) FROM scores s WHERE s.points != (SELECT SUM(points) FROM attempts a"
                " WHERE a.chat_id = s.chat_id AND a.user_id = s.user_id)"
                " OR s.answered != (SELECT COUNT(*) FROM attempts a WHERE a.chat_id = s.chat_id AND a.user_id = s.user_id)"
            )
            assert mismatches == 0
            # the rank counts agree with the scores they count, after two processes updated them at once
            assert await connection.fetch(
                "SELECT points, members FROM score_counts WHERE period = 'all' AND members > 0 ORDER BY points"
            ) == await connection.fetch(
                "SELECT points, COUNT(*) AS members FROM scores GROUP BY points ORDER BY points"
            )
            with pytest.raises(asyncpg.UniqueViolationError):  # the rule is the schema's, not the code's
                await connection.execute(
                    "INSERT INTO attempts (user_id, chat_id, card_id, post_id, mode, answer, correct, points,"
                    " created_at) VALUES ($1, $2, 'card-0', $3, 'quiz', 'B', 0, 0, 0)",
                    users[0].id, chat.id, posts[0].id,
                )  # fmt: skip
        finally:
            await connection.close()
        board = await second.leaderboard(chat.id, 3)
        assert [line.rank for line in board] == [1, 1, 1] and board[0].points == 15
    finally:
        await first.close()
        await second.close()


async def test_the_same_card_answered_through_two_processes_at_once_earns_points_once(database):
    """A repeat of a card on the same day earns nothing, also when the two answers reach two processes at
    the same moment (two Telegram webhook workers, a double tap): each store checks for the earlier
    answer in its own transaction, so the check must wait for the other process's commit."""
    first, second = await open_store(database), await open_store(database)
    try:
        chat = await first.ensure_chat("test", "racing", ChatKind.GROUP)
        users = [await first.ensure_user("test", f"r{i}", f"Racer {i}") for i in range(30)]
        cards = [f"card-{i}" for i in range(4)]
        posts = {
            (card, side): await first.create_post(chat.id, card, "quiz", ("a", "b"), 0, 1, NOW, None)
            for card in cards
            for side in ("first", "second")
        }

        def through(side: str, user, card: str) -> NewAnswer:
            return answer(user.id, chat.id, posts[(card, side)].id, card=card)

        results = await asyncio.gather(
            *(first.record_answer(through("first", u, c)) for u in users for c in cards),
            *(second.record_answer(through("second", u, c)) for u in users for c in cards),
        )
        assert all(r.recorded for r in results)  # two posts: both answers count as answered
        connection = await asyncpg.connect(database)
        try:
            earned_twice = await connection.fetchval(
                "SELECT COUNT(*) FROM (SELECT user_id, card_id FROM attempts WHERE points > 0"
                " GROUP BY user_id, card_id HAVING COUNT(*) > 1) AS t"
            )
            earned_once = await connection.fetchval(
                "SELECT COUNT(DISTINCT (user_id, card_id)) FROM attempts WHERE points > 0"
            )
        finally:
            await connection.close()
        assert earned_twice == 0
        assert earned_once == len(users) * len(cards)  # and the first of each pair did earn
    finally:
        await first.close()
        await second.close()


async def test_a_burst_of_answers_is_committed_in_a_few_transactions_each_seen_before_its_reply(
    store, database
):
    chat = await store.ensure_chat("test", "burst", ChatKind.GROUP)
    post = await store.create_post(chat.id, "card-1", "quiz", ("a", "b"), 0, 1, NOW, None)
    users = [await store.ensure_user("test", f"u{i}", f"U{i}") for i in range(300)]
    transactions = 0
    original = store._transaction

    async def counted(work):
        nonlocal transactions
        transactions += 1
        return await original(work)

    store._transaction = counted  # type: ignore[method-assign]
    watcher = await asyncpg.connect(database)  # another session: it sees only what is committed
    seen_on_return: list[bool] = []

    try:
        lock = asyncio.Lock()  # one asyncpg connection runs one query at a time

        async def one(user_id: int) -> None:
            await store.record_answer(answer(user_id, chat.id, post.id))
            async with lock:
                found = await watcher.fetchval(
                    "SELECT 1 FROM attempts WHERE user_id = $1 AND post_id = $2", user_id, post.id
                )
            seen_on_return.append(found == 1)

        await asyncio.gather(*(one(u.id) for u in users))
    finally:
        await watcher.close()
    assert seen_on_return == [True] * 300
    assert transactions < 30, transactions  # group commit: far fewer transactions than answers


async def test_a_database_from_a_newer_version_is_refused_by_run_and_migrate(database, tmp_path):
    connection = await asyncpg.connect(database)
    await connection.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', 0)")
    await connection.close()
    with pytest.raises(SchemaTooNewError, match="schema version 99, newer than this version of study-bot"):
        await PostgresStore.open(database)
    status, output = await study_bot("migrate", url=with_password(database), cwd=tmp_path)
    assert status == 2, output
    assert f"has schema version 99, newer than this version of study-bot knows ({LATEST})" in output
    assert PASSWORD not in output and ":***@" in output


async def test_three_processes_starting_on_a_new_database_migrate_it_once(tmp_path):
    server = await postgres_server()
    for _ in range(2):  # twice: the race is not lost every time
        name = await server.empty()
        url = server.url_for(name)
        try:
            results = await asyncio.gather(*(study_bot("migrate", url=url, cwd=tmp_path) for _ in range(3)))
            for status, output in results:
                assert status == 0, output
                assert f"schema at version {LATEST}" in output
            connection = await asyncpg.connect(url)
            try:
                versions = [row[0] for row in await connection.fetch("SELECT version FROM schema_migrations")]
            finally:
                await connection.close()
            assert sorted(versions) == [m.version for m in available_migrations(migrations_dir("postgres"))]
        finally:
            await server.drop(name)


async def test_a_deadlock_between_two_processes_is_rolled_back_and_run_again(database):
    first, second = await open_store(database), await open_store(database)
    try:
        a = await first.ensure_chat("test", "a", ChatKind.GROUP)
        b = await first.ensure_chat("test", "b", ChatKind.GROUP)
        both_hold_one = asyncio.Barrier(2)
        runs: list[str] = []

        def bump(name: str, one: int, other: int):
            async def work(db) -> None:
                runs.append(name)
                await db.execute("UPDATE chats SET quiz_round = quiz_round + 1 WHERE id = ?", (one,))
                if len(runs) <= 2:  # the first attempts meet with one row locked each: a deadlock
                    await both_hold_one.wait()
                await db.execute("UPDATE chats SET quiz_round = quiz_round + 1 WHERE id = ?", (other,))

            return work

        await asyncio.gather(
            first._write(bump("first", a.id, b.id)), second._write(bump("second", b.id, a.id))
        )
        assert len(runs) == 3  # PostgreSQL chose one victim, whose transaction ran again
        connection = await asyncpg.connect(database)
        rounds = [row[0] for row in await connection.fetch("SELECT quiz_round FROM chats ORDER BY id")]
        await connection.close()
        assert rounds == [3, 3]  # both transactions applied once each
    finally:
        await first.close()
        await second.close()


def test_a_url_shown_in_a_message_has_no_password():
    assert (
        redacted(f"postgresql://bot:{PASSWORD}@db:5432/studybot") == "postgresql://bot:***@db:5432/studybot"
    )
    assert redacted(f"postgres://db/studybot?sslmode=require&password={PASSWORD}") == (
        "postgres://db/studybot?sslmode=require&password=***"
    )
    assert redacted("postgresql://bot@db/studybot") == "postgresql://bot@db/studybot"
    error = unusable(f"postgresql://bot:{PASSWORD}@db/x", OSError(f"refused for {PASSWORD}"))
    assert PASSWORD not in str(error) and "postgresql://bot:***@db/x" in str(error)


async def test_an_unreachable_server_stops_migrate_with_one_line_and_no_password(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    status, output = await study_bot(
        "migrate", url=f"postgresql://bot:{PASSWORD}@127.0.0.1:{port}/x", cwd=tmp_path
    )
    assert status == 1, output
    assert output.startswith(
        f"study-bot: cannot use the PostgreSQL database postgresql://bot:***@127.0.0.1:{port}/x"
    )
    assert PASSWORD not in output and "Traceback" not in output


async def test_a_debug_log_of_a_run_on_postgresql_never_shows_the_password(database, tmp_path):
    (tmp_path / "config.yaml").write_text(f"content: {CONTENT}\nlog_level: DEBUG\n")
    status, output = await study_bot("run", url=with_password(database), cwd=tmp_path)
    assert status == 0, output[-3000:]
    assert "DEBUG" in output and "database: PostgreSQL at" in output
    assert PASSWORD not in output and ":***@" in output


async def test_a_failing_migration_leaves_nothing_half_applied(tmp_path):
    server = await postgres_server()
    name = await server.empty()
    url = server.url_for(name)
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_initial.sql").write_text((migrations_dir("postgres") / "0001_initial.sql").read_text())
    (folder / "0002_broken.sql").write_text("CREATE TABLE half (id INTEGER);\nSELECT no_such_function();\n")
    try:
        with pytest.raises(asyncpg.UndefinedFunctionError):
            await PostgresStore.open(url, migrations=folder)
        connection = await asyncpg.connect(url)
        try:
            assert [row[0] for row in await connection.fetch("SELECT version FROM schema_migrations")] == [1]
            assert await connection.fetchval("SELECT to_regclass('half')") is None
            assert await connection.fetchval("SELECT to_regclass('users')") == "users"
        finally:
            await connection.close()
    finally:
        await server.drop(name)


async def test_totals_kept_by_row_triggers_carry_on_under_the_statement_triggers_of_0008(tmp_path):
    """A database answered at version 7 (a trigger per row) and again after 0008 (a trigger per statement):
    every total and member count agrees with a recount of the attempts."""
    server = await postgres_server()
    name = await server.empty()
    try:
        await upgraded_totals_agree(server.url_for(name), tmp_path)
    finally:
        await server.drop(name)


async def upgraded_totals_agree(database: str, tmp_path) -> None:
    before = tmp_path / "up_to_7"
    before.mkdir()
    for migration in sorted(migrations_dir("postgres").glob("*.sql")):
        if int(migration.name[:4]) <= 7:
            shutil.copy(migration, before / migration.name)
    users = []

    async def answer_all(store: PostgresStore, chat, round_: int) -> None:
        posts = [
            await store.create_post(chat.id, f"card-{round_}-{i}", "quiz", ("a", "b"), 0, 1, NOW, None)
            for i in range(3)
        ]
        await asyncio.gather(*(
            store.record_answer(answer(u.id, chat.id, p.id, correct=(u.id + p.id) % 3 != 0, card=p.card_id))
            for u in users for p in posts
        ))  # fmt: skip

    old = await PostgresStore.open(database, migrations=before)
    try:
        chat = await old.ensure_chat("test", "upgraded", ChatKind.GROUP)
        users.extend([await old.ensure_user("test", f"m{i}", f"Member {i}") for i in range(12)])
        await answer_all(old, chat, 1)
    finally:
        await old.close()
    new = await PostgresStore.open(database)
    try:
        users.extend([await new.ensure_user("test", f"n{i}", f"Newcomer {i}") for i in range(5)])
        await answer_all(new, chat, 2)
        connection = await asyncpg.connect(database)
        try:
            assert await connection.fetchval("SELECT MAX(version) FROM schema_migrations") == LATEST
            recount = (
                "SELECT chat_id, user_id, SUM(points)::int AS points, COUNT(*)::int AS answered,"
                " SUM(correct)::int AS correct FROM attempts GROUP BY chat_id, user_id ORDER BY user_id"
            )
            kept = "SELECT chat_id, user_id, points, answered, correct FROM scores ORDER BY user_id"
            assert await connection.fetch(kept) == await connection.fetch(recount)
            for period in ("d2026-11-02", "w2026-11-02", "m2026-11-01"):
                assert await connection.fetch(
                    "SELECT chat_id, user_id, points, answered, correct FROM period_scores WHERE period = $1"
                    " ORDER BY user_id", period,
                ) == await connection.fetch(recount)  # fmt: skip
            assert await connection.fetch(
                "SELECT period, points, members FROM score_counts WHERE members <> 0 ORDER BY period, points"
            ) == await connection.fetch(
                "SELECT period, points, COUNT(*)::int AS members FROM (SELECT 'all' AS period, points FROM scores"
                " UNION ALL SELECT period, points FROM period_scores) AS t GROUP BY period, points ORDER BY period, points"
            )
            assert await connection.fetchval("SELECT members FROM chats WHERE id = $1", chat.id) == len(users)
        finally:
            await connection.close()
        board = await new.leaderboard(chat.id, 50)
        assert len(board) == len(users)
    finally:
        await new.close()


async def test_week_and_month_starts_are_the_same_monday_and_first_in_every_session_time_zone(database):
    """The period boards' keys (0009): every day from 2020 to 2031 gets its ISO week's Monday and its month's
    first day, whatever time zone the database session runs in (zones whose midnight a DST change skips
    included), and the trigger's query can inline both, so no call runs as a function of its own."""
    from datetime import date, timedelta

    store = await open_store(database)
    await store.close()
    days = [date(2020, 1, 1) + timedelta(days=i) for i in range(4383)]
    expected = [
        ((d - timedelta(days=d.weekday())).isoformat(), d.replace(day=1).isoformat()) for d in days
    ]  # fmt: skip
    connection = await asyncpg.connect(database)
    try:
        for zone in ("UTC", "America/Havana", "Asia/Beirut", "America/Santiago", "Pacific/Apia"):
            await connection.execute(f"SET TimeZone = '{zone}'")
            rows = await connection.fetch(
                "SELECT week_start(d), month_start(d) FROM unnest($1::text[]) WITH ORDINALITY AS t(d, n) ORDER BY n",
                [d.isoformat() for d in days],
            )  # fmt: skip
            assert [tuple(row) for row in rows] == expected, zone
        plan = await connection.fetchval(
            "EXPLAIN (VERBOSE, FORMAT JSON) SELECT week_start(d), month_start(d) FROM unnest($1::text[]) AS t(d)",
            ["2026-11-02"],
        )  # fmt: skip
        assert "week_start" not in plan and "month_start" not in plan, plan  # inlined into the query
    finally:
        await connection.close()
