"""Question bank: load `content/` as shipped and scaled x100, generate every multiple-choice question,
measure the give-aways of the bundled decks' multiple choice, and time building it for 10,000 cards."""

from __future__ import annotations

import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.core.content import ChoiceMaker, ContentReport, load_content
from bot.core.content.giveaways import Asked, longest_share, most_similar_share
from bot.core.content.ids import card_id
from bot.core.content.model import Card

CONTENT = Path(__file__).resolve().parent.parent / "content"
SCALE = 100
BUILD_CARDS = 10_000


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
    giveaways(report)

    synthetic = synthetic_cards(BUILD_CARDS)

    def build() -> ChoiceMaker:
        maker = ChoiceMaker(synthetic)
        maker.prepare()
        return maker

    best, median, maker = best_of(3, build)
    ready = sum(not maker.is_flashcard_only(card.id) for card in synthetic)
    emit("choices_build_10000", cards=len(synthetic), multiple_choice=ready, best_s=round(best, 2),
         median_s=round(median, 2), limit_s=3.0)  # fmt: skip
    content_check_10000(synthetic)


def content_check_10000(cards: list[Card]) -> None:
    """`study-bot content check` on one Markdown file of 10,000 questions, end to end in a fresh process
    (start-up, parsing, every card's multiple choice, the report), as an author checking big notes would."""
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "big-notes.md"
        lines = ["# Ten thousand questions", ""]
        for number, card in enumerate(cards):
            if number % 50 == 0:
                lines += [f"## {card.section[0]}", ""]
            lines += [f"### {card.question}", "", card.answer, ""]
        notes.write_text("\n".join(lines), encoding="utf-8")
        command = [sys.executable, "-m", "bot", "content", "check", str(notes)]
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            timings.append(time.perf_counter() - started)
        found = re.search(r"(\d+) cards", done.stdout)
        emit("content_check_10000", questions=len(cards), cards=int(found.group(1)) if found else None,
             exit_status=done.returncode, best_s=round(min(timings), 2), limit_s=10.0)  # fmt: skip


def giveaways(report: ContentReport, seeds: int = 10) -> None:
    """Over the bundled decks and per deck: how often the most question-like / the longest option is the
    right one (mean over seeds, and the worst seed), and the share of cards with multiple choice."""
    maker = ChoiceMaker(report.cards)
    maker.prepare()
    groups = [("all", report.cards)] + [(deck.id, list(deck.cards)) for deck in report.decks]
    for name, deck_cards in groups:
        ready = [card for card in deck_cards if not maker.is_flashcard_only(card.id)]
        similar, longest = [], []
        for seed in range(seeds):
            asked = []
            for card in ready:
                choices = maker.choices(card.id, seed)
                assert choices is not None
                asked.append(Asked(card.question, choices.options, choices.correct))
            similar.append(most_similar_share(asked))
            longest.append(longest_share(asked))
        reasons = Counter(maker.verdict(card.id).rule for card in deck_cards if card not in ready)
        emit("choices_giveaways", deck=name, cards=len(deck_cards), multiple_choice=len(ready),
             mcq_ready_share=round(len(ready) / len(deck_cards), 3) if deck_cards else 0.0,
             most_similar_right=round(statistics.mean(similar), 3), most_similar_worst_seed=round(max(similar), 3),
             longest_right=round(statistics.mean(longest), 3), longest_worst_seed=round(max(longest), 3),
             chance=0.25, flashcard_only=dict(reasons.most_common()))  # fmt: skip


_EN_WORDS = (
    "gradient sparse latent token vision graph kernel policy reward encoder decoder attention memory batch "
    "residual contrastive adversarial causal spectral temporal federated quantized pruned distilled masked "
    "recurrent convolutional generative discriminative bayesian variational stochastic adaptive robust linear "
    "manifold embedding sampling inference alignment retrieval transfer curriculum dropout momentum entropy"
).split()
_ZH_CHARS = "模型学习训练数据特征网络梯度注意力编码解码图像文本语言生成对抗迁移蒸馏剪枝量化采样推理检索对齐强化策略奖励记忆卷积循环残差稀疏潜在概率分布损失优化"


def synthetic_cards(count: int, seed: int = 7) -> list[Card]:
    """`count` distinct cards in one deck (the hard case: one big document), half English, half Chinese,
    in sections of 50, with definition answers built from a shared vocabulary."""
    rng = random.Random(seed)
    cards = []
    for number in range(count):
        if number % 2:
            subject = " ".join(rng.sample(_EN_WORDS, 3))
            question = f"What is {subject} {number}?"
            answer = (f"{subject.capitalize()} is a {rng.choice(_EN_WORDS)} method that turns {rng.choice(_EN_WORDS)} "
                      f"{rng.choice(_EN_WORDS)} into {rng.choice(_EN_WORDS)} {rng.choice(_EN_WORDS)} features. "
                      "It is used in practice.")  # fmt: skip
        else:
            subject = "".join(rng.sample(_ZH_CHARS, 4))
            question = f"什么是{subject}{number}？"
            words = ["".join(rng.sample(_ZH_CHARS, 2)) for _ in range(5)]
            answer = f"{subject}是一种通过{words[0]}{words[1]}来提高{words[2]}的{words[3]}{words[4]}方法。它很常用。"
        section = (f"Section {number // 50}",)
        cards.append(Card(card_id("synthetic", question), "synthetic", section, question, answer, "", "synthetic.md",
                          number + 1))  # fmt: skip
    return cards
