"""Whether a card makes a fair multiple-choice question, and if not, why (shown by `content check --json`).

The right option is the gist of the card's answer. It must be a self-contained answer: not a
non-answer ("Yes", "没有讲授", "开放性问题", "略", "见上"), not a bare name, not under four letters or
digits, not only an image placeholder, URL, formula, entity or citation; not a restatement of the
question; it keeps the term a comparison asks about; and it covers every part of a question asked
in several parts. A card that fails stays a flashcard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.content.markdown import terms
from bot.core.content.option_text import content_units
from bot.core.content.option_text import key as normalise
from bot.core.content.question_kind import stem_cut_off
from bot.core.content.question_shape import QuestionShape, covers

MIN_MEANINGFUL = 4  # letters and digits an option needs to say anything
FRAGMENT_MAX = 12
TAUTOLOGY_MIN = 12  # shorter options (`N:1623, K: 20`) may well be made of the question's own words  # a citation, URL or formula with at most this much text beside it is a fragment

_NON_ANSWERS = frozenset(
    normalise(text)
    for text in (
        "yes", "no", "yeah", "nope", "true", "false", "是", "否", "是的", "不是", "对", "不对", "可以", "不可以",
        "能", "不能", "没有讲授", "未讲授", "没讲", "没有讲", "不讲", "课上未讲", "开放性问题", "开放问题", "开放题",
        "略", "见上", "同上", "见下", "见上文", "见前文", "见下文", "参见上文", "待补充", "待完善", "未完待续", "无",
        "暂无", "todo", "tbd", "tbc", "n/a", "none", "not covered", "not taught", "open question", "open-ended",
        "see above", "see below", "omitted", "skip", "same as above", "非重点", "不作要求", "不考",
    )
)  # fmt: skip
_YES_NO_LEAD = re.compile(
    r"^(?:yes|no|yeah|nope)\b[\s,.!;:，。！；：]|^(?:是的|不是|不对|不能|可以|不可以)[，,。！!；;\s]", re.I
)
_NOT_COVERED = re.compile(
    r"没有讲授|未讲授|没有讲|课上没讲|开放性问题|开放问题|not covered|open question", re.I
)
_PERSON_ZH = re.compile(r"^[\u4e00-\u9fff]{1,4}(?:老师|教授|博士|同学|先生|女士|院士)$")
_PERSON_EN = re.compile(r"^(?:prof\.?|professor|dr\.?)\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}$", re.I)
_NAME_EN = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}$")
_WHO = re.compile(r"\bwho\b|谁|哪位", re.I)
_MAYBE_FRAGMENT = re.compile(r"[\[【&$\\_^]|https?:|www\.", re.I)  # a character every fragment pattern needs
_PLACEHOLDER = re.compile(r"\[(?:图片|image|img|figure|图)[^\]\n]{0,200}\]", re.I)
_URL = re.compile(r"(?:https?://|www\.)\S{1,2000}", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});?", re.I)
_CITATION = re.compile(
    r"【\d{1,4}(?:[,，-]\d{1,4}){0,8}】|\[\d{1,4}(?:[,，-]\d{1,4}){0,8}\]|\[\^[^\]\s]{1,40}\]"
)
# `“属性嵌入+词嵌入”方法是零样本学习的一种常用方法`: names the asked method, says nothing of it
_EMPTY_DEFINITION = re.compile(
    r"(?:是|为)[^，,。；;]{0,20}?(?:的)?一种(?:常用|常见|重要|有效|主要|典型)?的?(?:方法|技术|手段|方式|思路)$|"
    r"\bis\s+(?:a|an|one)\s+(?:common|popular|usual|typical|important|effective)?\s*(?:method|technique|approach|way)"
    r"(?:\s+(?:of|for|in)\s+[\w -]{1,40})?$",
    re.I,
)
_LATEX = re.compile(r"\$\$?[^$\n]{0,2000}\$?\$|\\[A-Za-z]{1,20}|[_^]\{[^{}\n]{0,200}\}")


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a card gets multiple choice; `rule` names the rule it failed and `reason` says it in words."""

    ok: bool
    rule: str | None = None
    reason: str | None = None

    def as_json(self) -> dict:
        return {"ok": self.ok, "rule": self.rule, "reason": self.reason}


