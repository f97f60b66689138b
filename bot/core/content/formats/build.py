"""Turning the notes of a flashcard format (rows, Anki notes, Obsidian cards) into a deck, with the same card-id rule,
duplicate and empty-answer warnings as Markdown documents."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.content.deck_settings import DeckSettings
from bot.core.content.ids import card_id, normalised_question
from bot.core.content.markdown import cjk_ratio, plain_text
from bot.core.content.model import Card, ContentWarning, Deck


@dataclass(frozen=True, slots=True)
class Note:
    """One question and answer found in a file, before it gets its card id."""

    question: str
    answer: str
    line: int  # the line (CSV) or note number (Anki) it came from, for warnings
    explanation: str = ""
    section: tuple[str, ...] = ()


def deck_from_notes(
    notes: list[Note],
    *,
    name: str,
    source: str,
    layout: str,
    title: str | None,
    settings: DeckSettings | None = None,
    warnings: list[ContentWarning] | None = None,
) -> Deck:
    settings = settings or DeckSettings()
    deck_id = settings.id or name
    found = list(warnings or [])
    sample = " ".join(f"{note.question} {note.answer}" for note in notes[:200])
    language = settings.language or ("zh" if cjk_ratio(sample) > 0.3 else "en")
    seen: dict[str, list[int]] = {}
    cards: list[Card] = []
    for note in notes:
        question = plain_text(note.question).strip()
        if not question:
            found.append(ContentWarning(source, note.line, "a note without a question; skipped"))
            continue
        key = normalised_question(question)
        earlier = seen.setdefault(key, [])
        if earlier:
            found.append(
                ContentWarning(
                    source, note.line, f"the same question as line {earlier[0]}; kept as a separate card"
                )
            )
        earlier.append(note.line)
        if not note.answer.strip():
            found.append(ContentWarning(source, note.line, f"empty answer for '{_short(question)}'"))
        cards.append(
            Card(
                id=card_id(deck_id, question, occurrence=len(earlier)),
                deck=deck_id,
                section=note.section,
                question=question,
                answer=note.answer.strip(),
                explanation=note.explanation.strip(),
                source=source,
                line=note.line,
            )
        )
    if not cards:
        found.append(ContentWarning(source, None, "no cards found in this file"))
    return Deck(
        deck_id,
        settings.title or title or _humanise(name),
        source,
        language,
        layout,
        tuple(cards),
        settings.tags,
        settings.enabled,
        tuple(found),
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _humanise(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else name
