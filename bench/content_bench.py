"""Question bank speed: load `content/` as shipped and scaled x100, generate every multiple-choice question."""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.core.content import ChoiceMaker, load_content
from bot.core.content.choices import giveaway_share

CONTENT = Path(__file__).resolve().parent.parent / "content"
SCALE = 100


def emit(name: str, **values: object) -> None:
    print(json.dumps({"bench": name, **values}, ensure_ascii=False), flush=True)


def best_of(runs: int, action: Callable[[], object]) -> tuple[float, float, object]:
    """(best seconds, median seconds, last result) over `runs` runs."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), result


def run() -> None:
    best, median, report = best_of(20, lambda: load_content([CONTENT]))
    cards = len(report.cards)
    emit("content_load", documents=len(report.decks), cards=cards, best_s=round(best, 4), median_s=round(median, 4),
         cards_per_s=round(cards / median))  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        for copy in range(SCALE):
            for document in CONTENT.glob("*.md"):
                shutil.copyfile(document, Path(tmp) / f"{document.stem}-{copy:03d}.md")
        best, median, scaled = best_of(3, lambda: load_content([tmp]))
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
        emit("content_load_x100", documents=len(scaled.decks), cards=len(scaled.cards), megabytes=round(size / 1e6, 1),
             best_s=round(best, 3), median_s=round(median, 3), cards_per_s=round(len(scaled.cards) / median))  # fmt: skip

    def all_questions() -> list:
        maker = ChoiceMaker(report.cards)
        return [(card.question, maker.choices(card.id, 0)) for card in report.cards]

    best, median, asked = best_of(5, all_questions)
    made = [(q, c) for q, c in asked if c is not None]
    emit("choices_all_cards", cards=cards, multiple_choice=len(made), best_s=round(best, 4),
         median_s=round(median, 4), questions_per_s=round(cards / median))  # fmt: skip
    shares = [giveaway_share([(q, c) for q, c in all_questions_for(report, seed) if c]) for seed in range(10)]
    emit("choices_giveaway_share", seed0=round(shares[0], 3), mean_seeds_0_9=round(statistics.mean(shares), 3),
         worst_seed=round(max(shares), 3), chance=0.25, limit=0.40)  # fmt: skip


def all_questions_for(report, seed: int) -> list:
    maker = ChoiceMaker(report.cards)
    return [(card.question, maker.choices(card.id, seed)) for card in report.cards]
