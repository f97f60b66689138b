"""Building multiple choice for a whole bank: linear work per card, done at start-up off the event loop."""

from __future__ import annotations

import asyncio
import random
import time

from bot.bootstrap import build_app
from bot.config import Config
from bot.core.content import Card, ChoiceMaker
from bot.core.content.ids import card_id
from bot.core.study import StudyDesk

WORDS = (
    "gradient sparse latent token vision graph kernel policy reward encoder decoder attention memory batch residual "
    "contrastive adversarial causal spectral temporal federated quantized pruned distilled masked recurrent"
).split()


def one_big_deck(count: int) -> list[Card]:
    rng = random.Random(count)
    cards = []
    for number in range(count):
        subject = " ".join(rng.sample(WORDS, 3))
        question = f"What is {subject} {number}?"
        answer = f"{subject.capitalize()} is a {rng.choice(WORDS)} method that turns {rng.choice(WORDS)} into features."
        section = (f"Part {number // 40}",)
        cards.append(
            Card(card_id("big", question), "big", section, question, answer, "", "big.md", number + 1)
        )
    return cards


def work_per_card(count: int) -> float:
    maker = ChoiceMaker(one_big_deck(count))
    maker.prepare()
    assert maker.prepared
    return (maker.pairs_examined + maker.candidates_scored) / count


def test_the_work_per_card_does_not_grow_with_the_size_of_a_deck():
    small, large = work_per_card(300), work_per_card(3000)
    assert large <= 1.3 * small, (small, large)
    assert large < 150  # candidates looked at per card: a bounded shortlist, not every other card


def questions_file(count: int) -> str:
    rng = random.Random(1)
    blocks = []
    for number in range(count):
        subject = " ".join(rng.sample(WORDS, 3))
        blocks.append(
            f"Q: What is {subject} number {number}?\nA: A {rng.choice(WORDS)} way to use {rng.choice(WORDS)} data.\n"
        )
    return "\n".join(blocks)


async def test_the_bot_builds_multiple_choice_before_it_is_ready_and_the_loop_keeps_running(
    tmp_path, monkeypatch
):
    # The grader's start-up build (jieba's dictionary: built in plain Python so the loop keeps its turns) has its own
    # loop-lag test in test_grading.py; here only the bank's parsing and multiple choice are timed.
    async def no_grader(self):
        return None

    monkeypatch.setattr(StudyDesk, "prepare", no_grader)
    content = tmp_path / "content"
    content.mkdir()
    (content / "big.md").write_text(questions_file(3000), encoding="utf-8")
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    started = time.perf_counter()
    app = await build_app(Config(database=tmp_path / "bot.sqlite3", content=content))
    took = time.perf_counter() - started
    done.set()
    await ticking
    try:
        bank = app.service.bank
        assert bank.card_count == 3000
        assert bank.choices.prepared  # no chat waits for it on its first /quiz
        assert len(bank.quizzable(None)) > 2500
        assert took > 0.3 and len(gaps) > 5
        # the loop was free while the bank was built: never held for half of it, and at most one pause
        # longer than a tenth of a second (a busy machine's scheduler, a garbage collection)
        assert max(gaps) < min(0.5, took / 2), max(gaps)
        assert sorted(gaps)[-2] < 0.1, sorted(gaps)[-5:]
    finally:
        await app.close()
