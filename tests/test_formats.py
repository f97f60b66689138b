"""Flashcard formats read by the same loader as `content/`: Anki CSV/TSV, Obsidian cards, .apkg, and export."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

import genanki
import pytest
import zstandard

from bot.core.content import load_content
from bot.core.content.formats import parse_bytes
from bot.core.content.formats.anki_export import deck_to_apkg, deck_to_tsv
from tests.conftest import CONTENT, ROOT


def parse(text: str | bytes, suffix: str, name: str = "deck"):
    data = text.encode() if isinstance(text, str) else text
    deck = parse_bytes(data, suffix=suffix, name=name, source=f"{name}{suffix}")
    assert not hasattr(deck, "message"), deck
    return deck


def cards(deck) -> list[tuple]:
    return [(card.question, card.answer, card.explanation, card.section) for card in deck.cards]


def test_csv_with_anki_headers_html_tags_and_quoted_newlines():
    deck = parse(
        "#separator:Semicolon\n#html:true\n#notetype:Basic\n#deck:Cell biology\n#tags column:4\n"
        '"What is a <b>cell</b>?";"The basic unit<br>of life";"Cells were named by Hooke";section::Part_I\n'
        '"Name two organelles";"- nucleus\n- mitochondria &amp; ribosomes";;\n'
        '"What does it look like?";"<img src=""cell.png""> [sound:cell.mp3]";;\n',
        ".csv",
    )
    assert deck.title == "Cell biology" and deck.layout == "csv"
    assert cards(deck) == [
        ("What is a cell?", "The basic unit\nof life", "Cells were named by Hooke", ("Part I",)),
        ("Name two organelles", "- nucleus\n- mitochondria & ribosomes", "", ()),
        ("What does it look like?", "[image]", "", ()),
    ]


def test_csv_without_headers_guesses_the_separator_and_skips_a_header_row():
    deck = parse("Question,Answer\nWhat is 2+2?,4\n\nWhat is <b>?,a tag kept as text\n", ".csv")
    assert cards(deck) == [("What is 2+2?", "4", "", ()), ("What is <b>?", "a tag kept as text", "", ())]
    tsv = parse("什么是过拟合？\t训练集好、测试集差\t解析：泛化差\n", ".tsv")
    assert cards(tsv) == [("什么是过拟合？", "训练集好、测试集差", "解析：泛化差", ())]
    assert tsv.language == "zh"


def test_cloze_notes_give_one_fill_in_card_per_deletion():
    deck = parse(
        "#separator:tab\n#html:true\n{{c1::Mitochondria}} are the {{c2::powerhouse::role}} of the cell\tExtra\n",
        ".tsv",
    )
    assert cards(deck) == [
        ("[…] are the powerhouse of the cell", "Mitochondria", "Extra", ()),
        ("Mitochondria are the [role] of the cell", "powerhouse", "Extra", ()),
    ]


def test_rows_with_problems_are_reported_with_their_line():
    deck = parse("#separator:Comma\nonly one column\nWhat?,\nWhat?,again\n", ".csv")
    assert [(w.line, w.message) for w in deck.warnings] == [
        (2, "a row with one column (front, back needed); skipped"),
        (3, "empty answer for 'What?'"),
        (4, "the same question as line 3; kept as a separate card"),
    ]


OBSIDIAN = """---
aliases: [bio]
---
# Biology #flashcards

## Cells
What is the powerhouse of the cell::The mitochondria
Capital of France:::Paris

Which organelle
holds the DNA?
?
The nucleus,
in most cells
<!--SR:!2026-01-01,3,250-->

The ==ribosome== makes proteins.

