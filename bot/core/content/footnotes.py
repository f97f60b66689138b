"""Footnotes: find their definitions, take their markers out of the text, and keep their text as notes.

Two styles occur in our users' documents:
- Markdown footnotes: `[^1]` in the text and `[^1]: note` on a line of its own.
- Exports from Typora or Pandoc rendered to text: a trailing numbered list whose items end with `↩︎`,
  and the markers left glued to the text as bare digits (`denoising1autoencoder`, `越好。2`).
  The markers are found in order (marker 2 comes after marker 1) by the shape of their surroundings,
  so ordinary numbers such as `w1`, `L2-norm` or `GPT3` are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.content.markdown import Line, is_cjk, numbered_item

_MD_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]{1,40})\]:[ \t]*(.*)$")
_MD_REFERENCE = re.compile(r"\[\^([^\]\s]{1,40})\]")
_CLOSERS = set("。，、；：！？）」』】》”’.,;:!?)]\"'")


@dataclass(slots=True)
class Footnotes:
    """Lines with footnote markers and definitions removed, and each note keyed by the line citing it."""

    lines: list[Line]
    notes: list[tuple[int, str]] = field(default_factory=list)


def extract_footnotes(lines: list[Line]) -> Footnotes:
    lines = list(lines)
    notes: list[tuple[int, str]] = []
    _markdown_footnotes(lines, notes)
    _exported_footnotes(lines, notes)
    return Footnotes(lines, sorted(notes))


def _markdown_footnotes(lines: list[Line], notes: list[tuple[int, str]]) -> None:
    definitions: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = None if line.in_code else _MD_DEFINITION.match(line.text)
        if match:
            definitions[match.group(1)] = match.group(2).strip()
            lines[index] = line.with_text("")
    if not definitions:
        return
    for index, line in enumerate(lines):
        if line.in_code or "[^" not in line.text:
            continue
        for key in _MD_REFERENCE.findall(line.text):
            if key in definitions:
                notes.append((line.number, definitions[key]))
        lines[index] = line.with_text(_MD_REFERENCE.sub("", line.text))


def _exported_footnotes(lines: list[Line], notes: list[tuple[int, str]]) -> None:
    definitions: list[tuple[int, str]] = []  # (footnote number, text)
    for index, line in enumerate(lines):
        item = numbered_item(line)
        note = _without_backlink(item[1]) if item else None
        if item and note is not None:
            definitions.append((item[0], note))
            lines[index] = line.with_text("")
    if not definitions:
        return
    start = 0  # search position: (line index, column)
    column = 0
    for number, text in definitions:
        found = _find_glued_marker(lines, str(number), start, column)
        if found is None:
            continue
        index, col = found
        line = lines[index]
        before, after = line.text[:col], line.text[col + len(str(number)) :]
        glue = " " if before[-1:].isascii() and before[-1:].isalpha() and after[:1].isalpha() else ""
        lines[index] = line.with_text(before + glue + after)
        notes.append((line.number, text))
        start, column = index, col


def _without_backlink(text: str) -> str | None:
    """The note text of an item ending in the `↩︎` back-link, else None (string ops: a regex searching
    for trailing spaces would re-scan a long run of spaces from every position)."""
    text = text.rstrip(" \t").rstrip("\ufe0e\ufe0f")
    if not text.endswith("↩"):
        return None
    return text[:-1].strip()


def _find_glued_marker(lines: list[Line], digits: str, start: int, column: int) -> tuple[int, int] | None:
    for index in range(start, len(lines)):
        line = lines[index]
        if line.in_code:
            continue
        text = line.text
        col = text.find(digits, column if index == start else 0)
        while col != -1:
            if _looks_like_marker(text, col, len(digits)):
                return index, col
            col = text.find(digits, col + 1)
    return None


def _looks_like_marker(text: str, col: int, width: int) -> bool:
    before = text[col - 1] if col > 0 else ""
    after = text[col + width] if col + width < len(text) else ""
    if not before or before.isspace() or before.isdigit() or after.isdigit() or (after and after in ".,"):
        return False
    if before in _CLOSERS or is_cjk(before):
        # `越好。2`, `优化)3`, `训练4数据`: a digit after CJK text or closing punctuation.
        return not after or after.isspace() or is_cjk(after) or after in _CLOSERS
    if before.isalpha() and (after.isalpha() or is_cjk(after)):
        # `denoising1autoencoder`: glued between two words; `w1` or `L2-norm` are names, not markers.
        word = len(text[:col]) - len(
            text[:col].rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        )
        return word >= 3 and text[col - word : col].islower()
    return False
