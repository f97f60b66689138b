"""Card ids survive the edits people make to their notes, so nobody's history is lost."""

from __future__ import annotations

from bot.core.content.ids import card_id
from bot.core.content.loader import parse_document

ORIGINAL = "## 1. What is dropout?\nRandomly zeroing activations.\n\n## 2. What is batch norm?\nNormalising activations.\n"


def ids(text: str, name: str = "notes") -> list[str]:
    return [c.id for c in parse_document(text, name=name, source=f"{name}.md").cards]


def test_editing_an_answer_keeps_ids():
    edited = ORIGINAL.replace(
        "Randomly zeroing activations.", "Randomly zeroing activations during training (p=0.5)."
    )
    assert ids(edited) == ids(ORIGINAL)


def test_renumbering_reordering_and_punctuation_keep_ids():
    reordered = "## What is batch norm ?\nNormalising.\n\n## 7) what is  DROPOUT\nZeroing.\n"
    assert ids(reordered) == list(reversed(ids(ORIGINAL)))


def test_rewording_a_question_or_moving_it_to_another_deck_gives_a_new_card():
    reworded = ORIGINAL.replace("What is dropout?", "What is inverted dropout?")
    assert ids(reworded)[0] != ids(ORIGINAL)[0]
    assert ids(reworded)[1] == ids(ORIGINAL)[1]
    assert ids(ORIGINAL, name="other")[0] != ids(ORIGINAL)[0]


def test_id_rule_is_the_documented_one():
    import hashlib

    expected = hashlib.sha256(b"notes\nwhatisdropout").hexdigest()[:10]
    assert card_id("notes", "**1. What is Dropout?**") == expected
    assert (
        card_id("notes", "What is dropout?", occurrence=2)
        == hashlib.sha256(b"notes\nwhatisdropout\n#2").hexdigest()[:10]
    )
