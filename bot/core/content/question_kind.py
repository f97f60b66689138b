"""What kind of answer a question wants, and how many items it asks for.

Wrong options must answer the same kind of question as the right one (a definition for "what is",
steps or a method for "how", a reason for "why", a list for "which ... / list ..."): an option of
another kind is ruled out unread. A question asking for N items ("List two kinds of ...", "三个步骤")
needs a right option with at least N items, and wrong options with as many. A stem cut off mid-way
(an unclosed bracket, `「…中讲到」`) is no question to ask.
"""

from __future__ import annotations

import re

DEFINE, HOW, WHY, LIST, NAME, OTHER = "define", "how", "why", "list", "name", "other"

_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
}  # fmt: skip
_EN_COUNT = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|[2-9])\s+(?:\w+\s+){0,2}?"
    r"(?:kinds?|ways?|types?|steps?|methods?|approaches|reasons?|advantages?|disadvantages?|examples?|"
    r"categories|components?|parts?|stages?|phases?|properties|features?|factors?|techniques?|points?|"
    r"strategies|problems?|challenges?|aspects?|items?|elements?|models?|layers?|losses|goals?|tasks?)\b",
    re.IGNORECASE,
)
_ZH_COUNT = re.compile(r"([两二三四五六七八九十2-9])\s*(?:个|种|类|点|步|大|条|项|方面|部分|阶段|方法)")
_NAME = re.compile(r"\bfull\s+name\b|\bstand\s+for\b|全称|缩写", re.IGNORECASE)
_WHY = re.compile(r"^why\b|\bwhy\b|为什么|为何|原因|何以", re.IGNORECASE)
_HOW = re.compile(
    r"^how\b|\bhow\s+(?:to|do|does|did|can|could|should|is|are)\b|\bsteps?\b|\bprocedure\b|\bprocess\b|"
    r"如何|怎么|怎样|步骤|流程|过程",
    re.IGNORECASE,
)
_LIST = re.compile(
    r"^list\b|\blist\s+(?:at\s+least|some|the|two|three|four|five|\d)|\bwhich\b|\bname\s+(?:some|the|two|three)|"
    r"\bwhat\s+are\s+(?:the\s+)?(?:\w+\s+){0,2}(?:kinds|types|ways|methods|approaches|advantages|components)\b|"
    r"哪些|哪几|有几种|几类|列举|要点",
    re.IGNORECASE,
)
_DEFINE = re.compile(
    r"^(?:请问)?(?:what\s+(?:is|are|does)|define\b|什么是|何为|何谓)|是什么|是指什么|的定义|的含义|的概念|"
    r"^(?:please\s+)?(?:explain|describe)\b|^(?:请)?(?:简述|介绍|解释)|"
    r"\bmeaning\s+of\b|\bdefinition\s+of\b",
    re.IGNORECASE,
)
_OPEN = "([（【「《“"
_CLOSE = ")]）】」》”"
_BRACKET = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")
_CUT_QUOTE = re.compile(r"[「“\"][^」”\"]{0,80}(?:讲到|提到|谈到|说到|指出|认为|表示|中说|说)[」”\"]")


def question_kind(question: str) -> str:
    """`name` (a full name), `why`, `how`, `list`, `define` or `other`, tried in that order."""
    for kind, pattern in ((NAME, _NAME), (WHY, _WHY), (HOW, _HOW), (LIST, _LIST), (DEFINE, _DEFINE)):
        if pattern.search(question):
            return kind
    return OTHER


def asked_count(question: str) -> int | None:
    """How many items the question asks for (`List at least four ways` -> 4, `两种` -> 2), if it says."""
    found = _EN_COUNT.search(question) or _ZH_COUNT.search(question)
    if not found:
        return None
    word = found.group(1).lower()
    return int(word) if word.isdigit() else _NUMBERS[word]


def stem_cut_off(question: str) -> bool:
    """True for a stem that stops mid-way: an unclosed bracket, or a quoted clause that ends in a verb of
    saying (`「华刚的Video Imprint中讲到」有哪些要点？`)."""
    return not balanced(question) or bool(_CUT_QUOTE.search(question))


def balanced(text: str) -> bool:
    """True when every bracket or quote opened in `text` is closed, in order."""
    if not _BRACKET.search(text):
        return True  # the usual case, without a loop over characters
    depth = 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
