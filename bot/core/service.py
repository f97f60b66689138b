"""The study service: every command and button of the bot, as platform-free rules over the bank and the store."""

from __future__ import annotations

import asyncio
import hashlib
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import i18n, views
from bot.core.actions import parse_action
from bot.core.chart_worker import ChartWorker
from bot.core.command_line import command_name, verb_and_rest
from bot.core.context import CommandContext
from bot.core.daily import DailyQuestions
from bot.core.daily_commands import DailyCommands
from bot.core.daily_time import local_date, parse_zone
from bot.core.grading import AnswerGrader
from bot.core.messages import Button, ChatKind, Reply, Request
from bot.core.own_decks import OwnDecks, UploadLimits
from bot.core.ports import Clock, NewAnswer, QuizPost, Store, SystemClock
from bot.core.progress import Progress
from bot.core.question_bank import QuestionBank
from bot.core.reminders import Reminders
from bot.core.review import MistakesDrill, WeakTopics
from bot.core.review.model import Sections
from bot.core.rounds import LiveRounds, RoundSettings
from bot.core.scoring import ScoringRule
from bot.core.standings import Standings
from bot.core.study import StudyDesk, StudySettings

LETTERS = views.LETTERS
SEARCH_LIMIT = 10
DECK_LABEL_LIMIT = 30  # a deck's title on its toggle button


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    quiz_open_for: timedelta = timedelta(hours=24)
    leaderboard_size: int = 10


