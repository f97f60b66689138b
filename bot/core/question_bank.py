"""The loaded question bank as the bot uses it: enabled decks, cards by id, quiz-ready cards, search.

`prepare()` builds every multiple-choice question up front; the composition root runs it in a worker
thread at start-up, so that no chat waits for it on the first /quiz.
"""

from __future__ import annotations

from bot.core.content import Card, ChoiceMaker, ContentReport, Deck
from bot.core.content.markdown import normalise


class QuestionBank:
    def __init__(self, report: ContentReport) -> None:
        self.decks: list[Deck] = [deck for deck in report.decks if deck.enabled and deck.cards]
        self._decks_by_id = {deck.id: deck for deck in self.decks}
        self._cards: dict[str, Card] = {card.id: card for deck in self.decks for card in deck.cards}
        self.choices = ChoiceMaker(list(self._cards.values()))
        self._quizzable: dict[str, list[str]] = {}
        self._search_keys: list[tuple[str, str, Card]] | None = None
        self.own_deck_ids: frozenset[str] = frozenset()  # in a chat's view: the decks that chat uploaded
        self._own: dict[int, list[Deck]] = {}
        self._chat_banks: dict[int, QuestionBank] = {}

    def for_chat(self, chat_id: int) -> QuestionBank:
        """The bank as one chat sees it: the bundled decks, then the decks that chat uploaded (no other chat's)."""
        own = self._own.get(chat_id)
        if not own:
            return self
        bank = self._chat_banks.get(chat_id)
        if bank is None:
            bank = QuestionBank(ContentReport(decks=[*self.decks, *own]))
            bank.own_deck_ids = frozenset(deck.id for deck in own)
            self._chat_banks[chat_id] = bank
        return bank

    def own_decks(self, chat_id: int) -> list[Deck]:
        return list(self._own.get(chat_id, ()))

    def set_own_decks(self, chat_id: int, decks: list[Deck]) -> None:
        """Replace the decks a chat uploaded; its view is rebuilt on next use."""
        if decks:
            self._own[chat_id] = list(decks)
        else:
            self._own.pop(chat_id, None)
        self._chat_banks.pop(chat_id, None)

    def prepare(self) -> None:
        """Build the multiple-choice questions and quiz-ready lists of every deck now (CPU-bound: run it
        off the event loop)."""
        self.choices.prepare()
        self.quizzable(None)

    @property
    def card_count(self) -> int:
        return len(self._cards)

    def deck(self, deck_id: str) -> Deck | None:
        return self._decks_by_id.get(deck_id)

    def card(self, card_id: str) -> Card | None:
        return self._cards.get(card_id)

    def cards_with_prefix(self, prefix: str) -> list[Card]:
        prefix = prefix.strip().lower()
        return [card for card_id, card in self._cards.items() if card_id.startswith(prefix)]

    def quizzable(self, deck_ids: tuple[str, ...] | None) -> list[str]:
        """Ids of the cards that have a multiple-choice question, in the given decks (None: all decks)."""
        chosen = [deck.id for deck in self.decks] if deck_ids is None else deck_ids
        result: list[str] = []
        for deck_id in chosen:
            if deck_id not in self._decks_by_id:
                continue
            if deck_id not in self._quizzable:
                self._quizzable[deck_id] = [
                    card.id
                    for card in self._decks_by_id[deck_id].cards
                    if not self.choices.is_flashcard_only(card.id)
                ]
            result.extend(self._quizzable[deck_id])
        return result

    def search(self, query: str) -> list[Card]:
        """Cards whose question or answer contains every word of the query (Chinese needs no spaces).

        Matches in the question rank before matches only in the answer."""
        words = [normalise(word) for word in query.split()]
        words = [word for word in words if word]
        if not words:
            return []
        if self._search_keys is None:
            self._search_keys = [
                (normalise(card.question), normalise(f"{card.answer} {card.explanation}"), card)
                for card in self._cards.values()
            ]
        in_question, in_answer = [], []
        for question, answer, card in self._search_keys:
            if all(word in question for word in words):
                in_question.append(card)
            elif all(word in question or word in answer for word in words):
                in_answer.append(card)
        return in_question + in_answer
