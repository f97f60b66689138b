"""RoundScheduler: one asyncio task that moves every running round along, on every platform.

Each pass, per running round: a question whose window is over, or that everyone playing has answered
(never sooner than `min_seconds` after it appeared), is closed and its results are posted together
with the next question, or the final standings. In between, the question's countdown is edited, at
most every `edit_every` seconds per message so a round stays inside Telegram's 20 messages a minute
per group. Time comes from the injected clock. After a restart, a round whose question ended less than
`resume_within` ago is continued; an older one is closed with its standings and a message.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import i18n
from bot.core.messages import Reply
from bot.core.ports import ChatUnreachable, Clock, Poster, QuizPost
from bot.core.rounds import texts
from bot.core.rounds.game import STANDINGS_SHOWN, LiveRounds
from bot.core.rounds.model import LiveRound

log = logging.getLogger(__name__)
TOP = 3


@dataclass(slots=True)
class RoundTick:
    posted: int = 0  # next questions and final standings
    edited: int = 0  # countdown and "time's up" edits
    finished: int = 0
    interrupted: int = 0


class RoundScheduler:
    name = "rounds"

    def __init__(self, rounds: LiveRounds, clock: Clock, posters: dict[str, Poster]) -> None:
        self.rounds = rounds
        self.store = rounds.store
        self.bank = rounds.bank
        self.settings = rounds.settings
        self.clock = clock
        self.posters = posters
        self._changed: dict[int, datetime] = {}  # post id -> when its message last changed on screen
        self._bodies: dict[int, str] = {}  # post id -> its message without the countdown

    async def run(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        wake = self.rounds.wake
        while not stop.is_set():
            wake.clear()
            try:
                await self.tick()
            except Exception:
                log.exception("rounds: a scheduler pass failed; trying again shortly")
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
            await asyncio.wait(
                waiters, timeout=self.settings.tick_seconds, return_when=asyncio.FIRST_COMPLETED
            )
            for waiter in waiters:
                waiter.cancel()
            if wake.is_set() and not stop.is_set():  # answers come in bursts: look once per burst
                await asyncio.sleep(0.05)

    async def tick(self) -> RoundTick:
        report = RoundTick()
        live_rounds = [live for live in await self.store.running_rounds() if live.platform in self.posters]
        if live_rounds:
            await asyncio.gather(*(self._step(live, report) for live in live_rounds))
        return report

    async def _step(self, live: LiveRound, report: RoundTick) -> None:
        try:
            await self._advance(live, report)
        except Exception:
            log.exception("rounds: round %s could not move on; trying again shortly", live.id)

    async def _advance(self, live: LiveRound, report: RoundTick) -> None:
        now = self.clock.now()
        post = await self.store.get_post(live.post_id) if live.post_id is not None else None
        if post is None or live.deadline is None:
            return
        if now - live.deadline > self.settings.resume_within:
            await self._interrupt(live, report)
        elif live.shown_at is None:
            await self._show(live, post, report)
        elif now >= live.deadline or await self._everyone_answered(live, post, now):
            await self._close(live, post, report)
        else:
            await self._count_down(live, post, now, report)

    async def _everyone_answered(self, live: LiveRound, post: QuizPost, now: datetime) -> bool:
        assert live.shown_at is not None
        if now - live.shown_at < timedelta(seconds=self.settings.min_seconds):
            return False
        players, answered = await self.store.round_progress(live.id, post.id)
        return answered > 0 and answered >= players

    async def _count_down(self, live: LiveRound, post: QuizPost, now: datetime, report: RoundTick) -> None:
        assert live.deadline is not None and live.shown_at is not None
        last = self._changed.get(post.id, live.shown_at)
        left = (live.deadline - now).total_seconds()
        if (now - last).total_seconds() < self.settings.edit_every or left < self.settings.edit_every / 2:
            return
        if post.message_id is None:
            return
        body = await self._body(live, post)
        reply = texts.question_reply(body, live, post, _seconds(left), edit_of=post.message_id)
        if await self._send(live, reply, edit=True):
            self._changed[post.id] = now
            report.edited += 1

    async def _close(self, live: LiveRound, post: QuizPost, report: RoundTick) -> None:
        now = self.clock.now()
        number = live.asked
        if number < live.total:
            claimed = await self.store.next_question(live, self.rounds.next_question(live, post.round))
            if claimed is None:
                return  # stopped, or another scheduler moved it on
        elif not await self.store.end_round(live.id, "finished", now):
            return
        await self._time_up(live, post, now, report)
        if number < live.total:
            next_live, next_post = claimed
            await self._show(next_live, next_post, report)
            return
        results = await self._results(live, post, number)
        board = await self.store.round_standings(live.id, STANDINGS_SHOWN)
        if await self._send(live, texts.standings_reply(live, board, "round_final", prefix=results)):
            report.posted += 1
        report.finished += 1
        self._forget(post.id)

    async def _show(self, live: LiveRound, post: QuizPost, report: RoundTick) -> None:
        """Post a claimed question (with the previous one's results); its window starts once it is shown."""
        body = await self._body(live, post)
        message_id = await self._send(live, texts.question_reply(body, live, post, live.seconds))
        if message_id is None:
            return  # tried again on the next pass, until the round is given up as interrupted
        now = self.clock.now()
        await self.store.question_shown(live.id, post.id, now, now + timedelta(seconds=live.seconds))
        await self.store.set_post_message(post.id, message_id)
        self._changed[post.id] = now
        report.posted += 1

    async def _time_up(self, live: LiveRound, post: QuizPost, now: datetime, report: RoundTick) -> None:
        """Take the buttons off a closed question, unless its message changed too recently (flood limits)."""
        fresh = await self.store.get_post(post.id) or post
        last = self._changed.get(post.id, live.shown_at or now)
        if fresh.message_id is not None and (now - last).total_seconds() >= self.settings.edit_every:
            body = await self._body(live, post)
            if await self._send(
                live, texts.question_reply(body, live, post, None, edit_of=fresh.message_id), edit=True
            ):
                report.edited += 1
        self._forget(post.id)

    async def _interrupt(self, live: LiveRound, report: RoundTick) -> None:
        if not await self.store.end_round(live.id, "stopped", self.clock.now()):
            return
        board = await self.store.round_standings(live.id, STANDINGS_SHOWN)
        notice = i18n.text("round_interrupted", live.language)
        if await self._send(live, texts.standings_reply(live, board, "round_final", prefix=notice)):
            report.posted += 1
        report.interrupted += 1
        if live.post_id is not None:
            self._forget(live.post_id)

    async def _body(self, live: LiveRound, post: QuizPost) -> str:
        """The question's message without its countdown: the previous question's results, then this one."""
        known = self._bodies.get(post.id)
        if known is not None:
            return known
        number = live.asked  # the post is always the round's current question here
        question = texts.question_text(self.bank.for_chat(live.chat_id), live, post, number)
        if number == 1:
            question = f"{texts.intro_text(live, self.rounds.scoring.quiz_points)}\n\n{question}"
        else:
            previous = await self._previous_post(live, number - 1)
            if previous is not None:
                question = f"{await self._results(live, previous, number - 1)}\n\n{question}"
        self._bodies[post.id] = question
        return question

    async def _previous_post(self, live: LiveRound, number: int) -> QuizPost | None:
        post_id = await self.store.round_question_post(live.id, number)
        return await self.store.get_post(post_id) if post_id is not None else None

    async def _results(self, live: LiveRound, post: QuizPost, number: int) -> str:
        right = await self.store.right_answers(post.id, self.settings.names_shown + 1)
        answered, _ = await self.store.post_results(post.id)
        top = await self.store.round_standings(live.id, TOP)
        return texts.results_text(live, post, number, right, answered, top, self.settings.names_shown)

    async def _send(self, live: LiveRound, reply: Reply, *, edit: bool = False) -> str | None:
        poster = self.posters[live.platform]
        try:
            return await poster.post(live.target, reply)
        except ChatUnreachable as exc:
            log.warning("rounds: chat of round %s is gone (%s); the round is stopped", live.id, exc)
            await self.store.end_round(live.id, "stopped", self.clock.now())
            await self.store.set_chat_active(live.chat_id, False)
        except Exception as exc:
            log.warning("rounds: %s for round %s failed: %s", "an edit" if edit else "a post", live.id, exc)
        return None

    def _forget(self, post_id: int) -> None:
        self._changed.pop(post_id, None)
        self._bodies.pop(post_id, None)


def _seconds(left: float) -> int:
    """The countdown shown: whole seconds, rounded up to the edit step's granularity of 5."""
    return max(5, 5 * math.ceil(left / 5))
