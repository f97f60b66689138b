"""Personal study speed: grading latency on the seed cards, and flashcard scheduling throughput."""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from bench.content_bench import CONTENT, emit
from bot.core.content import load_content
from bot.core.grading import KeyPointGrader
from bot.core.messages import ChatKind, Request
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite_store import SqliteStore

USERS = 20
CARDS_EACH = 20  # the daily new-card limit
LONG_ANSWER = 4_000  # the longest answer /answer accepts


def grading(bank: QuestionBank) -> None:
    cards = [card for deck in bank.decks for card in deck.cards if card.answer]
    started = time.perf_counter()
    grader = KeyPointGrader(cards)
    for card in cards:
        grader.points(card)
    setup = time.perf_counter() - started
    rng = random.Random(4)
    timings = []
    for card in cards:
        points = grader.points(card)
        half = " ".join(point.text for point in points[: max(1, len(points) // 2)])
        for answer in (card.answer, half, rng.choice(cards).answer):
            t0 = time.perf_counter()
            grader.grade(card, answer)
            timings.append(time.perf_counter() - t0)
    timings.sort()
    emit("grading_latency", answers=len(timings), setup_s=round(setup, 2),
         p50_ms=round(1000 * statistics.median(timings), 3), p95_ms=round(1000 * timings[int(0.95 * len(timings))], 3),
         max_ms=round(1000 * timings[-1], 3), target_p95_ms=50)  # fmt: skip
    long_timings = []
    for number, card in enumerate(cards):  # unique 4,000-character answers: nothing is cached between them
        words = [word for other in rng.sample(cards, min(8, len(cards))) for word in other.answer.split()]
        rng.shuffle(words)
        answer = (f"{number} {card.answer} " + " ".join(words) * 20)[:LONG_ANSWER]
        t0 = time.perf_counter()
        grader.grade(card, answer)
        long_timings.append(time.perf_counter() - t0)
    long_timings.sort()
    emit("grading_latency_long", answers=len(long_timings), characters=LONG_ANSWER,
         p50_ms=round(1000 * statistics.median(long_timings), 3),
         p95_ms=round(1000 * long_timings[int(0.95 * len(long_timings))], 3),
         max_ms=round(1000 * long_timings[-1], 3), target_p95_ms=50)  # fmt: skip


async def scheduling(bank: QuestionBank, folder: Path) -> None:
    store = await SqliteStore.open(folder / "study.sqlite3")
    service = StudyService(bank, store, rng=random.Random(1))

    def request(user: int, command: str | None = None, action: str | None = None) -> Request:
        return Request(platform="bench", chat_id=f"dm-{user}", user_id=str(user), user_name=f"user {user}",
                       chat_kind=ChatKind.PRIVATE, locale="en", command=command, action=action)  # fmt: skip

    async def learner(user: int) -> None:
        for index in range(CARDS_EACH):
            shown = (await service.handle(request(user, command="study")))[0]
            reveal = shown.buttons[0][0].action
            rate = (await service.handle(request(user, action=reveal)))[0].buttons[0][1 + index % 3].action
            assert (await service.handle(request(user, action=rate)))[0].text.startswith("Saved")

    started = time.perf_counter()
    await asyncio.gather(*(learner(user) for user in range(USERS)))
    elapsed = time.perf_counter() - started
    await store.close()

    scheduler = Scheduler()
    now = datetime.now(UTC)
    raw_started = time.perf_counter()
    for _ in range(5000):
        card = FsrsCard(due=now)
        card, _ = scheduler.review_card(card, Rating.Good, review_datetime=now)
    raw = 5000 / (time.perf_counter() - raw_started)
    reviews = USERS * CARDS_EACH
    emit("study_scheduling", users=USERS, reviews=reviews, seconds=round(elapsed, 2),
         reviews_per_s_through_service=round(reviews / elapsed), fsrs_review_card_per_s=round(raw))  # fmt: skip


async def main() -> None:
    bank = QuestionBank(load_content([CONTENT]))
    grading(bank)
    with tempfile.TemporaryDirectory() as tmp:
        await scheduling(bank, Path(tmp))


def run() -> None:
    asyncio.run(main())
