"""Counting the answered questions of a document without the parser's choice of layout.

`content check` prints cards / question-like units per file; the units are counted here from the
lines alone, so a question the chosen layout loses shows up as coverage under 100%. A unit is a
question with an answer: a `Q:`/`问：` marker, a question list item (checklist, numbered or
bulleted), or a bold question line, each with text below it; and a heading with text to learn
that holds none of these (topic headings included). Statement sub-headings of a question heading
are part of that question; reference lists, framing headings (`总结`, `Contents`) and a first
heading with text only before sub-headings (the document's title) are not questions.
"""

from __future__ import annotations

from bot.core.content.layouts import (
    _list_starts,
    _question_items,
    is_framing_title,
    is_question_like,
    marker,
    split_inline_answer,
)
from bot.core.content.markdown import (
    Line,
    bold_line,
    heading,
    is_reference_title,
    list_question,
    numbered_item,
    plain_text,
    strip_enumerator,
)


def count_questions(lines: list[Line]) -> int:
    heads = [(i, found[0], found[1]) for i, line in enumerate(lines) if (found := heading(line))]
    first = heads[0][0] if heads else len(lines)
    total = _units(lines[:first])
    skip_below: int | None = None  # inside a question heading's subtree of statement headings
    for n, (index, level, title) in enumerate(heads):
        if skip_below is not None and level > skip_below:
            continue
        skip_below = None
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        leaf = n + 1 == len(heads) or heads[n + 1][1] <= level
        body = lines[index + 1 : end]
        if is_reference_title(title):
            continue
        asked = marker(title)
        if asked:
            total += asked[0] == "q" and bool(asked[1])
            total += _units(body)
            continue
        units = _units(body)
        if units:
            lead = body[: _first_start(body)]
            total += units + (is_question_like(title) and _substantial(lead))
            continue
        name = plain_text(strip_enumerator(title))
        if not name or is_framing_title(name) or (n == 0 and not leaf):
            continue
        if is_question_like(title) and not leaf:
            last = n
            while last + 1 < len(heads) and heads[last + 1][1] > level:
                last += 1
            subtree_end = heads[last + 1][0] if last + 1 < len(heads) else len(lines)
            subtree = lines[index + 1 : subtree_end]
            below = [h for h in heads[n + 1 : last + 1]]
            if not any(is_question_like(t) for _, _, t in below) and not _units(subtree):
                total += _substantial(subtree)
                skip_below = level
                continue
        total += _substantial(body)
    return total


def _substantial(lines: list[Line]) -> int:
    """1 when lines hold an answer, even a placeholder (`TODO`), which is a question left unanswered;
    0 for nothing, or only a table of contents (list items linking to anchors)."""
    for line in lines:
        if line.blank or heading(line):
            continue
        if list_question(line) and "](#" in line.text:  # `- [Question](#anchor)`: a table of contents
            continue
        return 1
    return 0


def _units(lines: list[Line]) -> int:
    """Answered questions laid out inside one heading's own text (markers, list items, bold lines)."""
    starts = _starts(lines)
    ordered = sorted(starts)
    answered = 0
    for position, start in enumerate(ordered):
        stop = ordered[position + 1] if position + 1 < len(ordered) else len(lines)
        own = lines[start + 1 : stop]
        kind = marker(lines[start].text)
        inline = kind[1] if kind and kind[0] == "q" else ""
        item = numbered_item(lines[start])
        if item and split_inline_answer(item[1])[1]:  # `3. What is X? 💻 X is …`
            answered += 1
            continue
        if kind and kind[0] == "q":
            answered += bool(inline) or bool(_substantial(own))
        else:
            answered += _substantial(own)
    return answered


def _first_start(lines: list[Line]) -> int:
    return min(_starts(lines), default=len(lines))


def _starts(lines: list[Line]) -> set[int]:
    starts: set[int] = set()
    for i, line in enumerate(lines):
        if line.in_code:
            continue
        kind = marker(line.text)
        asks_in_bold = (text := bold_line(line)) is not None and is_question_like(text) and line.indent <= 1
        if (kind and kind[0] == "q") or asks_in_bold:
            starts.add(i)
    starts.update(_list_starts(lines))
    indent, numbered = _question_items(lines)
    if numbered >= 2:
        starts.update(
            i
            for i, line in enumerate(lines)
            if numbered_item(line) and line.indent <= indent + 1  # a list mostly of questions: all of it
        )
    return starts
