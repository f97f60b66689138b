"""The Discord adapter (discord.py 2.x): slash commands, embeds, persistent buttons."""

from bot.adapters.discord.adapter import DiscordAdapter

__all__ = ["DiscordAdapter"]