class StudyService:
    def __init__(
        self,
        bank: QuestionBank,
        store: Store,
        *,
        clock: Clock | None = None,
        scoring: ScoringRule | None = None,
        rng: random.Random | None = None,
        settings: ServiceSettings | None = None,
        daily: DailyQuestions | None = None,
        on_schedule_change: Callable[[], None] | None = None,
        study: StudySettings | None = None,
        model_grader: AnswerGrader | None = None,
        upload_limits: UploadLimits | None = None,
        rounds: RoundSettings | None = None,
        charts: ChartWorker | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock or SystemClock()
        self.scoring = scoring or ScoringRule()
        self.rng = rng or random.Random()
        self.settings = settings or ServiceSettings()
        self.daily = daily or DailyQuestions(bank, store, rng=self.rng)
        self.standings = Standings(store, self.clock, self.settings.leaderboard_size)
        self.study = StudyDesk(bank, store, self.clock, self.scoring, study, model_grader)
        self.reminders = Reminders(store, self.clock, self.daily.settings.default_timezone)
        self.daily_commands = DailyCommands(
            self.daily, store, self.clock, self._resolve_decks, on_change=on_schedule_change
        )
        self.own_decks = OwnDecks(bank, store, self.clock, self._resolve_decks, upload_limits)
        # the store also implements the rounds' and the review's own ports (RoundStore, ReviewStore)
        features: Any = store
        self.rounds = LiveRounds(
            bank, features, self.clock, self.scoring, self._resolve_decks, rounds, self.rng
        )
        sections = Sections(bank)
        self.drill = MistakesDrill(bank, features, self.clock, sections, self.rng)
        self.weak = WeakTopics(bank, features, self.clock, sections)
        self.progress = Progress(
            bank, store, self.clock, self.study.settings.mastered_stability_days, self.weak, charts
        )
        self._deck_keys = {_deck_key(deck.id): deck.id for deck in bank.decks}
        self._commands: dict[str, Callable[[CommandContext, str], Awaitable[list[Reply]]]] = {
            "start": self._start,
            "help": self._help,
            "quiz": self._quiz,
            "round": self.rounds.command,
            "answer": self._answer_text,
            "score": self.standings.score,
            "leaderboard": self.standings.leaderboard,
            "top": self.standings.leaderboard,
            "daily": self.daily_commands.handle,
            "decks": self._decks,
            "search": self._search,
            "card": self._card,
            "lang": self._lang,
            "study": lambda context, args: self.study.study(
                context, args, lambda names: self._resolve_decks(names, context.chat.id)
            ),
            "stats": self._stats,
            "review": self.drill.command,
            "remind": self.reminders.command,
            "upload": self.own_decks.upload,
            "export": self.own_decks.export,
        }

    @property
    def commands(self) -> list[str]:
        return [name for name in self._commands if name != "top"]

    async def handle(self, request: Request) -> list[Reply]:
        """Everything the bot replies to one request, after whatever it changed has been committed."""
        user = await self.store.ensure_user(request.platform, request.user_id, request.user_name)
        chat = await self.store.ensure_chat(request.platform, request.chat_id, request.chat_kind)
        if not chat.active:  # someone writes from a chat we had given up on: it is reachable again
            await self.store.set_chat_active(chat.id, True)
        zone = parse_zone(chat.timezone or self.daily.settings.default_timezone) or ZoneInfo("UTC")
        language = chat.language or i18n.language_for_locale(request.locale)
        context = CommandContext(request, user, chat, language, zone)
        # one check for every settings command and button
        if self.changes_settings(request) and not self._decides_itself(request):
            refusal = self._settings_refusal(context)
            if refusal:
                return refusal
        if request.action is not None:
            return await self._action(context, request.action)
        command = command_name(request)
        handler = self._commands.get(command)
        if handler is None:
            return [Reply(context.t("unknown_command", command=views.echo(command) or "?"))]
        return await handler(context, request.args.strip())

    async def language(self, request: Request) -> str:
        """The language replies to `request` come in: the chat's setting, else the user's locale."""
        chat = await self.store.ensure_chat(request.platform, request.chat_id, request.chat_kind)
        return chat.language or i18n.language_for_locale(request.locale)

    async def message_sent(self, post_id: int, message_id: str) -> None:
        """Adapters call this once a quiz question is on screen, so later edits can find it."""
        await self.store.set_post_message(post_id, message_id)

    async def chat_unreachable(self, platform: str, chat_id: str) -> None:
        """Adapters call this when the platform refuses to deliver (bot removed or blocked): the chat is
        marked inactive, so scheduled posts stop; the next message from it marks it active again."""
        chat = await self.store.ensure_chat(platform, chat_id, ChatKind.GROUP)
        await self.store.set_chat_active(chat.id, False)

    def changes_settings(self, request: Request) -> bool:
        """Whether the request would change the chat's settings (adapters then check the user is an admin)."""
        if request.action is not None:
            action = parse_action(request.action)
            return action is not None and action.kind in ("dk", "dr")
        command = command_name(request)
        if command == "daily":
            return self.daily_commands.changes_settings(request.args)
        if command == "round":
            return self.rounds.needs_admin_status(request.args)
        if command == "stats":
            return request.args.strip().lower() == "group"
        return command in ("lang", "upload") or (command == "decks" and bool(request.args.strip()))

    def _decides_itself(self, request: Request) -> bool:
        """`round stop` needs the admin status too, but its starter may stop it as well: the rounds decide;
        `stats group` is for admins, with its own words for everyone else."""
        if request.action is None and command_name(request) == "stats":
            return True
        return (
            request.action is None
            and command_name(request) == "round"
            and self.rounds.decides_itself(request.args)
        )

    # --- start, help ---------------------------------------------------------------------------------

    async def _start(self, context: CommandContext, _: str) -> list[Reply]:
        bank = self.bank.for_chat(context.chat.id)
        welcome = context.t(
            "welcome", name=context.user.display_name, cards=bank.card_count, decks=len(bank.decks)
        )
        return [Reply(f"{welcome}\n\n{self._help_text(context)}")]

    async def _help(self, context: CommandContext, _: str) -> list[Reply]:
        return [Reply(self._help_text(context))]

    def _help_text(self, context: CommandContext) -> str:
        """Every command from the registry (and the adapter's own, e.g. the console's /as), so it cannot drift."""
        lines = [context.t("help_title")]
        for name in self.commands + [c for c in context.request.local_commands if c not in self._commands]:
            args = i18n.optional(f"args_{name}", context.language)
            lines.append(f"/{name}{args} — {context.t(f'command_{name}')}")
        scoring = context.t(
            "help_scoring", quiz_points=self.scoring.quiz_points, daily_points=self.scoring.daily_points
        )
        return "\n".join(lines) + "\n\n" + scoring

    # --- quiz and answers ----------------------------------------------------------------------------

    async def _quiz(self, context: CommandContext, _: str) -> list[Reply]:
        chat = context.chat
        bank = self.bank.for_chat(chat.id)
        # a chat with its own decks may have thousands of cards whose options are not worked out yet
        cards = (
            bank.quizzable(chat.decks)
            if bank is self.bank
            else await asyncio.to_thread(bank.quizzable, chat.decks)
        )
        if not cards:
            return [Reply(context.t("no_cards"))]
        asked = await self.store.asked_cards(chat.id, chat.quiz_round)
        remaining = [card_id for card_id in cards if card_id not in asked]
        replies: list[Reply] = []
        quiz_round = chat.quiz_round
        if not remaining:
            quiz_round = await self.store.start_new_round(chat.id)
            remaining = cards
            replies.append(Reply(context.t("round_over", count=len(cards))))
        card_id = self.rng.choice(remaining)
        choices = bank.choices.choices(card_id, seed=self.rng.randrange(2**32))
        assert choices is not None  # quizzable cards always have choices
        now = self.clock.now()
        post = await self.store.create_post(
            chat.id,
            card_id,
            "quiz",
            choices.options,
            choices.correct,
            quiz_round,
            now,
            now + self.settings.quiz_open_for,
        )
        replies.append(self._question_reply(context, post))
        return replies

    def _question_reply(self, context: CommandContext, post: QuizPost) -> Reply:
        # in groups, answers stay private until someone reveals them
        return views.question_reply(
            self.bank.for_chat(context.chat.id), post, context.language,
            reveal_button=context.chat.kind == ChatKind.GROUP,
        )  # fmt: skip

    async def _answer_text(self, context: CommandContext, args: str) -> list[Reply]:
        """`answer B` answers the open quiz question; `answer <your words>` the flashcard you are studying."""
        text = args.strip()
        is_letter = len(text) == 1 and text.isalpha()
        post = await self.store.latest_open_post(context.chat.id)
        open_post = post if post is not None and not self._closed(post) else None
        if is_letter and open_post is not None and await self.rounds.store.round_for_post(open_post.id):
            return await self.rounds.answer(context, open_post.id, LETTERS.find(text.upper()))
        if is_letter and open_post is not None:
            letter = text.upper()
            if letter not in LETTERS[: len(open_post.options)]:
                return [Reply(context.t("bad_option", last=LETTERS[len(open_post.options) - 1]))]
            return await self._answer(context, open_post, LETTERS.index(letter))
        prompt = await self.study.open_prompt(context)
        if prompt is not None:
            return await self.study.answer(context, prompt, text)
        return [Reply(context.t("no_open_quiz" if is_letter else "answer_usage"))]

    async def _action(self, context: CommandContext, data: str) -> list[Reply]:
        action = parse_action(data)
        if action is None:  # forged, malformed or from an older version of the bot
            return [Reply(context.t("bad_action"), private=True)]
        kind, numbers = action.kind, action.numbers
        if kind in ("a", "r"):
            post = await self.store.get_post(numbers[0])
            if post is None or post.chat_id != context.chat.id:
                return [views.refusal(context.t("post_unknown"))]
            if kind == "a":
                return await self._answer(context, post, numbers[1])
            return await self._reveal(context, post)
        if kind == "ra":
            return await self.rounds.answer(context, numbers[0], numbers[1])
        if kind == "rp":
            return await self.rounds.play_again(context, numbers[0])
        if kind == "rv":
            return await self.drill.answer(context, action.key)
        if kind == "rn":
            return await self.drill.next_card(context, action.key)
        if kind == "sv":
            return await self.study.reveal(context, numbers[0])
        if kind == "sw":
            return await self.study.write_hint(context, numbers[0])
        if kind == "sr":
            return await self.study.rate(context, numbers[0], numbers[1])
        if kind == "sn":
            return await self.study.study(context, "", self._resolve_decks)
        if kind == "dr":
            return await self.own_decks.confirm_remove(context, action.key)
        return await self._toggle_deck(context, action.key)

    def _closed(self, post: QuizPost) -> bool:
        return post.status != "open" or (post.closes_at is not None and self.clock.now() >= post.closes_at)

    async def _answer(self, context: CommandContext, post: QuizPost, option: int) -> list[Reply]:
        if self._closed(post):
            return [views.refusal(context.t("post_closed"))]
        if not 0 <= option < len(post.options):
            last = LETTERS[len(post.options) - 1]
            return [Reply(context.t("bad_option", last=last), private=True)]
        correct = option == post.correct
        now = self.clock.now()
        recorded = await self.store.record_answer(
            NewAnswer(
                user_id=context.user.id,
                chat_id=context.chat.id,
                card_id=post.card_id,
                post_id=post.id,
                mode=post.mode,
                answer=LETTERS[option],
                correct=correct,
                points=self.scoring.points(post.mode, correct),
                at=now,
                repeat_since=self.scoring.repeat_window_start(now, context.zone),
                local_day=local_date(now, context.zone).isoformat(),
            )
        )
        name = context.user.display_name
        if not recorded.recorded:
            notice = context.t("already_answered", name=name)
            return [views.refusal(notice)]
        if correct:
            verdict = context.t(
                "answer_right", name=name, points=context.t("n_points", count=recorded.points)
            )
            if recorded.points == 0:
                verdict = context.t("answer_right_no_points", name=name)
        else:
            verdict = context.t("answer_wrong", name=name)
        parts = [
            verdict,
            views.right_option(post, context.language),
        ]
        card = self.bank.for_chat(context.chat.id).card(post.card_id)
        if card is not None:
            parts.append(views.answer_body(card, context.language))
        # In a group the full answer goes to the answering member only (a toast on Telegram, an ephemeral
        # message on Discord), so one click does not spoil the question for everyone else.
        in_group = context.chat.kind == ChatKind.GROUP
        return [Reply("\n\n".join(parts), notice=verdict, private=in_group, notice_only=in_group)]

    async def _reveal(self, context: CommandContext, post: QuizPost) -> list[Reply]:
        """Close a group question and show its answer to the whole chat, with how the chat did."""
        if post.status == "open":
            await self.store.close_post(post.id, self.clock.now())
        answered, right = await self.store.post_results(post.id)
        parts = [
            context.t(
                "reveal_title" if answered else "reveal_title_none",
                name=context.user.display_name,
                count=answered,
                right=right,
            ),
            views.right_option(post, context.language),
        ]
        card = self.bank.for_chat(context.chat.id).card(post.card_id)
        if card is not None:
            parts.insert(1, f"**{card.question}**")
            parts.append(views.answer_body(card, context.language))
        return [Reply("\n\n".join(parts))]

    # --- stats ----------------------------------------------------------------------------------------

    async def _stats(self, context: CommandContext, args: str) -> list[Reply]:
        """`stats`: progress, weakest sections and the chart (bot/core/progress.py); `stats group` (bot/core/review)."""
        if args.strip().lower() == "group":
            return await self.weak.group(context)
        return await self.progress.stats(context, args)

    # --- decks -----------------------------------------------------------------------------------------

    async def _decks(self, context: CommandContext, args: str) -> list[Reply]:
        if not args:
            return [self._decks_reply(context, context.chat.decks)]
        verb, names = verb_and_rest(args)
        if verb == "remove":
            return await self.own_decks.ask_remove(context, names)
        if verb not in ("use", "all"):
            return [Reply(context.t("decks_usage"))]
        if verb == "all" or names.strip().lower() == "all":  # `/decks use all` means `/decks all`
            chosen: tuple[str, ...] | None = None
        else:
            chosen, unknown = self._resolve_decks(names.split(), context.chat.id)
            if unknown:
                return [Reply(context.t("decks_unknown", names=views.echo(", ".join(unknown))))]
            if not chosen:
                return [Reply(context.t("decks_usage"))]
        await self.store.set_chat_decks(context.chat.id, chosen)
        return [self._decks_reply(context, chosen)]

    async def _toggle_deck(self, context: CommandContext, key: str) -> list[Reply]:
        bank = self.bank.for_chat(context.chat.id)
        deck_id = next((deck.id for deck in bank.decks if _deck_key(deck.id) == key), None)
        if deck_id is None:
            return [Reply(context.t("bad_action"), private=True)]
        current = list(context.chat.decks or [deck.id for deck in bank.decks])
        if deck_id in current:
            current.remove(deck_id)
        else:
            current.append(deck_id)
        if not current:
            return [views.refusal(context.t("decks_need_one"))]
        ordered = tuple(deck.id for deck in bank.decks if deck.id in current)
        chosen = None if len(ordered) == len(bank.decks) else ordered
        await self.store.set_chat_decks(context.chat.id, chosen)
        reply = self._decks_reply(context, chosen)
        return [
            Reply(reply.text, reply.buttons, edit_message_id=context.request.message_id)
            if context.request.message_id
            else reply
        ]

    def _decks_reply(self, context: CommandContext, chosen: tuple[str, ...] | None) -> Reply:
        lines = [context.t("decks_title")]
        buttons = []
        bank = self.bank.for_chat(context.chat.id)
        for number, deck in enumerate(bank.decks, start=1):
            used = chosen is None or deck.id in chosen
            lines.append(
                context.t(
                    "decks_line_own" if deck.id in bank.own_deck_ids else "decks_line",
                    mark="✅" if used else "▫️",
                    number=number,
                    title=deck.title,
                    count=len(deck.cards),
                )
            )
            label = f"{'✅' if used else '▫️'} {number} {views.echo(deck.title, DECK_LABEL_LIMIT)}"
            buttons.append(Button(label, f"dk:{_deck_key(deck.id)}"))
        lines.append("")
        lines.append(context.t("decks_hint"))
        lines.append(context.t("decks_own_hint"))
        # a deck a row, so names fit; more decks share rows, as Discord takes at most 5 rows of 5
        per_row = min(5, max(1, -(-len(buttons) // 5)))
        rows = tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
        return Reply("\n".join(lines), rows)

    def _resolve_decks(
        self, names: list[str], chat_id: int | None = None
    ) -> tuple[tuple[str, ...], list[str]]:
        """Deck ids for numbers (as /decks lists them) or names, in that chat's view (None: bundled only)."""
        bank = self.bank if chat_id is None else self.bank.for_chat(chat_id)
        chosen: list[str] = []
        unknown: list[str] = []
        for name in names:
            deck_id = None
            if name.isdigit() and 1 <= int(name) <= len(bank.decks):
                deck_id = bank.decks[int(name) - 1].id
            elif bank.deck(name) is not None:
                deck_id = name
            if deck_id is None:
                unknown.append(name)
            elif deck_id not in chosen:
                chosen.append(deck_id)
        return tuple(chosen), unknown

    def _settings_refusal(self, context: CommandContext) -> list[Reply] | None:
        if context.chat.kind == ChatKind.GROUP and not context.request.is_admin:
            return [views.refusal(context.t("not_admin"))]
        return None

    # --- search, card, language ------------------------------------------------------------------------

    async def _search(self, context: CommandContext, query: str) -> list[Reply]:
        if not query:
            return [Reply(context.t("search_usage"))]
        found = self.bank.for_chat(context.chat.id).search(query)
        if not found:
            return [Reply(context.t("search_none", query=views.echo(query)))]
        lines = [context.t("search_title", count=len(found), query=views.echo(query))]
        for card in found[:SEARCH_LIMIT]:
            lines.append(f"`{card.id}` {card.question}")
        if len(found) > SEARCH_LIMIT:
            lines.append(context.t("search_more", more=len(found) - SEARCH_LIMIT))
        lines.append(context.t("search_footer"))
        return [Reply("\n".join(lines))]

    async def _card(self, context: CommandContext, args: str) -> list[Reply]:
        card_id = args.split()[0].strip("`") if args else ""
        if not card_id:
            return [Reply(context.t("card_usage"))]
        bank = self.bank.for_chat(context.chat.id)
        matches = bank.cards_with_prefix(card_id) if len(card_id) >= 4 else []
        if not matches:
            return [Reply(context.t("card_unknown", card_id=views.echo(card_id)))]
        if len(matches) > 1:
            return [Reply(context.t("card_ambiguous", card_id=views.echo(card_id)))]
        card = matches[0]
        where = views.where(bank, card)
        return [
            Reply(
                f"📇 `{card.id}` · {where}\n\n**{card.question}**\n\n{views.answer_body(card, context.language)}"
            )
        ]

    async def _lang(self, context: CommandContext, args: str) -> list[Reply]:
        language = args.strip().lower()
        if language not in i18n.LANGUAGES:
            return [Reply(context.t("lang_usage"))]
        await self.store.set_chat_language(context.chat.id, language)
        return [Reply(i18n.text("lang_set", language))]


def _deck_key(deck_id: str) -> str:
    """A short, stable stand-in for a deck id inside button actions (deck ids can be long)."""
    return hashlib.sha256(deck_id.encode()).hexdigest()[:8]
