"""CSV and TSV files as Anki writes and reads them.

Header lines at the top start with `#`: `#separator:Tab` (or Comma, Semicolon, Pipe, Space, Colon, or the
character itself), `#html:true`, `#tags column:N`, `#deck:Name`, `#notetype:Basic`, `#columns:Front<sep>Back…`
(other `#…:` headers such as `#guid column` are accepted and ignored). Each row is one note: the front, the
back, then optionally an explanation; the tags column (if any) gives the section through a `section::…` tag.
A first row that only names the columns (`Front,Back` / `question,answer`) is a header row. Quoted fields
may span lines. With `#html:true` fields are HTML and are turned into text; cloze notes (`{{c1::…}}`) become
one fill-in card per deletion.
"""

from __future__ import annotations

import csv
import io
import re

from bot.core.content.deck_settings import DeckSettings
from bot.core.content.formats.build import Note, deck_from_notes
from bot.core.content.formats.cloze import anki_cloze_cards, has_anki_cloze
from bot.core.content.formats.html_text import html_to_text
from bot.core.content.model import ContentWarning, Deck

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_HEADER = re.compile(r"^#([a-z ]+):(.*)$", re.IGNORECASE)
_COLUMN_NAMES = {
    "front",
    "back",
    "question",
    "answer",
    "explanation",
    "tags",
    "text",
    "extra",
    "问题",
    "答案",
    "解析",
}
SECTION_TAG = "section::"


def parse_delimited(
    text: str, *, name: str, source: str, suffix: str, settings: DeckSettings | None = None
) -> Deck:
    lines = text.splitlines(keepends=True)
    headers: dict[str, str] = {}
    body_start = 0
    for index, line in enumerate(lines):
        match = _HEADER.match(line.rstrip("\r\n"))
        if not match:
            break
        headers[match.group(1).strip().lower()] = match.group(2).strip()
        body_start = index + 1
    warnings: list[ContentWarning] = []
    body = "".join(lines[body_start:])
    separator = _separator(headers.get("separator"), body, suffix)
    as_html = headers.get("html", "false").lower() == "true"
    tags_column = _column_number(headers.get("tags column"))
    skipped = {_column_number(headers.get(f"{kind} column")) for kind in ("guid", "notetype", "deck")} - {
        None
    }
    column_names = (
        [c.strip().lower() for c in headers["columns"].split(separator)] if "columns" in headers else []
    )
    if tags_column is None and "tags" in column_names:
        tags_column = column_names.index("tags")
    rows = csv.reader(
        io.StringIO(body, newline=""), delimiter=separator, quotechar='"', skipinitialspace=False
    )
    notes: list[Note] = []
    first = True
    try:
        for row in rows:
            line = body_start + rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if first and not column_names and {c.strip().lower() for c in row if c.strip()} <= _COLUMN_NAMES:
                column_names = [c.strip().lower() for c in row]
                if tags_column is None and "tags" in column_names:
                    tags_column = column_names.index("tags")
                first = False
                continue
            first = False
            tags = row[tags_column].split() if tags_column is not None and tags_column < len(row) else []
            fields = [cell for i, cell in enumerate(row) if i != tags_column and i not in skipped]
            if as_html:
                fields = [html_to_text(cell) for cell in fields]
            notes.extend(_notes(fields, tags, line, warnings, source))
    except csv.Error as exc:
        warnings.append(
            ContentWarning(source, body_start + rows.line_num, f"cannot read the rest of the file: {exc}")
        )
    return deck_from_notes(
        notes, name=name, source=source, layout=suffix.lstrip(".").lower(), title=headers.get("deck"),
        settings=settings, warnings=warnings,
    )  # fmt: skip


def _notes(
    fields: list[str], tags: list[str], line: int, warnings: list[ContentWarning], source: str
) -> list[Note]:
    section = section_from_tags(tags)
    front = fields[0].strip() if fields else ""
    if has_anki_cloze(front):
        extra = fields[1].strip() if len(fields) > 1 else ""
        return [Note(q, a, line, extra, section) for q, a in anki_cloze_cards(front)]
    if len(fields) < 2:
        warnings.append(ContentWarning(source, line, "a row with one column (front, back needed); skipped"))
        return []
    explanation = "\n\n".join(cell.strip() for cell in fields[2:] if cell.strip())
    return [Note(front, fields[1].strip(), line, explanation, section)]


def section_from_tags(tags: list[str]) -> tuple[str, ...]:
    """A `section::Part_I::Chapter_2` tag (as our export writes) back to the section ("Part I", "Chapter 2")."""
    for tag in tags:
        if tag.lower().startswith(SECTION_TAG):
            return tuple(part.replace("_", " ") for part in tag[len(SECTION_TAG) :].split("::") if part)
    return ()


def section_tag(section: tuple[str, ...]) -> str | None:
    if not section:
        return None
    return SECTION_TAG + "::".join("_".join(part.split()) for part in section)


def _separator(declared: str | None, body: str, suffix: str) -> str:
    if declared:
        named = SEPARATORS.get(declared.lower())
        if named:
            return named
        if len(declared) == 1:
            return declared
    if suffix.lower() == ".tsv":
        return "\t"
    sample = body[:20_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return "\t" if "\t" in sample else ","


def _column_number(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    number = int(value.strip())
    return number - 1 if number >= 1 else None
