"""Loading `content/`: every document becomes a deck, whatever else goes wrong in the others.

A document that cannot be read (not UTF-8, binary) is reported as an error naming the file; odd but
readable documents load with warnings naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from bot.core.content.coverage import count_questions
from bot.core.content.deck_settings import SETTINGS_FILE, DeckSettings, read_deck_settings
from bot.core.content.footnotes import extract_footnotes
from bot.core.content.formats import SUFFIXES, TEXT_SUFFIXES, parse_bytes
from bot.core.content.formats.obsidian import has_flashcards_tag, has_obsidian_cards, parse_obsidian
from bot.core.content.ids import card_id_of_normalised, normalised_question
from bot.core.content.layouts import Parsed, detect, document_title, parse, statement_question
from bot.core.content.markdown import (
    Line,
    cjk_ratio,
    clean_line,
    has_substance,
    open_fence_line,
    plain_text,
    replace_images,
    setext_headings,
    split_lines,
)
from bot.core.content.model import Card, ContentError, ContentReport, ContentWarning, Deck

DOCUMENT_SUFFIXES = SUFFIXES  # Markdown and text, and the flashcard formats in formats/
_BLANK_RUNS = re.compile(r"\n{3,}")
_EMPTY_LABEL = re.compile(r"^[^\n]{1,24}[:：]$")


def load_content(paths: Iterable[Path | str]) -> ContentReport:
    """Load every document under the given files or folders (folders: recursively, with their decks.yaml)."""
    report = ContentReport()
    for path in map(Path, paths):
        if path.is_dir():
            _load_folder(path, report)
        elif path.is_file():
            settings_path = path.parent / SETTINGS_FILE
            settings = _read_settings(settings_path, report) if settings_path.is_file() else {}
            _load_file(path, path.stem, settings.get(path.stem, DeckSettings()), report)
        else:
            report.errors.append(ContentError(str(path), "no such file or folder"))
    return report


def _load_folder(folder: Path, report: ContentReport) -> None:
    settings_path = folder / SETTINGS_FILE
    settings = _read_settings(settings_path, report) if settings_path.is_file() else {}
    documents = sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in DOCUMENT_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    names = set()
    for path in documents:
        name = path.relative_to(folder).with_suffix("").as_posix()
        if not _is_utf8(name):
            report.errors.append(
                ContentError(_printable(path), "the file name is not valid UTF-8; rename the file")
            )
            continue
        names.add(name)
        _load_file(path, name, settings.get(name, DeckSettings()), report)
    for name in sorted(set(settings) - names):
        report.warnings.append(
            ContentWarning(str(settings_path), None, f"decks.{name}: no document named {name} in {folder}")
        )


def _read_settings(path: Path, report: ContentReport) -> dict[str, DeckSettings]:
    settings, problems = read_deck_settings(path)
    report.errors.extend(ContentError(str(path), problem) for problem in problems)
    return settings


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes of a non-UTF-8 file name, kept as surrogates by the OS layer
        return False
    return True


def _printable(path: Path) -> str:
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _load_file(path: Path, name: str, settings: DeckSettings, report: ContentReport) -> None:
    source = str(path)
    if not _is_utf8(source):
        report.errors.append(
            ContentError(_printable(path), "the file name is not valid UTF-8; rename the file")
        )
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.errors.append(ContentError(source, f"cannot be read: {exc.strerror or exc}"))
        return
    if path.suffix.lower() not in TEXT_SUFFIXES:  # CSV, TSV, Anki packages
        parsed = parse_bytes(data, suffix=path.suffix, name=name, source=source, settings=settings)
        (report.errors if isinstance(parsed, ContentError) else report.decks).append(parsed)  # type: ignore[arg-type]
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.errors.append(
            ContentError(
                source, f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
            )
        )
        return
    if "\x00" in text:
        report.errors.append(ContentError(source, "looks like a binary file, not a text document"))
        return
    report.decks.append(parse_document(text, name=name, source=source, settings=settings))


def parse_document(text: str, *, name: str, source: str, settings: DeckSettings | None = None) -> Deck:
    """Parse one document's text into a deck (pure: no file access)."""
    settings = settings or DeckSettings()
    deck_id = settings.id or name
    warnings: list[ContentWarning] = []

    def warn(line: int | None, message: str) -> None:
        warnings.append(ContentWarning(source, line, message))

    lines = split_lines(text)
    unclosed = open_fence_line(lines)
    if unclosed is not None:
        warn(unclosed, "a code block (```) is opened here and never closed; read as ordinary text")
        lines = split_lines(text, ignore_fence=unclosed)
    lines = setext_headings(
        [line if line.in_code else line.with_text(clean_line(line.text)) for line in lines]
    )
    # The language of the prose: code blocks are English whatever language the notes are in.
    prose = "\n".join(line.text for line in lines if not line.in_code)
    language = settings.language or ("zh" if cjk_ratio(prose[:200_000]) > 0.3 else "en")
    title = settings.title or document_title(lines) or _humanise(name)

    if not text.strip():
        warn(None, "the document is empty")
        return Deck(
            deck_id, title, source, language, "none", (), settings.tags, settings.enabled, tuple(warnings)
        )

    footnotes = extract_footnotes(lines)
    layout = settings.layout if settings.layout != "auto" else detect(footnotes.lines)
    if settings.layout == "auto" and (
        has_flashcards_tag(text) or (layout is None and has_obsidian_cards(text))
    ):
        return parse_obsidian(text, name=name, source=source, title=title, settings=settings)
    if layout is None:
        warn(
            None,
            "no questions found (no Q/A markers, question headings, numbered or bold questions, or notes)",
        )
        return Deck(
            deck_id, title, source, language, "none", (), settings.tags, settings.enabled, tuple(warnings)
        )
    parsed = parse(footnotes.lines, layout, language)
    for line, message in parsed.warnings:
        warn(line, message)
    if not parsed.cards:
        warn(None, f"the {layout} layout found no questions in this document")

    cards = _build_cards(parsed, deck_id, source, language, footnotes.notes, warn)
    return Deck(
        deck_id,
        title,
        source,
        language,
        layout,
        tuple(cards),
        settings.tags,
        settings.enabled,
        tuple(warnings),
        # notes have no questions to lose: each part is one recall card
        questions_found=len(parsed.cards) + parsed.skipped
        if layout == "notes"
        else count_questions(footnotes.lines),
    )


