"""The storage port of the mistakes drill and weak topics, and the sections of the question bank."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core import views
from bot.core.content import Deck
from bot.core.ports import Store
from bot.core.question_bank import QuestionBank


class ReviewStore(Store, Protocol):
    async def mistakes(self, user_id: int) -> list[tuple[str, datetime]]: ...

    async def record_drill(self, user_id: int, card_id: str, correct: bool, at: datetime) -> None: ...

    async def user_card_results(self, user_id: int) -> dict[str, tuple[int, int]]: ...

    async def activity_by_day(self, user_id: int, since_day: str) -> dict[str, int]: ...

    async def chat_card_results(self, chat_id: int, since: datetime) -> dict[str, tuple[int, int]]: ...

    async def chat_participants(self, chat_id: int, since_day: str) -> tuple[int, int]: ...


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # short and stable, for buttons
    deck: str
    path: tuple[str, ...]
    label: str  # "deck title / chapter / heading"


@dataclass(frozen=True, slots=True)
class SectionScore:
    section: Section
    right: int
    answered: int

    @property
    def accuracy(self) -> float:
        return self.right / self.answered if self.answered else 0.0


class Sections:
    """Every card's section (the document's chapters, parts and headings), with a short key for buttons."""

    def __init__(self, bank: QuestionBank) -> None:
        self.of_card: dict[str, Section] = {}
        self.by_key: dict[str, Section] = {}
        self._seen: dict[str, Deck] = {}  # the deck each chat-uploaded deck id was last included as
        for deck in bank.decks:
            self._add(deck)

    def include(self, bank: QuestionBank) -> None:
        """Add the sections of the decks a chat uploaded (`bank` is that chat's view; they come and go
        after start, so they are added when a chat's drill or stats first need them, and again if replaced)."""
        for deck in bank.decks:
            if deck.id in bank.own_deck_ids and self._seen.get(deck.id) is not deck:
                self._seen[deck.id] = deck
                self._add(deck)

    def _add(self, deck: Deck) -> None:
        for card in deck.cards:
            key = hashlib.sha256(f"{deck.id}\n{'/'.join(card.section)}".encode()).hexdigest()[:8]
            section = self.by_key.get(key)
            if section is None:
                label = views.place(deck.title, card.section)
                section = self.by_key[key] = Section(key, deck.id, card.section, label)
            self.of_card[card.id] = section

    def scores(self, results: dict[str, tuple[int, int]], least: int) -> list[SectionScore]:
        """Accuracy per section over per-card (right, answered), weakest first; sections under `least` answers
        are left out (too few to say)."""
        totals: dict[str, list[int]] = {}
        for card_id, (right, answered) in results.items():
            section = self.of_card.get(card_id)
            if section is not None:
                total = totals.setdefault(section.key, [0, 0])
                total[0] += right
                total[1] += answered
        scores = [
            SectionScore(self.by_key[key], right, answered)
            for key, (right, answered) in totals.items()
            if answered >= least
        ]
        scores.sort(key=lambda score: (score.accuracy, -score.answered, score.section.label))
        return scores
