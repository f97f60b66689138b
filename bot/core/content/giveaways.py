"""Give-away measures of multiple-choice questions: can a student pick the right option without knowing?

Two cues are measured: the option most similar to the question (shared words and Chinese character
pairs) and the longest option. A tie among k options counts 1/k, so options that carry no cue score
1/4, the chance level.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.core.content.markdown import terms


@dataclass(frozen=True, slots=True)
class Asked:
    """One multiple-choice question as a student sees it."""

    question: str
    options: tuple[str, ...]
    correct: int


def overlap(question: str, option: str) -> int:
    """How many words and Chinese character pairs an option shares with the question."""
    return len(terms(question) & terms(option))


def _share(asked: Iterable[Asked], cue: Callable[[Asked, str], float]) -> float:
    total = count = 0.0
    for item in asked:
        values = [cue(item, option) for option in item.options]
        best = max(values)
        if values[item.correct] == best:
            total += 1 / values.count(best)
        count += 1
    return total / count if count else 0.0


def most_similar_share(asked: Iterable[Asked]) -> float:
    """Share of questions whose right option is the one most similar to the question."""
    return _share(asked, lambda item, option: overlap(item.question, option))


def longest_share(asked: Iterable[Asked]) -> float:
    """Share of questions whose right option is the longest."""
    return _share(asked, lambda item, option: len(option))
