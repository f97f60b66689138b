"""The daily question, driven by an injected clock against a real SQLite file."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.daily import DailyQuestions, DailyScheduler, DailySettings, TickReport
from bot.core.daily_time import local_date, next_post, parse_clock
from bot.core.messages import ChatKind, Reply
from bot.core.ports import ChatUnreachable, Store
from bot.core.service import StudyService
from tests.conftest import BOTH_STORES, Chat, FakeClock, open_store

STORE_BACKENDS = BOTH_STORES


class FakePoster:
    """A platform that records what the scheduler posts, and fails when told to."""

    name = "test"

    def __init__(self) -> None:
        self.sent: list[tuple[str, Reply]] = []
        self.failures: dict[str, list[Exception]] = {}

    async def post(self, target: str, reply: Reply) -> str:
        queued = self.failures.get(target)
        if queued:
            raise queued.pop(0)
        self.sent.append((target, reply))
        return f"m{len(self.sent)}"

    def questions(self, target: str | None = None) -> list[Reply]:
        return [r for t, r in self.sent if r.post_id is not None and (target is None or t == target)]

    def results(self, target: str | None = None) -> list[Reply]:
        return [r for t, r in self.sent if r.post_id is None and (target is None or t == target)]


class Group:
    """A study group with a daily question: its chat, the bot's service and scheduler, and a fake platform."""

    def __init__(self, bank, store: Store, clock: FakeClock, poster: FakePoster, chat_id: str = "group-1",
                 instance: str = "one") -> None:  # fmt: skip
        self.clock = clock
        self.poster = poster
        questions = DailyQuestions(bank, store, DailySettings(default_timezone="UTC"), rng=random.Random(5))
        self.service = StudyService(bank, store, clock=clock, rng=random.Random(5), daily=questions)
        self.chat = Chat(self.service, chat_id=chat_id)
        self.chat.admins.add("Admin")
        self.scheduler = DailyScheduler(questions, store, clock, {"test": poster}, instance=instance)

    async def subscribe(self, at: str, zone: str, *extra: str) -> str:
        return (await self.chat.say("Admin", f"/daily set {at} {zone} {' '.join(extra)}".strip()))[0].text

    async def run_until(self, end: datetime, step: timedelta = timedelta(minutes=15)) -> list[datetime]:
        """Tick the scheduler every `step` until `end`; return the moments a question went out."""
        posted_at = []
        while self.clock.now() < end:
            self.clock.advance(seconds=step.total_seconds())
            before = len(self.poster.questions())
            await self.scheduler.tick()
            if len(self.poster.questions()) > before:
                posted_at.append(self.clock.now())
        return posted_at

    async def answer(self, user: str, reply: Reply, right: bool = True) -> Reply:
        post = await self.service.store.get_post(reply.post_id)
        option = post.correct if right else (post.correct + 1) % len(post.options)
        return (await self.chat.click(user, f"a:{post.id}:{option}"))[0]


@pytest.fixture
def poster() -> FakePoster:
    return FakePoster()


@pytest.fixture
def group(bank, store, clock, poster) -> Group:
    return Group(bank, store, clock, poster)


