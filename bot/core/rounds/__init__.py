"""Live quiz rounds: `/round [n] [deck…]` posts n timed questions in a row, with results and standings."""

from bot.core.rounds.game import LiveRounds
from bot.core.rounds.model import RoundSettings, speed_points
from bot.core.rounds.scheduler import RoundScheduler, RoundTick

__all__ = ["LiveRounds", "RoundScheduler", "RoundSettings", "RoundTick", "speed_points"]
