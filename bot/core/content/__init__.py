"""The question bank: documents in `content/` parsed into decks of cards, and multiple-choice questions."""

from bot.core.content.choices import ChoiceMaker, Choices
from bot.core.content.loader import load_content
from bot.core.content.model import Card, ContentError, ContentReport, ContentWarning, Deck

__all__ = [
    "Card",
    "ChoiceMaker",
    "Choices",
    "ContentError",
    "ContentReport",
    "ContentWarning",
    "Deck",
    "load_content",
]
