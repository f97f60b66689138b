"""The /stats chart for a new, a 30-day and a heavy learner, in English and Chinese: a calendar heatmap of
12 weeks, mastery per deck with the decks' own names, and the weakest sections."""

from __future__ import annotations

import random
import struct
import sys
import warnings
from datetime import date, timedelta
from pathlib import Path

import pytest
from matplotlib.text import Text

from bot.core.progress import CHART_SIZE, DeckProgress, chart, chart_font, draw
from bot.core.review.model import Section, SectionScore

TODAY = date(2026, 11, 20)
DECKS = [
    ("预训练与迁移学习考试题", 30),
    ("李宏毅机器学习课程问题整理（第 8–14 章）", 96),
    ("Meta-learning for large models", 20),
    ("大模型训练基础 30 题", 30),
    ("深度调研之预训练模型（讲座笔记与研究想法）", 12),
]


def learner(kind: str) -> tuple[dict[str, int], list[DeckProgress], list[SectionScore]]:
    rng = random.Random(kind)
    days = {"new": 0, "30-day": 30, "heavy": 84}[kind]
    per_day = {
        (TODAY - timedelta(days=offset)).isoformat(): rng.randrange(1, 12 if kind == "heavy" else 6)
        for offset in range(days)
        if rng.random() < (0.9 if kind == "heavy" else 0.7)
    }
    share = {"new": 0.0, "30-day": 0.2, "heavy": 0.7}[kind]
    decks = [
        DeckProgress(title, new=round(total * (1 - share * 1.3)) if share else total, learning=0, due_today=0,
                     mastered=round(total * share * 0.8), total=total)
        for title, total in DECKS
    ]  # fmt: skip
    sections = [("Chapter 9 对抗攻击 Adversarial Attack", 2, 7), ("Transformer 与自注意力", 4, 9),
                ("第三章 元学习的优化方法", 6, 10), ("Fine-tuning 微调技巧", 7, 9), ("梯度裁剪", 9, 10)]  # fmt: skip
    weakest = [] if kind == "new" else [
        SectionScore(Section(f"k{i}", "deck", (name,), f"{DECKS[i][0]} / {name}"), right, answered)
        for i, (name, right, answered) in enumerate(sections[: 3 if kind == "30-day" else 5])
    ]  # fmt: skip
    return per_day, decks, weakest


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", ["new", "30-day", "heavy"])
def test_the_chart_names_decks_and_sections_in_their_own_script(kind, language, tmp_path: Path):
    per_day, decks, weakest = learner(kind)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)": that fails here
        figure = draw(per_day, TODAY, decks, weakest, language)
        data = chart(per_day, TODAY, decks, weakest=weakest, language=language)
    assert png_size(data) == CHART_SIZE
    assert len(data) > 20_000  # a drawn chart, not an empty canvas
    (tmp_path / f"stats-{kind}-{language}.png").write_bytes(data)
    texts = " ".join(text.get_text() for text in figure.findobj(Text))
    assert "预训练与迁移学习考试题" in texts and "Meta-learning for large models" in texts
    assert ("Mastery per deck (%)" if language == "en" else "各题库掌握情况（%）") in texts
    if kind == "new":
        assert ("weakest sections show here" if language == "en" else "最薄弱的章节") in texts
    else:
        assert "Chapter 9 对抗攻击" in texts and "Transformer 与自注意力" in texts and "29% (2/7)" in texts
    total = sum(per_day.values())
    assert f"{total} answers and reviews" in texts or f"作答与复习共 {total} 次" in texts


def test_the_chart_uses_a_cjk_font_from_its_package():
    assert "Noto Sans SC" in chart_font().get_family()


def test_without_the_font_package_chinese_names_become_numbers(monkeypatch):
    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)  # as if it were not installed
    chart_font.cache_clear()
    try:
        per_day, decks, weakest = learner("30-day")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            figure = draw(per_day, TODAY, decks, weakest, "en")
            assert png_size(chart(per_day, TODAY, decks, weakest=weakest, language="en")) == CHART_SIZE
        labels = [label.get_text() for label in figure.axes[1].get_yticklabels()]
        assert labels == ["deck 1", "deck 2", "Meta-learning for large models", "deck 4", "deck 5"]
    finally:
        chart_font.cache_clear()
