"""The scoring rule: points per answer, and why repeating a question earns nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class ScoringRule:
    """A right daily answer earns `daily_points`, a right practice (/quiz) answer `quiz_points`, a wrong
    one nothing. A card answered again by the same user in the same chat on the same local day earns
    nothing, so spamming /quiz farms no points."""

    quiz_points: int = 5
    daily_points: int = 10

    def points(self, mode: str, correct: bool) -> int:
        if not correct:
            return 0
        return self.daily_points if mode == "daily" else self.quiz_points

    @staticmethod
    def repeat_window_start(at: datetime, zone: ZoneInfo) -> datetime:
        """Answers to the same card since this moment make a new answer a repeat: the start of its local day
        in the chat's time zone."""
        local = at.astimezone(zone)
        return datetime.combine(local.date(), time(0), tzinfo=zone).astimezone(at.tzinfo)
