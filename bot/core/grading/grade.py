"""What grading an answer produces, the proposed rating, and the port for a second (model) grader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.core.content import Card
from bot.core.grading.claims import Statement

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
EASY_FROM, GOOD_FROM, HARD_FROM = 80, 60, 30


def rating_for(score: int) -> int:
    return (
        EASY if score >= EASY_FROM else GOOD if score >= GOOD_FROM else HARD if score >= HARD_FROM else AGAIN
    )


@dataclass(frozen=True, slots=True)
class Point:
    """One key point of a reference answer: its text and its key terms' weights (concept -> weight)."""

    text: str
    weights: dict[str, float]
    negated: frozenset[str] = frozenset()  # concepts the reference states under a negation
    claims: tuple[Statement, ...] = ()  # which way it says things go (see claims.py)

    @property
    def total(self) -> float:
        return sum(self.weights.values())


@dataclass(frozen=True, slots=True)
class Grade:
    score: int  # 0-100
    covered: tuple[str, ...]
    missed: tuple[str, ...]  # at most 5, most important first, shortened for reading
    graded_by: str  # "key points" or "model"
    note: str | None = None  # why the model grader was not used
    unsure: str | None = (
        None  # why the grade is unreliable ("language", "thin", "short", "unread"): no proposal
    )
    capped: bool = False  # a list of words without a sentence: at most Hard
    feedback: str | None = None  # the model's words to the learner, in the chat's language
    gave_up: bool = False  # the answer only said "I don't know": 0, Again, and the answer shown

    @property
    def proposed(self) -> int | None:
        if self.unsure is not None:
            return None
        rating = rating_for(self.score)
        return min(rating, HARD) if self.capped else rating


class AnswerGrader(Protocol):
    """A second opinion (e.g. a language model) that grades with a rubric built from the key points."""

    async def grade(
        self, card: Card, points: Sequence[Point], answer: str, language: str = "en"
    ) -> Grade: ...