```
not::a card
```
"""


def test_obsidian_cards_basic_reversed_multiline_and_cloze():
    deck = parse(OBSIDIAN, ".md", "biology")
    assert deck.layout == "obsidian" and deck.title == "Biology"
    assert cards(deck) == [
        ("What is the powerhouse of the cell", "The mitochondria", "", ("Cells",)),
        ("Capital of France", "Paris", "", ("Cells",)),
        ("Paris", "Capital of France", "", ("Cells",)),
        ("Which organelle\nholds the DNA?", "The nucleus,\nin most cells", "", ("Cells",)),
        ("The […] makes proteins.", "ribosome", "", ("Cells",)),
    ]


def test_obsidian_cards_without_the_tag_are_read_when_no_other_layout_fits():
    deck = parse("Mitosis::cell division\nMeiosis::division into gametes\n", ".md")
    assert deck.layout == "obsidian" and len(deck.cards) == 2


def anki_package(
    notes: list[tuple[genanki.Model, list[str], list[str]]], deck_name: str = "Biology"
) -> bytes:
    deck = genanki.Deck(2059400110, deck_name)
    for model, fields, tags in notes:
        deck.add_note(genanki.Note(model=model, fields=fields, tags=tags))
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package(deck).write_to_file(path)
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


def package_fixture() -> bytes:
    return anki_package(
        [
            (
                genanki.BASIC_MODEL,
                ["What is a <i>cell</i>?", "The unit of life <img src='c.png'>"],
                ["section::Part_I"],
            ),
            (genanki.BASIC_MODEL, ["Name the DNA holder", "The nucleus"], []),
            (genanki.CLOZE_MODEL, ["{{c1::Ribosomes}} make {{c2::proteins}}", "from RNA"], []),
        ]
    )


def test_an_apkg_in_the_older_collection_format_with_basic_and_cloze_notes():
    deck = parse(package_fixture(), ".apkg", "biology")
    assert deck.title == "Biology" and deck.layout == "apkg"
    assert cards(deck) == [
        ("What is a cell?", "The unit of life [image]", "", ("Part I",)),
        ("Name the DNA holder", "The nucleus", "", ()),
        ("[…] make proteins", "Ribosomes", "from RNA", ()),
        ("Ribosomes make […]", "proteins", "from RNA", ()),
    ]


def newer_package(old: bytes) -> bytes:
    """The same notes as Anki 2.1.50+ packs them: a schema-18 style collection (a `decks` table) compressed
    with Zstandard as `collection.anki21b`, beside a stub `collection.anki2` that older Ankis would show."""
    with zipfile.ZipFile(io.BytesIO(old)) as archive:
        collection = archive.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    db.deserialize(collection)
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    db.execute("CREATE TABLE decks (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    db.executemany(
        "INSERT INTO decks VALUES (?, ?)",
        [(int(i), d["name"].replace("::", "\x1f")) for i, d in decks.items()],
    )
    db.execute("UPDATE col SET decks = '{}'")
    db.commit()
    compressed = zstandard.ZstdCompressor().compress(db.serialize())
    stub = anki_package([(genanki.BASIC_MODEL, ["Please update to the latest Anki version", ""], [])])
    with zipfile.ZipFile(io.BytesIO(stub)) as archive:
        stub_collection = archive.read("collection.anki2")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", stub_collection)
        archive.writestr("collection.anki21b", compressed)
        archive.writestr("media", b"")
    return buffer.getvalue()


def test_an_apkg_in_the_newer_compressed_format_reads_the_newest_collection():
    older = parse(package_fixture(), ".apkg", "biology")
    newer = parse(newer_package(package_fixture()), ".apkg", "biology")
    assert cards(newer) == cards(older)
    assert newer.title == "Biology"


@pytest.mark.parametrize("kind", ["apkg", "csv"])
def test_round_trip_of_every_bundled_deck_keeps_ids_questions_and_answers(seed_report, kind):
    for deck in seed_report.decks:
        data = deck_to_apkg(deck) if kind == "apkg" else deck_to_tsv(deck)
        back = parse(data, ".apkg" if kind == "apkg" else ".tsv", deck.id)
        assert back.title == deck.title
        assert [(c.id, c.question, c.answer, c.explanation, c.section) for c in back.cards] == [
            (c.id, c.question, c.answer, c.explanation, c.section) for c in deck.cards
        ]


def test_exported_notes_keep_their_guid_so_anki_updates_instead_of_duplicating(seed_report):
    deck = seed_report.decks[0]
    guids = []
    for _ in range(2):
        with zipfile.ZipFile(io.BytesIO(deck_to_apkg(deck))) as archive:
            db = sqlite3.connect(":memory:")
            db.deserialize(archive.read("collection.anki2"))
            guids.append([row[0] for row in db.execute("SELECT guid FROM notes ORDER BY id")])
    assert guids[0] == guids[1] and len(set(guids[0])) == len(deck.cards)
    assert guids[0][0] == genanki.guid_for("study-bot", deck.cards[0].id)


def test_content_check_and_export_on_the_command_line(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "biology.apkg").write_bytes(package_fixture())
    (folder / "geo.csv").write_text("#separator:Comma\nWhat is basalt?,A volcanic rock\n")
    (folder / "obs.md").write_text(OBSIDIAN)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    check = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", str(folder)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert check.returncode == 0, check.stderr
    assert "[deck biology, en, apkg layout]" in check.stdout and "4 cards" in check.stdout
    assert "[deck geo, en, csv layout]" in check.stdout and "[deck obs, en, obsidian layout]" in check.stdout

    out = tmp_path / "out.apkg"
    source = CONTENT / "large-model-training-basics.md"
    export = subprocess.run(
        [sys.executable, "-m", "bot", "content", "export", str(source), "--format", "apkg", "-o", str(out)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert export.returncode == 0, export.stderr
    assert "30 cards" in export.stdout
    original = load_content([source]).decks[0]
    back = parse(out.read_bytes(), ".apkg", original.id)
    assert [c.id for c in back.cards] == [c.id for c in original.cards]
    tsv = tmp_path / "out.tsv"
    subprocess.run(
        [sys.executable, "-m", "bot", "content", "export", str(source), "--format", "csv", "-o", str(tsv)],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    assert tsv.read_text().startswith("#separator:tab\n#html:true\n")


def test_an_apkg_with_sub_decks_takes_the_parent_as_title_and_sub_decks_as_sections():
    cells, plants = genanki.Deck(11, "Biology::Cells"), genanki.Deck(12, "Biology::Plants")
    cells.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=["What is a cell?", "A unit of life"]))
    plants.add_note(
        genanki.Note(model=genanki.BASIC_MODEL, fields=["What is chlorophyll?", "A green pigment"])
    )
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package([cells, plants]).write_to_file(path)
        with open(path, "rb") as file:
            deck = parse(file.read(), ".apkg", "biology")
    finally:
        os.unlink(path)
    assert deck.title == "Biology"
    assert [(c.question, c.section) for c in deck.cards] == [
        ("What is a cell?", ("Cells",)),
        ("What is chlorophyll?", ("Plants",)),
    ]


def test_a_collection_without_the_anki_tables_is_refused():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE col (decks TEXT)")
    db.execute("CREATE VIEW notes AS SELECT 1 AS id, 'q' AS flds, '' AS tags")
    db.execute("CREATE TABLE cards (nid INTEGER, did INTEGER)")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("collection.anki2", db.serialize())
    refused = parse_bytes(buffer.getvalue(), suffix=".apkg", name="x", source="x.apkg")
    assert refused.message == "the Anki collection inside lacks its notes, cards or col table"
