"""The Telegram adapter (python-telegram-bot v22): commands, inline keyboards, HTML rendering, flood limits."""

from bot.adapters.telegram.adapter import TelegramAdapter

__all__ = ["TelegramAdapter"]
