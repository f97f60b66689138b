"""`study-bot content check`: what a set of documents turns into, for a person (text) or a program (--json)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from bot.core.content import ChoiceMaker, ContentReport, Deck, load_content

CHECK_SEED = 0


def run_content_check(paths: Sequence[str], *, as_json: bool, out: TextIO) -> int:
    report = load_content(paths)
    maker = ChoiceMaker(report.cards)
    maker.prepare()
    if as_json:
        json.dump(report_as_json(report, maker), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(report_as_text(report, maker))
    return 0 if report.ok else 1


def report_as_json(report: ContentReport, maker: ChoiceMaker) -> dict:
    decks = []
    for deck in report.decks:
        cards = []
        for card in deck.cards:
            choices = maker.choices(card.id, CHECK_SEED)
            cards.append(
                {
                    "id": card.id,
                    "question": card.question,
                    "answer": card.answer,
                    "explanation": card.explanation,
                    "section": card.section_label,
                    "line": card.line,
                    "gist": maker.gist(card.id),
                    "mcq": maker.verdict(card.id).as_json(),
                    "choices": None
                    if choices is None
                    else {"options": list(choices.options), "correct": choices.correct},
                }
            )
        decks.append(
            {
                "id": deck.id,
                "source": deck.source,
                "title": deck.title,
                "language": deck.language,
                "layout": deck.layout,
                "enabled": deck.enabled,
                "tags": list(deck.tags),
                "cards": cards,
                "coverage": {"cards": len(deck.cards), "questions_found": deck.questions_found},
                "warnings": [_warning(w) for w in deck.warnings],
            }
        )
    return {
        "decks": decks,
        # every warning, each deck's and the folder's, as the text summary lists them
        "warnings": [_warning(w) for deck in report.decks for w in deck.warnings]
        + [_warning(w) for w in report.warnings],
        "errors": [{"source": e.source, "message": e.message} for e in report.errors],
    }


def _warning(warning) -> dict:
    return {"source": warning.source, "line": warning.line, "message": warning.message}


def report_as_text(report: ContentReport, maker: ChoiceMaker) -> str:
    lines: list[str] = []
    multiple_choice = 0
    for deck in report.decks:
        quizzable = sum(1 for card in deck.cards if not maker.is_flashcard_only(card.id))
        multiple_choice += quizzable
        lines.append(_deck_heading(deck))
        lines.append(f"  {_n(len(deck.cards), 'card')}, {quizzable} with multiple choice")
        lines.append(f"  coverage: {_coverage(len(deck.cards), deck.questions_found)}")
        for section, count in Counter(card.section_label for card in deck.cards).items():
            lines.append(f"    {count:4d}  {section or '(no section)'}")
        for warning in deck.warnings:
            lines.append(f"  warning: {warning}")
        lines.append("")
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    for error in report.errors:
        lines.append(f"error: {error}")
    flashcard_only = Counter(
        maker.verdict(card.id).rule
        for deck in report.decks
        for card in deck.cards
        if maker.is_flashcard_only(card.id)
    )
    if flashcard_only:
        reasons = ", ".join(
            f"{count} {rule.replace('_', ' ')}" for rule, count in flashcard_only.most_common()
        )
        lines.append(f"flashcard-only (no fair multiple choice): {reasons}")
    cards = sum(len(deck.cards) for deck in report.decks)
    warnings = sum(len(deck.warnings) for deck in report.decks) + len(report.warnings)
    lines.append(
        f"{_n(len(report.decks), 'deck')}, {_n(cards, 'card')} ({multiple_choice} with multiple choice), "
        f"{_n(warnings, 'warning')}, {_n(len(report.errors), 'error')}"
    )
    return "\n".join(lines) + "\n"


def _n(count: int, noun: str) -> str:
    """`1 deck`, `2 decks`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _coverage(cards: int, found: int) -> str:
    """`40 cards / 45 question-like parts (89%)`: the rest are warnings saying why they are not cards."""
    share = f" ({cards / found:.0%})" if found else ""
    return f"{_n(cards, 'card')} / {_n(found, 'question-like part')}{share}"


def _deck_heading(deck: Deck) -> str:
    state = "" if deck.enabled else ", disabled"
    return f"{deck.source}: {deck.title} [deck {deck.id}, {deck.language}, {deck.layout} layout{state}]"