FAIR = Verdict(True)


def option_verdict(gist: str | None, question: str) -> Verdict:
    """The rules on the option alone: is it an answer at all? (Also applied to every distractor.)"""
    if not gist or not normalise(gist):
        return Verdict(False, "no_answer", "the answer has no text to make an option from")
    key = normalise(gist)
    if key in _NON_ANSWERS or _YES_NO_LEAD.match(gist) or (len(key) <= 12 and _NOT_COVERED.search(gist)):
        return Verdict(False, "non_answer", f"the answer is not an answer: {gist[:40]!r}")
    stripped = gist
    if _MAYBE_FRAGMENT.search(gist):
        for pattern in (_PLACEHOLDER, _URL, _ENTITY, _CITATION, _LATEX):
            stripped = pattern.sub(" ", stripped)
    left = normalise(stripped)
    if left != key and len(left) <= FRAGMENT_MAX:
        return Verdict(
            False,
            "fragment",
            f"the answer is only an image, URL, formula or citation fragment: {gist[:40]!r}",
        )
    if len(key) < MIN_MEANINGFUL:
        return Verdict(False, "too_short", f"the answer is too short to stand alone: {gist!r}")
    bare = gist.strip(" .。")
    english_name = bool(_NAME_EN.match(bare)) and _looks_like_person(bare)
    if not _WHO.search(question) and (_PERSON_ZH.match(bare) or _PERSON_EN.match(bare) or english_name):
        return Verdict(False, "bare_name", f"the answer is only a name: {gist!r}")
    return FAIR


def card_verdict(
    gist: str | None,
    question: str,
    shape: QuestionShape,
    option: Verdict | None = None,
    known_terms: tuple[frozenset[str], frozenset[str]] | None = None,
) -> Verdict:
    """All the rules for the right option of a card whose question has this shape (`option`: the option
    rules' verdict and `known_terms`: the gist's and the question's terms, where already worked out)."""
    verdict = option or option_verdict(gist, question)
    if not verdict.ok:
        return verdict
    assert gist is not None
    gist_terms, asked = known_terms or (terms(gist), terms(question))
    if shape.multi_part and not covers(gist, shape):
        return Verdict(
            False,
            "multi_part",
            f"the question asks {max(len(shape.parts), 2)} things and the option does not cover them all",
        )
    if shape.choice and not gist_terms & asked:
        return Verdict(False, "cut_term", "the option leaves out the term the comparison asks about")
    units = content_units(gist)
    novel = units - content_units(question)
    if len(units) >= 2 and not shape.choice and (len(novel) <= 1 or len(novel) * 4 < len(units)):
        return Verdict(False, "tautology", "the option only restates the question")
    if _EMPTY_DEFINITION.search(gist):
        return Verdict(False, "tautology", "the option only says the thing asked about is a method")
    return FAIR


def completeness_verdict(problem: str | None, question: str, items: int, asked: int | None) -> Verdict:
    """The rules on the whole of the answer: the option is the whole gist (`problem` from `gist_of`), the
    stem is whole, and the option lists at least as many items as the question asks for."""
    if stem_cut_off(question):
        return Verdict(False, "cut_stem", "the question itself is cut off")
    if problem == "partial_list":
        return Verdict(False, "partial_list", "the answer is a list whose items do not all fit in one option")
    if problem == "cut_off":
        return Verdict(False, "cut_off", "the option would stop mid-sentence or only lead into what follows")
    if problem == "dangling":
        return Verdict(False, "dangling", "the option opens on a pronoun and names nothing by itself")
    if asked is not None and items < asked:
        return Verdict(
            False, "too_few_items", f"the question asks for {asked} items and the option has {items}"
        )
    return FAIR


def _looks_like_person(text: str) -> bool:
    """Two or three capitalised words that are not a technical term (`Hung-yi Lee`, not `Voice Conversion`)."""
    technical = re.compile(
        r"(?:tion|sion|ment|ing|ity|ness|ance|ence|ics|ism|ure|al|er|or|ive|ous|nce|ogy|ata|set|net|work)$",
        re.I,
    )
    return not any(technical.search(word) for word in re.split(r"[ -]", text))