def _build_cards(
    parsed: Parsed,
    deck_id: str,
    source: str,
    language: str,
    notes: list[tuple[int, str]],
    warn,
) -> list[Card]:
    placeholder = "[图片]" if language == "zh" else "[image]"
    note_prefix = "注：" if language == "zh" else "Note: "
    seen: dict[str, list[int]] = {}
    cards: list[Card] = []
    # A table of contents lists the questions again without answers: an unanswered question asked
    # again elsewhere is reported once, at its last place, and not at all when one place answers it.
    rendered = [_render(raw.answer, placeholder) for raw in parsed.cards]
    learnable = [bool(answer) and has_substance(answer) for answer in rendered]
    keys = (
        [_topic_key(raw.question, language) for raw in parsed.cards]
        if not all(learnable)
        else [""] * len(parsed.cards)  # every card answered: nothing to compare
    )
    answered = {key for key, ok in zip(keys, learnable, strict=True) if ok}
    last = {key: index for index, key in enumerate(keys)}
    for index, raw in enumerate(parsed.cards):
        if not learnable[index] and (keys[index] in answered or last[keys[index]] != index):
            continue
        question = plain_text(replace_images(raw.question, placeholder))
        answer = rendered[index]
        explanation = _render(raw.explanation, placeholder)
        card_notes = [text for line, text in notes if raw.line <= line <= raw.end_line]
        if card_notes:
            explanation = "\n\n".join([explanation, *(note_prefix + note for note in card_notes)]).strip()
        if not answer:
            warn(raw.line, f"no answer for '{_short(question)}'; not a card")
            continue
        if not learnable[index]:
            warn(
                raw.line,
                f"the answer to '{_short(question)}' is only a placeholder, links or images; not a card",
            )
            continue
        key = normalised_question(question)
        earlier = seen.setdefault(key, [])
        if earlier:
            warn(raw.line, f"the same question as line {earlier[0]}; kept as a separate card")
        earlier.append(raw.line)
        for label in _empty_parts(raw.answer):
            warn(label.number, f"answer part '{label.text.strip()}' has nothing after it")
        cards.append(
            Card(
                id=card_id_of_normalised(deck_id, key, occurrence=len(earlier)),
                deck=deck_id,
                section=raw.section,
                question=question,
                answer=answer,
                explanation=explanation,
                source=source,
                line=raw.line,
            )
        )
    return cards


def _topic_key(question: str, language: str) -> str:
    """The question compared without its "Explain:" wording, so `- [Expected value](#…)` in a table
    of contents finds the heading `## Expected value`."""
    prefix = statement_question("", language)
    return normalised_question(question[len(prefix) :] if question.startswith(prefix) else question)


def _render(lines: list[Line], placeholder: str) -> str:
    """Answer lines as Markdown: common indentation removed, images as placeholders, blank runs folded."""
    texts = [line.text.expandtabs(4).rstrip() for line in lines]
    indents = [len(text) - len(text.lstrip(" ")) for text in texts if text.strip()]
    cut = min(indents, default=0)
    body = "\n".join(text[cut:] if text.strip() else "" for text in texts)
    body = replace_images(body, placeholder)
    return _BLANK_RUNS.sub("\n\n", body).strip()


def _empty_parts(lines: list[Line]) -> list[Line]:
    """Label lines such as `迁移算法：` followed by nothing but another label or the end of the answer."""
    content = [line for line in lines if not line.blank and not line.in_code]
    empty = []
    for index, line in enumerate(content):
        if not line.text.rstrip(" *_").endswith((":", "：")) or not _EMPTY_LABEL.match(plain_text(line.text)):
            continue
        following = content[index + 1] if index + 1 < len(content) else None
        if following is None or (
            following.indent <= line.indent and _EMPTY_LABEL.match(plain_text(following.text))
        ):
            empty.append(line)
    return empty


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _humanise(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else name


__all__ = ["load_content", "parse_document"]
