"""Personal study: FSRS flashcards, answers in your own words graded by key points, progress.

`study [deck]` shows the user's next card: due reviews first (earliest due first), then new cards
in document order up to the daily new-card limit. "Show answer" reveals it with four rating buttons
(Again, Hard, Good, Easy); `answer <text>` grades the user's own words first and proposes a rating,
which one click confirms or overrides. Scheduling is the `fsrs` package; each user's state per card
is stored as FSRS's own JSON. A shown card can be rated once, by the user it was shown to.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from bot.core import i18n, views
from bot.core.content import Card
from bot.core.context import CommandContext
from bot.core.daily_time import local_date
from bot.core.grading import AGAIN, EASY, GOOD, HARD, AnswerGrader, Grade, KeyPointGrader
from bot.core.messages import Button, ChatKind, Reply
from bot.core.ports import Clock, NewAnswer, Prompt, Store, StudyState
from bot.core.question_bank import QuestionBank
from bot.core.scoring import ScoringRule

log = logging.getLogger(__name__)
RATING_KEYS = {AGAIN: "rating_again", HARD: "rating_hard", GOOD: "rating_good", EASY: "rating_easy"}
ANSWER_SHOWN = 1000  # characters of the learner's answer shown beside the reference
_FSRS_RATING = {AGAIN: Rating.Again, HARD: Rating.Hard, GOOD: Rating.Good, EASY: Rating.Easy}


@dataclass(frozen=True, slots=True)
class StudySettings:
    new_cards_per_day: int = 20
    mastered_stability_days: float = 21.0  # FSRS stability at which a card counts as mastered
    answer_max_chars: int = 4000
    model_timeout_seconds: float = 10.0
    fuzz_intervals: bool = True  # FSRS spreads due dates a little so reviews do not bunch up
    synonyms: tuple[tuple[str, ...], ...] = ()  # decks.yaml `synonyms:`: spellings of one term, any language


class StudyDesk:
    def __init__(
        self,
        bank: QuestionBank,
        store: Store,
        clock: Clock,
        scoring: ScoringRule,
        settings: StudySettings | None = None,
        model_grader: AnswerGrader | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock
        self.scoring = scoring
        self.settings = settings or StudySettings()
        self.model_grader = model_grader
        self.scheduler = Scheduler(enable_fuzzing=self.settings.fuzz_intervals)
        self._key_points: KeyPointGrader | None = None
        self._building: asyncio.Lock | None = None

    def _build_key_points(self) -> KeyPointGrader:
        if self._key_points is None:
            cards = tuple(card for deck in self.bank.decks for card in deck.cards)
            self._key_points = _key_point_grader(cards, self.settings.synonyms)
        return self._key_points

    async def prepare(self) -> KeyPointGrader:
        """Build the key-point grader (jieba's dictionary, the term pairs: about a second) in a worker
        thread, so the event loop keeps serving; the bot calls this at start, before it reports ready."""
        if self._key_points is None:
            self._building = self._building or asyncio.Lock()
            async with self._building:
                if self._key_points is None:
                    await asyncio.to_thread(self._build_key_points)
        assert self._key_points is not None
        return self._key_points

    @property
    def key_points(self) -> KeyPointGrader:
        """The key-point grader, built on the spot if `prepare` has not run (blocking: tests and tools)."""
        return self._build_key_points()

    # --- showing cards -------------------------------------------------------------------------------

    async def study(self, context: CommandContext, args: str, resolve_decks) -> list[Reply]:
        decks: tuple[str, ...] | None = context.chat.decks
        if args.strip():
            chosen, unknown = resolve_decks(args.split())
            if unknown:
                return [Reply(context.t("decks_unknown", names=views.echo(", ".join(unknown))))]
            decks = chosen
        bank = self.bank.for_chat(context.chat.id)
        in_scope = {card.id for card in self._cards(bank, decks)}
        now = self.clock.now()
        due = [
            state
            for state in await self.store.due_study_cards(context.user.id, now)
            if state.card_id in in_scope
        ]
        card_id = due[0].card_id if due else None
        if card_id is None:
            start = datetime.combine(local_date(now, context.zone), time(0), tzinfo=context.zone)
            introduced = await self.store.new_cards_since(context.user.id, start)
            if introduced < self.settings.new_cards_per_day:
                seen = await self.store.study_states(context.user.id)
                card_id = next((card.id for card in self._cards(bank, decks) if card.id not in seen), None)
            elif in_scope:
                return [
                    self._private(
                        context, context.t("study_new_limit", limit=self.settings.new_cards_per_day)
                    )
                ]
        if card_id is None:
            return [self._private(context, await self._nothing_due(context, in_scope))]
        prompt = await self.store.create_prompt(context.user.id, context.chat.id, card_id, now)
        card = bank.card(card_id)
        assert card is not None
        text = (
            f"{context.t('study_card', name=context.user.display_name, where=views.where(bank, card))}"
            f"\n\n**{card.question}**\n\n"
            f"{context.t('study_prompt')}"
        )
        buttons = (
            (
                Button(context.t("study_show"), f"sv:{prompt.id}"),
                Button(context.t("study_write"), f"sw:{prompt.id}"),
            ),
        )
        return [self._private(context, text, buttons)]

    def _cards(self, bank: QuestionBank, decks: tuple[str, ...] | None) -> list[Card]:
        chosen = [deck for deck in bank.decks if decks is None or deck.id in decks]
        return [card for deck in chosen for card in deck.cards if card.answer]

    async def _nothing_due(self, context: CommandContext, in_scope: set[str]) -> str:
        states = [
            s for s in (await self.store.study_states(context.user.id)).values() if s.card_id in in_scope
        ]
        if not states:
            return context.t("study_nothing")
        soonest = min(state.due_at for state in states)
        return context.t("study_all_done", when=i18n.when(soonest.astimezone(context.zone), context.language))

    def _private(self, context: CommandContext, text: str, buttons: tuple = ()) -> Reply:
        """Study replies belong to the studying user: private in groups (ephemeral on Discord)."""
        return Reply(text, buttons, private=context.chat.kind == ChatKind.GROUP)

    async def _own_prompt(self, context: CommandContext, prompt_id: int) -> Prompt | None:
        prompt = await self.store.get_prompt(prompt_id)
        if prompt is None or prompt.user_id != context.user.id or prompt.chat_id != context.chat.id:
            return None
        return prompt

    async def reveal(self, context: CommandContext, prompt_id: int) -> list[Reply]:
        prompt = await self._own_prompt(context, prompt_id)
        card = self.bank.for_chat(context.chat.id).card(prompt.card_id) if prompt else None
        if prompt is None or card is None:
            return [views.refusal(context.t("study_not_yours"))]
        if prompt.rating is not None:
            return [self._private(context, context.t("study_already_rated"))]
        text = (
            f"**{card.question}**\n\n{views.answer_body(card, context.language)}\n\n{context.t('study_rate')}"
        )
        return [self._private(context, text, self._rating_buttons(context, prompt.id, None))]

    def _rating_buttons(self, context: CommandContext, prompt_id: int, proposed: int | None) -> tuple:
        row = []
        for rating, key in RATING_KEYS.items():
            label = context.t(key)
            if rating == proposed:
                label = f"✓ {label}"
            row.append(Button(label, f"sr:{prompt_id}:{rating}"))
        return (tuple(row),)

    async def write_hint(self, context: CommandContext, prompt_id: int) -> list[Reply]:
        prompt = await self._own_prompt(context, prompt_id)
        if prompt is None:
            return [views.refusal(context.t("study_not_yours"))]
        return [self._private(context, context.t("study_write_hint"))]

    # --- answers in your own words -------------------------------------------------------------------

    async def open_prompt(self, context: CommandContext) -> Prompt | None:
        return await self.store.open_prompt(context.user.id, context.chat.id)

    async def answer(self, context: CommandContext, prompt: Prompt, text: str) -> list[Reply]:
        card = self.bank.for_chat(context.chat.id).card(prompt.card_id)
        words = text.strip()
        if card is None:
            return [self._private(context, context.t("study_not_yours"))]
        if not words:  # a bare `/answer`: say how, not that the answer was empty
            return [self._private(context, context.t("study_write_hint"))]
        if not any(ch.isalnum() for ch in words):
            return [self._private(context, context.t("answer_empty"))]
        if len(words) > self.settings.answer_max_chars:
            return [
                self._private(context, context.t("answer_too_long", limit=self.settings.answer_max_chars))
            ]
        grade = await self._grade(card, words, context.language)
        await self.store.grade_prompt(
            prompt.id, words, None if grade.unsure else grade.score, grade.proposed, grade.graded_by
        )
        if grade.unsure:
            return [
                self._private(
                    context,
                    _unsure_text(context, card, grade, words),
                    self._rating_buttons(context, prompt.id, None),
                )
            ]
        parts = [
            context.t("grade_gave_up")
            if grade.gave_up
            else context.t(
                "grade_score", score=grade.score, by=context.t("graded_" + grade.graded_by.replace(" ", "_"))
            )
        ]
        if grade.note:
            parts.append(context.t("grade_fallback"))
        if grade.feedback:
            parts.append(context.t("grade_feedback", feedback=grade.feedback))
        if grade.capped:
            parts.append(context.t("grade_capped"))
        if grade.covered:
            parts.append(context.t("grade_covered") + "\n" + "\n".join(f"✅ {p}" for p in grade.covered))
        if grade.missed:
            parts.append(context.t("grade_missed") + "\n" + "\n".join(f"▫️ {p}" for p in grade.missed))
        parts.append(views.answer_body(card, context.language))
        assert grade.proposed is not None
        parts.append(context.t("grade_confirm", rating=context.t(RATING_KEYS[grade.proposed])))
        return [
            self._private(
                context, "\n\n".join(parts), self._rating_buttons(context, prompt.id, grade.proposed)
            )
        ]

    async def _grade(self, card: Card, answer: str, language: str) -> Grade:
        key_points = await self.prepare()
        # a long answer takes milliseconds of jieba and matching: off the event loop
        fallback = await asyncio.to_thread(key_points.grade, card, answer)
        if self.model_grader is None or fallback.gave_up:  # "I don't know" needs no model to judge it
            return fallback
        try:
            graded = await asyncio.wait_for(
                self.model_grader.grade(card, key_points.rubric(card), answer, language),
                self.settings.model_timeout_seconds,
            )
        except Exception as exc:  # a model that hangs, fails or talks nonsense never blocks the bot
            log.warning("model grader failed (%s: %.200s); graded by key points", type(exc).__name__, exc)
            return dataclasses.replace(fallback, note=type(exc).__name__)
        if not 0 <= graded.score <= 100:
            return dataclasses.replace(fallback, note="score out of range")
        return graded

    # --- rating ----------------------------------------------------------------------------------------

    async def rate(self, context: CommandContext, prompt_id: int, rating: int) -> list[Reply]:
        prompt = await self._own_prompt(context, prompt_id)
        if prompt is None or rating not in RATING_KEYS:
            return [views.refusal(context.t("study_not_yours"))]
        now = self.clock.now()
        states = await self.store.study_states(context.user.id)
        previous = states.get(prompt.card_id)
        fsrs_card = FsrsCard.from_dict(json.loads(previous.fsrs)) if previous else FsrsCard(due=now)
        fsrs_card, _ = self.scheduler.review_card(fsrs_card, _FSRS_RATING[rating], review_datetime=now)
        state = StudyState(
            prompt.card_id, json.dumps(fsrs_card.to_dict()), int(fsrs_card.state), fsrs_card.stability,
            fsrs_card.due, (previous.reviews if previous else 0) + 1,
        )  # fmt: skip
        attempt = None
        if prompt.score is not None:  # an answer in your own words earns points scaled by its score
            attempt = NewAnswer(
                user_id=context.user.id, chat_id=context.chat.id, card_id=prompt.card_id, post_id=None,
                mode="study", answer=(prompt.answer or "")[:500], correct=prompt.score >= 60,
                points=round(self.scoring.quiz_points * prompt.score / 100), at=now,
                repeat_since=self.scoring.repeat_window_start(now, context.zone),
                local_day=local_date(now, context.zone).isoformat(),
            )  # fmt: skip
        day = local_date(now, context.zone).isoformat()
        if not await self.store.rate_prompt(prompt, rating, state, now, day, attempt):
            return [self._private(context, context.t("study_already_rated"))]
        wait = fsrs_card.due - now
        text = context.t(
            "study_rated", rating=context.t(RATING_KEYS[rating]), when=_duration(wait, context.language)
        )
        return [self._private(context, text, ((Button(context.t("study_next"), "sn"),),))]


@functools.lru_cache(maxsize=2)
def _key_point_grader(cards: tuple[Card, ...], synonyms: tuple[tuple[str, ...], ...]) -> KeyPointGrader:
    """One grader per question bank, shared by the services built on it (tests build many)."""
    return KeyPointGrader(cards, synonyms)


def _unsure_text(context: CommandContext, card: Card, grade: Grade, answer: str) -> str:
    """No proposal: say why, and put the learner's answer beside the reference to rate it themselves."""
    shown = answer if len(answer) <= ANSWER_SHOWN else answer[: ANSWER_SHOWN - 1] + "…"
    fallback = (context.t("grade_fallback"),) if grade.note else ()
    return "\n\n".join(
        (
            *fallback,
            context.t("grade_unsure", reason=context.t(f"grade_unsure_{grade.unsure}")),
            context.t("grade_your_answer") + "\n" + shown,
            views.answer_body(card, context.language),
            context.t("grade_rate_yourself"),
        )
    )


def _duration(wait: timedelta, language: str) -> str:
    minutes = max(1, round(wait.total_seconds() / 60))
    if minutes < 60:
        return i18n.text("n_minutes", language, count=minutes)
    hours = round(minutes / 60)
    if hours < 48:
        return i18n.text("n_hours", language, count=hours)
    return i18n.text("n_days", language, count=round(hours / 24))
