"""Streaks people can see (current and longest) and the streak-at-risk nudge, across a DST change."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bot.core.daily import DailyQuestions, DailyScheduler, DailySettings
from bot.core.messages import ChatKind, Reply
from bot.core.service import StudyService
from tests.conftest import BOTH_STORES, Chat, FakeClock

STORE_BACKENDS = BOTH_STORES


class Poster:
    name = "test"

    def __init__(self) -> None:
        self.sent: list[tuple[str, Reply]] = []

    async def post(self, target: str, reply: Reply) -> str:
        self.sent.append((target, reply))
        return f"m{len(self.sent)}"

    def to(self, target: str) -> list[str]:
        return [reply.text for sent_to, reply in self.sent if sent_to == target]

    def questions(self) -> list[Reply]:
        return [reply for _, reply in self.sent if reply.post_id is not None]


def setup(bank, store, clock: FakeClock) -> tuple[StudyService, Chat, Poster, DailyScheduler]:
    questions = DailyQuestions(bank, store, DailySettings(default_timezone="UTC"), rng=random.Random(2))
    service = StudyService(bank, store, clock=clock, rng=random.Random(2), daily=questions)
    poster = Poster()
    group = Chat(service)
    group.admins.add("Admin")
    scheduler = DailyScheduler(questions, store, clock, {"test": poster}, reminders=service.reminders)
    return service, group, poster, scheduler


async def run_until(scheduler: DailyScheduler, clock: FakeClock, end: datetime, minutes: int = 15) -> None:
    while clock.now() < end:
        clock.advance(minutes=minutes)
        await scheduler.tick()


async def answer(group: Chat, user: str, reply: Reply) -> None:
    post = await group.service.store.get_post(reply.post_id)
    await group.click(user, f"a:{post.id}:{post.correct}")


async def test_the_longest_streak_stands_beside_the_current_one(bank, store, clock):
    _, group, poster, scheduler = setup(bank, store, clock)
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    await group.say("Admin", "/daily set 09:00 UTC")
    for day in range(2, 9):  # Ann answers 3 days, misses one, answers 2 more; Ben only the first
        await run_until(scheduler, clock, datetime(2026, 11, day, 9, 0, tzinfo=UTC))
        if day != 5:
            await answer(group, "Ann", poster.questions()[-1])
        if day == 2:
            await answer(group, "Ben", poster.questions()[-1])
    score = (await group.say("Ann", "/score"))[0].text
    assert score.endswith(" · daily streak 3 🔥 · longest 3 🏅")  # the 6th, 7th and today's 8th
    assert (await group.say("Ben", "/score"))[0].text.endswith("right (100%) · rank 2 of 2 · longest 1 🏅")
    board = (await group.say("Ben", "/leaderboard"))[0].text
    assert "Ann: 60 points (6/6) 🔥 3 in a row 🏅 longest 3" in board
    assert "Ben: 10 points (1/1) 🏅 longest 1 ⬅" in board


async def test_a_streak_at_risk_is_nudged_once_two_hours_before_the_close_across_a_dst_change(
    bank, store, clock
):
    service, group, poster, scheduler = setup(bank, store, clock)
    dm = Chat(service, chat_id="dm-ann", kind=ChatKind.PRIVATE)
    # Berlin leaves summer time on Sunday 2026-10-25 (03:00 CEST becomes 02:00 CET)
    clock.current = datetime(2026, 10, 23, 6, 0, tzinfo=UTC)
    await group.say("Admin", "/daily set 09:00 Europe/Berlin")
    await dm.say("Ann", "/remind 20:00 Europe/Berlin")
    await run_until(scheduler, clock, datetime(2026, 10, 23, 7, 0, tzinfo=UTC))  # 09:00 CEST
    await answer(group, "Ann", poster.questions()[-1])  # a one-day streak
    await answer(group, "Bob", poster.questions()[-1])
    quiz = (await group.say("Cat", "/quiz"))[-1]
    await answer(group, "Cat", quiz)  # a member, but without a daily streak
    for name in ("Bob", "Cat"):
        await Chat(service, chat_id=f"dm-{name.lower()}", kind=ChatKind.PRIVATE).say(
            name, "/remind 20:00 Europe/Berlin"
        )
    # Saturday's question (09:00 CEST = 07:00 UTC) stays open until an hour before Sunday's at 09:00 CET
    # (08:00 UTC): 07:00 UTC, 25 hours later. A day counted as 24 hours would close it at 06:00 UTC.
    await run_until(scheduler, clock, datetime(2026, 10, 24, 8, 0, tzinfo=UTC))
    await answer(group, "Bob", poster.questions()[-1])  # Bob has answered Saturday's
    await run_until(scheduler, clock, datetime(2026, 10, 25, 4, 45, tzinfo=UTC))
    assert poster.to("dm-ann") == []  # 04:45 UTC: still more than two hours before the real close
    await run_until(scheduler, clock, datetime(2026, 10, 25, 5, 15, tzinfo=UTC))
    [nudge] = poster.to("dm-ann")
    assert nudge.startswith("🔥 Your 1-day daily streak ends in 105 min")
    await run_until(scheduler, clock, datetime(2026, 10, 25, 6, 45, tzinfo=UTC))
    assert len(poster.to("dm-ann")) == 1  # at most one nudge a day
    # Bob answered Saturday's question and Cat has no daily streak: neither is nudged
    assert {target for target, _ in poster.sent} == {"group-1", "dm-ann"}
