"""Bilingual term pairs and acronyms mined from the notes themselves.

Notes write a term with its translation or expansion in brackets: `知识蒸馏（Knowledge Distillation）`,
`图神经网络（Graph Neural Network，GNN）`, `Network Pruning(网络剪枝)`,
`Vector Quantized Variational Auto-encoder (VQVAE)`. Each such bracket gives a group of spellings of
one concept. The Chinese side before a bracket is the run of words back to the nearest function word
(`常见的自监督学习(Self-Supervised Learning)` gives `自监督学习`); an acronym is kept only when it
matches the initials of the words before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.core.grading.terms import STOP_EN, STOP_ZH

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_QUOTES = "“”\"'‘’「」『』《》"
_ZH_THEN_EN = re.compile(
    rf"([{_CJK}{_QUOTES}]{{2,24}})\s*[(（]\s*([A-Za-z][^()（）\n{_CJK}]{{0,80}}?)\s*[)）]"
)
_EN_THEN_ZH = re.compile(rf"([A-Za-z][A-Za-z0-9 '\-]{{1,80}}?)\s*[(（]\s*([{_CJK}]{{2,12}})\s*[)）]")
_EN_THEN_ACRONYM = re.compile(r"([A-Za-z][A-Za-z0-9 '\-]{2,120}?)\s*[(（]\s*([A-Z][A-Za-z0-9]{1,9})\s*[)）]")
_ACRONYM_THEN_EN = re.compile(r"\b([A-Z][A-Z0-9]{1,9})\s*[(（]\s*([A-Za-z][A-Za-z0-9 '\-]{3,120}?)\s*[)）]")
_SEPARATORS = re.compile(r"\s*[,，;；、]\s*")
_SMALL_WORDS = frozenset("a an the of and or to in on for from with by as at via".split())
_ZH_FUNCTION_CHARS = frozenset("的是了和与及或在为即用把被对将由从向如叫称指")
MAX_WORDS = 6


def mine_pairs(texts: Iterable[str], words: Callable[[str], list[str]]) -> list[tuple[str, ...]]:
    """Groups of spellings found in `texts`; `words` segments Chinese (jieba)."""
    groups: list[tuple[str, ...]] = []
    for text in texts:
        for chinese_run, inside in _ZH_THEN_EN.findall(text):
            chinese = _chinese_tail(chinese_run, words)
            english = [s for s in _SEPARATORS.split(inside.strip()) if _is_english_term(s)]
            if chinese and english:
                groups.append((chinese, *english))
        for english_run, chinese in _EN_THEN_ZH.findall(text):
            english = _english_tail(english_run)
            if english:
                groups.append((english, chinese))
        for english_run, acronym in _EN_THEN_ACRONYM.findall(text):
            expansion = _expansion(english_run, acronym)
            if expansion:
                groups.append((expansion, acronym))
        for acronym, english_run in _ACRONYM_THEN_EN.findall(text):
            if _initials(english_run.split()) == acronym.lower():
                groups.append((english_run.strip(), acronym))
    return groups


def _chinese_tail(run: str, words: Callable[[str], list[str]]) -> str | None:
    run = run.rstrip(_QUOTES)
    for quote in _QUOTES:
        run = run.split(quote)[-1]  # a quoted term: only what is inside the quotes
    tail: list[str] = []
    for word in reversed(words(run)):
        if word in STOP_ZH or (len(word) == 1 and word in _ZH_FUNCTION_CHARS) or sum(map(len, tail)) >= 10:
            break
        tail.insert(0, word)
    chinese = "".join(tail)
    return chinese if len(chinese) >= 2 else None


def _is_english_term(spelling: str) -> bool:
    words = spelling.split()
    return (
        1 <= len(words) <= MAX_WORDS
        and sum(ch.isalpha() for ch in spelling) >= 2
        and not spelling.startswith(("e.g", "i.e", "eg ", "ie "))
    )


def _english_tail(run: str) -> str | None:
    words = run.strip().split()
    if not words or len(words) > MAX_WORDS or words[0].lower() in _SMALL_WORDS:
        return None
    if any(word.lower() in STOP_EN and word.lower() not in _SMALL_WORDS for word in words):
        return None  # a clause, not a term
    return " ".join(words)


def _initials(words: list[str]) -> str:
    letters = []
    for word in words:
        if word.lower() in _SMALL_WORDS:
            continue
        letters.append(word[0].lower())
    return "".join(letters)


def _expansion(run: str, acronym: str) -> str | None:
    """The words before `(ACRONYM)` whose initials spell it (with or without hyphenated parts)."""
    target = acronym.lower()
    words = run.strip().split()
    for count in range(1, min(len(words), 10) + 1):
        candidate = words[-count:]
        if candidate[0].lower() in _SMALL_WORDS:
            continue
        split = [part for word in candidate for part in word.split("-") if part]
        if target in (_initials(candidate), _initials(split)):
            return " ".join(candidate)
    return None
