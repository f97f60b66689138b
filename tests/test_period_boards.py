"""Period leaderboards from running totals: they agree with summing the days, roll over on Monday in the
group's zone, and a database from before the totals existed is backfilled when it is opened."""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta

from bot.core.daily_time import period_start
from bot.core.messages import ChatKind
from bot.core.ports import NewAnswer, Store
from bot.storage.sqlite.migrate import MIGRATIONS_DIR
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import BOTH_STORES, Chat

STORE_BACKENDS = BOTH_STORES

START = date(2026, 10, 20)  # a Tuesday; the answers below run over month and week boundaries


def answer_on(
    user_id: int, chat_id: int, day: date, card: str, correct: bool, post_id: int | None
) -> NewAnswer:
    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    return NewAnswer(user_id, chat_id, card, post_id, "quiz", "A", correct, 5 if correct else 0, at,
                     at.replace(hour=0), day.isoformat())  # fmt: skip


Answered = list[tuple[int, date, int, bool]]  # (user id, local day, points awarded, right)


async def fill(store: Store, seed: int = 3) -> tuple[int, list[int], Answered]:
    """Twelve members answering at random over 25 days; many tie, several score nothing."""
    rng = random.Random(seed)
    chat = await store.ensure_chat("test", "periods", ChatKind.GROUP)
    other = await store.ensure_chat("test", "elsewhere", ChatKind.GROUP)
    users = [(await store.ensure_user("test", f"u{i}", f"User {i}")).id for i in range(12)]
    log: Answered = []
    for offset in range(25):
        day = START + timedelta(days=offset)
        for user_id in rng.sample(users, rng.randrange(0, 6)):
            card, right = f"card-{rng.randrange(4)}", rng.random() < 0.6
            recorded = await store.record_answer(answer_on(user_id, chat.id, day, card, right, None))
            log.append((user_id, day, recorded.points, right))
        await store.record_answer(answer_on(users[0], other.id, day, "card-0", True, None))  # another group
    return chat.id, users, log


def expected_board(log: Answered, first: date, last: date) -> list[tuple[int, int, int, int, int]]:
    """(user id, points, answered, right, rank) summed by hand: most points first, then who scored first."""
    totals: dict[int, list] = {}
    for user_id, day, points, right in log:
        if first <= day <= last:
            total = totals.setdefault(user_id, [0, 0, 0, day])
            total[0] += points
            total[1] += 1
            total[2] += right
            total[3] = min(total[3], day)
    order = sorted(totals.items(), key=lambda item: (-item[1][0], item[1][3], item[0]))
    board: list[tuple[int, int, int, int, int]] = []
    for position, (user_id, (points, answered, right, _)) in enumerate(order, start=1):
        rank = board[-1][4] if board and board[-1][1] == points else position
        board.append((user_id, points, answered, right, rank))
    return board


def period_end(period: str, first: date) -> date:
    if period == "today":
        return first
    if period == "week":
        return first + timedelta(days=6)
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


async def assert_boards_match(store: Store, chat_id: int, users: list[int], log: Answered) -> int:
    """Every today/week/month board and every member's rank equal the hand-made sums; returns how many
    periods were checked."""
    checked = 0
    for offset in range(25):
        now = datetime.combine(START + timedelta(days=offset), datetime.min.time(), tzinfo=UTC)
        for period in ("today", "week", "month"):
            first = period_start(period, now, UTC)
            expected = expected_board(log, first, period_end(period, first))
            board = await store.period_leaderboard(chat_id, first.isoformat(), 20, period)
            got = [(line.user_id, line.points, line.answered, line.correct, line.rank) for line in board]
            assert got == expected, (period, first)
            for user_id in users:
                line, players = await store.period_score(chat_id, user_id, first.isoformat(), period)
                mine = [row for row in expected if row[0] == user_id]
                assert players == len(expected)
                if line is None:
                    assert mine == [], (period, first, user_id)
                else:
                    assert [(line.user_id, line.points, line.answered, line.correct, line.rank)] == mine
            checked += 1
    return checked


