"""Multiple-choice questions from long answers.

Each card's right option is the gist of its answer; three distractors are the gists of other
cards, preferring the same deck and section and a similar topic (so that they are plausible and
share words with the question as much as the right one does), never a near-duplicate of the right
gist, never from a card that asks the same question, and written in the same script. Options are
shuffled with a seeded RNG: the same seed gives the same question. A card without three such
distractors is flashcard-only rather than padded with junk.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from bot.core.content.gist import answer_gist
from bot.core.content.ids import normalised_question
from bot.core.content.markdown import WORD, cjk_ratio, is_cjk, normalise, terms
from bot.core.content.model import Card

OPTION_COUNT = 4
NEIGHBOURS = 64  # bigger decks draw options from this many cards around each card
SHORTLIST = 5  # distractors are drawn from this many best candidates, so a card is not always asked alike
NEAR_DUPLICATE = 80  # rapidfuzz ratio (0-100) at or above which two gists say the same thing
SAME_QUESTION = 90


@dataclass(frozen=True, slots=True)
class Choices:
    """A multiple-choice question: the options in display order and the index of the right one."""

    options: tuple[str, ...]
    correct: int


def _units(text: str) -> frozenset[str]:
    return frozenset({w.lower() for w in WORD.findall(text)} | {c for c in text if is_cjk(c)})


def shared_words_and_characters(question: str, option: str) -> int:
    """How many distinct words and Chinese characters an option shares with the question."""
    return len(_units(question) & _units(option))


def giveaway_share(questions: Iterable[tuple[str, Choices]]) -> float:
    """Share of questions whose right option shares the most words/characters with the question.

    A tie for the most counts as 1/k for k tied options, so random options score 1/OPTION_COUNT.
    """
    total = count = 0.0
    for question, choices in questions:
        overlaps = [shared_words_and_characters(question, option) for option in choices.options]
        best = max(overlaps)
        if overlaps[choices.correct] == best:
            total += 1 / overlaps.count(best)
        count += 1
    return total / count if count else 0.0


class _Profile:
    __slots__ = (
        "card",
        "echo",
        "gist",
        "gist_key",
        "gist_units",
        "question_key",
        "question_units",
        "script",
        "terms",
    )

    def __init__(self, card: Card) -> None:
        self.card = card
        self.gist = answer_gist(card.answer, card.question)
        self.gist_key = normalise(self.gist or "")
        self.question_key = normalised_question(card.question)
        self.script = "zh" if cjk_ratio(self.gist or "") > 0.3 else "en"
        self.terms = terms(f"{card.question} {self.gist or ''}")
        # word/character sets for shared_words_and_characters, computed once per card rather than per pair
        self.question_units = _units(card.question)
        self.gist_units = _units(self.gist or "")
        self.echo = len(self.question_units & self.gist_units)


class ChoiceMaker:
    """Makes multiple-choice questions for the cards of a question bank (work is done per card, on demand)."""

    def __init__(self, cards: Sequence[Card]) -> None:
        self._cards = {card.id: card for card in cards}
        self._by_deck: dict[str, list[str]] = {}
        self._position: dict[str, int] = {}
        for card in cards:
            deck = self._by_deck.setdefault(card.deck, [])
            self._position[card.id] = len(deck)
            deck.append(card.id)
        self._profiles: dict[str, _Profile] = {}
        self._shortlists: dict[str, tuple[str, ...]] = {}

    def gist(self, card_id: str) -> str | None:
        return self._profile(card_id).gist

    def is_flashcard_only(self, card_id: str) -> bool:
        return len(self._shortlist(card_id)) < OPTION_COUNT - 1

    def choices(self, card_id: str, seed: int | str) -> Choices | None:
        """The card's multiple-choice question for this seed, or None for a flashcard-only card."""
        shortlist = self._shortlist(card_id)
        if len(shortlist) < OPTION_COUNT - 1:
            return None
        rng = random.Random(f"{seed}:{card_id}")
        right = self._profile(card_id).gist
        assert right is not None
        options = [right, *(self._profile(other).gist for other in rng.sample(shortlist, OPTION_COUNT - 1))]
        rng.shuffle(options)
        return Choices(tuple(o or "" for o in options), options.index(right))

    def _profile(self, card_id: str) -> _Profile:
        profile = self._profiles.get(card_id)
        if profile is None:
            profile = self._profiles[card_id] = _Profile(self._cards[card_id])
        return profile

    @cached_property
    def _other_decks(self) -> list[str]:
        return list(self._by_deck)

    def _shortlist(self, card_id: str) -> tuple[str, ...]:
        cached = self._shortlists.get(card_id)
        if cached is not None:
            return cached
        me = self._profile(card_id)
        picked: list[_Profile] = []
        if me.gist:
            ranked = self._ranked(me, self._neighbours(me.card))
            if len(ranked) < SHORTLIST:  # a small deck borrows from other decks in the same script
                others = (
                    cid for deck in self._other_decks if deck != me.card.deck for cid in self._by_deck[deck]
                )
                ranked += self._ranked(me, others)
            for candidate in ranked:
                if all(fuzz.ratio(candidate.gist_key, p.gist_key) < NEAR_DUPLICATE for p in picked):
                    picked.append(candidate)
                if len(picked) == SHORTLIST:
                    break
        shortlist = tuple(p.card.id for p in picked)
        self._shortlists[card_id] = shortlist
        return shortlist

    def _neighbours(self, card: Card) -> list[str]:
        """The cards of its deck to draw options from: all of them, or in a big deck (an uploaded 5,000-card
        CSV) the NEIGHBOURS nearest in document order, where related questions sit, so the work per card stays
        bounded."""
        deck = self._by_deck[card.deck]
        if len(deck) <= NEIGHBOURS:
            return deck
        start = max(0, min(self._position[card.id] - NEIGHBOURS // 2, len(deck) - NEIGHBOURS))
        return deck[start : start + NEIGHBOURS]

    def _ranked(self, me: _Profile, candidate_ids: Iterable[str]) -> list[_Profile]:
        scored: list[tuple[float, str, _Profile]] = []
        for other_id in candidate_ids:
            if other_id == me.card.id:
                continue
            other = self._profile(other_id)
            if not other.gist or other.script != me.script or not self._distinct(me, other):
                continue
            scored.append((self._affinity(me, other), other_id, other))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [profile for _, _, profile in scored]

    @staticmethod
    def _distinct(me: _Profile, other: _Profile) -> bool:
        return (
            fuzz.ratio(me.gist_key, other.gist_key) < NEAR_DUPLICATE
            and fuzz.ratio(me.question_key, other.question_key) < SAME_QUESTION
        )

    @staticmethod
    def _affinity(me: _Profile, other: _Profile) -> float:
        score = 3.0 if other.card.deck == me.card.deck else 0.0
        for mine, theirs in zip(me.card.section, other.card.section, strict=False):
            if mine != theirs:
                break
            score += 1.0
        shared = len(me.terms & other.terms)
        union = len(me.terms) + len(other.terms) - shared  # without building the union set
        score += 6.0 * shared / union if union else 0.0
        # Distractors that echo the question as much as the right option does, so echoing gives nothing away.
        echo = me.echo
        if echo:
            score += 4.0 * min(len(me.question_units & other.gist_units), 2 * echo) / echo
        longer = max(len(me.gist or ""), len(other.gist or ""), 1)
        score -= 1.5 * abs(len(me.gist or "") - len(other.gist or "")) / longer
        return score
