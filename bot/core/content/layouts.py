"""Document layouts: how questions, answers and sections are laid out, detected per document.

- `markers`: `题目：`/`答案：`/`解析：`, `Q:`/`A:`, `问：`/`答：` markers, bold or in headings.
- `headings`: one question per heading, at whichever heading level holds the questions.
- `numbered`: questions as numbered list items; nested lists and indented text are the answer;
  `Chapter 8 …`/`Part I.`/`第一章` lines and headings give the section.
- `bold`: questions as bold lines (`**What is X?**`), the answer below.
- `list`: questions as list items, often a checklist (`- [ ] [2-1-8 Q text](#anchor)`), each followed
  by its answer paragraphs; an answer ends at the next question item.
- `notes`: no questions at all (research notes); each part between `---` rules (or under each
  heading) becomes a recall card: "What are the key points of <part title>?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.content.markdown import (
    Line,
    bold_line,
    bullet_item,
    chapter_level,
    heading,
    is_cjk,
    is_emoji,
    is_reference_title,
    is_rule,
    list_question,
    numbered_item,
    plain_text,
    strip_enumerator,
)

LAYOUTS = ("markers", "headings", "numbered", "bold", "list", "notes")

_MARKER = re.compile(
    r"^(?:\*\*|__)?[ \t]*(?P<kind>题目|问题|问|Question|Q|参考答案|答案|答|Answer|A|解析|解释|Explanation)"
    r"[ \t]*(?:(?P<num>\d{1,4})[ \t]*)?(?:[:：]|(?<=\d)[.、])[ \t]*(?:\*\*|__)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_MARKER_KIND = {
    "题目": "q", "问题": "q", "问": "q", "question": "q", "q": "q",
    "参考答案": "a", "答案": "a", "答": "a", "answer": "a", "a": "a",
    "解析": "e", "解释": "e", "explanation": "e",
}  # fmt: skip
_QUESTION_START_EN = re.compile(
    r"^(what|why|how|when|where|which|who|whom|whose|is|are|do|does|did|can|could|should|would|will|"
    r"explain|describe|define|compare|contrast|list|name|give|discuss|elucidate|summari[sz]e|outline|"
    r"state|try|derive|prove|show|illustrate|distinguish|identify)\b",
    re.IGNORECASE,
)
_QUESTION_WORDS_ZH = (
    "什么", "为什么", "为何", "如何", "怎么", "怎样", "哪些", "哪个", "哪种", "哪几", "是否", "请",
    "简述", "解释", "说明", "比较", "列举", "谈谈", "介绍", "描述", "论述", "阐述", "试述", "区别",
    "讲解", "讲讲", "说说",
)  # fmt: skip
_ASKING_ANYWHERE_ZH = (
    "什么",
    "为什么",
    "为何",
    "如何",
    "怎么",
    "怎样",
    "哪些",
    "哪个",
    "哪种",
    "是否",
    "区别",
    "异同",
    "优缺点",
)
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?]")
_SENTENCE_END = "。.!?！？；;，,："
NOTE_TITLE_MAX = 80
EXPLANATION_MIN = 40  # characters of a section's own text that make it a card of its own


@dataclass(slots=True)
class RawCard:
    """A card as found in the document, before its text is cleaned."""

    question: str
    line: int
    section: tuple[str, ...]
    answer: list[Line] = field(default_factory=list)
    explanation: list[Line] = field(default_factory=list)
    end_line: int = 0


@dataclass(slots=True)
class Parsed:
    layout: str
    cards: list[RawCard]
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
    skipped: int = 0  # question-like parts that are warnings instead of cards


class _Sections:
    """The chain of enclosing section titles, by level (below `base`, the path of the enclosing part)."""

    def __init__(self, base: tuple[str, ...] = ()) -> None:
        self._base = base
        self._stack: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        self.close(level)
        title = plain_text(strip_enumerator(title)) or plain_text(title)
        if title:
            self._stack.append((level, title))

    def close(self, level: int) -> None:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()

    @property
    def path(self) -> tuple[str, ...]:
        return self._base + tuple(title for _, title in self._stack)

    @property
    def level(self) -> int:
        return self._stack[-1][0] if self._stack else 0


def is_question_like(text: str) -> bool:
    text = strip_enumerator(plain_text(text))
    if "?" in text or "？" in text or _QUESTION_START_EN.match(text):
        return True
    head = text[:12]
    if any(word in head for word in _QUESTION_WORDS_ZH):
        return True
    # `MobileNetV1、V2和V3有什么区别`: a question word late in a short title still asks.
    return len(text) <= 60 and any(word in text for word in _ASKING_ANYWHERE_ZH)


_DIRECT_EN = re.compile(
    r"^(?:what|why|how|when|where|which|who|whom|whose|is|are|do|does|did|can|could|should|would|will)\b",
    re.IGNORECASE,
)


def asks_directly(text: str) -> bool:
    """A heading that asks (`How do you select features?`, `为什么…`), not one that only starts like an
    instruction (`List of common questions`): only such a heading holds its statement sub-headings."""
    text = strip_enumerator(plain_text(text))
    return (
        "?" in text
        or "？" in text
        or bool(_DIRECT_EN.match(text))
        or any(w in text for w in _ASKING_ANYWHERE_ZH)
    )


def marker(text: str) -> tuple[str, str] | None:
    """('q'|'a'|'e', rest of line) for a question, answer or explanation marker line."""
    match = _MARKER.match(text.strip())
    if not match:
        return None
    rest = match.group("rest").strip()
    if rest.endswith(("**", "__")) and rest.count("**") % 2:
        rest = rest[:-2].rstrip()
    return _MARKER_KIND[match.group("kind").lower()], rest


def detect(lines: list[Line]) -> str | None:
    """The kind of question that explains most of the document, or None when no questions are found.

    `markers`, `headings` and `bold` documents are all read part by part (see `_parse_parts`), so a
    document of heading questions with a few `问：/答：` pairs gives both; the name says which kind of
    question is the most common. Only a document whose questions are mostly numbered list items
    (with `Chapter`/`Part` lines as sections) is read as a whole by the numbered reader.
    """
    markers = bold = headings = 0
    for line in lines:
        if line.in_code:
            continue
        found = heading(line)
        kind = marker(found[1] if found else line.text)
        if kind:
            markers += kind[0] == "q"
        elif found:
            headings += is_question_like(found[1]) and not is_reference_title(found[1])
        elif (text := bold_line(line)) and is_question_like(text):
            bold += 1
    numbered = _question_items(lines)[1]
    listed = len(_list_starts(lines))
    if numbered > markers + bold + headings and numbered >= listed:
        return "numbered"
    counts = {"markers": markers, "headings": headings, "bold": bold, "list": listed}
    best = max(counts, key=lambda name: counts[name])
    if counts[best]:
        return best
    if any(is_rule(line) for line in lines) or any(heading(line) for line in lines):
        return "notes"
    return None


def parse(lines: list[Line], layout: str, language: str) -> Parsed:
    if layout == "numbered":
        return _parse_numbered(lines)
    if layout == "notes":
        return _parse_notes(lines, language)
    return _parse_parts(lines, layout, language)


def document_title(lines: list[Line]) -> str | None:
    """The document's own title: a first line that is its only top-level heading, or a short preface line."""
    first = next((line for line in lines if not line.blank), None)
    if first is None:
        return None
    found = heading(first)
    if found:
        levels = [h[0] for line in lines if (h := heading(line))]
        if found[0] == min(levels) and levels.count(found[0]) == 1 and not is_question_like(found[1]):
            return plain_text(found[1])
        return None
    text = plain_text(first.text)
    if (
        len(text) <= 60
        and not is_question_like(text)
        and numbered_item(first) is None
        and marker(text) is None
        and chapter_level(first) is None
    ):
        return text
    return None


