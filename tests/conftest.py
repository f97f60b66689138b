"""Shared test helpers: the bundled content folder and a way to write documents into a temp folder."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from aiohttp import web

from bot.core.content import ChoiceMaker, ContentReport, load_content
from bot.core.messages import ChatKind, Reply, Request
from bot.core.ports import QuizPost
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
# decks whose every card makes a fair multiple-choice question (eight sections of four, and a deck of
# four), for tests of what is built on quizzes: the bundled notes keep most of their cards flashcards
TEST_DECKS = ROOT / "tests" / "decks"


@pytest.fixture(scope="session")
def seed_report() -> ContentReport:
    return load_content([CONTENT])


@pytest.fixture(scope="module")
def maker(seed_report: ContentReport) -> ChoiceMaker:
    """The bundled decks' multiple choice, built once per test module."""
    made = ChoiceMaker(seed_report.cards)
    made.prepare()
    return made


@pytest.fixture(scope="session")
def card_of(seed_report: ContentReport):
    """The first bundled card whose question starts with the given text."""

    def find(start: str):
        found = [card for card in seed_report.cards if card.question.startswith(start)]
        assert found, start
        return found[0]

    return find


@pytest.fixture
def write_doc(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    folder = tmp_path / "content"
    folder.mkdir()

    def write(name: str, text: str | bytes) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def bank(seed_report) -> QuestionBank:
    return QuestionBank(seed_report)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bot.sqlite3"


@pytest.fixture
async def store(db_path: Path):
    opened = await SqliteStore.open(db_path)
    yield opened
    await opened.close()


@pytest.fixture
def service(bank, store, clock) -> StudyService:
    return StudyService(bank, store, clock=clock, rng=random.Random(7))


@pytest.fixture(scope="session")
def quiz_bank() -> QuestionBank:
    """The bundled decks plus TEST_DECKS."""
    return QuestionBank(load_content([CONTENT, TEST_DECKS]))


@pytest.fixture
def quiz_service(quiz_bank, store, clock) -> StudyService:
    return StudyService(quiz_bank, store, clock=clock, rng=random.Random(7))


class Chat:
    """A chat as seen by its members: `await chat.say("alice", "/quiz")` returns the bot's replies."""

    def __init__(self, service: StudyService, chat_id: str = "group-1", kind: ChatKind = ChatKind.GROUP,
                 locale: str = "en", platform: str = "test") -> None:  # fmt: skip
        self.service = service
        self.chat_id = chat_id
        self.kind = kind
        self.locale = locale
        self.platform = platform
        self.admins: set[str] = set()

    def request(self, user: str, *, command: str | None = None, args: str = "", action: str | None = None,
                locale: str | None = None) -> Request:  # fmt: skip
        return Request(
            platform=self.platform, chat_id=self.chat_id, user_id=user.lower(), user_name=user,
            chat_kind=self.kind, locale=locale or self.locale, command=command, args=args, action=action,
            is_admin=self.kind == ChatKind.PRIVATE or user in self.admins,
        )  # fmt: skip

    async def say(self, user: str, text: str, **kwargs) -> list[Reply]:
        command, _, args = text.lstrip("/").partition(" ")
        return await self.service.handle(self.request(user, command=command, args=args, **kwargs))

    async def click(self, user: str, action: str, **kwargs) -> list[Reply]:
        return await self.service.handle(self.request(user, action=action, **kwargs))

    async def quiz(self, user: str) -> tuple[Reply, QuizPost]:
        reply = (await self.say(user, "/quiz"))[-1]
        assert reply.post_id is not None, reply.text
        post = await self.service.store.get_post(reply.post_id)
        assert post is not None
        return reply, post


def option_action(reply: Reply, index: int) -> str:
    return reply.buttons[0][index].action


async def wait_until(
    probe: Callable[[], T], enough: Callable[[T], bool], what: str, timeout: float = 10
) -> T:
    """Poll `probe` until `enough` of its result, for things that happen in a server's own time."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if enough(found):
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last saw: {found!r}"[:4000])
        await asyncio.sleep(0.02)


def bank_with_long_card(folder: Path, question: str, paragraph: str, code_line: str) -> QuestionBank:
    """The bundled decks plus one card whose answer is far over any platform's message limit."""
    paragraphs = [f"Paragraph {i}: {paragraph} " * 12 for i in range(12)]
    code = "```python\n" + "\n".join(code_line.format(i=i, j=i + 1) for i in range(60)) + "\n```"
    (folder / "long.md").write_text(
        f"## {question}\n\n" + "\n\n".join([*paragraphs[:6], code, *paragraphs[6:]])
    )
    return QuestionBank(load_content([CONTENT, folder]))


async def serve_on_loopback(app: web.Application) -> tuple[web.AppRunner, int]:
    """Start an aiohttp app on 127.0.0.1 at a free port (the fake platform servers the tests talk to)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


@pytest.fixture
async def telegram():
    """A fake Telegram Bot API server on 127.0.0.1 for the real python-telegram-bot."""
    from tests.fake_telegram import FakeTelegram  # fake_telegram imports this module's helpers

    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()
