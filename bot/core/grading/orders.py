"""Orders: what a text says comes first and what after ("先实验再想解释", "first pretrain, then fine-tune").

Key terms cannot tell "课程学习会首先选择简单的样本进行训练，然后逐步加入更难的样本" from the wrong "先拿最难的
样本训练，再用简单样本微调": both name the samples, the training and both difficulties. What differs is the
order. This module reads, sentence by sentence, a step opened by a first word (`先`, `首先`, `一开始`,
`first`) and the step after it (`再`, `然后`, `之后`, `接着`, `随后`, `最后`, `逐步`, `then`), each as the
terms it names, and the polar claims it makes as terms of their own (`difficulty-1` for 简单), so that
"easy first" and "hard first" differ.

An answer's order is swapped against the reference's when what the reference does first the answer does
after (or what it does after, the answer does first), and the answer puts nothing where the reference
does: "先从理论推导，再做实验" against "先实验再想解释". Terms in both steps say nothing of the order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.core.grading.claims import Statement
from bot.core.grading.terms import Mention

_SENTENCE = re.compile(r"[。！？!?\n;；]|\.(?:\s|$)")
# 先 but not 先验 (prior), 先进, 事先, 预先, 优先, 原先
_FIRST = re.compile(r"首先|一开始|最初|(?<![事预原优率领祖抢])先(?![验进前锋天生])|\bfirst(?:ly)?\b", re.I)
_THEN = re.compile(r"然后|之后|接着|随后|最后|逐步|再|\bthen\b|\bafterwards\b|\blater\b", re.I)

_ONLY_JOINS = re.compile(r"[\s,，]*(?:and\s*)?", re.I)

Read = Callable[[str], tuple[Sequence[Mention], Sequence[Statement]]]


@dataclass(frozen=True, slots=True)
class Order:
    """Two steps, each as the terms it names (and `axis±1` for the claims it makes)."""

    first: frozenset[str]
    then: frozenset[str]


def orders(text: str, read: Read, relevant: Callable[[str], bool]) -> tuple[Order, ...]:
    """Each sentence's first step and the step after it, when it has both and they name different things."""
    found = []
    for sentence in _SENTENCE.split(text):
        opening = _FIRST.search(sentence)
        if opening is None:
            continue
        following = _THEN.search(sentence, opening.end())
        if following is None:
            continue
        between = sentence[opening.end() : following.start()]
        if _ONLY_JOINS.fullmatch(between):  # "trains on easy examples first and then…": the step before it
            between = sentence[: opening.start()]
        first = _step(between, read, relevant)
        then = _step(sentence[following.end() :], read, relevant)
        first, then = first - then, then - first
        if first and then:
            found.append(Order(frozenset(first), frozenset(then)))
    return tuple(found)


def swapped(reference: Iterable[Order], answer: Iterable[Order]) -> bool:
    """An answer's order that puts a step of the reference's on the other side and none on its own."""
    answer = list(answer)
    for ours in reference:
        for theirs in answer:
            crossed = theirs.first & ours.then or theirs.then & ours.first
            kept = theirs.first & ours.first or theirs.then & ours.then
            if crossed and not kept:
                return True
    return False


def _step(text: str, read: Read, relevant: Callable[[str], bool]) -> set[str]:
    mentions, statements = read(text)
    terms = {mention.concept for mention in mentions if relevant(mention.concept) and not mention.negated}
    return terms | {f"{statement.axis}{statement.pole:+d}" for statement in statements}
