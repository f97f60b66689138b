"""Stable card ids.

The rule (also in the README): take the question text, remove Markdown markup and its leading
number (`3.`, `题目 3：`), apply Unicode NFKC, case-fold, and keep only letters and digits. The id is
the first 10 hex digits of SHA-256 over `<deck id> "\\n" <normalised question>`. A question asked a
second time in the same deck gets `"\\n#2"` appended before hashing (then `#3`, …).

So editing an answer or explanation, renumbering questions, fixing punctuation or spacing, or
moving a card to another section keeps its id (and every user's history); rewording the question
itself, or renaming the deck file without pinning its `id` in `decks.yaml`, gives a new card.
"""

from __future__ import annotations

import hashlib

from bot.core.content.markdown import normalise, plain_text, strip_enumerator

ID_LENGTH = 10


def normalised_question(question: str) -> str:
    return normalise(strip_enumerator(plain_text(question)))


def card_id(deck_id: str, question: str, occurrence: int = 1) -> str:
    return card_id_of_normalised(deck_id, normalised_question(question), occurrence)


def card_id_of_normalised(deck_id: str, normalised: str, occurrence: int = 1) -> str:
    """`card_id` for a question already passed through `normalised_question`."""
    key = f"{deck_id}\n{normalised}"
    if occurrence > 1:
        key += f"\n#{occurrence}"
    # surrogatepass: a deck id made from an undecodable file name must not crash the whole load.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:ID_LENGTH]
