"""Learning from mistakes: the `/review` drill and weak topics (accuracy per section) for /stats."""

from bot.core.review.drill import MistakesDrill
from bot.core.review.weak import WeakTopics

__all__ = ["MistakesDrill", "WeakTopics"]
