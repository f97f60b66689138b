"""LiveRounds: `/round [n] [deck…]`, `/round stop`, `/round time N`, the answer buttons and "play again".

A round's questions are planned when it starts (cards this chat has not had in its quiz round first)
and kept in the database with its progress; RoundScheduler moves it along. Answers are recorded like
quiz answers (same anti-farming rule) with mode `round` and the speed bonus of `speed_points`.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import timedelta

from bot.core import views
from bot.core.command_line import verb_and_rest
from bot.core.context import CommandContext
from bot.core.daily_time import local_date
from bot.core.messages import ChatKind, Reply
from bot.core.ports import Clock, NewAnswer
from bot.core.question_bank import QuestionBank
from bot.core.rounds import texts
from bot.core.rounds.model import LiveRound, NewQuestion, NewRound, RoundSettings, RoundStore, speed_points
from bot.core.scoring import ScoringRule

STANDINGS_SHOWN = 10


class LiveRounds:
    def __init__(
        self,
        bank: QuestionBank,
        store: RoundStore,
        clock: Clock,
        scoring: ScoringRule,
        resolve_decks: Callable[[list[str], int], tuple[tuple[str, ...], list[str]]],
        settings: RoundSettings | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock
        self.scoring = scoring
        self.resolve_decks = resolve_decks
        self.settings = settings or RoundSettings()
        self.rng = rng or random.Random()
        self.wake = asyncio.Event()  # set on every answer and start: the scheduler looks at once

    @staticmethod
    def needs_admin_status(args: str) -> bool:
        """`round stop` (starter or admin) and `round time N` (admins) need to know if the user is an admin."""
        verb, rest = verb_and_rest(args)
        return verb == "stop" or (verb == "time" and bool(rest))

    @staticmethod
    def decides_itself(args: str) -> bool:
        """`round stop` is allowed to the round's starter as well, so the service does not refuse it."""
        return verb_and_rest(args)[0] == "stop"

    async def command(self, context: CommandContext, args: str) -> list[Reply]:
        verb, rest = verb_and_rest(args)
        if verb == "stop":
            return await self._stop(context)
        if verb == "time":
            return await self._time(context, rest)
        words = args.split()
        count = self.settings.default_questions
        if words and words[0].isdigit():
            count = int(words.pop(0))
            if not 1 <= count <= self.settings.max_questions:
                return [Reply(context.t("round_usage", most=self.settings.max_questions))]
        decks: tuple[str, ...] | None = None
        if words:
            decks, unknown = self.resolve_decks(words, context.chat.id)
            if unknown:
                return [Reply(context.t("decks_unknown", names=", ".join(unknown)))]
        return await self.start(context, count, decks)

    async def start(self, context: CommandContext, count: int, decks: tuple[str, ...] | None) -> list[Reply]:
        chat = context.chat
        running = await self.store.running_round(chat.id)
        if running is not None:
            return [Reply(context.t("round_running", number=running.asked, total=running.total))]
        bank = self.bank.for_chat(chat.id)  # the bundled decks and the chat's own uploads
        cards = bank.quizzable(decks if decks is not None else chat.decks)
        if not cards:
            return [Reply(context.t("no_cards"))]
        asked = await self.store.asked_cards(chat.id, chat.quiz_round)
        fresh = [card for card in cards if card not in asked]
        seen = [card for card in cards if card in asked]
        self.rng.shuffle(fresh)
        self.rng.shuffle(seen)
        plan = tuple((fresh + seen)[:count])
        seconds = await self.store.round_seconds(chat.id) or self.settings.seconds_per_question
        now = self.clock.now()
        request = context.request
        started = await self.store.start_round(
            NewRound(chat.id, request.platform, request.channel_id or request.chat_id, context.user.id,
                     context.language, decks, plan, seconds, now),
            self._question(chat.id, plan[0], chat.quiz_round, now, seconds),
        )  # fmt: skip
        if started is None:
            return [Reply(context.t("round_running", number=1, total=len(plan)))]
        live, post = started
        self.wake.set()
        intro = texts.intro_text(live, self.scoring.quiz_points)
        body = f"{intro}\n\n{texts.question_text(bank, live, post, 1)}"
        return [texts.question_reply(body, live, post, seconds)]

    def _question(self, chat_id: int, card_id: str, quiz_round: int, at, seconds: int) -> NewQuestion:
        made = self.bank.for_chat(chat_id).choices.choices(card_id, seed=self.rng.randrange(2**32))
        assert made is not None  # planned cards are quizzable
        return NewQuestion(made.options, made.correct, quiz_round, at, at + timedelta(seconds=seconds))

    def next_question(self, live: LiveRound, quiz_round: int) -> NewQuestion:
        return self._question(
            live.chat_id, live.cards[live.asked], quiz_round, self.clock.now(), live.seconds
        )

    async def answer(self, context: CommandContext, post_id: int, option: int) -> list[Reply]:
        """An answer button (or `/answer B`): recorded at once; the results come when the question closes."""
        live = await self.store.round_for_post(post_id)
        post = await self.store.get_post(post_id)
        now = self.clock.now()
        if (
            live is None or post is None or post.chat_id != context.chat.id or post.status != "open"
            or live.deadline is None or now >= live.deadline
        ):  # fmt: skip
            return [views.refusal(context.t("round_question_closed"))]
        if not 0 <= option < len(post.options):
            return [views.refusal(context.t("bad_option", last=views.LETTERS[len(post.options) - 1]))]
        correct = option == post.correct
        window = timedelta(seconds=live.seconds)
        left = window  # a click can beat the scheduler noting that the question is on screen: full speed
        if live.shown_at is not None:
            stored_now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # as the store keeps it
            window, left = live.deadline - live.shown_at, live.deadline - stored_now
        points = speed_points(self.scoring.quiz_points, left, window)
        recorded = await self.store.record_answer(
            NewAnswer(
                user_id=context.user.id, chat_id=context.chat.id, card_id=post.card_id, post_id=post.id,
                mode="round", answer=views.LETTERS[option], correct=correct, points=points if correct else 0,
                at=now, repeat_since=self.scoring.repeat_window_start(now, context.zone),
                local_day=local_date(now, context.zone).isoformat(),
            )
        )  # fmt: skip
        name = context.user.display_name
        if not recorded.recorded:
            return [views.refusal(context.t("already_answered", name=name))]
        self.wake.set()
        notice = context.t("round_locked", name=name, letter=views.LETTERS[option])
        in_group = context.chat.kind == ChatKind.GROUP
        return [Reply(notice, notice=notice, private=in_group, notice_only=in_group)]

    async def play_again(self, context: CommandContext, round_id: int) -> list[Reply]:
        previous = await self.store.get_round(round_id)
        if previous is None or previous.chat_id != context.chat.id:
            return [views.refusal(context.t("bad_action"))]
        return await self.start(context, previous.total, previous.decks)

    async def _stop(self, context: CommandContext) -> list[Reply]:
        live = await self.store.running_round(context.chat.id)
        if live is None:
            return [Reply(context.t("round_none"))]
        may = (
            live.starter_id == context.user.id
            or context.chat.kind == ChatKind.PRIVATE
            or context.request.is_admin
        )
        if not may:
            return [views.refusal(context.t("round_stop_refused"))]
        if not await self.store.end_round(live.id, "stopped", self.clock.now()):
            return [Reply(context.t("round_none"))]
        self.wake.set()
        board = await self.store.round_standings(live.id, STANDINGS_SHOWN)
        stopped = context.t("round_stopped", name=context.user.display_name)
        return [texts.standings_reply(live, board, "round_final", prefix=stopped)]

    async def _time(self, context: CommandContext, args: str) -> list[Reply]:
        current = await self.store.round_seconds(context.chat.id) or self.settings.seconds_per_question
        if not args:
            return [Reply(context.t("round_time_is", seconds=current))]
        lowest, highest = self.settings.min_seconds, self.settings.longest_window
        if not args.isdigit() or not lowest <= int(args) <= highest:
            return [Reply(context.t("round_time_usage", lowest=lowest, highest=highest))]
        await self.store.set_round_seconds(context.chat.id, int(args))
        return [Reply(context.t("round_time_set", seconds=int(args)))]