def _heading_or_text(line: Line) -> str:
    found = heading(line)
    return found[1] if found else line.text


# --- markers ---------------------------------------------------------------------------------


def _parse_markers(lines: list[Line], base: tuple[str, ...] = ()) -> Parsed:
    parsed = Parsed("markers", [])
    sections = _Sections(base)
    current: RawCard | None = None
    anchor = 0  # a plain heading at this level or above ends the current card
    part = "q"
    for line in lines:
        found_heading = heading(line)
        found = None if line.in_code else marker(_heading_or_text(line))
        if found:
            kind, rest = found
            if kind == "q":
                _finish(parsed, current, line.number)
                current = RawCard(rest, line.number, sections.path)
                anchor = found_heading[0] if found_heading else (sections.level or 6)
                part = "q"
            elif current is None:
                parsed.warnings.append((line.number, "an answer or explanation marker before any question"))
            else:
                part = "a" if kind == "a" else "e"
                if rest:
                    _target(current, part).append(line.with_text(rest))
            continue
        if found_heading and (current is None or found_heading[0] <= anchor):
            _finish(parsed, current, line.number)
            current = None
            sections.enter(*found_heading)
            continue
        if current is None:
            continue
        if part == "q":
            if line.blank:
                part = "a" if current.question else "q"
            else:
                current.question = f"{current.question} {line.text.strip()}".strip()
            continue
        _target(current, part).append(line)
    _finish(parsed, current, len(lines) + 1)
    return parsed


