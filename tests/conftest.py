"""Shared test helpers: the bundled content folder, a way to write documents into a temp folder, and the
store fixtures, which the store and service suites run on both SQLite and PostgreSQL (a module opts in
with `STORE_BACKENDS = BOTH_STORES`; every other module runs on SQLite only)."""

from __future__ import annotations

import asyncio
import itertools
import os
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
BOTH_STORES = ("sqlite", "postgres")
POSTGRES_VARIABLE = "STUDY_BOT_TEST_POSTGRES"  # e.g. postgresql://postgres@127.0.0.1:5432/test
HOW_TO_ENABLE = f"{POSTGRES_VARIABLE}=postgresql://postgres@127.0.0.1:5432/test make test"
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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that opens a store gets a `backend`: "sqlite", and "postgres" in the modules that ask."""
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", getattr(metafunc.module, "STORE_BACKENDS", ("sqlite",)))


class PostgresServer:
    """The test server named by STUDY_BOT_TEST_POSTGRES: one template database migrated once per session,
    and a fresh database per test copied from it (CREATE DATABASE … TEMPLATE: milliseconds)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"sbt_{os.getpid()}_{random.randrange(1 << 30):x}"
        self.template = f"{self.prefix}_template"
        self._numbers = itertools.count()

    def url_for(self, database: str) -> str:
        from urllib.parse import urlsplit, urlunsplit

        return urlunsplit(urlsplit(self.url)._replace(path=f"/{database}"))

    async def _admin(self, *statements: str) -> None:
        import asyncpg

        connection = await asyncpg.connect(self.url, timeout=5)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    async def start(self) -> None:
        from bot.storage.postgres.migrate import migrate_url

        await self._admin(f'DROP DATABASE IF EXISTS "{self.template}"', f'CREATE DATABASE "{self.template}"')
        await migrate_url(self.url_for(self.template))

    async def fresh(self) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
        await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    async def empty(self) -> str:
        """A new database with no schema at all (to watch it being migrated)."""
        name = f"{self.prefix}_{next(self._numbers)}"
        await self._admin(f'CREATE DATABASE "{name}"')
        return name

    async def drop(self, name: str) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_postgres: list[PostgresServer | str] = []  # the session's server, or why there is none


async def postgres_server() -> PostgresServer:
    """The session's test server, started on first use; skips the test (saying how to enable it) without one."""
    if not _postgres:
        url = os.environ.get(POSTGRES_VARIABLE, "").strip()
        if not url:
            _postgres.append(f"{POSTGRES_VARIABLE} is not set; run the PostgreSQL cases with {HOW_TO_ENABLE}")
        else:
            server = PostgresServer(url)
            try:
                await server.start()
                _postgres.append(server)
            except Exception as exc:  # unreachable, refused, not a server
                from bot.storage.postgres.url import redacted

                _postgres.append(
                    f"PostgreSQL at {redacted(url)} is unreachable ({type(exc).__name__}: {exc}); "
                    f"start it, or run with {HOW_TO_ENABLE}"
                )
    found = _postgres[0]
    if isinstance(found, str):
        pytest.skip(found)
    return found


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _postgres and isinstance(_postgres[0], PostgresServer):
        server = _postgres[0]
        asyncio.run(server.drop(server.template))


@pytest.fixture
async def database(backend: str, db_path: Path):
    """Where this test's store lives: an SQLite file in a temp folder, or a fresh PostgreSQL database (its
    URL), dropped after the test."""
    if backend == "sqlite":
        yield db_path
        return
    server = await postgres_server()
    name = await server.fresh()
    yield server.url_for(name)
    await server.drop(name)


async def open_store(database: Path | str, **options):
    """A store on the test's database; open a second one on the same database to play a restart or a
    second process."""
    if isinstance(database, str):
        from bot.storage.postgres.store import PostgresStore

        return await PostgresStore.open(database, **options)
    return await SqliteStore.open(database, **options)


@pytest.fixture
async def store(database):
    opened = await open_store(database)
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
