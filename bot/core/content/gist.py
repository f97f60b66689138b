"""The gist of an answer: one clean sentence or phrase, used as a multiple-choice option.

Markdown, emoji, code and tables are left out; a leading label (`Describe:`, `区别：`) is dropped;
and where the sentence opens by restating the question's subject (`梯度裁剪（Gradient Clipping）是一种…`)
the subject is cut, so the right option does not give itself away by echoing the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.content.markdown import (
    Line,
    bullet_item,
    heading,
    is_cjk,
    numbered_item,
    split_lines,
    terms,
)
from bot.core.content.option_text import content_units, key, plain, without_emoji
from bot.core.content.question_kind import balanced

GIST_MAX = 120
LIST_GIST_MAX = 160
LIST_ITEMS_MAX = 6  # an option listing more items is read by none  # a list's heads are kept whole up to this length, or the card stays a flashcard
LIST_ITEM_MAX = 50  # a list item up to this long is used whole
_LABEL = re.compile(r"^([^:：。，,；;!?！？]{2,16})[:：][ \t]*(\S.*)$")
_SENTENCE_END = re.compile(r"[。！？；]|(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)(?<!\bFig)[.!?;](?=\s|$)")
_CLAUSE_BREAKS = frozenset("，,；;、：:")
_OPENERS = frozenset("(（[【「《")
_OPENER = re.compile("[(（\\[【「《]")
_BREAK_PATTERNS: dict[frozenset[str], re.Pattern[str]] = {}
_CLOSERS = frozenset(")）]】」》")
# a subject may hold a bracketed gloss with commas: `长短时记忆网络（Long Short-Term Memory，LSTM）是一种…`
_ZH_SUBJECT = re.compile(
    r"^((?:[^，,；;（(]|[（(][^）)]{0,60}[）)]){1,60}?)(是指|指的是|是一种|是一个|是|指)(.{4,})$"
)
_EN_SUBJECT = re.compile(r"^([^,;]{1,60}?)\s+(?:is|are|refers to|means)\s+(.{4,})$", re.IGNORECASE)
_NOTE = re.compile(r"^(?:注|备注|注意|note|n\.b\.|ps)\s*[:：]", re.I)
_DEFINITION = re.compile(r"^[\s*_#]*(?:\d{1,3}[.)、]\s*)?(?:what\s+(?:is|are)\b|什么是|何为|何谓)", re.I)
SHORT_SUBJECT = 16  # a subject this short before `是指` in the answer to "What is …?" is the term asked about
_SETTING = re.compile(
    r"^(?:在[^，,；;]{1,20}(?:领域|中|里|方面)|in the (?:field|area|domain) of [^,;]{1,40})[，,]\s*", re.I
)
_LEAD_BREAKS = frozenset("，,；;")
_LABEL_BREAKS = frozenset(":：")
_PARENTHESES = re.compile(r"[（(][^（()）]{0,80}[)）]")
_TRAILING = "。.；;，,：: "
_LEADS_ON = ("如下", "以下", "as follows")
# an option opening on a pronoun or demonstrative names nothing: `他把眼光放在了训练数据上`
_DANGLING = re.compile(
    r"^(?:[^，,]{0,24}[，,]\s*)?(?:他们|她们|它们|他|她|它|这些|这个|这种|该|此|其)|"
    r"^(?:they|he|she|it|this|these)\b|^[A-Za-z]\s*(?:为|是|=|\bis\b)",
    re.I,
)  # an option opening on a pronoun or an undefined variable names nothing: `他把眼光放在了…`, `k为超参数…`


@dataclass(frozen=True, slots=True)
class Gist:
    """An answer's gist, how many items it lists (1 for a sentence), and why it is no whole answer (None:
    it is one): `partial_list` (a list some of whose items could not be kept) or `cut_off` (the sentence
    was cut, leaves a bracket open, or only leads into what follows)."""

    text: str | None
    items: int = 1
    problem: str | None = None


def answer_gist(answer: str, question: str, *, keep_subject: bool = False) -> str | None:
    """One sentence of at most GIST_MAX characters that sums up `answer`, or None when it has none.

    `keep_subject` keeps a leading clause or subject that restates the question: a comparison
    ("which one is stricter?") or a question in several parts is answered by exactly those words.
    """
    return gist_of(answer, question, keep_subject=keep_subject).text


def gist_of(answer: str, question: str, *, keep_subject: bool = False) -> Gist:
    """`answer_gist` with the number of items it lists and what keeps it from being a whole answer."""
    lines = split_lines(answer)
    defines = bool(_DEFINITION.match(question))
    listed = _list_gist(lines)
    if listed is not None and listed.problem is None:
        return listed
    sentence = _sentence_gist(lines, question, keep_subject, defines)
    if listed is not None:  # a list cut short: shown (`content check`), never asked as multiple choice
        return Gist(listed.text or sentence.text, listed.items, listed.problem)
    return sentence


def _sentence_gist(lines: list[Line], question: str, keep_subject: bool, defines: bool) -> Gist:
    """The gist of an answer from its first sentence that says something."""
    for number, line in enumerate(lines):
        if line.in_code or line.text.lstrip().startswith("|") or heading(line):
            continue
        item = numbered_item(line)
        text = item[1] if item else (bullet_item(line) or line.text)
        text = without_emoji(plain(text))
        if _NOTE.match(text):
            continue  # `注:CLIP是齐守良老师在课堂上分享的…`: an aside, not the answer
        label = _LABEL.match(text)
        if label:
            text = label.group(2).strip()
        elif text.endswith((":", "：")) and len(text) <= 24:
            continue  # a bare label such as `迁移算法：`
        whole, rest = _first_sentence(text)
        # a sentence that leads into what follows (`…有一个值得去研究的发展路线：`) says nothing by itself
        leads_on = not rest.strip() and (
            text.rstrip().endswith((":", "：")) or _list_follows(lines, number, item)
        )
        leads_on = leads_on or whole.endswith(_LEADS_ON)
        sentence = whole if keep_subject else _without_subject(whole, question, defines)
        fitted = _fit(sentence)
        if len(key(fitted)) >= 2:
            cut = fitted != sentence.strip(_TRAILING) or not balanced(fitted)
            problem = "cut_off" if cut or leads_on else "dangling" if _DANGLING.search(fitted) else None
            return Gist(fitted, 1, problem)
    return Gist(None)


def _list_follows(lines: list[Line], number: int, item: object) -> bool:
    """True when a line that is not itself a list item is followed by list items: it introduces them
    (`…认为有一个值得去研究的发展路线` above `- 从统计学习的角度来说…`)."""
    if item is not None or bullet_item(lines[number]) is not None:
        return False
    following = next((line for line in lines[number + 1 :] if not line.blank), None)
    return following is not None and _item_text(following) is not None


def _list_gist(lines: list[Line]) -> Gist | None:
    """For an answer that is a list (after at most an intro line ending in a colon): its items' heads.

    `- **数据效率（Data Efficiency）：** …` gives `数据效率`; short items (`Network Pruning(网络剪枝)`) are
    used whole. Lists whose items are long sentences without a Chinese label fall back to a sentence.
    """
    content = [line for line in lines if not line.blank and not line.in_code]
    if not content:
        return None
    start = 0
    if not _item_text(content[0]):
        if len(content) < 2 or not _item_text(content[1]):
            return None
        intro = without_emoji(plain(content[0].text))
        if not intro.endswith((":", "：")) or len(content) < 2 or not _item_text(content[1]):
            return None
        start = 1
    indent = content[start].indent
    heads: list[str] = []
    items = 0
    for line in content[start:]:
        if line.indent > indent + 1:
            continue
        text = _item_text(line)
        if text is None or line.indent < indent - 1:
            break
        items += 1
        text = without_emoji(plain(text))
        if text.endswith((":", "：")):
            return None  # items that are only labels: the content is deeper, not a list of points
        cut = _first_break(text, _LABEL_BREAKS)
        if cut is not None and 0 < cut <= 30 and any(is_cjk(c) for c in text[:cut]):
            head = text[:cut]
        elif cut is not None and 3 <= cut <= 40 and len(text[:cut].split()) <= 5 and len(text) - cut > 20:
            head = text[:cut]  # `Progressive Neural Network: 每一个任务都…`
        elif len(text) <= LIST_ITEM_MAX:
            head = text
        elif len(_PARENTHESES.sub("", text).strip()) <= LIST_ITEM_MAX:
            head = _PARENTHESES.sub("", text)  # `基于样本难度的计算(Computation based on …)`: the gloss aside
        else:
            continue
        heads.append(_PARENTHESES.sub("", head).strip() or head.strip())
    if len(heads) < 2 or len(heads) * 2 < items:
        return None if items < 2 else Gist(None, items, "partial_list")  # items too long to name
    joined = ("；" if any(is_cjk(c) for c in "".join(heads)) else "; ").join(heads)
    if len(key(joined)) < 2:
        return None
    if len(heads) < items or len(joined) > LIST_GIST_MAX or len(heads) > LIST_ITEMS_MAX:
        return Gist(joined[:GIST_MAX], items, "partial_list")  # an option must keep every item, or none
    return Gist(joined.strip(_TRAILING), items)


def _item_text(line: Line) -> str | None:
    item = numbered_item(line)
    return item[1] if item else bullet_item(line)


def _first_sentence(text: str) -> tuple[str, str]:
    """The first sentence (ended outside brackets) and the text after it."""
    for match in _SENTENCE_END.finditer(text):
        if match.start() > 0 and balanced(text[: match.start()]):
            return text[: match.start()].strip(_TRAILING), text[match.end() :]
    return text.strip(_TRAILING), ""


def _without_subject(sentence: str, question: str, defines: bool = False) -> str:
    """The sentence without a leading clause or subject that restates the question (`defines`: the question
    asks what something is, so a short subject before `是指`/`is` names it even in another language)."""
    setting = _SETTING.match(sentence)
    if setting:
        sentence = sentence[setting.end() :]  # `在深度学习领域,课程学习(Curriculum Learning)是一种…`
    cut = _first_break(sentence, _LEAD_BREAKS)
    if cut is not None and 2 <= cut <= 60 and len(sentence) - cut > 8 and _echoes(sentence[:cut], question):
        sentence = sentence[cut + 1 :].strip()  # `华刚的Video Imprint中讲到，他们的…` under a note titled so
    zh = _ZH_SUBJECT.match(sentence)
    if zh and (_mostly_in(zh.group(1), question) or (defines and len(zh.group(1)) <= SHORT_SUBJECT)):
        verb, rest = zh.group(2), zh.group(3).strip()
        sentence = ("一种" if verb == "是一种" else "一个" if verb == "是一个" else "") + rest
        return _without_echoing_tail(sentence, question)
    en = _EN_SUBJECT.match(sentence)
    if en and (_mostly_in(en.group(1), question) or (defines and len(en.group(1)) <= 2 * SHORT_SUBJECT)):
        rest = en.group(2).strip()
        return _without_echoing_tail(rest[:1].upper() + rest[1:], question)
    return _without_echoing_tail(sentence, question)


def _without_echoing_tail(sentence: str, question: str) -> str:
    """`一种防止模型过拟合的方法，通过…加入正则项…` under `什么是正则化？`: the first clause answers in full and
    only a later one repeats the question's words, which would point at the right option; keep the first."""
    cut = _first_break(sentence, _LEAD_BREAKS)
    if cut is None or len(key(sentence[:cut])) < 8:
        return sentence
    if not any(is_cjk(char) for char in sentence[:cut]) and len(sentence[:cut].split()) < 4:
        return sentence  # `Net Architecture, Initial Parameters, …`: items of a list, not a clause
    asked = terms(question)
    if terms(sentence[:cut]) & asked or not terms(sentence[cut + 1 :]) & asked:
        return sentence
    return sentence[:cut]


