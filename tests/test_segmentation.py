"""jieba's dictionary built in plain Python (so the event loop is not stalled while it loads) segments
every bundled card exactly as jieba itself does."""

from __future__ import annotations

import logging

import jieba
import pytest

from bot.core.grading.terms import _CLAUSE, _FUNCTION_TAGS, Lexicon, normalise_text, read_dictionary

jieba.setLogLevel(logging.WARNING)


@pytest.fixture(scope="module")
def stock() -> jieba.Tokenizer:
    """jieba as it ships: its own initialize() (its marshal cache, or its own build of dict.txt)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@pytest.fixture(scope="module")
def ours() -> jieba.Tokenizer:
    """A tokenizer holding only the dictionary read_dictionary built: no glossary or deck terms added."""
    tokenizer = jieba.Tokenizer()
    dictionary = read_dictionary(tokenizer)
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dictionary.freq, dictionary.total, True
    return tokenizer


def test_the_dictionary_is_the_one_jieba_builds_entry_for_entry(stock, ours):
    assert ours.total == stock.total
    assert ours.FREQ == stock.FREQ  # words with their counts, and every prefix with 0
    assert len(ours.FREQ) > 400_000


def test_every_bundled_card_is_segmented_as_jieba_segments_it(stock, ours, seed_report):
    texts = [f"{card.question}\n{card.answer}" for card in seed_report.cards]
    assert sum(1 for text in texts if "网络" in text) > 10  # the bundled decks have Chinese to segment
    compared = 0
    for text in texts:
        for variant in (
            text,
            _CLAUSE.sub("\n", normalise_text(text)),
        ):  # as written, and as the grader reads it
            for hmm in (False, True):
                assert ours.lcut(variant, HMM=hmm) == stock.lcut(variant, HMM=hmm), variant[:80]
                compared += 1
    assert compared == 4 * len(texts)


def test_function_words_are_the_dictionary_words_tagged_as_grammar(ours):
    tagged: set[str] = set()
    with ours.get_dict_file() as lines:
        for raw in lines:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3 and parts[2] in _FUNCTION_TAGS:
                tagged.add(parts[0])
    lexicon = Lexicon()
    assert lexicon._function_words == tagged
    assert {"直接", "怎么样", "第一个"} <= tagged  # an adverb, a pronoun, a numeral
    assert lexicon.mentions("直接使用神经网络")[-1].concept == "神经网络"
    assert "直接" not in {m.concept for m in lexicon.mentions("直接使用神经网络")}