def _target(card: RawCard, part: str) -> list[Line]:
    return card.explanation if part == "e" else card.answer


def _finish(parsed: Parsed, card: RawCard | None, next_line: int) -> None:
    if card is None:
        return
    card.end_line = next_line - 1
    if not plain_text(card.question):
        parsed.skipped += 1
        parsed.warnings.append((card.line, "a question marker with no question text; not a card"))
        return
    parsed.cards.append(card)


# --- headings ----------------------------------------------------------------------------------


_FRAMING_TITLE = re.compile(
    r"^(?:总结|小结|结论|结语|前言|引言|序言|概述|概要|简介|导读|目录|说明|附录|后记|致谢|更新日志|"
    r"summary|conclusions?|introduction|intro|overview|preface|foreword|contents|table of contents|"
    r"index|appendix|acknowledge?ments|changelog|notes|about|license)$",
    re.IGNORECASE,
)


def is_framing_title(title: str) -> bool:
    """`总结`, `Introduction`, `Contents`: a heading that frames a document instead of naming a topic,
    so "Explain: Summary" would ask nothing."""
    return bool(_FRAMING_TITLE.match(plain_text(title).strip(" \t:：.。")))


def statement_question(title: str, language: str) -> str:
    """A heading that names a topic rather than asking (`大话理解机器学习本质`) as a recall question."""
    return f"简述：{title}" if language == "zh" else f"Explain: {title}"


