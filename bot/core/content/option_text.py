"""Fast measures of short plain texts (options and questions), used for every card of a bank.

`key` equals `markdown.normalise` on text that has no Markdown left (NFKC, case-folded, letters and
digits only); these helpers work by regular expressions rather than character by character, so that
building 10,000 multiple-choice questions stays well under a few seconds.
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.content.markdown import ENGLISH_STOP_WORDS, plain_text

_NOT_ALNUM = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0e\ufe0f\u200d]+")
_SPACES = re.compile(r"[ \t\u3000]+")
_MARKUP = re.compile(r"[!\[<*_~`]")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z-]+")
_PARTICLES = frozenset("的是一种个了和与及在也就即指为被把这那其之所以而且或并等中")


def key(text: str) -> str:
    """Letters and digits of a plain text, NFKC-normalised and case-folded (for comparing texts)."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def cjk_share(text: str) -> float:
    """Share of CJK characters among the letters of `text` (0 for text without letters)."""
    letters = len(_LETTER.findall(text))
    return len(_CJK.findall(text)) / letters if letters else 0.0


def without_emoji(text: str) -> str:
    return _SPACES.sub(" ", _EMOJI.sub("", text)).strip()


def content_units(text: str) -> frozenset[str]:
    """English words of two letters or more (no stop words) and Chinese characters other than particles."""
    words = {word.lower() for word in _EN_WORD.findall(text)} - ENGLISH_STOP_WORDS
    return frozenset(words | {char for char in _CJK.findall(text) if char not in _PARTICLES})


def plain(markdown: str) -> str:
    """`markdown.plain_text`, with a shortcut for the usual line that has no markup character at all."""
    if _MARKUP.search(markdown):
        return plain_text(markdown)
    return _SPACES.sub(" ", markdown).strip()
