"""Records, settings, the speed-bonus rule and the storage port of live rounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.ports import QuizPost, Store


@dataclass(frozen=True, slots=True)
class RoundSettings:
    seconds_per_question: int = 30  # the answer window (a chat can change it with `/round time N`)
    min_seconds: int = 5  # a question never moves on sooner than this after it appeared
    default_questions: int = 10
    max_questions: int = 50
    longest_window: int = 600  # the most `/round time` accepts
    edit_every: float = 10.0  # the countdown edits a question at most this often (flood limits)
    # after a restart, a round whose question closed less than this long ago is continued, else closed
    resume_within: timedelta = timedelta(minutes=5)
    tick_seconds: float = 1.0  # how often the scheduler looks when nothing wakes it
    names_shown: int = 10  # right answerers named after a question


def speed_points(base: int, left: timedelta, window: timedelta) -> int:
    """A right answer in a round: the normal quiz points plus a speed bonus of up to `base` more, in
    proportion to the share of the answer window still left, rounded down (5 + 4 with 80-99 % left)."""
    if window <= timedelta(0):
        return base
    share = min(max(left / window, 0.0), 1.0)
    return base + int(base * share)


@dataclass(frozen=True, slots=True)
class LiveRound:
    id: int
    chat_id: int
    platform: str
    target: str
    starter_id: int
    language: str
    decks: tuple[str, ...] | None
    cards: tuple[str, ...]
    seconds: int
    state: str  # running | finished | stopped
    asked: int  # questions posted so far; the current one is number `asked`
    post_id: int | None
    shown_at: datetime | None  # None: the current question is claimed but not on screen yet
    deadline: datetime | None
    created_at: datetime

    @property
    def total(self) -> int:
        return len(self.cards)


@dataclass(frozen=True, slots=True)
class NewRound:
    chat_id: int
    platform: str
    target: str
    starter_id: int
    language: str
    decks: tuple[str, ...] | None
    cards: tuple[str, ...]
    seconds: int
    at: datetime


@dataclass(frozen=True, slots=True)
class NewQuestion:
    options: tuple[str, ...]
    correct: int
    quiz_round: int
    at: datetime  # when it is (about to be) shown
    deadline: datetime


@dataclass(frozen=True, slots=True)
class RoundLine:
    user_id: int
    name: str
    points: int
    right: int
    answered: int
    average_seconds: float  # over all of this player's answers in the round


class RoundStore(Store, Protocol):
    async def start_round(self, new: NewRound, first: NewQuestion) -> tuple[LiveRound, QuizPost] | None: ...

    async def next_question(
        self, live: LiveRound, question: NewQuestion
    ) -> tuple[LiveRound, QuizPost] | None: ...

    async def question_shown(self, round_id: int, post_id: int, at: datetime, deadline: datetime) -> None: ...

    async def end_round(self, round_id: int, state: str, at: datetime) -> bool: ...

    async def get_round(self, round_id: int) -> LiveRound | None: ...

    async def running_round(self, chat_id: int) -> LiveRound | None: ...

    async def running_rounds(self) -> list[LiveRound]: ...

    async def round_for_post(self, post_id: int) -> LiveRound | None: ...

    async def round_progress(self, round_id: int, post_id: int) -> tuple[int, int]: ...

    async def round_standings(self, round_id: int, limit: int) -> list[RoundLine]: ...

    async def right_answers(self, post_id: int, limit: int) -> list[tuple[str, int]]: ...

    async def round_question_post(self, round_id: int, number: int) -> int | None: ...

    async def round_seconds(self, chat_id: int) -> int | None: ...

    async def set_round_seconds(self, chat_id: int, seconds: int) -> None: ...
