"""Stated values: the number a text gives each name it asks about ("N: 1623, K: 20", "K 是 20").

"In Omniglot there are 1623 characters with 20 examples each; what are N and K in N-way K-shot?" has the
reference "N: 1623, K: 20". Key terms cannot tell "N is 1623 and K is 20" from the swapped "N is 20 and K
is 1623": both name the same numbers, and the numbers are the question's own. What differs is which name
each number is given. This module reads a text's `name: number` statements (`N: 1623`, `K = 20`,
`K is 20`, `N 为 1623`, `学习率是 0.001`), names compared without case and numbers by value (`1,623` is
`1623`, `20.0` is `20`).

Only the names the question asks about count ("What is N and K", "学习率取多少"), so a value the
reference states in passing ("batch size = 32" in a long answer) is not held against an answer. The
grader (`keypoints.py`) makes the asked values a key point of their own, as weighty as the reference's
weightiest: each value given right covers part of it, each given wrong counts against it, and an answer
that gives values and none of them right earns at most the cap a wrong yes or no does.
"""

from __future__ import annotations

import re
from decimal import Decimal

# a short name (a letter-led token or up to six CJK characters), a link, a number not a list mark (1、 1))
_STATED = re.compile(
    r"(?<![A-Za-z0-9_?&=/.\-{}$^\\])([A-Za-z][A-Za-z0-9_]{0,11}|[\u4e00-\u9fff]{1,6})"
    r"[ \t]*(?:[:：=]|[ \t](?:is|are|equals|would be|should be|will be)[ \t]"
    r"|(?:通常|一般|大约|应该|可以|应|约|被)?[ \t]*(?:设置为|设为|取为|取值为|取|为|是|等于))[ \t]*"
    r"(\d+(?:,\d{3})*(?:\.\d+)?)(?![\d、)）}$]|\.\d)",
    re.I,
)
# names that number steps or examples (`Step 1:`, `过程：1.`), never a value asked for
_ORDINAL = frozenset(
    "step steps stage phase part case example examples round chapter section figure fig table item "
    "version v this that it its there here which what answer result total 第 步骤 过程 阶段 例子 例如 比如 方法 图 表".split()
)
# a question that asks for a number ("how many", "多少"), or for what a symbol is ("What is N and K")
_ASKS_NUMBER = re.compile(r"\b(?:how (?:many|much|large|big)|values? of)\b|多少|几(?!乎|何|种|类)|取值", re.I)
_ASKS_WHAT = re.compile(r"\bwhat (?:is|are|would be|should be)\b|是什么|分别是|等于", re.I)
SYMBOL_CHARS = 3  # a name this short (N, K, lr) is a symbol: "what is N" asks for its value
# words between a Chinese name and its link (`学习率通常设为`, `K 一般取`)
_LEADING_TO_LINK = re.compile(r"(?:通常|一般|大约|应该|可以|应|约|被)?(?:设|取|定|选)?$")


def stated(text: str) -> dict[str, float]:
    """Every `name: number` the text states, each name as first written; a name stated twice (in any case)
    keeps its first value."""
    values: dict[str, float] = {}
    seen: set[str] = set()
    for name, number in _STATED.findall(text):
        name = name if name.isascii() else _LEADING_TO_LINK.sub("", name)
        if not name or name.lower() in _ORDINAL or name.lower() in seen:
            continue
        seen.add(name.lower())
        values[name] = float(number.replace(",", ""))
    return values


def asked_values(question: str, reference: str) -> dict[str, float]:
    """The values the reference states for names the question names and asks a number of ("What is N and
    K", "学习率取多少"); a Chinese name is kept as its longest ending the question names (`初始学习率设为`
    -> `学习率`). A question that asks no number ("什么是协方差", "Explain the Batch_Size value") asks none."""
    numbers = bool(_ASKS_NUMBER.search(question))
    symbols = numbers or bool(_ASKS_WHAT.search(question))
    if not symbols:
        return {}
    named = {word.lower() for word in re.findall(r"[A-Za-z][A-Za-z0-9_]*", question)}
    chinese = "".join(re.findall(r"[\u4e00-\u9fff]+", question))
    wanted: dict[str, float] = {}
    for name, value in stated(reference).items():
        if name.isascii():
            if name.lower() in named and (numbers or len(name) <= SYMBOL_CHARS):
                wanted.setdefault(name, value)
            continue
        if not numbers:
            continue
        ending = next((name[i:] for i in range(len(name) - 1) if name[i:] in chinese), None)
        if ending is not None:
            wanted.setdefault(ending, value)
    return wanted


def spelled(values: dict[str, float]) -> str:
    """The values as the grader lists them: `N: 1623, K: 20`."""
    return ", ".join(f"{name}: {_number(value)}" for name, value in values.items())


def _number(value: float) -> str:
    """A value as a learner writes it: `1623`, `0.00002` (not `1623.0`, `2e-05`)."""
    written = format(Decimal(repr(value)), "f")
    return written[:-2] if written.endswith(".0") else written


def compare(wanted: dict[str, float], answer: str) -> tuple[int, int]:
    """How many of the wanted values the answer gives right, and how many it gives wrong (a Chinese name
    the answer states is read by its ending: `所以学习率` states `学习率`)."""
    given = {name.lower(): value for name, value in stated(answer).items()}
    right = wrong = 0
    for name, value in wanted.items():
        said = [v for g, v in given.items() if g == name.lower() or (not name.isascii() and g.endswith(name))]
        if said:
            right += said[0] == value
            wrong += said[0] != value
    return right, wrong
