"""Kinds: which of several kinds that exclude one another a text names (the data a method is for, the
network it is built on, the shape of its data: sequences, images or graphs).

Key terms cannot tell "卷积神经网络是一种用于处理图像数据的神经网络" from the wrong "CNN 是一种主要处理文本和
时间序列的循环网络": both name the network and the data. What differs is which kind of data. Claims
(`claims.py`) read which way a text goes on an axis with two poles; a kind has several members, and naming
one of them where the reference names another is the same mistake. The members are spelled in both
languages and resolved through the grader's lexicon, so the notes' own pairs count (`CNN` is
`卷积神经网络`).

The grader (`keypoints.py`) compares a reference's point with the whole answer: a point naming some
members of a kind, met by an answer that names others of that kind (not negated) and none of the point's,
is answered the wrong way. A member the question names counts as named by the answer ("什么是强化学习"
answered by contrast with supervised learning), members the reference names in another point do not
count against it (a comparison of CNN and RNN), nor does a point that only gives an example (`例如在 NLP 领域…`): an answer may
well take its example from elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from bot.core.grading.terms import Mention, is_chinese

# each kind: its members, each a set of spellings that name it
KINDS: tuple[tuple[str, ...], ...] = (
    (  # the data a method is for
        "图像 | image | images | 图片 | 视觉 | vision | visual | 计算机视觉 | computer vision",
        "文本 | text | 文字 | 自然语言 | natural language | 自然语言处理 | NLP",
        "音频 | audio | 语音 | speech | 声音",
        "视频 | video",
    ),
    (  # how it learns
        "监督学习 | 有监督学习 | supervised learning",
        "无监督学习 | 非监督学习 | unsupervised learning",
        "强化学习 | reinforcement learning",
    ),
    (  # the network it is built on
        "卷积神经网络 | CNN | convolutional neural network | 卷积网络",
        "循环神经网络 | RNN | recurrent neural network | 循环网络",  # not LSTM: "什么是LSTM" names no RNN
        "自注意力 | 自注意力机制 | self-attention",  # not Transformer: its stem is the verb transform's
    ),
    (  # how a model fails to fit
        "过拟合 | overfitting | overfit",
        "欠拟合 | underfitting | underfit",
    ),
    (  # the shape of the data: text is a sequence, so it is no member here
        "序列 | 序列数据 | sequence | sequences | 时间序列 | time series | 时序数据",
        "图像 | image | images | 图片 | 网格数据",
        "图结构 | 图结构数据 | 图数据 | graph | graphs | graph-structured",
    ),
)
# a point that gives examples: 例如, 比如, "在如强化学习等…", "（如文本、图像…）", e.g., such as
EXAMPLE = re.compile(
    r"例如|比如|举例|譬如|诸如|(?:^|[，,（(在])如(?![果何此今下同])|\be\.g\.|\bfor example\b|\bfor instance\b"
    r"|\bsuch as\b",
    re.I,
)

Mentions = Callable[[str], Sequence[Mention]]


class Kinds:
    """The kinds, their members resolved to the lexicon's concepts. A spelling the lexicon reads as two
    terms names the member when the two come in a row (`图结构` is 图 + 结构); one it reads as more is left
    out (it would name something wider), and so is a concept one of whose spellings is a single Chinese
    character (`graph` is 图, which a Chinese answer uses for any picture)."""

    def __init__(
        self,
        mentions: Mentions,
        kinds: Iterable[Sequence[str]] = KINDS,
        forms: Callable[[str], Iterable[str]] = lambda concept: (concept,),
    ) -> None:
        self._members: dict[tuple[str, ...], dict[int, int]] = {}  # concepts in a row -> {kind: member}
        for kind, members in enumerate(kinds):
            for member, spellings in enumerate(members):
                for spelling in spellings.split("|"):
                    read = tuple(mention.concept for mention in mentions(spelling.strip()))
                    ambiguous = len(read) == 1 and any(
                        len(form) == 1 and is_chinese(form) for form in forms(read[0])
                    )
                    if 1 <= len(read) <= 2 and not ambiguous:
                        self._members.setdefault(read, {}).setdefault(kind, member)

    def named(self, mentions: Iterable[Mention]) -> dict[int, frozenset[int]]:
        """Per kind, the members the mentions name (not negated)."""
        found: dict[int, set[int]] = {}
        previous: Mention | None = None
        for mention in mentions:
            if not mention.negated:
                places = dict(self._members.get((mention.concept,), {}))
                if previous is not None and not previous.negated:
                    places.update(self._members.get((previous.concept, mention.concept), {}))
                for kind, member in places.items():
                    found.setdefault(kind, set()).add(member)
            previous = mention
        return {kind: frozenset(members) for kind, members in found.items()}

    def of_points(self, texts: Sequence[str], mentions: Mentions) -> tuple[dict[int, frozenset[int]], ...]:
        """Per point, the members it names; nothing for a point that only gives an example."""
        return tuple({} if EXAMPLE.search(text) else self.named(mentions(text)) for text in texts)


def wrong_kinds(
    points: Sequence[dict[int, frozenset[int]]],
    answer: dict[int, frozenset[int]],
    asked: dict[int, frozenset[int]],
) -> set[int]:
    """The points the answer names another member of a kind for, and none of the point's. What the
    question names (`asked`) the answer need not repeat: "什么是强化学习" answered "和监督学习不一样，靠奖励…"
    is about reinforcement learning all the same."""
    wrong = set()
    for index, named in enumerate(points):
        for kind, members in named.items():
            elsewhere = {
                m for other, there in enumerate(points) if other != index for m in there.get(kind, ())
            }
            given = answer.get(kind, frozenset())
            if given - elsewhere and not (given | asked.get(kind, frozenset())) & members:
                wrong.add(index)
    return wrong