def local_times(replies_at: list[datetime], zone: str) -> list[str]:
    return [moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") for moment in replies_at]


async def test_a_week_of_daily_questions_in_shanghai(group, clock, poster):
    clock.current = datetime(2026, 11, 1, 16, 0, tzinfo=UTC)  # Mon 2 Nov 00:00 in Shanghai
    set_reply = await group.subscribe("09:00", "Asia/Shanghai")
    assert "09:00 (Asia/Shanghai)" in set_reply and "Mon 2026-11-02 09:00" in set_reply
    posted_at = await group.run_until(clock.now() + timedelta(days=7))
    assert local_times(posted_at, "Asia/Shanghai") == [f"2026-11-{d:02d} 09:00" for d in range(2, 9)]
    headers = [r.text.splitlines()[0] for r in poster.questions()]
    assert headers[0] == "📅 **Daily question** · 2026-11-02"
    assert len({r.post_id for r in poster.questions()}) == 7
    # each day's results came once, when the window closed an hour before the next question
    assert len(poster.results()) == 6
    assert poster.results()[0].text.startswith("📊 **Daily question results** · 2026-11-02")
    status = (await group.chat.say("Ann", "/daily status"))[0].text
    assert "Next: Mon 2026-11-09 09:00" in status


@pytest.mark.parametrize(
    ("zone", "spring", "autumn"),
    [
        ("Europe/Berlin", date(2026, 3, 29), date(2026, 10, 25)),
        ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
    ],
)
async def test_one_post_per_local_day_across_daylight_saving_changes(
    bank, store, clock, poster, zone, spring, autumn
):
    group = Group(bank, store, clock, poster)
    for change in (spring, autumn):
        poster.sent.clear()
        start = datetime.combine(change - timedelta(days=2), datetime.min.time(), tzinfo=ZoneInfo(zone))
        clock.current = start.astimezone(UTC)
        await group.subscribe("02:30", zone)  # missing on the spring day, doubled on the autumn day
        posted_at = await group.run_until(clock.now() + timedelta(days=4), step=timedelta(minutes=5))
        days = [moment.astimezone(ZoneInfo(zone)).date() for moment in posted_at]
        assert days == [change + timedelta(days=offset) for offset in (-2, -1, 0, 1)]
        times = local_times(posted_at, zone)
        expected_on_change = "03:30" if change == spring else "02:30"
        assert times[2].endswith(expected_on_change), times
        assert all(t.endswith("02:30") for i, t in enumerate(times) if i != 2)


def test_the_spring_gap_and_autumn_repeat_give_one_instant_each():
    berlin = ZoneInfo("Europe/Berlin")
    at = parse_clock("02:30")
    day, instant = next_post(datetime(2026, 3, 28, 23, 0, tzinfo=UTC), at, berlin)
    assert (day, instant) == (date(2026, 3, 29), datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 03:30 CEST
    day, instant = next_post(datetime(2026, 10, 24, 23, 0, tzinfo=UTC), at, berlin)
    assert (day, instant) == (date(2026, 10, 25), datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # first 02:30
    following, _ = next_post(instant, at, berlin)
    assert following == date(2026, 10, 26)  # the repeated 02:30 is not a second post


async def test_answers_before_and_after_a_restart_count_and_results_post_once(bank, database, clock, poster):
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    store = await open_store(database)
    group = Group(bank, store, clock, poster)
    await group.subscribe("09:00", "UTC")
    await group.run_until(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    [question] = poster.questions()
    assert (await group.answer("Ann", question)).text.startswith("✅ Right, Ann! +10 points")
    await store.close()

    store = await open_store(database)  # the bot restarts inside the answer window
    group = Group(bank, store, clock, poster, instance="two")
    clock.advance(hours=3)
    assert (await group.answer("Ben", question, right=False)).text.startswith("❌")
    assert (await group.answer("Cat", question)).text.startswith("✅ Right, Cat! +10 points")
    await group.run_until(datetime(2026, 11, 3, 8, 30, tzinfo=UTC))
    [results] = poster.results()
    assert "3 answered, 2 right." in results.text and "First right: Ann, Cat" in results.text
    assert "**Reference answer**" in results.text
    late = await group.answer("Dan", question)
    assert late.text.startswith("This question is closed")
    await group.run_until(datetime(2026, 11, 3, 12, 0, tzinfo=UTC))
    assert len(poster.results()) == 1
    await store.close()


async def test_two_schedulers_on_one_database_post_once(bank, database, clock, poster):
    clock.current = datetime(2026, 11, 2, 8, 59, tzinfo=UTC)
    first_store, second_store = await open_store(database), await open_store(database)
    first = Group(bank, first_store, clock, poster, instance="a")
    second = Group(bank, second_store, clock, poster, instance="b")
    await first.subscribe("09:00", "UTC")
    clock.advance(minutes=1)
    await asyncio.gather(first.scheduler.tick(), second.scheduler.tick(), first.scheduler.tick())
    clock.advance(minutes=30)
    await asyncio.gather(first.scheduler.tick(), second.scheduler.tick())
    assert len(poster.questions()) == 1
    await first_store.close()
    await second_store.close()


async def test_a_post_missed_while_down_is_caught_up_the_same_day_but_not_the_next(group, clock, poster):
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    await group.subscribe("09:00", "UTC")
    clock.current = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # the bot was down at 09:00
    await group.scheduler.tick()
    assert len(poster.questions()) == 1
    clock.current = datetime(2026, 11, 4, 8, 0, tzinfo=UTC)  # down for all of 3 November
    await group.scheduler.tick()
    assert len(poster.questions()) == 1  # 3 November is not posted on the 4th
    await group.run_until(datetime(2026, 11, 4, 9, 0, tzinfo=UTC))
    assert len(poster.questions()) == 2
    assert poster.questions()[1].text.splitlines()[0].endswith("2026-11-04")


async def test_a_group_that_removed_the_bot_is_unsubscribed(group, clock, poster, caplog):
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    await group.subscribe("09:00", "UTC")
    target = group.chat.chat_id
    poster.failures[target] = [ChatUnreachable("bot was kicked")]
    await group.run_until(datetime(2026, 11, 4, 10, 0, tzinfo=UTC))
    assert poster.questions() == []
    assert "unsubscribed" in caplog.text
    assert (await group.chat.say("Ann", "/daily status"))[0].text.startswith("📅 No daily question here")


async def test_a_failed_send_is_retried_with_backoff(group, clock, poster):
    clock.current = datetime(2026, 11, 2, 8, 50, tzinfo=UTC)
    await group.subscribe("09:00", "UTC")
    poster.failures[group.chat.chat_id] = [TimeoutError("network"), TimeoutError("network")]
    await group.run_until(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), step=timedelta(minutes=10))
    assert poster.questions() == []
    await group.run_until(datetime(2026, 11, 2, 9, 1, 30, tzinfo=UTC), step=timedelta(seconds=10))
    assert len(poster.questions()) == 1  # after 30 s and then 60 s


async def test_week_leaderboards_start_on_monday_in_the_group_time_zone(group, clock, poster):
    zone = "Asia/Shanghai"
    clock.current = datetime(2026, 11, 7, 16, 0, tzinfo=UTC)  # Sun 8 Nov 00:00 in Shanghai
    await group.subscribe("09:00", zone)
    await group.run_until(datetime(2026, 11, 8, 1, 0, tzinfo=UTC))  # Sunday's question
    await group.answer("Ann", poster.questions()[-1])
    await group.run_until(datetime(2026, 11, 9, 1, 0, tzinfo=UTC))  # Monday's question
    await group.answer("Ben", poster.questions()[-1])
    week = (await group.chat.say("Ben", "/leaderboard week"))[0].text
    assert week.startswith("🏆 **Leaderboard** · this week")
    assert "Ben: 10 points" in week and "Ann" not in week
    month = (await group.chat.say("Cat", "/leaderboard month"))[0].text
    assert "1. Ann: 10 points" in month and "1. Ben: 10 points" in month  # a tie shares the rank
    assert (await group.chat.say("Ben", "/leaderboard today"))[0].text.count("points") == 1
    assert (await group.chat.say("Ben", "/leaderboard yesterday"))[0].text.startswith("Use `/leaderboard`")


async def test_streaks_are_kept_by_answering_and_broken_by_missing_a_day(group, clock, poster):
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    await group.subscribe("09:00", "UTC")
    for day in (2, 3, 4):
        await group.run_until(datetime(2026, 11, day, 9, 0, tzinfo=UTC))
        await group.answer("Ann", poster.questions()[-1])
        await group.answer("Ben", poster.questions()[-1], right=False)
    assert "daily streak 3 🔥" in (await group.chat.say("Ann", "/score"))[0].text
    await group.run_until(datetime(2026, 11, 5, 9, 0, tzinfo=UTC))
    await group.answer("Ann", poster.questions()[-1])  # Ben misses the 5th
    board = (await group.chat.say("Ann", "/leaderboard"))[0].text
    assert "Ann: 40 points (4/4) 🔥 4 in a row" in board
    await group.run_until(datetime(2026, 11, 6, 9, 0, tzinfo=UTC))
    assert "streak" not in (await group.chat.say("Ben", "/score"))[0].text  # broken by the 5th
    assert "daily streak 4 🔥" in (await group.chat.say("Ann", "/score"))[0].text  # today's still open


async def test_daily_commands_are_for_admins_and_explain_mistakes(group, clock, poster):
    chat = group.chat
    assert (await chat.say("Ann", "/daily set 09:00"))[
        0
    ].text == "Only the group's admins can change its settings."
    assert (await chat.say("Admin", "/daily set 9am"))[0].text.startswith("I need a time like 09:00")
    assert (await chat.say("Admin", "/daily set 09:00 Mars/Olympus"))[0].text.startswith(
        "I don't know the time zone"
    )
    assert (await chat.say("Admin", "/daily set 09:00 UTC nonsense"))[0].text.startswith(
        "I don't know the deck"
    )
    assert (await chat.say("Admin", "/daily sometimes"))[0].text.startswith("Use `/daily set")
    assert (await chat.say("Ann", "/daily status"))[0].text.startswith("📅 No daily question here")
    now = await chat.say("Admin", "/daily now")
    assert now[0].text.startswith("📅 **Daily question** · 2026-11-02") and now[0].post_id
    await group.service.message_sent(now[0].post_id, "m-now")
    assert (await chat.say("Admin", "/daily now"))[0].text.startswith(
        "📅 Today's question (2026-11-02) is already out"
    )
    await group.subscribe("10:00", "UTC")
    await group.run_until(datetime(2026, 11, 2, 11, 0, tzinfo=UTC))
    assert poster.questions() == []  # today's question went out with /daily now
    assert (await chat.say("Admin", "/daily off"))[0].text == "📅 The daily question is off."
    await group.run_until(datetime(2026, 11, 3, 11, 0, tzinfo=UTC))
    assert poster.questions() == []


async def test_daily_questions_use_the_chosen_decks_spread_sections_and_prefer_weak_cards(
    quiz_bank, store, clock, poster
):
    group = Group(quiz_bank, store, clock, poster)
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    await group.subscribe("09:00", "UTC", "earth-science")
    await group.run_until(datetime(2026, 11, 9, 9, 0, tzinfo=UTC))
    bank = group.service.bank
    cards = [bank.card((await group.service.store.get_post(r.post_id)).card_id) for r in poster.questions()]
    assert {c.deck for c in cards} == {"earth-science"}
    assert len({c.id for c in cards}) == len(cards) == 8
    assert len({c.section for c in cards}) == 8  # eight sections in that deck: one question from each


def test_local_dates_follow_the_zone():
    instant = datetime(2026, 11, 1, 17, 0, tzinfo=UTC)
    assert local_date(instant, ZoneInfo("Asia/Shanghai")) == date(2026, 11, 2)
    assert local_date(instant, ZoneInfo("America/New_York")) == date(2026, 11, 1)


async def test_once_a_deck_is_exhausted_the_group_gets_the_card_it_answers_worst(
    quiz_bank, store, clock, poster
):
    group = Group(quiz_bank, store, clock, poster)
    chat = group.chat
    await chat.say("Admin", "/decks use tides")
    worst = None
    for _ in range(4):  # the group practises every card of the deck once: one goes badly
        _, post = await chat.quiz("Ann")
        wrong = worst is None
        worst = post.card_id if wrong else worst
        for member in ("Ann", "Ben", "Cat"):
            option = (post.correct + 1) % 4 if wrong else post.correct
            await chat.click(member, f"a:{post.id}:{option}")
    daily = (await chat.say("Admin", "/daily now"))[0]
    assert (await group.service.store.get_post(daily.post_id)).card_id == worst


async def test_a_claim_left_by_a_dead_process_is_sent_by_another_once_its_lease_expires(
    bank, database, clock
):
    clock.current = datetime(2026, 11, 2, 8, 59, tzinfo=UTC)
    dead_store, live_store = await open_store(database), await open_store(database)
    dead_poster, live_poster = FakePoster(), FakePoster()
    dead = Group(bank, dead_store, clock, dead_poster, instance="dead")
    live = Group(bank, live_store, clock, live_poster, instance="live")
    targets = ["group-1", "group-2", "group-3"]
    for target in targets:
        chat = Chat(dead.service, chat_id=target)
        chat.admins.add("Admin")
        await chat.say("Admin", "/daily set 09:00 UTC")
    clock.advance(minutes=1)
    now = clock.now()
    # the first process claims all three, begins sending group-3's, and is killed before the others
    claimed = await dead.scheduler._claim(await dead_store.due_subscriptions(now, 10, ("test",)), now)
    assert sorted(sub.target for sub, *_ in claimed) == targets
    started = next(daily_id for sub, daily_id, *_ in claimed if sub.target == "group-3")
    assert await dead_store.start_send(started, "dead", now)
    await dead_store.close()

    await live.scheduler.tick()
    assert live_poster.questions() == []  # within the lease the claims are still the dead process's
    clock.advance(seconds=61)
    report = await live.scheduler.tick()
    assert report.taken_over == 2
    assert sorted(target for target, reply in live_poster.sent if reply.post_id) == ["group-1", "group-2"]
    # group-3's send had begun: it may have arrived, so it is never sent again, and is given up later
    clock.advance(minutes=15)
    await live.scheduler.tick()
    assert [t for t, r in live_poster.sent if r.post_id] == ["group-1", "group-2"]
    assert not await live_store.start_send(started, "live", clock.now())
    day = now.date().isoformat()
    states = {t: (await live_store.daily_post_for(c.id, day)).state for t, c in [
        (t, await live_store.ensure_chat("test", t, ChatKind.GROUP)) for t in targets]}  # fmt: skip
    assert states == {"group-1": "sent", "group-2": "sent", "group-3": "failed"}
    await live_store.close()


async def test_a_claim_taken_over_is_not_sent_by_the_process_that_made_it(bank, database, clock):
    clock.current = datetime(2026, 11, 2, 8, 59, tzinfo=UTC)
    slow_store, other_store = await open_store(database), await open_store(database)
    slow = Group(bank, slow_store, clock, FakePoster(), instance="slow")
    other_poster = FakePoster()
    other = Group(bank, other_store, clock, other_poster, instance="other")
    await slow.subscribe("09:00", "UTC")
    clock.advance(minutes=1)
    now = clock.now()
    [(subscription, daily_id, post, day)] = await slow.scheduler._claim(
        await slow_store.due_subscriptions(now, 10, ("test",)), now
    )
    clock.advance(seconds=90)  # the slow process has not sent it yet: the other takes it over
    await other.scheduler.tick()
    assert len(other_poster.questions()) == 1
    # the slow process finally gets to its send: the claim is no longer its own, nothing goes out
    report = TickReport()
    await slow.scheduler._send_question(subscription, daily_id, post, day, 1, report)
    assert slow.poster.sent == [] and report.posted == 0
    await slow_store.close()
    await other_store.close()
