"""The study service: every command and button of the bot, as platform-free rules over the bank and the store."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.core import i18n
from bot.core.content import Card
from bot.core.messages import Button, ChatKind, Reply, Request
from bot.core.ports import ChatState, Clock, NewAnswer, QuizPost, Store, SystemClock, UserRef
from bot.core.question_bank import QuestionBank
from bot.core.scoring import ScoringRule

LETTERS = "ABCDEFGH"
SEARCH_LIMIT = 10


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    quiz_open_for: timedelta = timedelta(hours=24)
    leaderboard_size: int = 10


@dataclass(frozen=True, slots=True)
class _Context:
    request: Request
    user: UserRef
    chat: ChatState
    language: str

    def t(self, key: str, **values: object) -> str:
        return i18n.text(key, self.language, **values)


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
    ) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock or SystemClock()
        self.scoring = scoring or ScoringRule()
        self.rng = rng or random.Random()
        self.settings = settings or ServiceSettings()
        self._deck_keys = {_deck_key(deck.id): deck.id for deck in bank.decks}
        self._commands: dict[str, Callable[[_Context, str], Awaitable[list[Reply]]]] = {
            "start": self._start,
            "help": self._help,
            "quiz": self._quiz,
            "answer": self._answer_text,
            "score": self._score,
            "leaderboard": self._leaderboard,
            "top": self._leaderboard,
            "decks": self._decks,
            "search": self._search,
            "card": self._card,
            "lang": self._lang,
        }

    @property
    def commands(self) -> list[str]:
        return [name for name in self._commands if name not in ("top", "answer")]

    async def handle(self, request: Request) -> list[Reply]:
        """Everything the bot replies to one request, after whatever it changed has been committed."""
        user = await self.store.ensure_user(request.platform, request.user_id, request.user_name)
        chat = await self.store.ensure_chat(request.platform, request.chat_id, request.chat_kind)
        if not chat.active:  # someone writes from a chat we had given up on: it is reachable again
            await self.store.set_chat_active(chat.id, True)
        context = _Context(request, user, chat, chat.language or i18n.language_for_locale(request.locale))
        if request.action is not None:
            return await self._action(context, request.action)
        command = (request.command or "").strip().lstrip("/").split("@", 1)[0].lower()
        handler = self._commands.get(command)
        if handler is None:
            return [Reply(context.t("unknown_command", command=command or "?"))]
        return await handler(context, request.args.strip())

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
            return request.action.startswith("dk:")
        command = (request.command or "").strip().lstrip("/").split("@", 1)[0].lower()
        return command == "lang" or (command == "decks" and bool(request.args.strip()))

    # --- start, help ---------------------------------------------------------------------------------

    async def _start(self, context: _Context, _: str) -> list[Reply]:
        welcome = context.t(
            "welcome", name=context.user.display_name, cards=self.bank.card_count, decks=len(self.bank.decks)
        )
        return [Reply(f"{welcome}\n\n{self._help_text(context)}")]

    async def _help(self, context: _Context, _: str) -> list[Reply]:
        return [Reply(self._help_text(context))]

    def _help_text(self, context: _Context) -> str:
        return context.t("help", quiz_points=self.scoring.quiz_points)

    # --- quiz and answers ----------------------------------------------------------------------------

    async def _quiz(self, context: _Context, _: str) -> list[Reply]:
        chat = context.chat
        cards = self.bank.quizzable(chat.decks)
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
        choices = self.bank.choices.choices(card_id, seed=self.rng.randrange(2**32))
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

    def _question_reply(self, context: _Context, post: QuizPost) -> Reply:
        card = self.bank.card(post.card_id)
        assert card is not None
        deck = self.bank.deck(card.deck)
        where = " / ".join(part for part in ((deck.title if deck else card.deck), card.section_label) if part)
        options = "\n".join(f"**{LETTERS[i]}.** {option}" for i, option in enumerate(post.options))
        text = (
            f"{context.t('quiz_question', deck=where)}\n\n**{card.question}**\n\n{options}\n\n"
            f"{context.t('quiz_prompt')}"
        )
        buttons: tuple[tuple[Button, ...], ...] = (
            tuple(Button(LETTERS[i], f"a:{post.id}:{i}") for i in range(len(post.options))),
        )
        if context.chat.kind == ChatKind.GROUP:  # answers stay private in groups until someone reveals them
            buttons += ((Button(context.t("reveal_button"), f"r:{post.id}"),),)
        return Reply(text, buttons, post_id=post.id)

    async def _answer_text(self, context: _Context, args: str) -> list[Reply]:
        post = await self.store.latest_open_post(context.chat.id)
        if post is None or self._closed(post):
            return [Reply(context.t("no_open_quiz"))]
        letter = args.strip().upper()[:1]
        if not letter or letter not in LETTERS[: len(post.options)]:
            return [Reply(context.t("bad_option", last=LETTERS[len(post.options) - 1]))]
        return await self._answer(context, post, LETTERS.index(letter))

    async def _action(self, context: _Context, action: str) -> list[Reply]:
        kind, _, rest = action.partition(":")
        if kind == "a":
            post_part, _, option_part = rest.partition(":")
            if not (post_part.isdigit() and option_part.isdigit()):
                return [Reply(context.t("bad_action"), private=True)]
            post = await self.store.get_post(int(post_part))
            if post is None or post.chat_id != context.chat.id:
                return [Reply(context.t("post_unknown"), notice=context.t("post_unknown"), private=True)]
            return await self._answer(context, post, int(option_part))
        if kind == "r" and rest.isdigit():
            post = await self.store.get_post(int(rest))
            if post is None or post.chat_id != context.chat.id:
                return [Reply(context.t("post_unknown"), notice=context.t("post_unknown"), private=True)]
            return await self._reveal(context, post)
        if kind == "dk":
            return await self._toggle_deck(context, rest)
        return [Reply(context.t("bad_action"), private=True)]

    def _closed(self, post: QuizPost) -> bool:
        return post.status != "open" or (post.closes_at is not None and self.clock.now() >= post.closes_at)

    async def _answer(self, context: _Context, post: QuizPost, option: int) -> list[Reply]:
        if self._closed(post):
            return [Reply(context.t("post_closed"), notice=context.t("post_closed"), private=True)]
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
                repeat_since=self.scoring.repeat_window_start(now),
            )
        )
        name = context.user.display_name
        if not recorded.recorded:
            notice = context.t("already_answered", name=name)
            return [Reply(notice, notice=notice, private=True)]
        if correct:
            verdict = context.t("answer_right", name=name, points=recorded.points)
            if recorded.points == 0:
                verdict = context.t("answer_right_no_points", name=name)
        else:
            verdict = context.t("answer_wrong", name=name)
        parts = [
            verdict,
            context.t("right_option", letter=LETTERS[post.correct], option=post.options[post.correct]),
        ]
        card = self.bank.card(post.card_id)
        if card is not None:
            parts.append(self._answer_body(context, card))
        # In a group the full answer goes to the answering member only (a toast on Telegram, an ephemeral
        # message on Discord), so one click does not spoil the question for everyone else.
        return [Reply("\n\n".join(parts), notice=verdict, private=context.chat.kind == ChatKind.GROUP)]

    async def _reveal(self, context: _Context, post: QuizPost) -> list[Reply]:
        """Close a group question and show its answer to the whole chat, with how the chat did."""
        if post.status == "open":
            await self.store.close_post(post.id, self.clock.now())
        answered, right = await self.store.post_results(post.id)
        parts = [
            context.t("reveal_title", name=context.user.display_name, answered=answered, right=right),
            context.t("right_option", letter=LETTERS[post.correct], option=post.options[post.correct]),
        ]
        card = self.bank.card(post.card_id)
        if card is not None:
            parts.insert(1, f"**{card.question}**")
            parts.append(self._answer_body(context, card))
        return [Reply("\n\n".join(parts))]

    def _answer_body(self, context: _Context, card: Card) -> str:
        body = f"{context.t('reference_answer')}\n{card.answer}"
        if card.explanation:
            body += f"\n\n{context.t('explanation')}\n{card.explanation}"
        return body

    # --- scores ----------------------------------------------------------------------------------------

    async def _score(self, context: _Context, _: str) -> list[Reply]:
        line, players = await self.store.score(context.chat.id, context.user.id)
        if line is None:
            return [Reply(context.t("score_none", name=context.user.display_name))]
        accuracy = round(100 * line.correct / line.answered) if line.answered else 0
        return [
            Reply(
                context.t(
                    "score",
                    name=context.user.display_name,
                    points=line.points,
                    correct=line.correct,
                    answered=line.answered,
                    accuracy=accuracy,
                    rank=line.rank,
                    players=players,
                )
            )
        ]

    async def _leaderboard(self, context: _Context, _: str) -> list[Reply]:
        top = await self.store.leaderboard(context.chat.id, self.settings.leaderboard_size)
        if not top:
            return [Reply(context.t("leaderboard_empty"))]
        lines = [context.t("leaderboard_title")]
        for line in top:
            marker = " ⬅" if line.user_id == context.user.id else ""
            lines.append(
                context.t(
                    "leaderboard_line",
                    rank=line.rank,
                    name=line.display_name,
                    points=line.points,
                    correct=line.correct,
                    answered=line.answered,
                )
                + marker
            )
        if all(line.user_id != context.user.id for line in top):
            mine, _ = await self.store.score(context.chat.id, context.user.id)
            if mine is not None:
                lines.append("")
                lines.append(context.t("leaderboard_you", rank=mine.rank, points=mine.points))
        return [Reply("\n".join(lines))]

    # --- decks -----------------------------------------------------------------------------------------

    async def _decks(self, context: _Context, args: str) -> list[Reply]:
        if not args:
            return [self._decks_reply(context, context.chat.decks)]
        verb, _, names = args.partition(" ")
        verb = verb.lower()
        if verb not in ("use", "all"):
            return [Reply(context.t("decks_usage"))]
        refusal = self._settings_refusal(context)
        if refusal:
            return refusal
        if verb == "all":
            chosen: tuple[str, ...] | None = None
        else:
            chosen, unknown = self._resolve_decks(names.split())
            if unknown:
                return [Reply(context.t("decks_unknown", names=", ".join(unknown)))]
            if not chosen:
                return [Reply(context.t("decks_usage"))]
        await self.store.set_chat_decks(context.chat.id, chosen)
        return [self._decks_reply(context, chosen)]

    async def _toggle_deck(self, context: _Context, key: str) -> list[Reply]:
        deck_id = self._deck_keys.get(key)
        if deck_id is None:
            return [Reply(context.t("bad_action"), private=True)]
        refusal = self._settings_refusal(context)
        if refusal:
            return refusal
        current = list(context.chat.decks or [deck.id for deck in self.bank.decks])
        if deck_id in current:
            current.remove(deck_id)
        else:
            current.append(deck_id)
        if not current:
            return [Reply(context.t("decks_need_one"), notice=context.t("decks_need_one"), private=True)]
        ordered = tuple(deck.id for deck in self.bank.decks if deck.id in current)
        chosen = None if len(ordered) == len(self.bank.decks) else ordered
        await self.store.set_chat_decks(context.chat.id, chosen)
        reply = self._decks_reply(context, chosen)
        return [
            Reply(reply.text, reply.buttons, edit_message_id=context.request.message_id)
            if context.request.message_id
            else reply
        ]

    def _decks_reply(self, context: _Context, chosen: tuple[str, ...] | None) -> Reply:
        lines = [context.t("decks_title")]
        buttons = []
        for number, deck in enumerate(self.bank.decks, start=1):
            used = chosen is None or deck.id in chosen
            lines.append(
                context.t(
                    "decks_line",
                    mark="✅" if used else "▫️",
                    number=number,
                    title=deck.title,
                    cards=len(deck.cards),
                )
            )
            buttons.append(Button(f"{'✅' if used else '▫️'} {number}", f"dk:{_deck_key(deck.id)}"))
        lines.append("")
        lines.append(context.t("decks_hint"))
        rows = tuple(tuple(buttons[i : i + 5]) for i in range(0, len(buttons), 5))
        return Reply("\n".join(lines), rows)

    def _resolve_decks(self, names: list[str]) -> tuple[tuple[str, ...], list[str]]:
        chosen: list[str] = []
        unknown: list[str] = []
        for name in names:
            deck_id = None
            if name.isdigit() and 1 <= int(name) <= len(self.bank.decks):
                deck_id = self.bank.decks[int(name) - 1].id
            elif self.bank.deck(name) is not None:
                deck_id = name
            if deck_id is None:
                unknown.append(name)
            elif deck_id not in chosen:
                chosen.append(deck_id)
        return tuple(chosen), unknown

    def _settings_refusal(self, context: _Context) -> list[Reply] | None:
        if context.chat.kind == ChatKind.GROUP and not context.request.is_admin:
            return [Reply(context.t("not_admin"), notice=context.t("not_admin"), private=True)]
        return None

    # --- search, card, language ------------------------------------------------------------------------

    async def _search(self, context: _Context, query: str) -> list[Reply]:
        if not query:
            return [Reply(context.t("search_usage"))]
        found = self.bank.search(query)
        if not found:
            return [Reply(context.t("search_none", query=query))]
        lines = [context.t("search_title", count=len(found), query=query)]
        for card in found[:SEARCH_LIMIT]:
            lines.append(f"`{card.id}` {card.question}")
        if len(found) > SEARCH_LIMIT:
            lines.append(context.t("search_more", more=len(found) - SEARCH_LIMIT))
        lines.append(context.t("search_footer"))
        return [Reply("\n".join(lines))]

    async def _card(self, context: _Context, args: str) -> list[Reply]:
        card_id = args.split()[0].strip("`") if args else ""
        if not card_id:
            return [Reply(context.t("card_usage"))]
        matches = self.bank.cards_with_prefix(card_id) if len(card_id) >= 4 else []
        if not matches:
            return [Reply(context.t("card_unknown", card_id=card_id))]
        if len(matches) > 1:
            return [Reply(context.t("card_ambiguous", card_id=card_id))]
        card = matches[0]
        deck = self.bank.deck(card.deck)
        where = " / ".join(part for part in ((deck.title if deck else card.deck), card.section_label) if part)
        return [
            Reply(f"📇 `{card.id}` · {where}\n\n**{card.question}**\n\n{self._answer_body(context, card)}")
        ]

    async def _lang(self, context: _Context, args: str) -> list[Reply]:
        language = args.strip().lower()
        if language not in i18n.LANGUAGES:
            return [Reply(context.t("lang_usage"))]
        refusal = self._settings_refusal(context)
        if refusal:
            return refusal
        await self.store.set_chat_language(context.chat.id, language)
        return [Reply(i18n.text("lang_set", language))]


def _deck_key(deck_id: str) -> str:
    """A short, stable stand-in for a deck id inside button actions (deck ids can be long)."""
    return hashlib.sha256(deck_id.encode()).hexdigest()[:8]