def _parse_parts(lines: list[Line], layout: str, language: str) -> Parsed:
    """Read a document part by part: each heading's own text is one part.

    A part holding `Q:`/`问：`/`题目：` markers, bold questions or a list of numbered questions gives
    those questions, and its heading is their section. Otherwise a heading with text and no deeper
    heading is a question itself, at any level; a heading with deeper headings is a section (and
    a card too when it has text of its own before its first sub-heading). A question heading whose
    sub-headings are all statements (`## How do you select features?` over `#### Overfitting`) is one
    card, its sub-headings kept in the answer. A heading that names a topic instead of asking
    becomes "简述：…"/"Explain: …". Reference lists are left out of answers.
    """
    parsed = Parsed(layout, [])
    heads = [
        (index, found[0], found[1])
        for index, line in enumerate(lines)
        if (found := heading(line)) and marker(found[1]) is None
    ]
    first = heads[0][0] if heads else len(lines)
    preface, _ = _block_questions(lines[:first], (), heading_asks=False)
    if preface is not None:
        _merge(parsed, preface)
    sections = _Sections()
    inside = -1  # headings up to this one are kept in an answer above them
    for n, (index, level, title) in enumerate(heads):
        if n <= inside:
            continue
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        leaf = n + 1 == len(heads) or heads[n + 1][1] <= level
        line, body = lines[index], lines[index + 1 : end]
        sections.close(level)
        name = plain_text(strip_enumerator(title)) or plain_text(title)
        if is_reference_title(title):
            sections.enter(level, title)
            continue
        asks = is_question_like(title)
        if asks and name and not leaf and asks_directly(title):
            last = n
            while last + 1 < len(heads) and heads[last + 1][1] > level:
                last += 1
            subtree_end = heads[last + 1][0] if last + 1 < len(heads) else len(lines)
            subtree = lines[index + 1 : subtree_end]
            if not _asks_inside(subtree):
                # statement sub-headings explain this question: one card, sub-headings as bold labels
                answer = _without_references([_as_label(part) if heading(part) else part for part in subtree])
                card = RawCard(strip_enumerator(title) or title, line.number, sections.path, answer=answer)
                card.end_line = subtree_end
                parsed.cards.append(card)
                inside = last
                continue
        found, lead_end = _block_questions(body, (*sections.path, name) if name else sections.path, asks)
        if found is not None:
            # The heading's own text before the first question: its answer when it asks, else reported.
            lead = _without_references(body[:lead_end])
            if any(not part.blank for part in lead):
                if asks and name:
                    card = RawCard(strip_enumerator(title) or title, line.number, sections.path, answer=lead)
                    card.end_line = body[lead_end - 1].number
                    parsed.cards.append(card)
                elif n:
                    parsed.warnings.append(
                        (line.number, f"text under '{_short(name)}' before its questions is not a card")
                    )
            sections.enter(level, title)
            _merge(parsed, found)
            continue
        answer = _without_references(body)
        has_text = any(not part.blank for part in answer)
        if not leaf:
            topic = n and not is_framing_title(name) and _is_explanation(answer)
            if name and has_text and not (asks or topic) and n:
                parsed.warnings.append(
                    (
                        line.number,
                        f"text under the section '{_short(name)}' before its sub-headings is not a card",
                    )
                )
            if name and has_text and (asks or topic):  # its own answer or explanation, then deeper parts
                question = strip_enumerator(title) or title
                card = RawCard(
                    question if asks else statement_question(question, language),
                    line.number,
                    sections.path,
                    answer=answer,
                )
                card.end_line = end
                parsed.cards.append(card)
            sections.enter(level, title)
            continue
        if not name:
            if has_text:
                parsed.warnings.append((line.number, "a heading without a title; its text is not a card"))
            continue
        question = strip_enumerator(title) or title
        if not asks:
            if is_framing_title(name):
                if has_text:
                    parsed.warnings.append(
                        (
                            line.number,
                            f"the heading '{_short(name)}' is not a question; its text is not a card",
                        )
                    )
                continue
            question = statement_question(question, language)
        if not has_text and not asks:
            continue  # an empty topic heading: nothing was lost
        card = RawCard(question, line.number, sections.path, answer=answer)
        card.end_line = end
        parsed.cards.append(card)
    return parsed


def _block_questions(
    body: list[Line], path: tuple[str, ...], heading_asks: bool
) -> tuple[Parsed | None, int]:
    """Questions laid out inside one part (markers, bold lines, numbered items), and the index of
    the part's first question line; (None, 0) when the part holds none."""
    starts = [
        i
        for i, line in enumerate(body)
        if not line.in_code and (m := marker(_heading_or_text(line))) and m[0] == "q"
    ]
    found: Parsed | None = None
    if starts:
        found = _parse_markers(body, path)
    elif heading_asks and _list_starts(body, checklist_only=True):
        # a checklist of questions below a question heading: they are questions, not its answer
        starts = _list_starts(body, checklist_only=True)
        found = _parse_list(body, path)
    elif not heading_asks:
        starts = [i for i, line in enumerate(body) if (text := bold_line(line)) and is_question_like(text)]
        listed = _list_starts(body)
        if listed:
            top = _list_indent(body, listed)
            starts = sorted(set(listed) | {i for i in starts if body[i].indent <= top + 1})
            found = _parse_list(body, path)
        elif starts:
            found = _parse_bold(body, path)
        else:
            indent, count = _question_items(body)
            if count >= 2:
                starts = [
                    i for i, line in enumerate(body) if numbered_item(line) and line.indent <= indent + 1
                ]
                found = _parse_numbered(body, path)
    if found is None or not found.cards:
        return None, 0
    return found, starts[0]


