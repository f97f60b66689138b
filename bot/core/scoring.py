"""The scoring rule: points per answer, and why repeating a question earns nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ScoringRule:
    """A right practice (/quiz) answer earns `quiz_points`; a wrong one nothing. A card answered again by
    the same user in the same chat on the same (UTC) day earns nothing, so spamming /quiz farms no points."""

    quiz_points: int = 5
    daily_points: int = 10

    def points(self, mode: str, correct: bool) -> int:
        if not correct:
            return 0
        return self.daily_points if mode == "daily" else self.quiz_points

    @staticmethod
    def repeat_window_start(at: datetime) -> datetime:
        """Answers to the same card since this moment make a new answer a repeat: the start of its day."""
        return at.replace(hour=0, minute=0, second=0, microsecond=0)
