"""When the daily scheduler wakes (the next due moment, not a fixed poll) and how many sends it holds."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import time
from datetime import UTC, datetime, timedelta

from bot.core.daily import DailyQuestions, DailyScheduler, DailySettings
from bot.core.messages import ChatKind, Reply
from bot.core.ports import Reminder, Subscription
from bot.core.reminders import Reminders
from tests.conftest import BOTH_STORES, FakeClock
from tests.test_daily import FakePoster, Group

STORE_BACKENDS = BOTH_STORES

DAY = datetime(2026, 11, 2, tzinfo=UTC)


def at(hour: int, minute: int = 0, second: int = 0, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, hours=hour, minutes=minute, seconds=second)


async def test_the_scheduler_wakes_exactly_when_the_next_thing_is_due(bank, store, clock):
    poster = FakePoster()
    group = Group(bank, store, clock, poster)
    scheduler = group.scheduler
    scheduler.settings = dataclasses.replace(scheduler.settings, idle_seconds=2 * 86400)
    scheduler.reminders = Reminders(store, clock, "UTC")
    clock.current = at(8, 50, 13)
    assert await scheduler.next_wake() == at(8, 50, 13) + timedelta(days=2)  # nothing scheduled: the cap
    await group.subscribe("09:00", "UTC")
    assert await scheduler.next_wake() == at(9)  # the post

    poster.failures[group.chat.chat_id] = [TimeoutError("network")]
    clock.current = at(9, 0, 0.4)
    await scheduler.tick()
    assert poster.questions() == []
    assert await scheduler.next_wake() == at(9, 0, 30.4)  # the retry, 30 s after the failed send

    clock.current = at(9, 0, 30.4)
    await scheduler.tick()
    assert len(poster.questions()) == 1
    assert await scheduler.next_wake() == at(8, day=1)  # the results: an hour before tomorrow's post

    user = await store.ensure_user("test", "ann", "Ann")
    await store.set_reminder(
        Reminder(user.id, "test", "dm-ann", "07:15", "UTC", "en", at(7, 15, day=1)), clock.now()
    )
    assert await scheduler.next_wake() == at(7, 15, day=1)  # the reminder comes first

    clock.current = at(7, 15, day=1)
    await scheduler.tick()
    assert await scheduler.next_wake() == at(8, day=1)
    clock.current = at(8, day=1)
    await scheduler.tick()
    assert len(poster.results()) == 1
    assert await scheduler.next_wake() == at(9, day=1)  # tomorrow's post

    scheduler.settings = dataclasses.replace(scheduler.settings, idle_seconds=30)
    assert await scheduler.next_wake() == at(8, 0, 30, day=1)  # never sleeps past the cap


class ShiftedClock:
    """Real time, moved to a chosen moment, so the scheduler's own sleep is what is measured."""

    def __init__(self, start: datetime) -> None:
        self.offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


class TimedPoster(FakePoster):
    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    async def post(self, target: str, reply: Reply) -> str:
        self.times.append(time.monotonic())
        return await super().post(target, reply)


async def test_a_daily_question_leaves_within_two_seconds_of_its_time(bank, store):
    poster = TimedPoster()
    setup_clock = FakeClock(at(8, 0))
    group = Group(bank, store, setup_clock, poster)
    await group.subscribe("09:00", "UTC")
    clock = ShiftedClock(at(8, 59, 58) + timedelta(milliseconds=500))  # the post is due 1.5 s from now
    started = time.monotonic()
    scheduler = DailyScheduler(group.scheduler.questions, store, clock, {"test": poster}, instance="timed")
    stop = asyncio.Event()
    running = asyncio.create_task(scheduler.run(stop))
    try:
        for _ in range(100):
            if poster.times:
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await running
    assert poster.times, "nothing was posted within 5 s"
    late = poster.times[0] - started - 1.5
    assert -0.05 <= late < 2.0  # a fixed 30 s poll would leave it up to 30 s late


class CountingPoster(FakePoster):
    """A slow platform that notes how many tasks exist while it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.most_tasks = 0

    async def post(self, target: str, reply: Reply) -> str:
        self.most_tasks = max(self.most_tasks, len(asyncio.all_tasks()))
        await asyncio.sleep(0.001)
        return await super().post(target, reply)


async def test_many_due_groups_are_sent_through_a_bounded_number_of_workers(bank, store):
    now = at(9)
    for i in range(300):
        chat = await store.ensure_chat("test", f"group-{i}", ChatKind.GROUP)
        await store.subscribe(
            Subscription(chat.id, "test", f"group-{i}", "09:00", "UTC", None, True, now), now
        )
    poster = CountingPoster()
    settings = DailySettings(batch=50, concurrency=8)
    questions = DailyQuestions(bank, store, settings, rng=random.Random(2))
    scheduler = DailyScheduler(questions, store, FakeClock(now), {"test": poster}, settings=settings)
    report = await scheduler.tick()
    assert report.posted == 300 and len({target for target, _ in poster.sent}) == 300
    # the workers (four per send allowed in flight), the store's writer and the test; not one per group
    assert poster.most_tasks <= 4 * 8 + 4
