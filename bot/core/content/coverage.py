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
    _bold_titles,
    _list_starts,
    _question_items,
    asks_directly,
    document_title,
    is_framing_title,
    is_question_like,
    marker,
    split_inline_answer,
)
from bot.core.content.markdown import (
    Line,
    bold_line,
    has_substance,
    heading,
    is_placeholder,
    is_reference_title,
    list_question,
    numbered_item,
    plain_text,
    strip_enumerator,
)

_NOT_TEXT = " \t\u3000·•-*_.。,，…=|>"


def count_questions(lines: list[Line]) -> int:
    return len(question_lines(lines))


def question_lines(lines: list[Line]) -> list[int]:
    """The line of every answered question-like unit in the document."""
    heads = [(i, found[0], found[1]) for i, line in enumerate(lines) if (found := heading(line))]
    first = heads[0][0] if heads else len(lines)
    found = _units(lines[:first])
    title_of_document = document_title(lines) is not None
    skip_below: int | None = None  # inside a question heading's subtree of statement headings
    for n, (index, level, title) in enumerate(heads):
        if skip_below is not None and level > skip_below:
            continue
        skip_below = None
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        leaf = n + 1 == len(heads) or heads[n + 1][1] <= level
        body = lines[index + 1 : end]
        number = lines[index].number
        if is_reference_title(title):
            continue
        asked = marker(title)
        if asked:
            found += [number] if asked[0] == "q" and asked[1] else []
            found += _units(body)
            continue
        asks = is_question_like(title)
        units = _units(body, in_question=asks)
        if units:
            lead = body[: min(_starts(body, in_question=asks), default=len(body))]
            found += ([number] if asks and _substantial(lead) else []) + units
            continue
        name = plain_text(strip_enumerator(title))
        if not name or is_framing_title(name) or (n == 0 and (title_of_document or not leaf) and not asks):
            continue
        if asks and not leaf and asks_directly(title):
            last = n
            while last + 1 < len(heads) and heads[last + 1][1] > level:
                last += 1
            subtree_end = heads[last + 1][0] if last + 1 < len(heads) else len(lines)
            subtree = lines[index + 1 : subtree_end]
            below = heads[n + 1 : last + 1]
            if not any(is_question_like(t) for _, _, t in below) and not _units(subtree):
                found += [number] if _substantial(subtree) else []
                skip_below = level
                continue
        found += [number] if _substantial(body) else []
    return found


def _substantial(lines: list[Line]) -> int:
    """1 when lines hold an answer, or a placeholder (`TODO`, `待补充`: a question left unanswered);
    0 for nothing, only a table of contents, or only links, a citation or images (no question there)."""
    for line in lines:
        if line.blank or heading(line) or not line.text.strip(_NOT_TEXT):
            continue
        if list_question(line) and "](#" in line.text:  # `- [Question](#anchor)`: a table of contents
            continue
        text = "\n".join(line.text for line in lines)
        return int(has_substance(text) or is_placeholder(text))
    return 0


def _units(lines: list[Line], in_question: bool = False) -> list[int]:
    """Answered questions laid out inside one heading's own text (markers, list items, bold lines);
    below a question heading only markers and a checklist of questions, the rest is its answer."""
    starts = _starts(lines, in_question)
    titles = _bold_titles(lines, starts)
    ordered = sorted(starts)
    answered = []
    for position, start in enumerate(ordered):
        stop = ordered[position + 1] if position + 1 < len(ordered) else len(lines)
        own = lines[start + 1 : stop]
        # up to a bold title over the next questions (`**基础算法**`), which is no answer
        own = next(
            (
                own[:k]
                for k, line in enumerate(own)
                if line.indent <= lines[start].indent + 1 and start + 1 + k in titles
            ),
            own,
        )
        kind = marker(lines[start].text)
        item = numbered_item(lines[start])
        if (
            (kind and kind[0] == "q" and kind[1])
            or (item and split_inline_answer(item[1])[1])  # `3. What is X? 💻 X is …`
            or _substantial(own)
        ):
            answered.append(lines[start].number)
    return answered


def _starts(lines: list[Line], in_question: bool = False) -> set[int]:
    starts: set[int] = set()
    listed = _list_starts(lines, checklist_only=in_question)
    for i, line in enumerate(lines):
        if line.in_code:
            continue
        kind = marker(line.text)
        asks_in_bold = (text := bold_line(line)) is not None and is_question_like(text) and line.indent <= 1
        if (kind and kind[0] == "q") or (asks_in_bold and (listed or not in_question)):
            starts.add(i)
    starts.update(listed)
    if in_question:
        return starts
    indent, numbered = _question_items(lines)
    if numbered >= 2:
        starts.update(
            i
            for i, line in enumerate(lines)
            if numbered_item(line) and line.indent <= indent + 1  # a list mostly of questions: all of it
        )
    return starts
