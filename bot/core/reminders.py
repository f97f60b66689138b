"""Opt-in study reminders: `remind HH:MM [time zone]` sends a private nudge on days the user has cards due,
and (bot/core/streak_nudges.py) one when a daily streak is about to break."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core import i18n, views
from bot.core.context import CommandContext
from bot.core.daily_time import next_post, parse_clock, parse_zone
from bot.core.messages import Button, ChatKind, Reply
from bot.core.ports import ChatUnreachable, Clock, Poster, Reminder, Store
from bot.core.streak_nudges import StreakNudges

log = logging.getLogger(__name__)


class Reminders:
    def __init__(self, store: Store, clock: Clock, default_timezone: str) -> None:
        self.store = store
        self.clock = clock
        self.default_timezone = default_timezone
        self.streak_nudges = StreakNudges(store, clock)  # type: ignore[arg-type]

    async def command(self, context: CommandContext, args: str) -> list[Reply]:
        words = args.split()
        if words[:1] == ["off"]:
            await self.store.reminder_off(context.user.id, self.clock.now())
            return [Reply(context.t("remind_off"))]
        at = parse_clock(words[0]) if words else None
        if at is None:
            return [Reply(context.t("remind_usage"))]
        if context.chat.kind == ChatKind.GROUP:
            return [Reply(context.t("remind_private"), private=True)]
        zone_name = words[1] if len(words) > 1 else (context.chat.timezone or self.default_timezone)
        zone = parse_zone(zone_name)
        if zone is None:
            return [Reply(context.t("daily_bad_zone", zone=views.echo(zone_name)))]
        now = self.clock.now()
        _, due = next_post(now, at, zone)
        request = context.request
        await self.store.set_reminder(
            Reminder(context.user.id, request.platform, request.channel_id or request.chat_id,
                     at.strftime("%H:%M"), str(zone), context.language, due),
            now,
        )  # fmt: skip
        when = i18n.when(due.astimezone(zone), context.language)
        return [Reply(context.t("remind_set", time=at.strftime("%H:%M"), zone=zone, next=when))]

    async def send_due(self, posters: dict[str, Poster], now: datetime, limit: int = 256) -> int:
        """Nudge every user whose reminder time has come and who has cards due; returns how many were sent."""
        sent = 0
        for reminder in await self.store.due_reminders(now, tuple(posters), limit):
            zone = parse_zone(reminder.timezone)
            at = parse_clock(reminder.remind_time)
            if zone is None or at is None:
                await self.store.reminder_off(reminder.user_id, now)
                continue
            await self.store.set_reminder_next(reminder.user_id, next_post(now, at, zone)[1])
            due = len(await self.store.due_study_cards(reminder.user_id, now))
            if not due:
                continue
            text = i18n.text("remind_text", reminder.language, count=due)
            try:
                await posters[reminder.platform].post(
                    reminder.target,
                    Reply(text, ((Button(i18n.text("study_next", reminder.language), "sn"),),)),
                )
                sent += 1
            except ChatUnreachable as exc:
                log.warning("reminders: user %s cannot be reached (%s); reminder off", reminder.user_id, exc)
                await self.store.reminder_off(reminder.user_id, now)
            except Exception as exc:
                log.warning("reminders: could not remind user %s (%s); next time", reminder.user_id, exc)
        return sent + await self.streak_nudges.send_due(posters, now)
