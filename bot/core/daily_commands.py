"""`daily set HH:MM [time zone] [decks]`, `daily off`, `daily status`, `daily now`: a group's daily question."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.core import i18n, views
from bot.core.command_line import verb_and_rest
from bot.core.context import CommandContext
from bot.core.daily import DailyQuestions
from bot.core.daily_time import local_date, next_post, parse_clock, parse_zone
from bot.core.messages import Reply
from bot.core.ports import Clock, DailyClaim, Store, Subscription

NOW_INSTANCE = "command"


class DailyCommands:
    def __init__(
        self,
        questions: DailyQuestions,
        store: Store,
        clock: Clock,
        resolve_decks: Callable[[list[str], int], tuple[tuple[str, ...], list[str]]],
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.questions = questions
        self.store = store
        self.clock = clock
        self.resolve_decks = resolve_decks
        self.on_change = on_change or (lambda: None)

    @staticmethod
    def changes_settings(args: str) -> bool:
        return verb_and_rest(args)[0] in ("set", "off", "now")

    async def handle(self, context: CommandContext, args: str) -> list[Reply]:
        verb, rest = verb_and_rest(args)  # the same normalisation as changes_settings
        handler = {"set": self._set, "off": self._off, "status": self._status, "now": self._now}.get(verb)
        if handler is None:
            return [Reply(context.t("daily_usage"))]
        return await handler(context, rest)

    async def _set(self, context: CommandContext, args: str) -> list[Reply]:
        words = args.split()
        at = parse_clock(words[0]) if words else None
        if at is None:
            return [Reply(context.t("daily_bad_time"))]
        zone_name = (
            self.questions.settings.default_timezone
            if context.chat.timezone is None
            else context.chat.timezone
        )
        rest = words[1:]
        if rest and ("/" in rest[0] or rest[0].upper() in ("UTC", "GMT")):
            zone_name = rest.pop(0)
        zone = parse_zone(zone_name)
        if zone is None:
            return [Reply(context.t("daily_bad_zone", zone=views.echo(zone_name)))]
        decks: tuple[str, ...] | None = None
        if rest:
            decks, unknown = self.resolve_decks(rest, context.chat.id)
            if unknown:
                return [Reply(context.t("decks_unknown", names=views.echo(", ".join(unknown))))]
        now = self.clock.now()
        _, due = next_post(now, at, zone)
        request = context.request
        await self.store.subscribe(
            Subscription(
                chat_id=context.chat.id, platform=request.platform, target=request.channel_id or request.chat_id,
                post_time=at.strftime("%H:%M"), timezone=str(zone), decks=decks, active=True, next_due_at=due,
                language=context.language,
            ),
            now,
        )  # fmt: skip
        self.on_change()
        following = _when(due, zone, context.language)
        text = context.t("daily_set", time=at.strftime("%H:%M"), zone=zone, next=following)
        return [Reply(text + self._decks_line(context, decks))]

    async def _off(self, context: CommandContext, _: str) -> list[Reply]:
        await self.store.unsubscribe(context.chat.id, self.clock.now())
        self.on_change()
        return [Reply(context.t("daily_off"))]

    async def _status(self, context: CommandContext, _: str) -> list[Reply]:
        subscription = await self.store.subscription(context.chat.id)
        if subscription is None or not subscription.active or subscription.next_due_at is None:
            return [Reply(context.t("daily_not_set"))]
        zone = self.questions.zone(context.chat, subscription)
        return [
            Reply(context.t("daily_status", time=subscription.post_time, zone=zone,
                            next=_when(subscription.next_due_at, zone, context.language))
                  + self._decks_line(context, subscription.decks))
        ]  # fmt: skip

    def _decks_line(self, context: CommandContext, decks: tuple[str, ...] | None) -> str:
        """` From: Deck A, Deck B.` when the daily question draws from chosen decks, else nothing."""
        if not decks:
            return ""
        bank = self.questions.bank.for_chat(context.chat.id)
        titles = [deck.title if (deck := bank.deck(deck_id)) else deck_id for deck_id in decks]
        return " " + context.t("daily_decks", titles=", ".join(titles))

    async def _now(self, context: CommandContext, _: str) -> list[Reply]:
        """Today's question at once, unless today's is already out (the claim is the same as the scheduler's)."""
        subscription = await self.store.subscription(context.chat.id)
        zone = self.questions.zone(context.chat, subscription)
        now = self.clock.now()
        day = local_date(now, zone).isoformat()
        if await self.store.daily_post_for(context.chat.id, day) is not None:
            return [Reply(context.t("daily_already", day=day))]
        chosen = await self.questions.choose(
            [(context.chat, subscription.decks if subscription else None)], now
        )
        if context.chat.id not in chosen:
            return [Reply(context.t("no_cards"))]
        card_id, quiz_round = chosen[context.chat.id]
        made = self.questions.bank.for_chat(context.chat.id).choices.choices(
            card_id, self.questions.rng.randrange(2**32)
        )
        assert made is not None
        closes = self.questions.window_close(subscription, zone, now)
        claim = DailyClaim(context.chat.id, day, card_id, made.options, made.correct, quiz_round, closes)
        [result] = await self.store.claim_daily([claim], {}, NOW_INSTANCE, now)
        if result is None:  # the scheduler got there first
            return [Reply(context.t("daily_already", day=day))]
        _, _, post = result
        return [self.questions.question(post, context.language, day)]


def _when(moment: datetime, zone, language: str) -> str:
    return i18n.when(moment.astimezone(zone), language)
