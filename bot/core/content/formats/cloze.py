"""Cloze deletions, Anki's `{{c1::term::hint}}` and Obsidian's `==term==`: one fill-in card per deletion number,
whose answer is the hidden term (short, so it also works as a multiple-choice option)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

BLANK = "[…]"


@dataclass(frozen=True, slots=True)
class _Deletion:
    start: int  # where `{{c` begins
    end: int  # just after `}}`
    number: int
    term: str
    hint: str | None


def _deletions(text: str) -> Iterator[_Deletion]:
    """Every `{{cN::term[::hint]}}`, found with plain string searches: linear in the text, however many
    unclosed `{{c` it holds (a regular expression with lazy groups here took minutes on such a field)."""
    position = 0
    while (start := text.find("{{c", position)) != -1:
        digits_end = start + 3
        while digits_end < len(text) and text[digits_end].isascii() and text[digits_end].isdigit():
            digits_end += 1
        if digits_end == start + 3 or not text.startswith("::", digits_end):
            position = start + 3
            continue
        end = text.find("}}", digits_end + 2)
        if end == -1:  # no deletion after this one can close either
            return
        term, separator, hint = text[digits_end + 2 : end].partition("::")
        yield _Deletion(start, end + 2, int(text[start + 3 : digits_end]), term, hint if separator else None)
        position = end + 2


def has_anki_cloze(text: str) -> bool:
    return next(_deletions(text), None) is not None


def anki_cloze_cards(text: str) -> list[tuple[str, str]]:
    """(question, answer) per cloze number, in number order: that number's terms hidden, the others shown."""
    deletions = list(_deletions(text))
    cards = []
    for number in sorted({deletion.number for deletion in deletions}):
        hidden: list[str] = []
        parts: list[str] = []
        position = 0
        for deletion in deletions:
            parts.append(text[position : deletion.start])
            if deletion.number != number:
                parts.append(deletion.term)
            else:
                hidden.append(deletion.term.strip())
                parts.append(f"[{deletion.hint.strip()}]" if deletion.hint else BLANK)
            position = deletion.end
        parts.append(text[position:])
        cards.append(("".join(parts), "; ".join(hidden)))
    return cards
