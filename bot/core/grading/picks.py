"""Picks: which of the two things a "which one" question names the reference chooses, and an answer.

"For L2-norm and L-infinite, which one is stricter…?" has the reference "L-infinite, …". "L∞更严格" is
the whole answer and "L2更严格，因为它把所有元素的差都累加起来…" the wrong one, yet both name the same
terms. This module reads the two alternatives a question offers ("For A and B, which one…", "Which is
…, A or B?", "A和B哪个…", "A还是B") and the one a text picks: the alternative its first clause names,
when it names one of them only and not under a negation. A clause naming both ("L2 is looser than L∞")
picks nothing.

The grader (`keypoints.py`) treats the reference's pick as a key point of its own, as weighty as the
reference's weightiest, like a yes or no (`verdicts.py`): the same pick covers it, the other one caps the
score at `VERDICT_CAP`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from bot.core.grading.terms import Mention
from bot.core.grading.verdicts import CLAUSE, SENTENCE

# "which one", "which is", "哪个": a choice between the two; not "which layer", which asks for a layer
_ASKS_WHICH = re.compile(
    r"\bwhich (?:one|of (?:them|the two)|is|are|would|should|works)\b|哪个|哪一个|哪一种|还是", re.I
)
_JOIN = r"\s*(?:\band\b|\bor\b|\bvs\.?|\bversus\b|和|与|跟|还是|或)\s*"
_PART = r"[^,，、;；:：?？。.!！]{1,40}?"
# "For A and B, which one…" / "A和B哪个…" / "A还是B"
_BEFORE = re.compile(rf"({_PART}){_JOIN}({_PART})\s*[,，]?\s*(?:\bwhich\b|哪|[?？]|$)", re.I)
# "Which is stricter, A or B?"
_AFTER = re.compile(
    rf"(?:\bwhich\b|哪)[^,，:：?？]*[,，:：]\s*({_PART}){_JOIN}({_PART})\s*[?？.。]?\s*$", re.I
)

OPENING_CHARS = 300  # a pick is made in the opening: the rest of a long answer is not read for it
Mentions = Callable[[str], Sequence[Mention]]
Parts = Callable[[str], Iterable[str]]


def alternatives(question: str, mentions: Mentions, parts: Parts) -> tuple[frozenset[str], ...] | None:
    """The concepts naming each of the two things a "which one" question asks to choose between, or
    None: what each side names and the other does not, nor as a part of a term (`L2-norm` -> l2, not
    范数, a part of 无穷范数 `L-infinite`)."""
    if not _ASKS_WHICH.search(question):
        return None
    for sentence in re.split(r"(?<=[?？])", question):
        if not _ASKS_WHICH.search(sentence):
            continue
        found = _AFTER.search(sentence) or _BEFORE.search(sentence)
        if found is None:
            continue
        one, other = ({m.concept for m in mentions(side)} for side in found.groups())
        shared = {part for concept in one | other for part in parts(concept)}
        first, second = frozenset(one - other - shared), frozenset(other - one - shared)
        if first and second:
            return first, second
    return None


def picked(text: str, offered: tuple[frozenset[str], ...], mentions: Mentions) -> tuple[int, str] | None:
    """Which alternative (0 or 1) the first clause of the text's first sentence that names one names, and
    that clause; None when it names both, or one under a negation, or the sentence names none."""
    sentence = SENTENCE.split(text.strip()[:OPENING_CHARS], maxsplit=1)[0]
    for clause in CLAUSE.split(sentence):
        if not clause.strip():
            continue
        said = [
            (m, side) for m in mentions(clause) for side, names in enumerate(offered) if m.concept in names
        ]
        if not said:
            continue  # "Well," or "对于“不可察觉”的要求" before the pick
        sides = {side for _, side in said}
        if len(sides) == 1 and not any(m.negated for m, _ in said):
            return said[0][1], clause.strip()
        return None
    return None
