"""What a question asks: its subject (the term it is about), its parts, and whether it asks to pick one.

Used by the multiple-choice gate and by the choice of distractors: a question in several parts needs
an option covering every part; a comparison ("which one is stricter?") keeps the compared terms in
its option; and a distractor that mentions the question's subject, or a card asking about the same
term, could be right as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.content.markdown import strip_enumerator
from bot.core.content.option_text import content_units, plain
from bot.core.content.option_text import key as normalise

_PAREN_TERM = re.compile(r"[（(]([^（()）]{2,80})[)）]")
_ZH_ASKED = re.compile(r"(?:什么是|何为|何谓|解释一下|解释|简述|介绍一下|介绍)([^？?，,。（(]{2,30})")
_ZH_ASPECT = re.compile(r"的(?:概念|定义|含义|原理|作用|意义|思想|核心思想)$")
_ZH_ASKED_AFTER = re.compile(r"^([^？?，,。（(]{2,30}?)(?:是什么|是指什么|指的是什么|有什么|有哪些|的定义)")
_EN_ASKED = re.compile(
    r"\b(?:what|who)\s+(?:is|are|was|were)\s+(?:the\s+|an?\s+)?([^?,;]{2,80}?)\s*(?:\?|$|\(|,)", re.IGNORECASE
)
_EN_HOW = re.compile(
    r"\bhow\s+to\s+(?:realize|realise|do|implement|conduct|define|understand|compute|build|train|achieve)\s+"
    r"(?:the\s+|an?\s+)?([^?,;]{2,60}?)(?:\s+(?:by|with|using|in|for|through|while|from)\b|\s*\?|$)",
    re.IGNORECASE,
)
_ZH_HOW = re.compile(r"(?:如何|怎样|怎么)(?:实现|进行|做|理解|定义)([^？?，,。]{2,30})")
_QUOTED = re.compile(r"[「“\"]([^」”\"]{2,60})[」”\"]")
_QUESTION_MARKS = re.compile(r"[?？]")
_TRAILING_NOTE = re.compile(r"[（(][^（()）]{0,20}[)）]\s*$")
_EN_CLAUSE = re.compile(
    r"[,;]?\s+(?:and|also|then)\s+(?=(?:give|list|name|explain|describe|clarify|state|how|what|why|when|where|"
    r"which|who|compare|discuss|illustrate|provide|show|write|define|derive|analy[sz]e)\b)",
    re.IGNORECASE,
)
_ZH_CLAUSE = re.compile(r"[，,；;]\s*(?:以及|并且|并|同时|另外|还有|再)(?=[\u4e00-\u9fff])")
_EN_TWO_THINGS = re.compile(
    r"^(?:what|who)\s+(?:is|are)\s+(?:the\s+)?(.{2,80}?)\s+and\s+(.{2,80}?)\s*\??$", re.IGNORECASE
)
_ZH_TWO_THINGS = re.compile(
    r"^(?:请问)?(?:什么是|何为|何谓|解释|简述)([^和与及，,]{2,40}?)(?:和|与|及|以及)([^，,？?]{2,40}?)[？?。]?$"
)
_EN_COMPARE = re.compile(
    r"\bcompare\s+(?:the\s+)?(.{2,80}?)\s+(?:and|with|to)\s+(.{2,80}?)(?:\s+(?:and|while|when|in)\b|[,.?]|$)",
    re.IGNORECASE,
)
_EN_PAIRED = re.compile(
    r"\b([A-Za-z][\w-]{0,30})\s+([A-Za-z]{3,30})\s+(?:and|or|vs\.?|versus)\s+([A-Za-z][\w-]{0,30})\s+\2\b"
)
_CHOICE = re.compile(
    r"\bwhich\s+(?:one|is|are|of)\b|\bwhich\b.{0,40}\b(?:better|stricter|more|less|faster|larger|smaller)\b"
    r"|哪个|哪一个|哪一种|哪种更|谁更|更(?:好|严格|重要|快|大|小|适合)",
    re.IGNORECASE,
)
# pairs of sides a question may ask for together; an option must speak to both
# "give an example" asks for no separate part a multiple-choice option could cover
_INSTRUCTION = re.compile(
    r"^[。.!！\s]*(?:请)?(?:举例说明|举例|举个例子|试举例)[。.!！]*$|^(?:please\s+)?give\s+(?:an\s+)?examples?\W*$",
    re.I,
)
_SIDES: tuple[tuple[re.Pattern[str], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        re.compile(
            r"优缺点|优劣|利弊|优点.{0,6}缺点|优势.{0,6}(?:劣势|缺点|不足)|"
            r"advantages?\s+and\s+disadvantages?|pros\s+and\s+cons|strengths?\s+and\s+weakness",
            re.I,
        ),
        ("优", "好处", "利", "advantage", "pro", "strength", "benefit"),
        ("缺", "劣", "不足", "弊", "disadvantage", "con", "weakness", "drawback", "limitation"),
    ),
    (
        re.compile(
            r"异同|区别.{0,3}联系|联系.{0,3}区别|相同.{0,3}不同|共同点|differences?\s+and\s+"
            r"(?:similarities|common|connections?)|similarities\s+and\s+differences",
            re.I,
        ),
        ("区别", "不同", "差异", "异", "differ", "unlike", "whereas"),
        ("联系", "相同", "共同", "都", "相似", "同样", "similar", "common", "both", "same"),
    ),
)
_GENERIC = frozenset(
    "what how why which who explain describe list give name state clarify compare discuss please one two three "
    "some least way ways method methods example examples idea mean meaning main key realize realise use using "
    "do does try its it their there difference differences between".split()
) | frozenset(
    "什么 是什 哪些 如何 怎么 怎样 为什 么？ 请问 请简 简要 要解 解释 说明 列举 举例 例说 请列 请举 请讨 讨论 "
    "以及 其中 主要 分别 一下 是否 有哪 有什 哪几 几种 几大 大类 么是".split()
)


COVERED = 0.4
SUBJECT_MAX = 30  # longer "subjects" are clauses, not terms
QUESTION_MAX = 1000  # longer "questions" are read by their start: the patterns stay cheap

_GENERIC_CHARS = frozenset("请简要解释说明列举讨论哪些什么如何怎样为何几种可能它们其")


@dataclass(frozen=True, slots=True)
class QuestionShape:
    """The parts of a question, the names of what it asks about, and whether it asks to choose."""

    text: str  # the question as plain text, without its number
    parts: tuple[str, ...]
    subjects: tuple[str, ...]  # normalised names of the asked term, e.g. ("图神经网络", "graphneuralnetwork")
    sides: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # e.g. advantages and disadvantages
    choice: bool

    @property
    def multi_part(self) -> bool:
        return len(self.parts) > 1 or bool(self.sides)


def question_shape(question: str) -> QuestionShape:
    text = strip_enumerator(plain(question[:QUESTION_MAX]))
    core = _TRAILING_NOTE.sub("", text).strip()  # `…?(非重点)`, `(optional)`
    return QuestionShape(text, _parts(core), _subjects(core), _sides(core), bool(_CHOICE.search(core)))


def distinctive_units(part: str, others: tuple[str, ...]) -> frozenset[str]:
    """Words and Chinese characters of one part of a question that the other parts do not have, question
    words left out."""
    shared: set[str] = set()
    for other in others:
        shared |= content_units(other)
    return frozenset(content_units(part) - shared - _GENERIC - _GENERIC_CHARS)


def covers(option_text: str, shape: QuestionShape) -> bool:
    """True when an option speaks to every part of the question (and to both sides it asks for): it has
    at least COVERED of the words or Chinese characters that set each part apart from the others."""
    option_units = content_units(option_text)
    lowered = option_text.lower()
    for first, second in shape.sides:
        if not (any(word in lowered for word in first) and any(word in lowered for word in second)):
            return False
    for index, part in enumerate(shape.parts):
        others = shape.parts[:index] + shape.parts[index + 1 :]
        own = distinctive_units(part, others)
        if len(shape.parts) > 1 and (not own or len(own & option_units) < COVERED * len(own)):
            return False
    return True


def _parts(text: str) -> tuple[str, ...]:
    pieces = [p.strip() for p in _QUESTION_MARKS.split(text)]
    pieces = [p for p in pieces if len(normalise(p)) >= 4]
    parts: list[str] = []
    for piece in pieces or [text]:
        for clause in _EN_CLAUSE.split(piece):
            parts.extend(c.strip() for c in _ZH_CLAUSE.split(clause) if len(normalise(c)) >= 2)
    if len(parts) == 1:
        paired = _EN_PAIRED.search(parts[0])  # `local explanation and global explanation`
        two = _EN_TWO_THINGS.match(parts[0]) or _EN_COMPARE.search(parts[0]) or _ZH_TWO_THINGS.match(parts[0])
        if paired:
            parts = [f"{paired.group(1)} {paired.group(2)}", f"{paired.group(3)} {paired.group(2)}"]
        elif two and "between" not in parts[0].lower():
            parts = [two.group(1), two.group(2)]
    parts = [part for part in parts if not _INSTRUCTION.match(part)]
    return tuple(parts) or (text,)


def _sides(text: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    return tuple((first, second) for pattern, first, second in _SIDES if pattern.search(text))


def _subjects(text: str) -> tuple[str, ...]:
    """Normalised names of the term asked about: the bilingual gloss in brackets and the term itself."""
    names: list[str] = []
    for pattern in (_ZH_ASKED, _EN_ASKED, _QUOTED, _ZH_ASKED_AFTER, _EN_HOW, _ZH_HOW):
        match = pattern.search(text)
        if match:
            names.extend(re.split(r"\s+(?:and|or)\s+|和|与|及", match.group(1)))
    names = [_ZH_ASPECT.sub("", name) for name in names]
    for gloss in _PAREN_TERM.findall(text):
        names.extend(piece for piece in re.split(r"[，,、/]", gloss))
    found: list[str] = []
    for name in names:
        key = normalise(re.sub(r"^(?:the|an?)\s+", "", name.strip(), flags=re.IGNORECASE))
        long_enough = len(key) >= 2 if not key.isascii() else len(key) >= 3
        if long_enough and len(key) <= SUBJECT_MAX and key not in found and key not in _GENERIC_SUBJECTS:
            found.append(key)
    return tuple(found)


_GENERIC_SUBJECTS = frozenset({"optional", "非重点", "选做", "重点", "可选", "the", "it", "this"})