async def test_period_boards_and_ranks_agree_with_sums_made_by_hand(store):
    chat_id, users, log = await fill(store)
    assert await assert_boards_match(store, chat_id, users, log) == 75


async def test_a_week_rolls_over_on_monday_and_a_month_on_the_first(store):
    chat = await store.ensure_chat("test", "roll", ChatKind.GROUP)
    ann = await store.ensure_user("test", "ann", "Ann")
    ben = await store.ensure_user("test", "ben", "Ben")
    sunday, monday = date(2026, 11, 29), date(2026, 11, 30)
    first_of_december = date(2026, 12, 1)
    await store.record_answer(answer_on(ann.id, chat.id, sunday, "c1", True, None))
    await store.record_answer(answer_on(ben.id, chat.id, monday, "c1", True, None))
    await store.record_answer(answer_on(ben.id, chat.id, first_of_december, "c2", True, None))

    def names(board):
        return [(line.display_name, line.points, line.rank) for line in board]

    assert names(await store.period_leaderboard(chat.id, "2026-11-23", 10, "week")) == [("Ann", 5, 1)]
    assert names(await store.period_leaderboard(chat.id, "2026-11-30", 10, "week")) == [("Ben", 10, 1)]
    assert names(await store.period_leaderboard(chat.id, "2026-11-01", 10, "month")) == [
        ("Ann", 5, 1),
        ("Ben", 5, 1),
    ]
    assert names(await store.period_leaderboard(chat.id, "2026-12-01", 10, "month")) == [("Ben", 5, 1)]
    assert names(await store.period_leaderboard(chat.id, "2026-11-30", 10, "today")) == [("Ben", 5, 1)]
    line, players = await store.period_score(chat.id, ann.id, "2026-11-30", "week")
    assert (line, players) == (None, 1)  # Ann has not answered this week yet
    line, players = await store.period_score(chat.id, ann.id, "2026-11-01", "month")
    assert (line.rank, line.points, players) == (1, 5, 2)  # a tie shares the rank


async def test_an_older_database_is_backfilled_when_opened(db_path, tmp_path):
    older = tmp_path / "migrations-before-0004"
    older.mkdir()
    for path in MIGRATIONS_DIR.glob("000[123]_*.sql"):
        shutil.copy(path, older)
    store = await SqliteStore.open(db_path, older)
    chat_id, users, log = await fill(store, seed=11)
    await store.close()
    with sqlite3.connect(db_path) as db:
        assert (
            db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'period_scores'").fetchone()[0] == 0
        )

    store = await SqliteStore.open(db_path)
    try:
        assert await assert_boards_match(store, chat_id, users, log) == 75
        board = await store.leaderboard(chat_id, 20)
        for line in board:  # all-time ranks come from the backfilled counts too
            assert (await store.score(chat_id, line.user_id))[0].rank == line.rank
        # and the totals keep following new answers after the upgrade
        day = START + timedelta(days=24)
        recorded = await store.record_answer(answer_on(users[5], chat_id, day, "new-card", True, None))
        log.append((users[5], day, recorded.points, True))
        assert await assert_boards_match(store, chat_id, users, log) == 75
    finally:
        await store.close()


async def test_score_rank_counts_only_members_with_more_points(service, clock):
    chat = Chat(service)
    wins = {"Ann": 3, "Ben": 1, "Cat": 1, "Dan": 0}
    for name, count in wins.items():
        for i in range(3):
            _, post = await chat.quiz(name)
            option = post.correct if i < count else (post.correct + 1) % len(post.options)
            await chat.click(name, f"a:{post.id}:{option}")
            clock.advance(seconds=1)
    assert "rank 1 of 4" in (await chat.say("Ann", "/score"))[0].text
    assert "rank 2 of 4" in (await chat.say("Ben", "/score"))[0].text
    assert "rank 2 of 4" in (await chat.say("Cat", "/score"))[0].text
    assert "rank 4 of 4" in (await chat.say("Dan", "/score"))[0].text
    week = (await chat.say("Dan", "/leaderboard week"))[0].text
    assert "1. Ann: 15 points" in week and "2. Ben: 5 points" in week and "2. Cat: 5 points" in week
