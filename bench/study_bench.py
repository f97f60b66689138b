"""Personal study: grading quality on the labelled answers, grading latency, flashcard scheduling throughput."""

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
from bench.grading_bench import BLIND, BLIND2, BLIND3, BLIND4, BLIND5, evaluate, labelled_cards
from bot.core.content import load_content
from bot.core.grading import KeyPointGrader
from bot.core.messages import ChatKind, Request
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore

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
    by_id = {card.id: card for card in cards}
    labelled = labelled_cards()
    sets = {
        split: [entry for entry in labelled if entry["split"] == split]
        for split in ("calibration", "heldout")
    }
    sets["blind"] = labelled_cards(BLIND)  # written without seeing the grader; never tuned on
    sets["blind2"] = labelled_cards(BLIND2)  # the same, for the other 30 cards
    sets["blind3"] = labelled_cards(BLIND3)  # two more authors, 60 of the cards, wrong answers in their words
    sets["blind4"] = labelled_cards(BLIND4)  # one more author, 30 random cards, after the 12-07 rules
    sets["blind5"] = labelled_cards(BLIND5)  # one more author, 30 random cards, before the 12-08 rules
    for split, entries in sets.items():
        figures = evaluate(grader, by_id, entries)
        figures.pop("misses")
        emit(
            f"grading_quality_{split}",
            **figures,
            targets="ordered 100, good>=60 80, wrong<=40 90, p95 < 50 ms",
        )
    rng = random.Random(4)
    # wall-clock latency on a shared machine is noisy: the mean CPU time per answer is printed beside it
    timings, long_timings, cpu = [], [], {"grading_latency": 0.0, "grading_latency_4000_chars": 0.0}
    for card in cards:
        points = grader.points(card)
        half = " ".join(point.text for point in points[: max(1, len(points) // 2)])
        for answer in (card.answer, half, rng.choice(cards).answer):
            t0, c0 = time.perf_counter(), time.process_time()
            grader.grade(card, answer)
            timings.append(time.perf_counter() - t0)
            cpu["grading_latency"] += time.process_time() - c0
        # a unique answer at the 4,000-character limit: other cards' answers, shuffled
        pieces = [other.answer for other in rng.sample(cards, 40)]
        long_answer = "\n".join(pieces)[:LONG_ANSWER]
        t0, c0 = time.perf_counter(), time.process_time()
        grader.grade(card, long_answer)
        long_timings.append(time.perf_counter() - t0)
        cpu["grading_latency_4000_chars"] += time.process_time() - c0
    for name, sample in (("grading_latency", timings), ("grading_latency_4000_chars", long_timings)):
        sample.sort()
        emit(name, answers=len(sample), setup_s=round(setup, 2),
             p50_ms=round(1000 * statistics.median(sample), 3), p95_ms=round(1000 * sample[int(0.95 * len(sample))], 3),
             max_ms=round(1000 * sample[-1], 3), cpu_ms_mean=round(1000 * cpu[name] / len(sample), 3),
             target_p95_ms=50)  # fmt: skip


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
