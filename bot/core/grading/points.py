"""A reference answer as key points: list items, else sentences, never split inside brackets.

Points are what the grader checks and what the learner reads as "missed", so each is a whole list
item or sentence; one longer than about 80 characters is shortened at a clause boundary outside
brackets, with an ellipsis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.core.content.markdown import plain_text, split_lines, strip_emoji

SHOWN_CHARS = 80
_ITEM = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)、．])\s*")
_OPEN = "([{（【「『《“‘"
_CLOSE = ")]}）】」』》”’"
_SENTENCE_END = "。！？；!?;"
_CLAUSE_END = "，,、：:；;"


def reference_points(answer: str) -> Iterator[str]:
    """The reference's list items and sentences, in order, without Markdown, emoji or list markers."""
    for line in split_lines(answer):
        if line.in_code or line.blank or line.text.lstrip().startswith("|"):
            continue
        text = strip_emoji(plain_text(_ITEM.sub("", line.text, count=1))).strip()
        yield from (sentence for sentence in sentences(text) if sentence)


def sentences(text: str) -> list[str]:
    """Split after sentence-ending punctuation (and `. `) that is outside every bracket."""
    found: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and (
            char in _SENTENCE_END or (char == "." and (index + 1 == len(text) or text[index + 1].isspace()))
        ):
            found.append(text[start : index + 1].strip())
            start = index + 1
    found.append(text[start:].strip())
    found = [sentence.lstrip(_CLAUSE_END + _SENTENCE_END + ".)]）】 ") for sentence in found]
    return [sentence for sentence in found if any(ch.isalnum() for ch in sentence)]


def shorten(point: str, limit: int = SHOWN_CHARS) -> str:
    """At most about `limit` characters: cut at the last clause boundary (else space) outside brackets."""
    point = " ".join(point.split())
    if len(point) <= limit:
        return point
    depth = 0
    clause = space = opening = None
    for index, char in enumerate(point[:limit]):
        if char in _OPEN:
            if depth == 0:
                opening = index
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and char in _CLAUSE_END + _SENTENCE_END:
            clause = index
        elif depth == 0 and char == " ":
            space = index
    candidates = [cut for cut in (clause, space) if cut is not None and cut >= limit // 2]
    if depth > 0 and opening is not None and opening >= limit // 2:
        candidates.append(opening)  # the text runs on inside a bracket: end before it opens
    cut = max(candidates) if candidates else limit - 1
    if depth > 0 and opening is not None and opening >= limit // 2:
        cut = min(cut, opening)
    return point[:cut].rstrip(_CLAUSE_END + " ") + "…"
