"""Bindings: which of a reference's subjects each of its terms is said of, and answers that swap them.

Key terms cannot tell "经验重放: 把经验存进记忆库; 渐进学习: 先学简单任务" from the swapped
"经验重放，先学简单任务; 渐进学习，把经验存进记忆库": both name every term. What differs is which subject
each term is said of. A reference's subjects are the two things its question compares, when it names
both (BERT and GPT in "the differences between BERT and GPT"), else the labels of its items
(`经验重放（Experience Replay）：`, `POS tagging:`). Every term after a subject, up to the next one, is tied
to it: to the end of the point for a subject named in the text, to the next label for a label. A term
tied to one subject only is that subject's own.

An answer's terms are tied the same way, sentence by sentence. A subject said to have at least
`SWAPPED_TERMS` of another subject's own terms, more than `SWAPPED_RATIO` times as many as of its own and
at least `SWAPPED_SHARE` of all the terms said of it, is swapped: the points that speak of it are answered
the wrong way. Subjects named together (`BERT和GPT都…`) or under a negation (`unlike GPT`) tie nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.core.grading.terms import Mention

SWAPPED_TERMS = 2  # another subject's own terms said of a subject that make it swapped ...
SWAPPED_RATIO = 2  # ... more than this many times as many as of its own
SWAPPED_SHARE = 0.35  # ... and at least this share of the specific terms said of it
LABEL_TERMS = 2  # a label naming more than this many terms introduces a list rather than names a subject
_LABEL = re.compile(r"^(?:[^,，。;；!?！？:：]{1,30}[:：])+")  # short labels before an item (`Goal:ML:`)
_COMPARING = frozenset("compar contrast differ versus vs 比较 对比 相比 区别 不同 差异 异同".split())
# "What is A and B?", "什么是A和B": two things asked side by side, each with its own definition
_DEFINING = re.compile(r"^\s*(?:what\s+(?:is|are)\b|什么是)|(?:是什么|分别是什么|是指什么)[？?]?\s*$", re.I)
_ASKING = re.compile(r"\s*(?:how|why|what|which|when|where|如何|怎么|怎样|为什么|为何|有什么|有哪些)", re.I)
_AND = re.compile(r"\s(?:and|with|vs\.?|versus)\s|和|与|跟|、|以及", re.I)  # between the two things compared


@dataclass(frozen=True, slots=True)
class Bindings:
    """A reference's subjects (each a concept; `aliases` maps every spelling concept to it), the terms
    tied to each subject alone, and, per point, the subjects it speaks of."""

    aliases: dict[str, str]
    own: dict[str, frozenset[str]]
    of_point: tuple[frozenset[str], ...]

    @property
    def active(self) -> bool:
        return len(self.own) >= 2

    def swapped(self, sentences: Iterable[Sequence[Mention]], relevant: Callable[[str], bool]) -> set[str]:
        """The subjects an answer (its sentences' mentions in order) says another subject's things of; a
        subject holds to the end of the sentence it is named in."""
        said: dict[str, set[str]] = {}
        for mentions in sentences:
            for subject, terms in _tie(mentions, self.aliases, relevant, None).items():
                said.setdefault(subject, set()).update(terms)
        found = set()
        for subject, terms in said.items():
            mine = terms & self.own.get(subject, frozenset())
            theirs = {t for other, own in self.own.items() if other != subject for t in terms & own}
            if (
                len(theirs) >= SWAPPED_TERMS
                and len(theirs) > SWAPPED_RATIO * len(mine)
                and len(theirs) >= SWAPPED_SHARE * len(terms)
            ):
                found.add(subject)
        return found


NO_BINDINGS = Bindings({}, {}, ())


def compared(
    question: str, question_words: Iterable[str], mentions: Callable[[str], Sequence[Mention]]
) -> tuple[str, ...]:
    """The two things a question compares: "the differences between BERT and GPT (from the viewpoint
    of SSL)", "机器学习和元学习的区别", "compare DAE with BERT": the terms either side of its first "and" (or "with")
    when it asks to compare; or the two it asks to define side by side ("What is white-box attack and
    black-box attack?", "白盒攻击和黑盒攻击分别是什么"), when nothing more follows the second."""
    comparing = not _COMPARING.isdisjoint(word.strip().lower() for word in question_words)
    defining = _DEFINING.search(question) is not None
    if not comparing and not defining:
        return ()
    parts = _AND.split(question, maxsplit=1)
    if len(parts) != 2:
        return ()
    before, after = mentions(parts[0]), mentions(parts[1])
    if not comparing and (len(after) > 2 or _ASKING.match(parts[1])):
        return ()  # "What is A and how is it trained": not two things asked side by side
    if len(before) >= 2 and len(after) == 2 and before[-1].concept == after[1].concept:
        before = before[:-1]  # "white-box attack and black-box attack": what tells them apart
    if not before or not after or before[-1].concept == after[0].concept:
        return ()
    return before[-1].concept, after[0].concept


def bind(
    points: Sequence[tuple[str, Sequence[Mention]]],
    label_mentions: Callable[[str], Sequence[Mention]],
    subjects: Iterable[str],
    relevant: Callable[[str], bool],
) -> Bindings:
    """The bindings of a reference given as points (text and mentions in order): the `subjects` a
    question compares, when the reference names both, else the points' labels."""
    aliases: dict[str, str] = {}
    labels: list[str | None] = [None] * len(points)
    named = {m.concept for _, mentions in points for m in mentions}
    subjects = [concept for concept in subjects if concept in named and relevant(concept)]
    by_label = len(subjects) != 2
    if not by_label:
        aliases = {concept: concept for concept in subjects}
    else:  # the items' labels
        aliases, labels = {}, []
        for text, _ in points:
            match = _LABEL.match(text)
            subject = None
            if match:
                label = re.split("[:：]", match.group(0))[-2]  # the last: what the item is about
                names = [m.concept for m in label_mentions(label) if relevant(m.concept)]
                if 0 < len(names) <= LABEL_TERMS:
                    subject = aliases.setdefault(names[0], names[0])
                    for name in names[1:]:
                        aliases.setdefault(name, subject)
            labels.append(subject)
    if len(set(aliases.values())) < 2:
        return NO_BINDINGS
    tied: dict[str, set[str]] = {}
    of_point: list[frozenset[str]] = []
    current: str | None = None
    for (_, mentions), label in zip(points, labels, strict=True):
        if label is not None:
            current = label
        said = _tie(mentions, aliases, relevant, current)
        for subject, terms in said.items():
            tied.setdefault(subject, set()).update(terms)
        of_point.append(frozenset(subject for subject, terms in said.items() if terms))
        # a label holds for its item's sentences; a subject named in a point, to the point's end
        current = _last_subject(mentions, aliases, current) if by_label else None
    own = {
        subject: frozenset(terms - {t for other, ts in tied.items() if other != subject for t in ts})
        for subject, terms in tied.items()
    }
    own = {subject: terms for subject, terms in own.items() if terms}
    if len(own) < 2:
        return NO_BINDINGS
    return Bindings(aliases, own, tuple(of_point))


def _tie(
    mentions: Sequence[Mention],
    aliases: dict[str, str],
    relevant: Callable[[str], bool],
    current: str | None,
) -> dict[str, set[str]]:
    """Each subject and the terms said of it (affirmed, specific, not a subject) in these mentions. Terms
    after subjects named together (`BERT和GPT都…`, `多任务学习、元学习都…`) are said of them all: of none alone;
    a subject named under a negation (`unlike GPT`, `与GPT不同`) is not what the terms after it are said of."""
    said: dict[str, set[str]] = {}
    together = False  # the last mention was a subject too
    for mention in mentions:
        subject = aliases.get(mention.concept)
        if subject is not None and mention.negated:  # "BERT, unlike GPT, is bidirectional": still BERT
            continue
        if subject is not None:
            if together and subject != current:
                current = None  # a list of subjects
            elif not together or current is not None:
                current = subject
            together = True
            said.setdefault(subject, set())
        elif relevant(mention.concept):
            together = False
            if current is not None and not mention.negated:
                said.setdefault(current, set()).add(mention.concept)
    return said


def _last_subject(mentions: Sequence[Mention], aliases: dict[str, str], current: str | None) -> str | None:
    """The subject the next point goes on about: the last one these mentions name, else `current`."""
    for mention in reversed(mentions):
        if mention.concept in aliases and not mention.negated:
            return aliases[mention.concept]
    return current
