"""Decks a chat brings itself: uploads, removal, export to Anki, and loading them again at start."""

from bot.core.own_decks.commands import OwnDecks, UploadLimits

__all__ = ["OwnDecks", "UploadLimits"]
