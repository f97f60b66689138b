"""Daily questions: which card a group gets, the results when the answer window closes, and the
DailyScheduler, one asyncio task that posts them at each group's local time through the adapters.

Exactly once: every post is claimed in the database (one row per chat and local date) in the same
transaction that creates it, before anything is sent, so a restart or a second instance on the same
database never posts a day twice. A send that fails is retried with backoff while the answer window
is open; a chat that removed the bot is unsubscribed.

Several processes on one database: each runs this scheduler. A claim whose send never began (its process
died or stalled with the claim queued) is taken over by another process once `claim_lease` has passed;
the send is marked as begun at the last moment before the platform request (bot/core/send_gate.py), by a
conditional write only the claim's current holder can make, so two processes never both send it. A send
that began before a crash may or may not have arrived: it is given up after SEND_LEASE rather than risk
posting twice (at most once, never twice).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core import i18n, views
from bot.core.daily_time import local_date, next_post, parse_clock, parse_zone, post_instant
from bot.core.messages import Reply
from bot.core.ports import (
    ChatState,
    ChatUnreachable,
    Clock,
    DailyClaim,
    DailyPost,
    Poster,
    QuizPost,
    Store,
    Subscription,
)
from bot.core.question_bank import QuestionBank
from bot.core.reminders import Reminders
from bot.core.send_gate import BEFORE_SEND, SendGate, SendTaken

log = logging.getLogger(__name__)
SEND_LEASE = timedelta(minutes=10)
HISTORY_DAYS = 30  # "active members": those who answered in this many days


@dataclass(frozen=True, slots=True)
class DailySettings:
    default_timezone: str = "UTC"
    close_before_next: timedelta = timedelta(hours=1)  # the answer window ends this long before the next post
    retry_delays: tuple[float, ...] = (30, 60, 120, 300, 600)  # seconds between attempts at a failed send
    first_correct_shown: int = 3
    excerpt: int = 600  # characters of the reference answer in the results
    batch: int = 256  # due groups claimed per transaction
    concurrency: int = 64  # sends in flight per platform; the adapter's rate limiter sets the pace
    idle_seconds: float = 30.0  # the longest the scheduler sleeps without looking
    min_sleep_seconds: float = 0.2  # the shortest, so work left over for the next pass never spins the loop
    claim_lease: timedelta = timedelta(
        seconds=60
    )  # a claim unsent this long is taken over by another process


class DailyQuestions:
    """Choosing and wording a group's daily question and its results."""

    def __init__(
        self,
        bank: QuestionBank,
        store: Store,
        settings: DailySettings | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        self.settings = settings or DailySettings()
        self.rng = rng or random.Random()

    def zone(self, chat: ChatState, subscription: Subscription | None = None) -> ZoneInfo:
        name = (
            (subscription.timezone if subscription else None)
            or chat.timezone
            or self.settings.default_timezone
        )
        return parse_zone(name) or ZoneInfo("UTC")

    def window_close(self, subscription: Subscription | None, zone: ZoneInfo, day: datetime) -> datetime:
        """When answers to the question of local date `day` stop counting: before the next day's post."""
        at = parse_clock(subscription.post_time) if subscription else None
        start = day.astimezone(zone).date() + timedelta(days=1)
        following = post_instant(start, at, zone) if at else day + timedelta(days=1)
        return following - self.settings.close_before_next

    async def choose(
        self, chats: list[tuple[ChatState, tuple[str, ...] | None]], now: datetime
    ) -> dict[int, tuple[str, int]]:
        """(card id, quiz round) for each chat: not asked there this round (else a new round starts), spread
        across sections, and the cards its active members get wrong most, once they have history."""
        rounds = {chat.id: chat.quiz_round for chat, _ in chats}
        asked = await self.store.asked_cards_many(rounds)
        accuracy = await self.store.card_accuracy(list(rounds), now - timedelta(days=HISTORY_DAYS))
        chosen: dict[int, tuple[str, int]] = {}
        for chat, decks in chats:
            bank = self.bank.for_chat(chat.id)
            cards = bank.quizzable(decks if decks is not None else chat.decks)
            if not cards:
                continue
            quiz_round = chat.quiz_round
            remaining = [card for card in cards if card not in asked[chat.id]]
            if not remaining:
                quiz_round = await self.store.start_new_round(chat.id)
                remaining, asked[chat.id] = cards, set()
            sections = None if bank is self.bank else _sections_of(bank)  # a chat with its own decks
            chosen[chat.id] = (self._pick(remaining, asked[chat.id], accuracy[chat.id], sections), quiz_round)
        return chosen

    def _pick(
        self,
        remaining: list[str],
        asked: set[str],
        accuracy: dict[str, tuple[float, int]],
        sections: dict[str, tuple[str, tuple[str, ...]]] | None = None,
    ) -> str:
        """The weakest known card first (a card the group often gets wrong; cards without history rank as
        middling), then the least-asked section, then chance. Runs for thousands of groups at once, so it
        only walks the remaining cards a few times."""
        unknown_skill = 0.6
        skill = {card_id: round(acc, 1) for card_id, (acc, count) in accuracy.items() if count >= 2}
        candidates = remaining
        if skill:
            best = min(skill.get(card_id, unknown_skill) for card_id in remaining)
            candidates = [card_id for card_id in remaining if skill.get(card_id, unknown_skill) == best]
        sections = sections if sections is not None else self._sections
        per_section: dict[tuple[str, tuple[str, ...]], int] = {}
        for card_id in asked:
            key = sections.get(card_id)
            if key is not None:
                per_section[key] = per_section.get(key, 0) + 1
        if per_section:
            fewest = min(per_section.get(sections[card_id], 0) for card_id in candidates)
            candidates = [
                card_id for card_id in candidates if per_section.get(sections[card_id], 0) == fewest
            ]
        return self.rng.choice(candidates)

    @functools.cached_property
    def _sections(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        return {card.id: (card.deck, card.section) for deck in self.bank.decks for card in deck.cards}

    def question(self, post: QuizPost, language: str, day: str) -> Reply:
        header = i18n.text("daily_question", language, day=day)
        bank = self.bank.for_chat(post.chat_id)
        return views.question_reply(bank, post, language, reveal_button=False, header=header)

    async def results(self, daily: DailyPost, post: QuizPost, language: str) -> Reply:
        answered, right = await self.store.post_results(post.id)
        first = await self.store.first_correct(post.id, self.settings.first_correct_shown)
        card = self.bank.for_chat(post.chat_id).card(post.card_id)
        parts = [i18n.text("daily_results", language, day=daily.local_date)]
        if card is not None:
            parts.append(f"**{card.question}**")
        parts.append(views.right_option(post, language))
        parts.append(i18n.text("daily_counts", language, answered=answered, right=right))
        if first:
            parts.append(i18n.text("daily_first", language, names=", ".join(first)))
        if card is not None:
            parts.append(views.answer_body(card, language, limit=self.settings.excerpt))
        return Reply("\n\n".join(parts))


class _SendQueue:
    """Sends waiting for one platform: at most `waiting` wait and `workers` tasks (started as work arrives)
    run them, so a pass over 100,000 due groups holds a few hundred sends in memory, not 100,000 tasks."""

    def __init__(self, workers: int, waiting: int) -> None:
        self.size = workers
        self.jobs: asyncio.Queue[Callable[[], Awaitable[None]]] = asyncio.Queue(maxsize=waiting)
        self.workers: list[asyncio.Task[None]] = []

    async def put(self, job: Callable[[], Awaitable[None]]) -> None:
        if len(self.workers) < self.size:
            self.workers.append(asyncio.create_task(self._work(), name="daily-send"))
        await self.jobs.put(job)

    async def join(self) -> None:
        await self.jobs.join()

    async def close(self) -> None:
        for worker in self.workers:
            worker.cancel()
        await asyncio.gather(*self.workers, return_exceptions=True)

    async def _work(self) -> None:
        while True:
            job = await self.jobs.get()
            try:
                await job()
            except Exception:
                log.exception("daily: a send failed unexpectedly")
            finally:
                self.jobs.task_done()


@dataclass(slots=True)
class TickReport:
    posted: int = 0
    results: int = 0
    retried: int = 0
    taken_over: int = 0
    failed: int = 0
    unsubscribed: int = 0
    reminded: int = 0


def _sections_of(bank: QuestionBank) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {card.id: (card.deck, card.section) for deck in bank.decks for card in deck.cards}


class DailyScheduler:
    """One task for every platform: posts due daily questions and results through the adapters' posters."""

    name = "daily"

    def __init__(
        self,
        questions: DailyQuestions,
        store: Store,
        clock: Clock,
        posters: dict[str, Poster],
        *,
        instance: str | None = None,
        settings: DailySettings | None = None,
        wake: asyncio.Event | None = None,
        reminders: Reminders | None = None,
    ) -> None:
        self.questions = questions
        self.store = store
        self.clock = clock
        self.posters = posters
        self.instance = instance or uuid.uuid4().hex[:12]
        self.settings = settings or questions.settings
        self.reminders = reminders
        # set when a subscription changes, so the next post time is re-read
        self.wake = wake or asyncio.Event()
        self._limits = {name: asyncio.Semaphore(self.settings.concurrency) for name in posters}

    async def run(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:
                log.exception("daily: a scheduler pass failed; trying again shortly")
            self.wake.clear()
            try:
                wake_at = await self.next_wake()
            except Exception:
                log.exception("daily: could not read the next due time; looking again shortly")
                wake_at = self.clock.now() + timedelta(seconds=self.settings.idle_seconds)
            delay = max((wake_at - self.clock.now()).total_seconds(), self.settings.min_sleep_seconds)
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.wake.wait())]
            await asyncio.wait(waiters, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

    async def next_wake(self) -> datetime:
        """When the next pass is needed: the earliest of the next daily post, send retry, results window and
        reminder, but no later than `idle_seconds` from now (a change another process made is then seen)."""
        now = self.clock.now()
        latest = now + timedelta(seconds=self.settings.idle_seconds)
        if not self.posters:
            return latest
        due = await self.store.next_due_at(
            tuple(self.posters), reminders=self.reminders is not None, claim_lease=self.settings.claim_lease
        )
        return latest if due is None else max(min(due, latest), now)

    async def tick(self) -> TickReport:
        """One pass: post every due question, retry failed sends, post the results of closed windows.

        Sends go through a bounded queue per platform (with `concurrency` sends in flight), so the claims
        run only as far ahead of the sends as the queue holds, however many groups are due."""
        report = TickReport()
        if not self.posters:
            return report
        now = self.clock.now()
        await self.store.abandon_stale(now - SEND_LEASE)
        # Two claim batches of sends can wait, so the platform never idles while the next batch is claimed;
        # workers outnumber the sends allowed in flight, so recording a finished send never idles it either.
        queues = {
            name: _SendQueue(4 * self.settings.concurrency, 2 * self.settings.batch) for name in self.posters
        }
        try:
            await self._produce(now, queues, report)
            for queue in queues.values():
                await queue.join()
        finally:
            for queue in queues.values():
                await queue.close()
        if self.reminders is not None:
            report.reminded = await self.reminders.send_due(self.posters, now)
        return report

    async def _produce(
        self,
        now: datetime,
        queues: dict[str, _SendQueue],
        report: TickReport,
    ) -> None:
        platforms = tuple(self.posters)
        while True:
            # a burst takes as long as the platform's rate limit makes it: groups due meanwhile join it
            now = self.clock.now()
            due = await self.store.due_subscriptions(now, self.settings.batch, platforms)
            if not due:
                break
            for subscription, daily_id, post, day in await self._claim(due, now):
                await queues[subscription.platform].put(
                    functools.partial(self._send_question, subscription, daily_id, post, day, 1, report)
                )
        for daily in await self.store.retry_due(now, self.instance, self.settings.batch):
            if await self._send_again(daily, now, queues, report):
                report.retried += 1
        while True:  # claims another process made and never began to send (it died, or stalled)
            taken = await self.store.take_over_unsent(
                now - self.settings.claim_lease, now, self.instance, self.settings.batch, platforms
            )
            if taken:
                log.info("daily: took over %d claims another process made and never sent", len(taken))
            for daily in taken:
                if await self._send_again(daily, now, queues, report):
                    report.taken_over += 1
            if len(taken) < self.settings.batch:
                break
            now = self.clock.now()
        for daily in await self.store.claim_results(now, self.settings.batch):
            if daily.platform in queues:
                await queues[daily.platform].put(functools.partial(self._send_results, daily, report))
            else:
                await self._send_results(daily, report)

    async def _send_again(
        self, daily: DailyPost, now: datetime, queues: dict[str, _SendQueue], report: TickReport
    ) -> bool:
        """Queue the send of a daily question claimed earlier (a retry, a claim taken over); False if it can
        no longer be sent (unsubscribed since, or its platform is not served here)."""
        subscription = await self.store.subscription(daily.chat_id)
        post = await self.store.get_post(daily.post_id) if daily.post_id else None
        if (
            subscription is None
            or not subscription.active
            or post is None
            or daily.platform not in self.posters
        ):
            await self.store.mark_daily(daily.id, "failed", now)
            return False
        await queues[daily.platform].put(
            functools.partial(
                self._send_question,
                subscription,
                daily.id,
                post,
                daily.local_date,
                daily.send_attempts,
                report,
            )
        )
        return True

    async def _claim(
        self, due: list[tuple[Subscription, ChatState]], now: datetime
    ) -> list[tuple[Subscription, int, QuizPost, str]]:
        claims: list[DailyClaim] = []
        next_due: dict[int, datetime] = {}
        wanted: list[tuple[Subscription, ChatState, datetime, ZoneInfo]] = []
        for subscription, chat in due:
            zone = self.questions.zone(chat, subscription)
            at = parse_clock(subscription.post_time)
            if at is None:  # never written by this code; switched off rather than looked at forever
                log.error(
                    "daily: chat %s has an unreadable post time %r; unsubscribed",
                    chat.id,
                    subscription.post_time,
                )
                await self.store.unsubscribe(chat.id, now)
                continue
            _, following = next_post(now, at, zone)
            next_due[chat.id] = following
            scheduled = subscription.next_due_at or now
            if local_date(scheduled, zone) != local_date(now, zone):
                log.info(
                    "daily: chat %s missed %s while the bot was down; next post %s",
                    chat.id,
                    scheduled,
                    following,
                )
                continue  # a whole missed day is not caught up the next day
            closes = self.questions.window_close(subscription, zone, scheduled)
            if closes <= now:
                continue
            wanted.append((subscription, chat, closes, zone))
        choices = await self.questions.choose([(chat, sub.decks) for sub, chat, _, _ in wanted], now)
        by_chat: dict[int, Subscription] = {}
        for subscription, chat, closes, zone in wanted:
            if chat.id not in choices:
                log.warning("daily: chat %s has no multiple-choice cards in its decks", chat.id)
                continue
            card_id, quiz_round = choices[chat.id]
            bank = self.questions.bank.for_chat(chat.id)
            made = bank.choices.choices(card_id, self.questions.rng.randrange(2**32))
            assert made is not None
            claims.append(
                DailyClaim(chat.id, local_date(now, zone).isoformat(), card_id, made.options, made.correct,
                           quiz_round, closes)
            )  # fmt: skip
            by_chat[chat.id] = subscription
        results = await self.store.claim_daily(claims, next_due, self.instance, now)
        return [
            (by_chat[claim.chat_id], daily_id, post, claim.local_date)
            for claim, daily_id, post in (result for result in results if result is not None)
        ]

    async def _send_question(
        self,
        subscription: Subscription,
        daily_id: int,
        post: QuizPost,
        day: str,
        attempt: int,
        report: TickReport,
    ) -> None:
        reply = self.questions.question(post, subscription.language, day)
        poster = self.posters[subscription.platform]
        gate = SendGate(lambda: self.store.start_send(daily_id, self.instance, self.clock.now()))
        try:
            async with self._limits[subscription.platform]:
                if not getattr(poster, "gates_sends", False):
                    await gate.open()  # the poster has no hook before its request: mark it here
                token = BEFORE_SEND.set(gate.open)
                try:
                    message_id = await poster.post(subscription.target, reply)
                finally:
                    BEFORE_SEND.reset(token)
        except SendTaken:
            log.info("daily: post %s was taken over by another process; not sending it here", daily_id)
            return
        except ChatUnreachable as exc:
            await self._unsubscribe(subscription, exc, report)
            await self.store.mark_daily(daily_id, "failed", self.clock.now())
            return
        except Exception as exc:
            await self._retry_later(daily_id, post, attempt, exc, report)
            return
        await self.store.mark_daily(daily_id, "sent", self.clock.now(), message_id=message_id)
        report.posted += 1

    async def _retry_later(
        self, daily_id: int, post: QuizPost, attempt: int, error: Exception, report: TickReport
    ) -> None:
        now = self.clock.now()
        delays = self.settings.retry_delays
        retry_at = now + timedelta(seconds=delays[attempt - 1]) if attempt <= len(delays) else None
        if retry_at is None or (post.closes_at is not None and retry_at >= post.closes_at):
            log.error("daily: giving up on post %s after %d attempts: %s", daily_id, attempt, error)
            await self.store.mark_daily(daily_id, "failed", now)
            report.failed += 1
            return
        log.warning("daily: send of post %s failed (%s); retrying at %s", daily_id, error, retry_at)
        await self.store.mark_daily(daily_id, "retry", now, retry_at=retry_at)

    async def _unsubscribe(self, subscription: Subscription, error: Exception, report: TickReport) -> None:
        log.warning("daily: chat %s is gone (%s): unsubscribed", subscription.chat_id, error)
        now = self.clock.now()
        await self.store.unsubscribe(subscription.chat_id, now)
        await self.store.set_chat_active(subscription.chat_id, False)
        report.unsubscribed += 1

    async def _send_results(self, daily: DailyPost, report: TickReport) -> None:
        post = await self.store.get_post(daily.post_id) if daily.post_id else None
        subscription = await self.store.subscription(daily.chat_id)
        poster = self.posters.get(daily.platform)
        if post is None or poster is None:
            return
        language = subscription.language if subscription else "en"
        reply = await self.questions.results(daily, post, language)
        try:
            async with self._limits[daily.platform]:
                await poster.post(daily.target, reply)
        except ChatUnreachable as exc:
            if subscription is not None:
                await self._unsubscribe(subscription, exc, report)
            return
        except Exception as exc:
            retry_at = self.clock.now() + timedelta(seconds=self.settings.retry_delays[0])
            log.warning("daily: results of post %s failed (%s); retrying at %s", daily.id, exc, retry_at)
            await self.store.release_results(daily.id, retry_at)
            return
        report.results += 1
