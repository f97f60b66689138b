"""Value types of the question bank: cards, decks, and what loading them reported."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Card:
    """One question with its reference answer, as parsed from a document."""

    id: str
    deck: str
    section: tuple[str, ...]
    question: str
    answer: str
    explanation: str
    source: str
    line: int

    @property
    def section_label(self) -> str:
        return " / ".join(self.section)


@dataclass(frozen=True, slots=True)
class ContentWarning:
    """Something odd in a document that did not stop it from loading."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ContentError:
    """A document (or the deck settings) that could not be loaded at all."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True)
class Deck:
    """All cards of one document, with the settings that apply to it."""

    id: str
    title: str
    source: str
    language: str
    layout: str
    cards: tuple[Card, ...]
    tags: tuple[str, ...] = ()
    enabled: bool = True
    warnings: tuple[ContentWarning, ...] = ()
    # Question-like parts the parser found: the cards plus those reported as "not a card".
    questions_found: int = 0


@dataclass(slots=True)
class ContentReport:
    """The outcome of loading a set of documents: the decks that loaded and what went wrong."""

    decks: list[Deck] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentWarning] = field(default_factory=list)

    @property
    def cards(self) -> list[Card]:
        return [card for deck in self.decks for card in deck.cards]

    @property
    def ok(self) -> bool:
        return not self.errors
