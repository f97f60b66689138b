"""Streak-at-risk nudges: a member with `/remind` set, a daily streak of at least one in a group, and that
group's daily question still open and unanswered less than AT_RISK before it closes gets one private
nudge, at most one a day (claimed per user and local date in the reminder's time zone before sending).
Times are compared as instants (UTC), so a daylight-saving change in between moves nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.core import i18n
from bot.core.daily_time import local_date, parse_zone
from bot.core.messages import Reply
from bot.core.ports import ChatUnreachable, Clock, Poster, Store
from bot.core.standings import Standings

log = logging.getLogger(__name__)
AT_RISK = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class AtRisk:
    user_id: int
    platform: str
    target: str  # the reminder's private chat
    timezone: str
    language: str
    chat_id: int  # the group whose daily question is open
    closes_at: datetime


class StreakStore(Store, Protocol):
    async def streaks_at_risk(self, now: datetime, until: datetime, limit: int) -> list[AtRisk]: ...

    async def claim_nudge(self, user_id: int, day: str, at: datetime) -> bool: ...


class StreakNudges:
    def __init__(self, store: StreakStore, clock: Clock) -> None:
        self.store = store
        self.standings = Standings(store, clock)

    async def send_due(self, posters: dict[str, Poster], now: datetime, limit: int = 256) -> int:
        sent = 0
        for risk in await self.store.streaks_at_risk(now, now + AT_RISK, limit):
            poster = posters.get(risk.platform)
            if poster is None:
                continue
            streak = (await self.standings.streaks(risk.chat_id, [risk.user_id]))[risk.user_id]
            if not streak:
                continue
            zone = parse_zone(risk.timezone)
            day = local_date(now, zone).isoformat() if zone else now.date().isoformat()
            if not await self.store.claim_nudge(risk.user_id, day, now):
                continue  # already nudged today
            minutes = max(1, round((risk.closes_at - now).total_seconds() / 60))
            text = i18n.text("streak_at_risk", risk.language, days=streak, minutes=minutes)
            try:
                await poster.post(risk.target, Reply(text))
                sent += 1
            except ChatUnreachable as exc:
                log.warning("streaks: user %s cannot be reached (%s)", risk.user_id, exc)
            except Exception as exc:
                log.warning("streaks: could not nudge user %s (%s)", risk.user_id, exc)
        return sent