def _asks_inside(lines: list[Line]) -> bool:
    """Whether lines hold a question of their own: a question heading, a question marker, a bold
    question or a question list."""
    for line in lines:
        if line.in_code:
            continue
        found = heading(line)
        if found and is_question_like(found[1]):
            return True
        kind = marker(found[1] if found else line.text)
        if kind and kind[0] == "q":
            return True
        if not found and (text := bold_line(line)) and is_question_like(text) and line.indent <= 1:
            return True
    return bool(_list_starts(lines)) or _question_items(lines)[1] >= 2


def _is_explanation(lines: list[Line]) -> bool:
    """Text that explains a topic (two lines or more, or one long line), not a one-line introduction."""
    content = [plain_text(line.text) for line in lines if not line.blank]
    width = sum(
        2 if is_cjk(char) else 1 for text in content for char in text
    )  # a Chinese character says more
    return len(content) >= 2 or width >= EXPLANATION_MIN


def _as_label(line: Line) -> Line:
    found = heading(line)
    return line.with_text(f"**{plain_text(found[1])}**" if found and plain_text(found[1]) else "")


def _merge(parsed: Parsed, found: Parsed) -> None:
    parsed.cards.extend(found.cards)
    parsed.warnings.extend(found.warnings)
    parsed.skipped += found.skipped


def _without_references(body: list[Line]) -> list[Line]:
    """A part's lines up to a reference list (`**参考资料**`, `References:`), which is not an answer."""
    for index, line in enumerate(body):
        if line.in_code or line.blank or len(line.text) > 60:
            continue
        text = bold_line(line) or line.text
        if is_reference_title(text):
            return body[:index]
    return body


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- numbered ----------------------------------------------------------------------------------


def _question_items(lines: list[Line]) -> tuple[int, int]:
    """(indent, count) of question-like numbered items at the outermost list level.

    The count is 0 unless at least half of the outermost items look like questions, so a document
    whose numbered lists are ordinary lists is not taken for a question list.
    """
    items = [(line.indent, text) for line in lines if (found := numbered_item(line)) for text in [found[1]]]
    if not items:
        return 0, 0
    indent = min(ind for ind, _ in items)
    outer = [text for ind, text in items if ind <= indent + 1]
    questions = sum(1 for text in outer if is_question_like(text))
    return indent, questions if questions * 2 >= len(outer) else 0


def _parse_numbered(lines: list[Line], base: tuple[str, ...] = ()) -> Parsed:
    parsed = Parsed("numbered", [])
    indent, _ = _question_items(lines)
    sections = _Sections(base)
    current: RawCard | None = None
    wrapping = False  # the question's own line wraps onto the next, unindented, lines
    for line in lines:
        found_heading = heading(line)
        chapter = chapter_level(line)
        item = numbered_item(line)
        if (
            wrapping
            and current is not None
            and not (found_heading or chapter or item or line.blank or line.in_code or bullet_item(line))
            and line.indent <= indent
        ):
            current.question = f"{current.question} {line.text.strip()}"
            continue
        wrapping = False
        if found_heading or chapter:
            _finish(parsed, current, line.number)
            current = None
            if found_heading:
                sections.enter(*found_heading)
            else:
                sections.enter(chapter or 1, line.text.strip())
            continue
        if item and line.indent <= indent + 1:
            _finish(parsed, current, line.number)
            question, answer_start = split_inline_answer(item[1])
            current = RawCard(question, line.number, sections.path)
            if answer_start:
                current.answer.append(Line(line.number, " " * (indent + 4) + answer_start))
            wrapping = not answer_start
            continue
        if current is not None:
            current.answer.append(line)
    _finish(parsed, current, len(lines) + 1)
    return parsed


