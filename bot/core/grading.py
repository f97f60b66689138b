"""Grading an answer in the user's own words against a card's reference answer, by key points.

The reference is split into points (list items, else sentences). Each point's key terms are the
English technical terms in it, kept whole (`Self-Attention`, `L2`, `BERT`), and its Chinese words as
jieba segments them; each term weighs its inverse document frequency over all cards, so `梯度裁剪`
counts for more than `模型`. A point's coverage is the weight of its terms found in the answer over
its total weight; the score (0-100) is the average coverage, and proposes a rating: >= 80 Easy,
>= 60 Good, >= 40 Hard, else Again.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import jieba

from bot.core.content import Card
from bot.core.content.markdown import ENGLISH_STOP_WORDS, normalise, plain_text, split_lines, strip_emoji

jieba.setLogLevel(logging.WARNING)

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
MAX_POINTS = 16
COVERED = 0.6  # a point counts as covered at this share of its key-term weight
_TERM = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-+#.][A-Za-z0-9]+)*[+#]*|\d+(?:\.\d+)?")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_SENTENCE = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s")
_ITEM = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)、])\s+")
_STOP_ZH = frozenset(
    "的 了 是 在 和 与 及 或 等 也 就 都 而 并 被 把 对 为 以 于 之 其 这 那 这些 那些 一个 一种 可以 能够 进行 通过 使用 如何 什么 哪些 我们 他们 它们 如果 因为 所以 但是 然后 以及 还是 就是 不是 没有 一些 需要 主要".split()
)


def rating_for(score: int) -> int:
    return EASY if score >= 80 else GOOD if score >= 60 else HARD if score >= 40 else AGAIN


@lru_cache(maxsize=65536)
def key_terms(text: str) -> tuple[str, ...]:
    """English terms (lower-cased, whole) and Chinese words (jieba) of a text, without stop words."""
    found: list[str] = []
    for term in _TERM.findall(text):
        lowered = term.lower()
        if lowered not in ENGLISH_STOP_WORDS and (len(lowered) > 1 or term.isupper()):
            found.append(lowered)
    for run in _CJK.findall(text):
        for word in jieba.lcut(run):
            if len(word) >= 2 and word not in _STOP_ZH:
                found.append(word)
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class Point:
    text: str
    weights: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.weights.values())


@dataclass(frozen=True, slots=True)
class Grade:
    score: int  # 0-100
    covered: tuple[str, ...]
    missed: tuple[str, ...]
    graded_by: str  # "key points" or "model"
    note: str | None = None

    @property
    def proposed(self) -> int:
        return rating_for(self.score)


class AnswerGrader(Protocol):
    """A second opinion (e.g. a language model) that grades with a rubric built from the key points."""

    async def grade(self, card: Card, points: Sequence[Point], answer: str) -> Grade: ...


@dataclass
class KeyPointGrader:
    cards: Iterable[Card]
    _idf: dict[str, float] = field(init=False)
    _default_idf: float = field(init=False)
    # keyed by id and answer: an uploaded deck replaced in place keeps its ids but may change the answers
    _points: dict[tuple[str, str], tuple[Point, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        documents = [set(key_terms(f"{card.question}\n{card.answer}")) for card in self.cards]
        count = len(documents) or 1
        frequency: dict[str, int] = {}
        for terms in documents:
            for term in terms:
                frequency[term] = frequency.get(term, 0) + 1
        self._idf = {term: math.log((count + 1) / (df + 1)) + 1 for term, df in frequency.items()}
        self._default_idf = math.log(count + 1) + 1

    def points(self, card: Card) -> tuple[Point, ...]:
        cached = self._points.get((card.id, card.answer))
        if cached is None:
            cached = self._points[(card.id, card.answer)] = tuple(self._split(card.answer))[:MAX_POINTS]
        return cached

    def _split(self, answer: str) -> Iterable[Point]:
        for line in split_lines(answer):
            if line.in_code or line.blank or line.text.lstrip().startswith("|"):
                continue
            text = strip_emoji(plain_text(_ITEM.sub("", line.text)))
            for sentence in _SENTENCE.split(text):
                sentence = sentence.strip()
                terms = key_terms(sentence)
                if terms:
                    yield Point(sentence, {term: self._idf.get(term, self._default_idf) for term in terms})

    def grade(self, card: Card, answer: str) -> Grade:
        points = self.points(card)
        if not points:
            return Grade(0, (), (), "key points")
        answer_terms = set(key_terms(answer))
        flat = normalise(answer)
        coverages = []
        for point in points:
            found = sum(
                w for term, w in point.weights.items() if term in answer_terms or normalise(term) in flat
            )
            coverages.append(found / point.total if point.total else 0.0)
        score = round(100 * sum(coverages) / len(coverages))
        covered = tuple(p.text for p, c in zip(points, coverages, strict=True) if c >= COVERED)
        missed = tuple(p.text for p, c in zip(points, coverages, strict=True) if c < COVERED)
        return Grade(score, covered, missed, "key points")
