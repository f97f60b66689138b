"""Cloze deletions, Anki's `{{c1::term::hint}}` and Obsidian's `==term==`: one fill-in card per deletion number,
whose answer is the hidden term (short, so it also works as a multiple-choice option)."""

from __future__ import annotations

import re

ANKI_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
BLANK = "[…]"


def has_anki_cloze(text: str) -> bool:
    return ANKI_CLOZE.search(text) is not None


def anki_cloze_cards(text: str) -> list[tuple[str, str]]:
    """(question, answer) per cloze number, in number order: that number's terms hidden, the others shown."""
    numbers = sorted({int(match.group(1)) for match in ANKI_CLOZE.finditer(text)})
    cards = []
    for number in numbers:
        hidden: list[str] = []

        def replace(match: re.Match[str], number: int = number, hidden: list[str] = hidden) -> str:
            if int(match.group(1)) != number:
                return match.group(2)
            hidden.append(match.group(2).strip())
            return f"[{match.group(3).strip()}]" if match.group(3) else BLANK

        question = ANKI_CLOZE.sub(replace, text)
        cards.append((question, "; ".join(hidden)))
    return cards