def split_inline_answer(text: str) -> tuple[str, str]:
    """`What is X? 💻 X is …` -> ('What is X?', '💻 X is …'): an emoji source marker starts the answer."""
    for position, char in enumerate(text):
        if position >= 8 and is_emoji(char) and char not in "\ufe0e\ufe0f\u200d":
            return text[:position].strip(), text[position:].strip()
    return text.strip(), ""


# --- list ------------------------------------------------------------------------------------


def _list_starts(lines: list[Line], checklist_only: bool = False) -> list[int]:
    """Indexes of the list items that ask the questions of a question list.

    Checklist items and items that link to an anchor (`- [ ] [2-1-8 Q](#2-1-8)`) are questions
    whenever they ask. Plain bullets (`- Why …?`) are questions only when there are at least two and
    at least half of the outermost bullets ask, so an answer's own bullet list is not taken for one.
    Numbered items are left to the numbered reader, unless they are checklist items.
    """
    items = [(i, found) for i, line in enumerate(lines) if (found := list_question(line))]
    ticked = [i for i, (text, tick) in items if tick]
    if sum(is_question_like(items_text) for i, (items_text, tick) in items if tick) >= 2:
        # a checklist of questions: its imperative entries (`讲解决策树的建树过程`) ask as well
        top = min(lines[i].indent for i in ticked)
        return [i for i in ticked if lines[i].indent <= top + 1]
    if checklist_only:
        return []
    bullets = [(i, text) for i, (text, _) in items if bullet_item(lines[i]) is not None]
    if not bullets:
        return []
    top = min(lines[i].indent for i, _ in bullets)
    outer = [(i, text) for i, text in bullets if lines[i].indent <= top + 1]
    asking = [i for i, text in outer if "?" in text or "？" in text or _QUESTION_START_EN.match(text)]
    if len(asking) < 2 or len(asking) * 2 < len(outer):
        return []
    ends = [i for i, _ in outer[1:]] + [len(lines)]
    following = dict(zip([i for i, _ in outer], ends, strict=True))
    answered = sum(1 for i in asking if _answered_below(lines, i, following[i]))
    return asking if answered >= 2 else []


def _answered_below(lines: list[Line], start: int, end: int) -> bool:
    """Whether a list item is followed by text of its own (not only by deeper list items) before `end`."""
    for line in lines[start + 1 : end]:
        if heading(line):
            return False
        if not line.blank and list_question(line) is None:
            return True
    return False


def _list_indent(lines: list[Line], starts: list[int]) -> int:
    return min(lines[i].indent for i in starts)


def _parse_list(lines: list[Line], base: tuple[str, ...] = ()) -> Parsed:
    """Question list items (and bold questions outside the items), each answered by the lines below it
    up to the next question or heading."""
    parsed = Parsed("list", [])
    listed = _list_starts(lines)
    top = _list_indent(lines, listed)
    starts = set(listed)
    titles = _bold_titles(lines, starts)
    sections = _Sections(base)
    current: RawCard | None = None
    for index, line in enumerate(lines):
        found = heading(line)
        bold = bold_line(line) if line.indent <= top + 1 else None
        if found:
            _finish(parsed, current, line.number)
            current = None
            sections.enter(*found)
        elif index in starts:
            _finish(parsed, current, line.number)
            item = list_question(line)
            current = RawCard(item[0] if item else line.text.strip(), line.number, sections.path)
        elif bold and is_question_like(bold):
            _finish(parsed, current, line.number)
            current = RawCard(strip_enumerator(bold), line.number, sections.path)
        elif bold and index in titles:  # `**基础算法**` over a run of questions
            _finish(parsed, current, line.number)
            current = None
            sections.enter(7, bold)
        elif current is not None:
            current.answer.append(line)
    _finish(parsed, current, len(lines) + 1)
    parsed.cards = [card for card in parsed.cards if not _contents_entry(card)]
    return parsed


def _contents_entry(card: RawCard) -> bool:
    """A table-of-contents entry: its "answer" is only deeper entries linking to anchors."""
    content = [line for line in card.answer if not line.blank]
    return bool(content) and all("](#" in line.text for line in content)


