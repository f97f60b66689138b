"""`study-bot content export PATH --format apkg|csv -o FILE`: a document's deck as an Anki package or Anki TSV."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.core.content import load_content
from bot.core.content.formats.anki_export import deck_to_apkg, deck_to_tsv


def run_content_export(path: str, kind: str, output: str | None, out: TextIO, err: TextIO) -> int:
    report = load_content([path])
    for error in report.errors:
        err.write(f"error: {error}\n")
    decks = [deck for deck in report.decks if deck.cards]
    if len(decks) != 1:
        err.write(f"study-bot: {path} holds {len(decks)} decks with cards; export one document at a time\n")
        return 1
    deck = decks[0]
    suffix = ".apkg" if kind == "apkg" else ".tsv"
    target = Path(output) if output else Path(f"{deck.id.replace('/', '-')}{suffix}")
    target.write_bytes(deck_to_apkg(deck) if kind == "apkg" else deck_to_tsv(deck))
    out.write(f"{target}: {deck.title}, {len(deck.cards)} cards\n")
    return 0
