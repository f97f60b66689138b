"""Anki packages (`.apkg`): a zip holding an SQLite collection.

Three generations of collection are read: `collection.anki2` (Anki before 2.1.28, and what genanki writes),
`collection.anki21`, and `collection.anki21b` (Anki 2.1.50 and later: the same SQLite file compressed with
Zstandard, read with the optional `zstandard` package, `pip install study-bot[anki]`). Newer packages also
carry an old `collection.anki2` that only says "please update Anki", so the newest collection wins.

Every note becomes cards: a cloze note one card per deletion, any other note one card from its first two
fields (front, back) with the third, if any, as the explanation. Images become `[image]`, sounds are
dropped; a `section::…` tag gives the section, else the note's sub-deck. The archive is checked before
anything is unpacked: a zip that is not an Anki package, or whose contents would unpack to more than
MAX_UNPACKED bytes (a zip bomb), is refused with one sentence.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zipfile
from io import BytesIO

from bot.core.content.deck_settings import DeckSettings
from bot.core.content.formats.build import Note, deck_from_notes
from bot.core.content.formats.cloze import anki_cloze_cards, has_anki_cloze
from bot.core.content.formats.delimited import section_from_tags
from bot.core.content.formats.html_text import html_to_text
from bot.core.content.model import Deck

MAX_UNPACKED = 64 * 1024 * 1024
MAX_RATIO = 200  # a real collection compresses 5-20 times; far beyond that is a bomb
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
FIELD_SEPARATOR = "\x1f"
QUERY_SECONDS = 20.0
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class PackageError(ValueError):
    """The file is not a readable Anki package; the message is one sentence for the user."""


def parse_apkg(data: bytes, *, name: str, source: str, settings: DeckSettings | None = None) -> Deck:
    collection = read_collection(data)
    connection = sqlite3.connect(":memory:")
    deadline = time.monotonic() + QUERY_SECONDS
    # an uploaded database is untrusted: queries that run too long (a crafted view) are aborted
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        try:
            connection.deserialize(collection)
            _check_tables(connection)
            notes, title = _notes(connection)
        except sqlite3.DatabaseError as exc:
            raise PackageError(f"the Anki collection inside is damaged ({exc})") from exc
    finally:
        connection.close()
    return deck_from_notes(notes, name=name, source=source, layout="apkg", title=title, settings=settings)


def read_collection(data: bytes) -> bytes:
    """The SQLite bytes of the newest collection in the package, after the zip-bomb checks."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PackageError("this is not an Anki package (not a zip archive)") from exc
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        total = sum(info.file_size for info in members.values())
        packed = sum(info.compress_size for info in members.values()) or 1
        if total > MAX_UNPACKED or (total / packed > MAX_RATIO and total > 10 * 1024 * 1024):
            raise PackageError("this archive unpacks to far more than it holds (a zip bomb?); refused")
        name = next((candidate for candidate in COLLECTIONS if candidate in members), None)
        if name is None:
            raise PackageError("this zip archive is not an Anki package (no collection inside)")
        try:
            with archive.open(members[name]) as member:
                raw = member.read(MAX_UNPACKED + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise PackageError(f"the Anki package is damaged ({exc})") from exc
    if len(raw) > MAX_UNPACKED:
        raise PackageError("this archive unpacks to far more than it holds (a zip bomb?); refused")
    if name.endswith("anki21b") or raw.startswith(ZSTD_MAGIC):
        raw = _decompress(raw)
    if not raw.startswith(b"SQLite format 3\x00"):
        raise PackageError("the Anki collection inside is not an SQLite database")
    return raw


def _decompress(raw: bytes) -> bytes:
    try:
        import zstandard
    except ImportError as exc:
        raise PackageError(
            "this package uses Anki's newer compressed format; install study-bot[anki] to read it, "
            "or export it from Anki with 'Support older Anki versions' ticked"
        ) from exc
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(BytesIO(raw))
        data = reader.read(MAX_UNPACKED + 1)
    except zstandard.ZstdError as exc:
        raise PackageError(f"the compressed Anki collection is damaged ({exc})") from exc
    if len(data) > MAX_UNPACKED:
        raise PackageError("this archive unpacks to far more than it holds (a zip bomb?); refused")
    return data


def _check_tables(connection: sqlite3.Connection) -> None:
    kinds = dict(
        connection.execute("SELECT name, type FROM sqlite_master WHERE name IN ('notes', 'cards', 'col')")
    )
    if any(kinds.get(name) != "table" for name in ("notes", "cards", "col")):
        raise PackageError("the Anki collection inside lacks its notes, cards or col table")


def _notes(connection: sqlite3.Connection) -> tuple[list[Note], str | None]:
    decks = _deck_names(connection)
    note_decks = dict(connection.execute("SELECT nid, min(did) FROM cards GROUP BY nid").fetchall())
    used = [decks[did] for did in sorted(set(note_decks.values())) if did in decks]
    top = _common_top(used)
    notes: list[Note] = []
    for number, (note_id, fields, tags) in enumerate(
        connection.execute("SELECT id, flds, tags FROM notes ORDER BY id"), start=1
    ):
        values = [html_to_text(field) for field in fields.split(FIELD_SEPARATOR)]
        section = section_from_tags(tags.split())
        if not section:
            deck = decks.get(note_decks.get(note_id, -1), "")
            below = deck.split("::")[len(top) :] if deck else []
            section = tuple(part for part in below if part)
        if has_anki_cloze(values[0]):
            extra = values[1] if len(values) > 1 else ""
            notes.extend(Note(q, a, number, extra, section) for q, a in anki_cloze_cards(values[0]))
            continue
        explanation = "\n\n".join(value for value in values[2:] if value)
        notes.append(Note(values[0], values[1] if len(values) > 1 else "", number, explanation, section))
    title = "::".join(top) if top else (used[0] if used else None)
    if title == "Default":  # Anki's unnamed deck: the file name says more
        title = None
    return notes, title


def _deck_names(connection: sqlite3.Connection) -> dict[int, str]:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "decks" in tables:  # schema 18: a table of decks, names with \x1f between levels
        return {
            did: name.replace(FIELD_SEPARATOR, "::")
            for did, name in connection.execute("SELECT id, name FROM decks")
        }
    row = connection.execute("SELECT decks FROM col").fetchone()
    decks = json.loads(row[0]) if row and row[0] else {}
    return {int(did): deck.get("name", "") for did, deck in decks.items()}


def _common_top(names: list[str]) -> list[str]:
    """The deck path every used deck shares (`Biology` for `Biology::Cells` and `Biology::Plants`)."""
    names = [name for name in names if name and name != "Default"] or names
    if not names:
        return []
    parts = [name.split("::") for name in names]
    common = parts[0]
    for other in parts[1:]:
        length = 0
        while length < min(len(common), len(other)) and common[length] == other[length]:
            length += 1
        common = common[:length]
    return common
