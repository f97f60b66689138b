"""Answers that only say "I don't know": recognised in both languages, so the learner is told the answer and
offered Again at once, instead of being graded 0 for an answer or told the grader could not read it.

Only a whole answer that says nothing else counts (`不知道`, `I have no idea, sorry`); an answer that goes
on to say something (`不知道是不是限制梯度大小`) is graded as usual.
"""

from __future__ import annotations

import re

from bot.core.grading.terms import normalise_text

_EN = (
    r"(?:(?:sorry|um+|uh+|hmm+|honestly|well|ok|okay)\s+)*"
    r"(?:i\s+)?(?:really\s+|honestly\s+|just\s+)?"
    r"(?:"
    r"(?:do\s*not|dont)\s+(?:really\s+)?(?:know|remember|recall)(?:\s+(?:it|this|that|the\s+answer))?"
    r"|(?:have\s+)?(?:no|not\s+a)\s+(?:idea|clue)"
    r"|(?:ca\s+not|cannot|can\s+not)\s+(?:remember|recall)(?:\s+(?:it|this|that|the\s+answer))?"
    r"|(?:forgot|forget|have\s+forgotten|am\s+not\s+sure|i'?m\s+not\s+sure|not\s+sure|dunno|idk|pass|skip)"
    r"(?:\s+(?:it|this|that|the\s+answer))?"
    r")"
    r"(?:\s+(?:sorry|at\s+all|anymore|really|either))*"
)
_ZH = (
    r"(?:抱歉|对不起|嗯+|呃+|额+|唉)?"
    r"(?:我)?(?:真的|实在|完全|也|还是)?"
    r"(?:不知道|不晓得|不清楚|不太清楚|不记得|记不得|记不清|记不起来|想不起来|忘了|忘记了|忘记|忘掉了|没印象|"
    r"不会|不懂|不太懂|不确定|没想法|没有头绪|没头绪|跳过|不会答|答不上来|答不出来)"
    r"(?:答案|这个|这题|这道题)?(?:了|啊|呢|呀|耶|哎|诶|吧)*"
)
_SAYS_NOTHING = re.compile(rf"(?:{_EN}|{_ZH})(?:\s*(?:{_EN}|{_ZH}))*")
_NOT_WORDS = re.compile(r"[^\w\s']+")
_BETWEEN_HANZI = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def says_dont_know(answer: str) -> bool:
    """True when the whole answer only says the learner does not know or does not remember."""
    text = normalise_text(answer)  # as the grader reads answers: width, case, "n't" spelled " not"
    text = _BETWEEN_HANZI.sub("", " ".join(_NOT_WORDS.sub(" ", text).split()))
    return bool(text) and _SAYS_NOTHING.fullmatch(text) is not None
