"""`/upload`, `/decks remove`, `/export`: a chat's own decks, stored in the database and seen only in that chat.

An upload is checked in the order that costs least: the sender may change settings (adapters check admins),
the file type and announced size, the per-minute and per-chat limits, then it is downloaded and parsed by the
same loader as `content/` in a worker thread. Any error refuses it with one sentence and changes nothing.
Re-uploading under the same name replaces the deck; card ids follow the question text, so unchanged
questions keep everyone's history. Removing a deck asks for a confirmation first and keeps answer history.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from bot.core import views
from bot.core.content import ContentError, Deck
from bot.core.content.formats import SUFFIXES, parse_bytes
from bot.core.content.formats.anki_export import deck_to_apkg, deck_to_tsv
from bot.core.context import CommandContext
from bot.core.messages import Attachment, Button, Document, Reply
from bot.core.own_decks.reasons import refusal_reason
from bot.core.ports import Clock, Store, StoredDeck
from bot.core.question_bank import QuestionBank

log = logging.getLogger(__name__)
WARNINGS_SHOWN = 10
_NAME = re.compile(r"[^\w-]+")


@dataclass(frozen=True, slots=True)
class UploadLimits:
    max_bytes: int = 2 * 1024 * 1024
    max_cards: int = 5000
    max_decks: int = 30
    per_minute: int = 5


class OwnDecks:
    def __init__(
        self,
        bank: QuestionBank,
        store: Store,
        clock: Clock,
        resolve_decks: Callable[[list[str], int | None], tuple[tuple[str, ...], list[str]]],
        limits: UploadLimits | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock
        self.resolve_decks = resolve_decks
        self.limits = limits or UploadLimits()
        # one change at a time per chat: two uploads at once must not drop each other's deck
        self._locks: dict[int, asyncio.Lock] = {}
        self._warming: set[asyncio.Task] = set()

    async def load_all(self) -> int:
        """Parse every stored upload again (at start), each chat's in a worker thread; returns the deck count."""
        per_chat: dict[int, list[StoredDeck]] = {}
        for stored in await self.store.chat_decks():
            per_chat.setdefault(stored.chat_id, []).append(stored)
        loaded = 0
        for chat_id, stored_decks in per_chat.items():
            decks = await asyncio.to_thread(_parse_stored, stored_decks)
            self.bank.set_own_decks(chat_id, decks)
            await asyncio.to_thread(self.bank.for_chat(chat_id).prepare)  # choices ready before use
            loaded += len(decks)
        return loaded

    # --- upload ----------------------------------------------------------------------------------------

    async def upload(self, context: CommandContext, args: str) -> list[Reply]:
        attachment = context.request.attachment
        megabytes = self.limits.max_bytes // (1024 * 1024)
        if attachment is None:
            return [Reply(context.t("upload_usage", megabytes=megabytes))]
        file_name = PurePosixPath(attachment.file_name.replace("\\", "/")).name or "file"
        suffix = PurePosixPath(file_name).suffix.lower()
        if suffix not in SUFFIXES:
            return [Reply(context.t("upload_bad_type", file=suffix or file_name))]
        if attachment.size is not None and attachment.size > self.limits.max_bytes:
            return [Reply(context.t("upload_too_big", megabytes=megabytes))]
        name = deck_name(args.split()[0] if args.split() else PurePosixPath(file_name).stem)
        chat_id = context.chat.id
        if (
            await self.store.count_upload(chat_id, self.clock.now(), timedelta(minutes=1))
            > self.limits.per_minute
        ):
            return [Reply(context.t("upload_too_often", limit=self.limits.per_minute))]
        async with self._locks.setdefault(chat_id, asyncio.Lock()):
            return await self._upload(context, attachment, file_name, suffix, name)

    async def _upload(
        self, context: CommandContext, attachment: Attachment, file_name: str, suffix: str, name: str
    ) -> list[Reply]:
        chat_id = context.chat.id
        megabytes = self.limits.max_bytes // (1024 * 1024)
        own = self.bank.own_decks(chat_id)
        previous = next((deck for deck in own if deck.id == name), None)
        if previous is None and len(own) >= self.limits.max_decks:
            return [Reply(context.t("upload_too_many_decks", limit=self.limits.max_decks))]
        if self.bank.deck(name) is not None:
            return [Reply(context.t("upload_bundled_name", name=name))]
        try:
            data = await attachment.download()
        except Exception:
            log.warning("upload: downloading %s for chat %s failed", file_name, chat_id, exc_info=True)
            return [Reply(context.t("upload_failed_download"))]
        if len(data) > self.limits.max_bytes:
            return [Reply(context.t("upload_too_big", megabytes=megabytes))]
        if not data.strip():
            return [Reply(context.t("upload_empty"))]
        parsed = await asyncio.to_thread(parse_bytes, data, suffix=suffix, name=name, source=file_name)
        if isinstance(parsed, ContentError):
            reason = refusal_reason(context, parsed.message)
            return [Reply(context.t("upload_refused", file=file_name, reason=reason))]
        if not parsed.cards:
            return [self._refused(context, file_name, context.t("upload_no_cards"), parsed)]
        if len(parsed.cards) > self.limits.max_cards:
            reason = context.t("upload_too_many_cards", cards=len(parsed.cards), limit=self.limits.max_cards)
            return [Reply(context.t("upload_refused", file=file_name, reason=reason))]
        await self.store.save_chat_deck(
            StoredDeck(chat_id, name, file_name, data, hashlib.sha256(data).hexdigest(), len(parsed.cards),
                       context.user.id, self.clock.now())
        )  # fmt: skip
        self.bank.set_own_decks(chat_id, [deck for deck in own if deck.id != name] + [parsed])
        if (
            context.chat.decks is not None and name not in context.chat.decks
        ):  # a chosen set: the new deck joins it
            await self.store.set_chat_decks(chat_id, (*context.chat.decks, name))
        chat_bank = self.bank.for_chat(chat_id)
        quizzable = len(await asyncio.to_thread(chat_bank.quizzable, (name,)))
        self._warm(chat_id)
        cards = context.t("n_cards", count=len(parsed.cards))
        values = {"title": parsed.title, "name": name, "cards": cards, "quizzable": quizzable}
        if previous is not None:
            kept = len({card.id for card in previous.cards} & {card.id for card in parsed.cards})
            text = context.t("upload_replaced", kept=context.t("upload_kept", count=kept), **values)
        else:
            text = context.t("upload_done", **values)
        return [Reply("\n\n".join([text, *self._warnings(context, parsed)]))]

    def _refused(self, context: CommandContext, file_name: str, reason: str, deck: Deck) -> Reply:
        text = context.t("upload_refused", file=file_name, reason=reason)
        return Reply("\n\n".join([text, *self._warnings(context, deck)]))

    def _warnings(self, context: CommandContext, deck: Deck) -> list[str]:
        if not deck.warnings:
            return []
        lines = [context.t("upload_warnings")]
        for warning in deck.warnings[:WARNINGS_SHOWN]:
            where = f"{warning.line}: " if warning.line else ""
            lines.append(f"• {where}{warning.message}")
        if len(deck.warnings) > WARNINGS_SHOWN:
            lines.append(context.t("upload_more_warnings", more=len(deck.warnings) - WARNINGS_SHOWN))
        return ["\n".join(lines)]

    # --- remove ----------------------------------------------------------------------------------------

    async def ask_remove(self, context: CommandContext, args: str) -> list[Reply]:
        """`/decks remove <n>`: a confirmation with buttons; nothing is removed yet."""
        chosen, unknown = self.resolve_decks(args.split()[:1], context.chat.id)
        if unknown or not chosen:
            return [Reply(context.t("remove_usage"))]
        bank = self.bank.for_chat(context.chat.id)
        deck = bank.deck(chosen[0])
        assert deck is not None
        if deck.id not in bank.own_deck_ids:
            return [Reply(context.t("remove_bundled", title=deck.title))]
        key = deck_key(deck.id)
        buttons = (
            (Button(context.t("remove_button"), f"dr:{key}"), Button(context.t("cancel_button"), "dr:")),
        )
        return [
            Reply(
                context.t(
                    "remove_confirm", title=deck.title, cards=context.t("n_cards", count=len(deck.cards))
                ),
                buttons,
            )
        ]

    async def confirm_remove(self, context: CommandContext, key: str) -> list[Reply]:
        """The confirmation button (`dr:<deck key>`; `dr:` alone cancels)."""
        edit = context.request.message_id
        if not key:
            return [Reply(context.t("remove_cancelled"), edit_message_id=edit)]
        async with self._locks.setdefault(context.chat.id, asyncio.Lock()):
            own = self.bank.own_decks(context.chat.id)
            deck = next((deck for deck in own if deck_key(deck.id) == key), None)
            if deck is None:
                return [views.refusal(context.t("bad_action"))]
            await self.store.remove_chat_deck(context.chat.id, deck.id)
            self.bank.set_own_decks(context.chat.id, [other for other in own if other.id != deck.id])
            self._warm(context.chat.id)
        if context.chat.decks is not None and deck.id in context.chat.decks:
            remaining = tuple(other for other in context.chat.decks if other != deck.id)
            await self.store.set_chat_decks(context.chat.id, remaining or None)
        return [Reply(context.t("remove_done", title=deck.title), edit_message_id=edit)]

    def _warm(self, chat_id: int) -> None:
        """Work out the chat's multiple-choice cards in a worker thread now, not on the event loop at the next
        question (a chat's view is rebuilt whenever its decks change; 5,000 cards take a second or two)."""
        task = asyncio.ensure_future(asyncio.to_thread(self.bank.for_chat(chat_id).prepare))
        self._warming.add(task)
        task.add_done_callback(self._warming.discard)

    # --- export ----------------------------------------------------------------------------------------

    async def export(self, context: CommandContext, args: str) -> list[Reply]:
        words = args.split()
        kind = "csv" if any(word.lower() in ("csv", "tsv") for word in words) else "apkg"
        names = [word for word in words if word.lower() not in ("csv", "tsv", "apkg")]
        bank = self.bank.for_chat(context.chat.id)
        if not names and len(bank.own_deck_ids) == 1:
            names = list(bank.own_deck_ids)
        chosen, unknown = self.resolve_decks(names[:1], context.chat.id)
        if unknown or not chosen:
            return [Reply(context.t("export_usage"))]
        deck = bank.deck(chosen[0])
        assert deck is not None
        build = deck_to_tsv if kind == "csv" else deck_to_apkg
        data = await asyncio.to_thread(build, deck)
        file_name = f"{deck.id.replace('/', '-')}.{'tsv' if kind == 'csv' else 'apkg'}"
        text = context.t(
            "export_done", title=deck.title, cards=context.t("n_cards", count=len(deck.cards)), file=file_name
        )
        return [Reply(text, document=Document(file_name, data))]


def deck_name(raw: str) -> str:
    """A deck id from a name or file stem: letters, digits, `-` and `_` (spaces and the rest become `-`)."""
    return _NAME.sub("-", raw.strip()).strip("-")[:48] or "deck"


def deck_key(deck_id: str) -> str:
    """A short, stable stand-in for a deck id inside button actions (the same rule as the /decks buttons)."""
    return hashlib.sha256(deck_id.encode()).hexdigest()[:8]


def _parse_stored(stored_decks: list[StoredDeck]) -> list[Deck]:
    decks = []
    for stored in stored_decks:
        suffix = PurePosixPath(stored.file_name).suffix
        parsed = parse_bytes(stored.source, suffix=suffix, name=stored.deck_id, source=stored.file_name)
        if isinstance(parsed, ContentError):
            log.error("chat %s: stored deck %s no longer loads: %s", stored.chat_id, stored.deck_id, parsed)
            continue
        decks.append(parsed)
    return decks
