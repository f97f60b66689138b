"""The bundled decks keep their card counts and every card id, so nobody's study history is lost
when the parser learns new layouts."""

from __future__ import annotations

import hashlib

import pytest

# deck id: (cards, first two ids, SHA-256 prefix of all ids joined by spaces, in document order)
PINNED = {
    "pretraining-and-transfer-learning-exam": (10, ["adc658850b", "cec3c6cad0"], "9c0ad7b2f3e6"),
    "hung-yi-lee-ml-course-questions": (60, ["32ebe2c905", "eaebe276cd"], "c0e3a7139674"),
    "pretraining-research-talk-notes": (10, ["7e3c9f2cc7", "f423288baf"], "cb907716fa55"),
    "meta-learning-for-large-models": (6, ["42c7335eba", "dcfe76b505"], "7f2d3cb11c6f"),
    "large-model-training-basics": (30, ["b0bac0b4e6", "a59579103c"], "1d3970c05b53"),
}


@pytest.mark.parametrize("deck_id", sorted(PINNED))
def test_bundled_deck_keeps_its_card_count_and_ids(seed_report, deck_id):
    count, first_ids, digest = PINNED[deck_id]
    deck = next(d for d in seed_report.decks if d.id == deck_id)
    ids = [c.id for c in deck.cards]
    assert len(ids) == count
    assert ids[:2] == first_ids
    assert hashlib.sha256(" ".join(ids).encode()).hexdigest()[:12] == digest
    assert deck.questions_found == count  # every question-like part of the bundled notes is a card
