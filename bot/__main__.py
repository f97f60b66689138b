"""`python -m bot` is the `study-bot` command."""

from bot.cli import entry

entry()
