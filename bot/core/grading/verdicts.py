"""Yes or no: the verdict a reference gives a yes/no question, and the one an answer gives.

"Can we learn the data augmentation?" has the reference "Yes! …". A student who answers "可以，数据增强的
策略是可以学出来的" has the one thing the question asks, yet shares no key term with "Yes", and one who
answers "不行，…只能人工设计" has it the wrong way round. Key terms cannot see either. This module reads
the verdict that opens a text, in both languages. It looks for a yes or no word that stands alone in the
first clause ("Yes!", "No, …", "可以，…", "不能学，…", "We can.") and returns +1 or -1.

A reference's verdict counts only when its question asks yes or no ("Can we…?", "…, is it…?", "…吗？",
"能否…？"): "是一种…" opens many definitions. The grader (`keypoints.py`) treats the verdict as a key point
of its own, as weighty as the reference's weightiest. The same verdict covers it, in either language. The
opposite verdict answers the question the wrong way, and the answer earns at most `VERDICT_CAP`.
"""

from __future__ import annotations

import re

_ENGLISH_ASKS = re.compile(
    r"^(?:can|could|is|are|was|were|do|does|did|should|will|would|has|have|may|might|must|shall)\b", re.I
)
_CHINESE_ASKS = re.compile(r"吗|是否|能否|可否|能不能|是不是|可不可以|有没有|会不会|行不行|对不对")
_QUESTION_END = re.compile(r"[?？]")
CLAUSE = re.compile(r"[,，、;；:：.。!！?？\n—–]|\s-\s")  # where a clause ends (also read by picks.py)
SENTENCE = re.compile(r"[.。!！?？\n](?:\s|$)|[。！？\n]")  # where a sentence ends
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FILLERS = re.compile(
    r"^(?:i think(?! so)|i believe(?! so)|i guess(?! so)|well|actually|honestly|answer:|我觉得|我认为|我想|我猜|答[:：]?|嗯)\s*",
    re.I,
)
_EN_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|sure)\b|^(?:of course|certainly|correct|absolutely|definitely|indeed)$"
    r"|^i (?:think|believe|guess) so$"
)
_EN_NO = re.compile(
    r"^(?:no|nope|not really|not at all|(?:of course|certainly|absolutely|definitely) not)$|^no\s+(?:we|you|it|they)\b"
    r"|^i (?:don't|do not) (?:think|believe) so$"
)
_EN_MODAL = re.compile(
    r"^(?:we|you|it|they|one)\s+(?:can|could|do|does|is|are|should|will|would)('t|n't|\s+not)?$"
)
_ZH_UNSURE = re.compile(r"^(?:不一定|未必|不完全|不全是|不好说|不确定|说不准|看情况|要看|取决于|视情况)")
_ZH_NO = re.compile(r"^(?:当然|肯定|绝对)?(?:不|没|否|并不|并非)")
# "but", "not only", "constantly": no "no"
_ZH_NOT_A_NO = re.compile(r"^(?:不过|不仅|不但|不管|不论|不断|不停|没想到)")
_ZH_NOT_NO = re.compile(r"^(?:没错|不错)")  # "that's right", "not bad": a yes
# 可以学, 能用, 是双向的: a yes, whatever verb follows in the clause
_ZH_YES = re.compile(r"^(?:当然|肯定|确实|绝对)?(?:是|对|可以|能够|能|行|会|算)")
# 应该没有吧, 可能不行: the leaning before the verdict
_ZH_LEANING = re.compile(r"^(?:应该|大概|可能|估计|好像|也许)(?=.)")
# 需要, 必须, 有: a yes only alone (应该关掉 says what to do, not yes)
_ZH_YES_ALONE = re.compile(r"^(?:当然|肯定|确实|绝对)?(?:需要|必须|应该|值得|有必要|要|有)(?:的|啊|呀|吧)?$")
ZH_CLAUSE_CHARS = 6  # a longer first clause says more than yes or no (可以通过构建一个图…)
TAG_WORDS, TAG_CHARS = 2, 3  # a yes or no standing as a clause of its own later on ("We do need it, yes.")


def asks_yes_or_no(question: str) -> bool:
    """The question's first question (up to its first question mark) asks yes or no: its last clause
    opens with an auxiliary verb ("…, can we learn an optimizer?"), or it asks with 吗, 是否, 能否…"""
    first = _QUESTION_END.split(question.strip(), maxsplit=1)[0]
    if _CHINESE_ASKS.search(first):
        return True
    last_clause = re.split(r"[,;:，；：]|\.\s", first)[-1].strip()
    return _ENGLISH_ASKS.match(last_clause) is not None


def opening(text: str) -> tuple[int, str, str] | None:
    """The verdict that opens a text (+1 yes, -1 no), the words that gave it, and the rest of the text;
    None when its first clause is not a plain yes or no."""
    stripped = text.strip().replace("’", "'")
    while True:
        shorter = _FILLERS.sub("", stripped, count=1)
        if shorter == stripped:
            break
        stripped = shorter.lstrip(" ,，")
    clause = CLAUSE.split(stripped, maxsplit=1)[0].strip()
    if not clause:
        return None
    rest = stripped[len(clause) :].lstrip(" ,，、;；:：.。!！?？\n—–-")
    verdict = _verdict(clause)
    return None if verdict is None else (verdict, clause, rest)


def given(answer: str) -> int | None:
    """The yes (+1) or no (-1) an answer gives: the one it opens with, else a bare yes or no standing as
    a clause of its own in its first sentence ("We do need it, yes.", "I don't think so, no.")."""
    opened = opening(answer)
    if opened is not None:
        return opened[0]
    first = SENTENCE.split(answer.strip().replace("’", "'"), maxsplit=1)[0]
    for clause in CLAUSE.split(first)[1:]:
        clause = clause.strip()
        short = len(clause.split()) <= TAG_WORDS if not _CJK.search(clause) else len(clause) <= TAG_CHARS
        verdict = _verdict(clause) if clause and short else None
        if verdict is not None:
            return verdict
    return None


def _verdict(clause: str) -> int | None:
    if not _CJK.search(clause):
        lowered = " ".join(clause.lower().split())
        if _EN_YES.match(lowered):
            return 1
        if _EN_NO.match(lowered):
            return -1
        modal = _EN_MODAL.match(lowered)
        return None if modal is None else -1 if modal.group(1) else 1
    if len(clause) > ZH_CLAUSE_CHARS or _ZH_UNSURE.match(clause):
        return None
    clause = _ZH_LEANING.sub("", clause, count=1)
    if _ZH_NOT_NO.match(clause):
        return 1
    if _ZH_NO.match(clause):
        return None if _ZH_NOT_A_NO.match(clause) else -1
    return 1 if _ZH_YES.match(clause) or _ZH_YES_ALONE.match(clause) else None
