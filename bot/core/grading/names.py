"""Full names: the expansion a "full name" question asks for, and how much of it an answer gives.

"What is the full name of MAML?" has the reference "Model-Agnostic Meta-Learning". Key terms saturate:
"Model-Agnostic something… Learning? I forget the middle word" named enough of them to score as high as
the whole name, and "Multi-Agent Meta Learning" half of them. This module finds, for each acronym the
question names (`BERT`, `GPT`, `MAML`), the words of the reference whose initials spell it
(`Bidirectional Encoder Representations from Transformers`; `Pre-training` gives P, `Model-Agnostic` M
and A; `from`, `of`, `the` give nothing; `pretrained` meets `Pre-training`), and reads an answer the same way. An answer that spells a name
for the acronym is held to it word by word: each word of the reference's name counts for it, each other
word against it (`Basic Encoder Recurrent Transformer` has two of four right and two wrong), and a name
said not to be it ("BERT 不是 …", "It's not …") counts the other way. An answer that spells no name for it
earns the share of the name's words it has anywhere. Names all at least half wrong answer the question
wrong.

The grader (`keypoints.py`) makes the names a key point of their own, as weighty as the reference's
weightiest, scored by that share rather than saturating.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_ASKS_NAME = re.compile(r"full name|全称|全名|stands? for|abbreviat|缩写|expan", re.I)
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{2,8}(?![A-Za-z])")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_CLAUSE_BREAK = re.compile(r"[,，;；:：。.!！?？\n—]")
_NEGATION = re.compile(r"\b(?:not|never|no)\b|n't\b|n’t\b|不是|并非|并不|不|没有", re.I)
_SKIPPED = frozenset("a an the of for from and in on to with by via".split())

Stem = Callable[[str], str]


def _parts(text: str) -> list[tuple[str, int, int]]:
    """The text's words with where each starts and ends, a hyphenated one split before each capitalised
    part (`Model-Agnostic` -> Model, Agnostic) and joined elsewhere (`Pre-training` -> Pretraining, which
    gives the one initial P)."""
    parts: list[tuple[str, int, int]] = []
    for found in _WORD.finditer(text):
        at = found.start()
        for index, piece in enumerate(found.group().split("-")):
            if index and not piece[:1].isupper():
                word, begun, _ = parts[-1]
                parts[-1] = (word + piece, begun, at + len(piece))
            else:
                parts.append((piece, at, at + len(piece)))
            at += len(piece) + 1
    return parts


def _run(text: str, acronym: str) -> tuple[list[str], int, int] | None:
    """The first run of the text's words whose initials spell the acronym, and where it starts and ends."""
    parts = _parts(text)
    letters = acronym.lower()
    for start, (first, begun, ended) in enumerate(parts):
        if first[:1].lower() != letters[0] or first.lower() in (letters, *_SKIPPED):
            continue
        taken, at = [first], 1
        for part, _, end in parts[start + 1 :]:
            if at == len(letters):
                break
            if part.lower() in _SKIPPED:
                taken.append(part)
            elif part[:1].lower() == letters[at]:
                taken.append(part)
                ended, at = end, at + 1
            else:
                break
        if at == len(letters):
            return taken, begun, ended
    return None


def spelled_out(text: str, acronym: str) -> list[str] | None:
    """The words of the first run of the text's words whose initials spell the acronym, or None; `from`,
    `of`, `the` and the like may come between and give no initial."""
    found = _run(text, acronym)
    return None if found is None else found[0]


def as_written(text: str, acronym: str) -> str | None:
    """The text's name for the acronym as the text writes it (`Model-Agnostic Meta-Learning`)."""
    found = _run(text, acronym)
    return None if found is None else text[found[1] : found[2]]


def asked_names(question: str, reference: str) -> dict[str, tuple[str, ...]]:
    """For each acronym a "full name" question names, the words of the reference's name for it."""
    if not _ASKS_NAME.search(question):
        return {}
    names: dict[str, tuple[str, ...]] = {}
    for acronym in dict.fromkeys(_ACRONYM.findall(question)):
        words = spelled_out(reference, acronym)
        if words is not None:
            names[acronym] = tuple(words)
    return names


def _content(words: Sequence[str], stem: Stem) -> set[str]:
    return {stem(word.lower()) for word in words if word.lower() not in _SKIPPED}


def name_credit(names: dict[str, tuple[str, ...]], answer: str, stem: Stem) -> tuple[float, bool]:
    """How much of the names the answer gives (-1 to 1, averaged over the acronyms), and whether it spells
    a name for every acronym and each has at least as many words wrong as right (or is said not to be it)."""
    credits, wrong_names = [], 0
    everywhere = _content([part for part, _, _ in _parts(answer)], stem)
    for acronym, words in names.items():
        wanted = _content(words, stem)
        given = spelled_out(answer, acronym)
        if given is None:
            credits.append(len(wanted & everywhere) / len(wanted))
            continue
        mine = _content(given, stem)
        credit = (len(wanted & mine) - len(mine - wanted)) / len(wanted)
        if _negated(answer, given[0]):
            credit = -credit  # "It's not Model-Agnostic Meta-Learning"
        credits.append(credit)
        wrong_names += credit <= 0
    return sum(credits) / len(credits), wrong_names == len(names)


def _negated(answer: str, first: str) -> bool:
    """Whether the clause the answer spells a name in says it is not the name (`BERT 不是 …`)."""
    at = answer.find(first)
    if at < 0:
        return False
    before = answer[:at]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    return bool(_NEGATION.search(before[breaks[-1].end() if breaks else 0 :]))
