"""Flashcard formats besides Markdown notes: CSV/TSV as Anki writes them, Anki packages, Obsidian cards,
and the way back out to Anki. One entry point, `parse_bytes`, reads any supported file by its suffix; the
content loader (for `content/`) and chat uploads both go through it."""

from __future__ import annotations

from bot.core.content.deck_settings import DeckSettings
from bot.core.content.formats.apkg import PackageError, parse_apkg
from bot.core.content.formats.delimited import parse_delimited
from bot.core.content.model import ContentError, Deck

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
TABLE_SUFFIXES = (".csv", ".tsv")
PACKAGE_SUFFIXES = (".apkg",)
SUFFIXES = TEXT_SUFFIXES + TABLE_SUFFIXES + PACKAGE_SUFFIXES


def parse_bytes(
    data: bytes, *, suffix: str, name: str, source: str, settings: DeckSettings | None = None
) -> Deck | ContentError:
    """One file's bytes as a deck, or the one-sentence reason it cannot be read (wrong type, binary, not
    UTF-8, not an Anki package, a zip bomb). Pure CPU work: callers on the event loop use a thread."""
    suffix = suffix.lower()
    if suffix in PACKAGE_SUFFIXES:
        try:
            return parse_apkg(data, name=name, source=source, settings=settings)
        except PackageError as exc:
            return ContentError(source, str(exc))
    if suffix not in TEXT_SUFFIXES + TABLE_SUFFIXES:
        return ContentError(source, f"'{suffix or name}' files are not supported; use {', '.join(SUFFIXES)}")
    text = decode_text(data, source)
    if isinstance(text, ContentError):
        return text
    if suffix in TABLE_SUFFIXES:
        return parse_delimited(text, name=name, source=source, suffix=suffix, settings=settings)
    from bot.core.content.loader import parse_document  # the Markdown loader imports this package too

    return parse_document(text, name=name, source=source, settings=settings)


def decode_text(data: bytes, source: str) -> str | ContentError:
    if data[:4] == b"PK\x03\x04" or data[:16] == b"SQLite format 3\x00" or b"\x00" in data[:8192]:
        return ContentError(
            source, "looks like a binary file (an archive or a database), not a text document"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ContentError(
            source, f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        )
    if "\x00" in text:
        return ContentError(source, "looks like a binary file, not a text document")
    return text


__all__ = ["SUFFIXES", "PackageError", "parse_bytes"]
