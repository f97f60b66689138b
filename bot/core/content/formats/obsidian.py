"""Obsidian spaced-repetition syntax inside Markdown (the `obsidian-spaced-repetition` plugin's cards).

- `Question::Answer` is one card; `Question:::Answer` two, one each way.
- A multi-line card is the question's lines, a line with `?` (`??`: both ways), then the answer's lines,
  up to a blank line.
- `==term==` in a line makes a cloze card: the line with the term hidden, whose answer is the term.
- Headings above a card give its section; the plugin's `<!--SR:…-->` scheduling comments and the
  `#flashcards` tags are dropped.

A document is read this way when it carries the plugin's `#flashcards` tag, or when no other layout
finds questions in it but it has such cards.
"""

from __future__ import annotations

import re

from bot.core.content.deck_settings import DeckSettings
from bot.core.content.formats.build import Note, deck_from_notes
from bot.core.content.formats.cloze import BLANK
from bot.core.content.model import Deck

_TAG = re.compile(r"(?:^|\s)#flashcards(?:/[\w/-]+)?\b")
_SR_COMMENT = re.compile(r"<!--SR:.*?-->")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(\S.*)$")  # closing #s are trimmed in _heading: no backtracking
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE = re.compile(r"^(?P<q>.*?\S)\s*(?P<sep>:::|::)\s*(?P<a>\S.*)$")
_CLOZE = re.compile(r"==(?=\S)(.+?)(?<=\S)==")


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_TAG = re.compile(r"^(?:tags:.*|[ \t]*-[ \t]*)#?flashcards\b", re.MULTILINE)


def _heading(line: str) -> tuple[int, str] | None:
    """`## Title ##` -> (2, "Title"), in linear time whatever the line holds."""
    found = _HEADING.match(line)
    if found is None:
        return None
    title = found.group(2).rstrip().rstrip("#").rstrip() or found.group(2).strip()
    return len(found.group(1)), title


def has_flashcards_tag(text: str) -> bool:
    """The plugin's tag: `#flashcards` in the text, or `flashcards` among the front matter's tags."""
    if _TAG.search(text):
        return True
    front = _FRONT_MATTER.match(text)
    return front is not None and _FRONT_MATTER_TAG.search(front.group(1)) is not None


def has_obsidian_cards(text: str) -> bool:
    return any(_INLINE.match(line) or line.strip() in ("?", "??") for line in _content_lines(text))


def parse_obsidian(
    text: str, *, name: str, source: str, title: str | None, settings: DeckSettings | None
) -> Deck:
    notes: list[Note] = []
    section: list[str] = []
    block: list[tuple[int, str]] = []  # the current paragraph's (line number, text)
    lines = _content_lines(text)
    index = 0
    while index < len(lines):
        number, line = index + 1, lines[index]
        stripped = line.strip()
        heading = _heading(stripped) if line[:1] == "#" else None
        if heading:  # the level-1 heading is the document's title; lower ones give the section
            level = heading[0] - 1
            if level:
                section = section[: level - 1] + [""] * max(0, level - 1 - len(section)) + [heading[1]]
            block = []
        elif not stripped:
            block = []
        elif stripped in ("?", "??"):
            answer: list[str] = []
            index += 1
            while index < len(lines) and lines[index].strip():
                answer.append(lines[index].rstrip())
                index += 1
            question = "\n".join(text for _, text in block).strip()
            start = block[0][0] if block else number
            notes.append(Note(question, "\n".join(answer), start, section=_section(section)))
            if stripped == "??":
                notes.append(Note("\n".join(answer), question, start, section=_section(section)))
            block = []
            continue
        elif inline := _INLINE.match(stripped):
            question, answer_text = inline.group("q"), inline.group("a")
            notes.append(Note(question, answer_text, number, section=_section(section)))
            if inline.group("sep") == ":::":
                notes.append(Note(answer_text, question, number, section=_section(section)))
            block = []
        elif _CLOZE.search(stripped):
            for term in _CLOZE.finditer(stripped):
                hidden = term.group(1)
                question = stripped[: term.start()] + BLANK + stripped[term.end() :]
                notes.append(Note(_CLOZE.sub(r"\1", question), hidden, number, section=_section(section)))
            block = []
        else:
            block.append((number, stripped))
        index += 1
    first_heading = next(
        (found[1] for line in lines if (found := _heading(line.strip())) and found[0] == 1), None
    )
    title = first_heading or (title if title and title.strip() != "---" else None)
    return deck_from_notes(notes, name=name, source=source, layout="obsidian", title=title, settings=settings)


def _section(parts: list[str]) -> tuple[str, ...]:
    return tuple(part for part in parts if part)


def _content_lines(text: str) -> list[str]:
    """The document's lines with code blocks and the plugin's markers blanked (line numbers are kept)."""
    lines = []
    in_code = False
    raw = text.splitlines()
    if raw and raw[0].strip() == "---":  # YAML front matter (Obsidian's properties)
        end = next((i for i in range(1, len(raw)) if raw[i].strip() in ("---", "...")), 0)
        raw = [""] * (end + 1) + raw[end + 1 :]
    for line in raw:
        if _FENCE.match(line):
            in_code = not in_code
            lines.append("")
            continue
        if in_code:
            lines.append("")
            continue
        line = _SR_COMMENT.sub("", line)
        line = _TAG.sub("", line) if line.strip().startswith("#flashcards") or _TAG.search(line) else line
        lines.append(line)
    return lines