def _bold_titles(lines: list[Line], starts: set[int]) -> set[int]:
    """Bold lines followed (past blank lines and other bold lines) by a question: `**基础算法**` over a
    run of questions is their title. One backward pass, so a run of many bold lines stays linear."""
    titles: set[int] = set()
    next_is_question = False
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.blank:
            continue
        if index in starts:
            next_is_question = True
        elif bold_line(line):
            if next_is_question:
                titles.add(index)
        else:
            next_is_question = False
    return titles


# --- bold --------------------------------------------------------------------------------------


def _parse_bold(lines: list[Line], base: tuple[str, ...] = ()) -> Parsed:
    parsed = Parsed("bold", [])
    sections = _Sections(base)
    current: RawCard | None = None
    for line in lines:
        found = heading(line)
        text = bold_line(line)
        if found:
            _finish(parsed, current, line.number)
            current = None
            sections.enter(*found)
        elif text and is_question_like(text):
            _finish(parsed, current, line.number)
            current = RawCard(strip_enumerator(text), line.number, sections.path)
        elif current is not None:
            current.answer.append(line)
    _finish(parsed, current, len(lines) + 1)
    return parsed


# --- notes -------------------------------------------------------------------------------------


def note_question(title: str, language: str) -> str:
    return f"「{title}」有哪些要点？" if language == "zh" else f"What are the key points of {title}?"


def _parse_notes(lines: list[Line], language: str) -> Parsed:
    parsed = Parsed("notes", [])
    body = list(lines)
    first = next((i for i, line in enumerate(body) if not line.blank), None)
    if first is not None and document_title(body) and heading(body[first]):
        body[first] = body[first].with_text("")  # the document's title names the deck, not a note
    # Parts are the headings' texts; rules split the notes only where there are no headings.
    use_rules = any(is_rule(line) for line in body) and not any(heading(line) for line in body)
    parts: list[tuple[str | None, list[Line]]] = []
    chunk: list[Line] = []
    chunk_title: str | None = None
    for line in body:
        found = heading(line)
        if (use_rules and is_rule(line)) or (not use_rules and found):
            parts.append((chunk_title, chunk))
            chunk_title = None
            if found and not use_rules:
                chunk_title = plain_text(strip_enumerator(found[1])) or plain_text(found[1])
            chunk = []
            if use_rules:
                continue
            chunk.append(line.with_text(""))
            continue
        chunk.append(line)
    parts.append((chunk_title, chunk))
    for number, (title, part) in enumerate(parts):
        if (title is not None and is_reference_title(title)) or (
            number == 0 and not use_rules and len(parts) > 1
        ):
            continue  # a reference list, or the preface before the first heading
        part = _without_references([line for line in part if not is_rule(line)])
        content = [line for line in part if not line.blank]
        if not content:
            continue
        if title is None:
            title, part = _note_title(part)
        if not any(not line.blank for line in part):
            parsed.warnings.append(
                (content[0].number, f"the part '{title}' has a title but no notes; skipped")
            )
            continue
        card = RawCard(note_question(title, language), content[0].number, (), answer=part)
        card.end_line = content[-1].number
        parsed.cards.append(card)
    return parsed


def _note_title(part: list[Line]) -> tuple[str, list[Line]]:
    """A title for a part of free notes, and the part without its title line when it had one."""
    first = next(i for i, line in enumerate(part) if not line.blank)
    line = part[first]
    found = heading(line)
    text = plain_text(found[1] if found else (bold_line(line) or line.text)) or line.text.strip()
    if found or (
        len(text) <= NOTE_TITLE_MAX
        and text[-1] not in _SENTENCE_END
        and not any(mark in text for mark in "，。；：！？")
        and not numbered_item(line)
    ):
        rest = part[:first] + part[first + 1 :]
        return text, rest
    for other in part[first + 1 :]:
        bold = bold_line(other)
        if bold and len(plain_text(bold)) <= NOTE_TITLE_MAX:
            return plain_text(bold), part
    clause = _CLAUSE_END.split(text, maxsplit=1)[0].strip()
    return (clause[:NOTE_TITLE_MAX] + ("…" if len(clause) > NOTE_TITLE_MAX else "")), part
