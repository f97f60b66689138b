"""Decks out to Anki: an `.apkg` built with genanki, or Anki-style TSV.

Each note's GUID is derived from the card id, so importing a later export into Anki updates the notes
instead of duplicating them. The fields are Question, Answer, Explanation; the section becomes a
`section::…` tag (read back by our CSV and .apkg import), the deck's tags are added as they are.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile

import genanki

from bot.core.content.formats.delimited import section_tag
from bot.core.content.formats.html_text import text_to_html
from bot.core.content.model import Deck

MODEL_ID = 1_730_000_014  # fixed: every export uses the same note type, so Anki recognises it
_MODEL = genanki.Model(
    MODEL_ID,
    "study-bot card",
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Explanation"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Question}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}{{#Explanation}}<hr>{{Explanation}}{{/Explanation}}",
        }
    ],
)


def _tags(deck: Deck, section: tuple[str, ...]) -> list[str]:
    tags = ["_".join(tag.split()) for tag in deck.tags if tag.strip()]
    tag = section_tag(section)
    return [*tags, tag] if tag else tags


def deck_to_apkg(deck: Deck) -> bytes:
    """The deck as an Anki package (bytes); genanki needs a temporary file, so this runs in a worker thread."""
    anki_deck = genanki.Deck(int(hashlib.sha256(deck.id.encode()).hexdigest()[:8], 16), deck.title)
    for card in deck.cards:
        anki_deck.add_note(
            genanki.Note(
                model=_MODEL,
                fields=[
                    text_to_html(card.question),
                    text_to_html(card.answer),
                    text_to_html(card.explanation),
                ],
                tags=_tags(deck, card.section),
                guid=genanki.guid_for("study-bot", card.id),
            )
        )
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package(anki_deck).write_to_file(path)
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


def deck_to_tsv(deck: Deck) -> bytes:
    """Anki-style TSV with its header lines: question, answer, explanation, tags."""
    out = io.StringIO()
    out.write("#separator:tab\n#html:true\n#notetype:Basic\n")
    out.write(f"#deck:{' '.join(deck.title.split())}\n#tags column:4\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for card in deck.cards:
        writer.writerow(
            [text_to_html(card.question), text_to_html(card.answer), text_to_html(card.explanation),
             " ".join(_tags(deck, card.section))]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")
