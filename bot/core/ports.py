"""Ports: what the core needs from the outside world (storage, clock), as Protocols with plain records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bot.core.messages import ChatKind


@dataclass(frozen=True, slots=True)
class ChatState:
    id: int
    platform: str
    platform_chat_id: str
    kind: ChatKind
    language: str | None  # None: follow the users' locale
    decks: tuple[str, ...] | None  # None: every enabled deck
    quiz_round: int
    active: bool


@dataclass(frozen=True, slots=True)
class UserRef:
    id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class QuizPost:
    id: int
    chat_id: int
    card_id: str
    mode: str
    options: tuple[str, ...]
    correct: int
    round: int
    status: str  # open | closed
    created_at: datetime
    closes_at: datetime | None
    message_id: str | None


@dataclass(frozen=True, slots=True)
class NewAnswer:
    """An answer to record. `points` are awarded unless the user answered the same card in the same chat
    at or after `repeat_since` (then 0): the store checks that in the same transaction as the insert."""

    user_id: int
    chat_id: int
    card_id: str
    post_id: int | None
    mode: str
    answer: str
    correct: bool
    points: int
    at: datetime
    repeat_since: datetime


@dataclass(frozen=True, slots=True)
class RecordedAnswer:
    recorded: bool  # False: this user had already answered this post
    points: int


@dataclass(frozen=True, slots=True)
class ScoreLine:
    user_id: int
    display_name: str
    points: int
    answered: int
    correct: int
    rank: int


class Store(Protocol):
    async def ensure_user(self, platform: str, platform_user_id: str, display_name: str) -> UserRef: ...

    async def ensure_chat(self, platform: str, platform_chat_id: str, kind: ChatKind) -> ChatState: ...

    async def set_chat_language(self, chat_id: int, language: str | None) -> None: ...

    async def set_chat_decks(self, chat_id: int, decks: tuple[str, ...] | None) -> None: ...

    async def asked_cards(self, chat_id: int, quiz_round: int) -> set[str]: ...

    async def start_new_round(self, chat_id: int) -> int: ...

    async def create_post(
        self,
        chat_id: int,
        card_id: str,
        mode: str,
        options: tuple[str, ...],
        correct: int,
        quiz_round: int,
        at: datetime,
        closes_at: datetime | None,
    ) -> QuizPost: ...

    async def set_post_message(self, post_id: int, message_id: str) -> None: ...

    async def get_post(self, post_id: int) -> QuizPost | None: ...

    async def latest_open_post(self, chat_id: int) -> QuizPost | None: ...

    async def record_answer(self, answer: NewAnswer) -> RecordedAnswer: ...

    async def close_post(self, post_id: int, at: datetime) -> None: ...

    async def post_results(self, post_id: int) -> tuple[int, int]: ...

    async def set_chat_active(self, chat_id: int, active: bool) -> None: ...

    async def score(self, chat_id: int, user_id: int) -> tuple[ScoreLine | None, int]: ...

    async def leaderboard(self, chat_id: int, limit: int) -> list[ScoreLine]: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
