"""Ports: what the core needs from the outside world (storage, clock), as Protocols with plain records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.core.messages import ChatKind, Reply


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
    timezone: str | None = None  # None: the configured default
    members: int = 0


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
    local_day: str | None = None  # YYYY-MM-DD in the chat's time zone, for period leaderboards


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


@dataclass(frozen=True, slots=True)
class Subscription:
    chat_id: int
    platform: str
    target: str  # where the adapter posts: a Telegram chat id, a Discord channel id
    post_time: str  # HH:MM, local
    timezone: str
    decks: tuple[str, ...] | None
    active: bool
    next_due_at: datetime | None
    language: str = "en"


@dataclass(frozen=True, slots=True)
class DailyClaim:
    """A daily question to create and send: claimed for (chat, local date) in the same transaction."""

    chat_id: int
    local_date: str
    card_id: str
    options: tuple[str, ...]
    correct: int
    quiz_round: int
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class DailyPost:
    id: int
    chat_id: int
    platform: str
    target: str
    local_date: str
    post_id: int | None
    state: str  # sending | retry | sent | failed | closed
    send_attempts: int
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class StudyState:
    """A user's spaced-repetition state for one card (the FSRS card as JSON, and what queries need)."""

    card_id: str
    fsrs: str
    state: int  # 1 learning, 2 review, 3 relearning
    stability: float | None
    due_at: datetime
    reviews: int


@dataclass(frozen=True, slots=True)
class Prompt:
    """A flashcard shown to a user in a chat."""

    id: int
    user_id: int
    chat_id: int
    card_id: str
    shown_at: datetime
    answer: str | None
    score: int | None
    proposed: int | None
    graded_by: str | None
    rating: int | None


@dataclass(frozen=True, slots=True)
class Review:
    card_id: str
    rating: int
    reviewed_at: datetime
    local_day: str


@dataclass(frozen=True, slots=True)
class Reminder:
    user_id: int
    platform: str
    target: str
    remind_time: str
    timezone: str
    language: str
    next_due_at: datetime


@dataclass(frozen=True, slots=True)
class StoredDeck:
    """A deck a chat uploaded: the file as it came, parsed again at every start."""

    chat_id: int
    deck_id: str
    file_name: str
    source: bytes
    sha256: str
    card_count: int
    uploaded_by: int
    uploaded_at: datetime


class ChatUnreachable(Exception):
    """A platform refuses to deliver to a chat for good: the bot was removed, blocked or lost access."""


class Poster(Protocol):
    """What an adapter offers the scheduler: post a reply into a chat unprompted; returns the message id."""

    name: str

    async def post(self, target: str, reply: Reply) -> str: ...


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

    async def set_chat_timezone(self, chat_id: int, timezone: str) -> None: ...

    async def first_correct(self, post_id: int, limit: int) -> list[str]: ...

    async def period_leaderboard(
        self, chat_id: int, since: str, limit: int, period: str | None = None
    ) -> list[ScoreLine]: ...

    async def period_score(
        self, chat_id: int, user_id: int, since: str, period: str | None = None
    ) -> tuple[ScoreLine | None, int]: ...

    async def daily_history(self, chat_id: int, limit: int) -> list[tuple[str, int, bool]]: ...

    async def daily_answered(
        self, chat_id: int, user_ids: list[int], post_ids: list[int]
    ) -> set[tuple[int, int]]: ...

    async def card_accuracy(
        self, chat_ids: list[int], since: datetime
    ) -> dict[int, dict[str, tuple[float, int]]]: ...

    async def asked_cards_many(self, rounds: dict[int, int]) -> dict[int, set[str]]: ...

    async def subscribe(self, subscription: Subscription, at: datetime) -> None: ...

    async def unsubscribe(self, chat_id: int, at: datetime) -> None: ...

    async def subscription(self, chat_id: int) -> Subscription | None: ...

    async def due_subscriptions(
        self, now: datetime, limit: int, platforms: tuple[str, ...]
    ) -> list[tuple[Subscription, ChatState]]: ...

    async def set_next_due(self, chat_id: int, next_due_at: datetime) -> None: ...

    async def claim_daily(
        self, claims: list[DailyClaim], next_due: dict[int, datetime], instance: str, at: datetime
    ) -> list[tuple[DailyClaim, int, QuizPost] | None]: ...

    async def daily_post_for(self, chat_id: int, local_date: str) -> DailyPost | None: ...

    async def mark_daily(
        self,
        daily_id: int,
        state: str,
        at: datetime,
        *,
        message_id: str | None = None,
        retry_at: datetime | None = None,
    ) -> None: ...

    async def retry_due(self, now: datetime, instance: str, limit: int) -> list[DailyPost]: ...

    async def abandon_stale(self, older_than: datetime) -> int: ...

    async def start_send(self, daily_id: int, instance: str, at: datetime) -> bool: ...

    async def take_over_unsent(
        self, claimed_before: datetime, now: datetime, instance: str, limit: int, platforms: tuple[str, ...]
    ) -> list[DailyPost]: ...

    async def claim_results(self, now: datetime, limit: int) -> list[DailyPost]: ...

    async def release_results(self, daily_id: int, retry_at: datetime) -> None: ...

    async def next_due_at(
        self, platforms: tuple[str, ...], reminders: bool = True, claim_lease: timedelta | None = None
    ) -> datetime | None: ...

    async def study_states(self, user_id: int) -> dict[str, StudyState]: ...

    async def due_study_cards(self, user_id: int, now: datetime) -> list[StudyState]: ...

    async def new_cards_since(self, user_id: int, since: datetime) -> int: ...

    async def create_prompt(self, user_id: int, chat_id: int, card_id: str, at: datetime) -> Prompt: ...

    async def get_prompt(self, prompt_id: int) -> Prompt | None: ...

    async def open_prompt(self, user_id: int, chat_id: int) -> Prompt | None: ...

    async def grade_prompt(
        self, prompt_id: int, answer: str, score: int | None, proposed: int | None, graded_by: str
    ) -> None: ...

    async def rate_prompt(
        self,
        prompt: Prompt,
        rating: int,
        state: StudyState,
        at: datetime,
        local_day: str,
        attempt: NewAnswer | None,
    ) -> bool: ...

    async def reviews_since(self, user_id: int, since: datetime) -> list[Review]: ...

    async def set_reminder(self, reminder: Reminder, at: datetime) -> None: ...

    async def reminder_off(self, user_id: int, at: datetime) -> None: ...

    async def reminder(self, user_id: int) -> Reminder | None: ...

    async def due_reminders(
        self, now: datetime, platforms: tuple[str, ...], limit: int
    ) -> list[Reminder]: ...

    async def set_reminder_next(self, user_id: int, next_due_at: datetime) -> None: ...

    async def save_chat_deck(self, deck: StoredDeck) -> None: ...

    async def remove_chat_deck(self, chat_id: int, deck_id: str) -> bool: ...

    async def chat_decks(self, chat_id: int | None = None) -> list[StoredDeck]: ...

    async def count_upload(self, chat_id: int, at: datetime, window: timedelta) -> int: ...

    async def score(self, chat_id: int, user_id: int) -> tuple[ScoreLine | None, int]: ...

    async def leaderboard(self, chat_id: int, limit: int) -> list[ScoreLine]: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