def _echoes(clause: str, question: str) -> bool:
    """True when nearly all of a clause (four fifths of its words and Chinese characters, particles aside)
    is in the question: `元学习在自然语言处理中的应用` under `元学习在自然语言处理任务中如何发挥作用？`."""
    pieces = content_units(clause)
    return bool(pieces) and len(pieces & content_units(question)) * 5 >= len(pieces) * 4


def _mostly_in(subject: str, question: str) -> bool:
    """True when at least half of the subject's English words, or of its Chinese character pairs, are in
    the question (`课程学习(Curriculum Learning)` restates `What is the curriculum learning?`)."""
    asked = terms(question)
    pieces = terms(subject)
    words = {piece for piece in pieces if piece.isascii()}
    return any(group and len(group & asked) * 2 >= len(group) for group in (words, pieces - words))


def _first_break(text: str, breaks: frozenset[str]) -> int | None:
    """Position of the first of `breaks` outside brackets."""
    pattern = _BREAK_PATTERNS.get(breaks)
    if pattern is None:
        pattern = _BREAK_PATTERNS[breaks] = re.compile("[" + re.escape("".join(sorted(breaks))) + "]")
    first = pattern.search(text)
    if first is None:
        return None
    if not _OPENER.search(text, 0, first.start()):
        return first.start()  # no bracket before it: the common case, without a loop over characters
    depth = 0
    for position, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
        elif depth == 0 and char in breaks:
            return position
    return None


def _fit(text: str) -> str:
    """At most GIST_MAX characters, cut at the last clause break outside brackets where there is one."""
    text = text.strip(_TRAILING)
    if len(text) <= GIST_MAX:
        return text
    depth, cut = 0, None
    for position, char in enumerate(text[:GIST_MAX]):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
        elif depth == 0 and char in _CLAUSE_BREAKS and position >= 30:
            cut = position
    if cut is not None:
        return text[:cut].strip(_TRAILING)
    return text[: GIST_MAX - 1].rstrip() + "…"
