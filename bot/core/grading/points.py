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
LABEL_CHARS = 20  # a line this short ending in a colon labels the items after it
FRAGMENT_CHARS = 8  # letters (or characters) below which a sentence is a fragment of the next one
# an image or table left in the notes as a placeholder: [图片], [image], 【图】, [Figure 2]
_PLACEHOLDER = re.compile(
    r"[\[【]\s*(?:图片|图像|图|插图|表格|视频|image|img|picture|figure|fig|table|video)\.?\s*\d*\s*[\]】]",
    re.I,
)
# what the notes say to whoever grades, not what an answer should say
_TO_THE_GRADER = re.compile(
    r"言之有理|答案不唯一|开放性?(?:问题|题)|自由发挥|仅供参考|any (?:well[- ]argued|reasonable) (?:answer|opinion)"
    r"|open[- ]ended question",
    re.I,
)
_TABLE_RULE = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?")  # |:-:|:-|
_INLINE_ITEM = re.compile(r"(?:^|(?<=[;；。\s]))\d{1,2}[.、)）]\s*")  # "1. …;2. …" inside a cell
_ITEM = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)、．])\s*")
_OPEN = "([{（【「『《“‘"
_CLOSE = ")]}）】」』》”’"
_SENTENCE_END = "。！？；!?;"
_CLAUSE_END = "，,、：:；;"


def reference_points(answer: str) -> Iterator[str]:
    """The reference's list items and sentences, in order, without Markdown, emoji or list markers.

    What is not a point to answer is left out or joined to one: an image placeholder (`[图片]`), a note
    to whoever grades (`言之有理即可`), a short label ending in a colon (`热力图:`), read with the item
    after it, and a fragment of a few characters (`有问题：算法？训练数据？`), read with the sentence after it.
    """
    label = ""
    lines = list(split_lines(answer))
    for number, line in enumerate(lines):
        if line.in_code or line.blank:
            continue
        if line.text.lstrip().startswith("|"):  # a table's row: its cells, the first labelling the rest
            following = lines[number + 1].text if number + 1 < len(lines) else ""
            cells = _cells(line.text)
            if (
                not cells
                or _TABLE_RULE.fullmatch(line.text.strip())
                or _TABLE_RULE.fullmatch(following.strip())
            ):
                continue  # the rule under the header, or the header above it
            text = strip_emoji(
                plain_text(f"{cells[0]}: {'; '.join(cells[1:])}" if len(cells) > 1 else cells[0])
            )
            text = _PLACEHOLDER.sub("", text).strip()
            for sentence in _joined(sentences(text)):
                yield sentence
            continue
        text = strip_emoji(plain_text(_ITEM.sub("", line.text, count=1)))
        text = _PLACEHOLDER.sub("", text).strip()
        if not any(char.isalnum() for char in text):
            continue
        if text[-1] in ":：" and len(text) <= LABEL_CHARS:
            label = f"{label}{text}"  # the items below it say what it names
            continue
        for sentence in _joined(sentences(text)):
            if _TO_THE_GRADER.search(sentence):
                continue
            yield label + sentence
            label = ""
    if label:
        yield label.rstrip(":：")


def _cells(row: str) -> list[str]:
    """A Markdown table row's non-empty cells (`<br>` read as a line break)."""
    cells = re.sub(r"<br\s*/?>", "; ", row).strip().strip("|").split("|")
    return [_INLINE_ITEM.sub("", cell).strip() for cell in cells if cell.strip()]


def _joined(found: list[str]) -> list[str]:
    """Sentences with a fragment of under `FRAGMENT_CHARS` letters joined to the sentence after it."""
    joined: list[str] = []
    pending = ""
    for sentence in found:
        sentence = pending + sentence
        if sum(char.isalnum() for char in sentence) < FRAGMENT_CHARS:
            pending = sentence
            continue
        joined.append(sentence)
        pending = ""
    if pending:
        if joined:
            joined[-1] += pending
        else:
            joined.append(pending)
    return joined


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
