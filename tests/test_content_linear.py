"""No document can freeze the bot: adversarial lines parse in well under a second, and a file whose
name or bytes are not UTF-8 is an error for that file while the other decks load."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.content import load_content
from bot.core.content.formats.cloze import anki_cloze_cards
from bot.core.content.formats.obsidian import has_flashcards_tag
from bot.core.content.loader import parse_document

LIMIT = 1.0  # seconds per file

PREFIXES = [
    "",
    "Q",
    "问",
    "题目 1",
    "**Q",
    "**",
    "## ",
    "1.",
    "- ",
    "- [",
    "[",
    "![",
    "<img",
    "&",
    "1. a ↩",
    "第",
]
FILLS = [
    " ",
    "\t",
    " \t",
    "[",
    "*",
    "_",
    "**",
    "*_",
    "***",
    "_**",
    "<img",
    "<div ",
    "&amp",
    "&#",
    "[^",
    "![",
    "](",
    "1.",
    "↩ ",
    "\u200b",
    "#",
    "—",
]
SUFFIXES = ["", "x", "：", ":", "**", "?", "](u)", ">", "↩", "1：答"]
LAYOUTS = [
    "{line}",
    "## What is X?\n{line}\n",
    "问：{line}\n答：{line}\n",
    "1. What is X?\n   {line}\n",
    "**What is X?**\n{line}\n",
    "# Notes\n\n## {line}\nbody\n",
    "---\n{line}\n---\n",
    "#flashcards\n# {line}\nQ::A\n",  # Obsidian cards: their own heading reader
]


def parse_time(text: str) -> float:
    start = time.perf_counter()
    parse_document(text, name="adversarial", source="adversarial.md")
    return time.perf_counter() - start


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(
    prefix=st.sampled_from(PREFIXES),
    fill=st.sampled_from(FILLS),
    length=st.integers(min_value=20_000, max_value=200_000),
    suffix=st.sampled_from(SUFFIXES),
    layout=st.sampled_from(LAYOUTS),
)
@example(prefix="Q", fill=" ", length=100_000, suffix="x", layout="{line}")
@example(prefix="Q", fill="\t", length=100_000, suffix="1：答", layout="{line}")
@example(prefix="", fill="[", length=200_000, suffix="", layout="## What is X?\n{line}\n")
@example(prefix="**", fill="*_", length=100_000, suffix="**", layout="{line}")
@example(prefix="1. a ↩", fill=" ", length=100_000, suffix="b", layout="{line}")
def test_adversarial_lines_parse_in_under_a_second(prefix, fill, length, suffix, layout):
    line = prefix + fill * (length // len(fill)) + suffix
    assert parse_time(layout.format(line=line)) < LIMIT


def test_an_obsidian_heading_with_a_long_run_of_spaces_is_fast():
    # `# a` + 2,000 spaces + `b` took ~10 s in the Obsidian reader's heading pattern (and doubled per space)
    assert parse_time("#flashcards\n# a" + " " * 200_000 + "b\n\nWhat is it?::An answer\n") < LIMIT


def test_a_long_obsidian_front_matter_and_unclosed_anki_clozes_are_fast():
    # a front matter of 100,000 blank lines took 14 s; 5,000 unclosed `{{c1::` in a field over a minute
    start = time.perf_counter()
    assert not has_flashcards_tag("---\n" + "\n" * 100_000 + "x\n---\n")
    assert anki_cloze_cards("{{c1::" * 200_000) == []
    assert anki_cloze_cards("{{c2::term}}" + "{{c1::" * 1_000) == [("[…]" + "{{c1::" * 1_000, "term")]
    assert time.perf_counter() - start < LIMIT


def test_the_reported_catastrophic_lines_are_fast():
    # `Q` + 16,000 spaces + text used to take ~10 s in the marker reader; a bold line likewise.
    for line in ("Q" + " " * 16_000 + "text", "**x**" + " " * 16_000 + "y", "Q" + " " * 1_000_000 + "z"):
        assert parse_time(line + "\n") < LIMIT


def test_a_file_with_bytes_that_are_not_utf8_is_an_error_and_the_rest_load(write_doc):
    write_doc("good.md", "## What is dropout?\nRandomly zeroing activations.\n")
    folder = write_doc("broken.md", b"## What is \xff\xfe?\nbad bytes\n").parent
    report = load_content([folder])
    assert [d.id for d in report.decks] == ["good"]
    assert len(report.errors) == 1 and "broken.md" in str(report.errors[0])


@pytest.mark.skipif(os.name != "posix", reason="needs a file system that stores raw name bytes")
def test_a_file_name_that_is_not_utf8_is_an_error_and_the_rest_load(write_doc):
    folder = write_doc("good.md", "## What is dropout?\nRandomly zeroing activations.\n").parent
    try:
        with open(os.path.join(os.fsencode(folder), b"notes-\xff\xfe.md"), "wb") as raw:
            raw.write(b"## What is batch norm?\nNormalising activations.\n")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    report = load_content([folder])
    assert [d.id for d in report.decks] == ["good"]
    assert [e.message for e in report.errors] == ["the file name is not valid UTF-8; rename the file"]
    assert "notes-" in report.errors[0].source
    str(report.errors[0]).encode("utf-8")  # printable: no lone surrogates reach the terminal


def ten_thousand_questions() -> str:
    """100 parts of 100 questions: heading questions in two languages and 问/答 pairs between them."""
    parts = ["# 一万道题\n"]
    for part in range(100):
        parts.append(f"## {part + 1}. 第{part + 1}部分\n")
        for q in range(100):
            n = part * 100 + q
            if n % 3 == 0:
                parts.append(
                    f"### {part + 1}.{q + 1} 什么是概念{n}？\n概念{n}是一种方法，和梯度、损失有关。\n"
                )
            elif n % 3 == 1:
                parts.append(
                    f"### {part + 1}.{q + 1} Why does layer {n} matter?\nBecause it scales the gradient.\n\n- a\n- b\n"
                )
            else:
                parts.append(f"问：方法{n}和方法{n + 1}有什么区别？\n答：一个看局部，一个看全局（{n}）。\n")
    return "\n".join(parts)


def test_ten_thousand_questions_load_in_well_under_ten_seconds(write_doc):
    folder = write_doc("ten-thousand.md", ten_thousand_questions()).parent
    start = time.perf_counter()
    report = load_content([folder])
    elapsed = time.perf_counter() - start
    assert len(report.cards) == 10_000 and report.decks[0].questions_found == 10_000
    assert len({c.id for c in report.cards}) == 10_000
    assert elapsed < 10


def test_a_card_id_for_a_deck_named_from_undecodable_bytes_does_not_crash():
    from bot.core.content.ids import card_id

    assert len(card_id("notes-\udcff\udcfe", "What is dropout?")) == 10


TOKENS = ["## ", "#### ", "Q:", "A:", "问：", "答：", "题目：", "解析：", "**", "*", "1.", "(3)", "- ", "---", "===",
          "```", "[TOC]", "参考文献", "TODO", "- [ ] TODO", "略", "![](a.png)", "<img src=x>", "[a](b)", "&emsp;",
          "\u200b", "↩︎", "[^1]", "[^1]: n", "什么是X？", "What is X?", "Explain Y", "第三章", "8.1.1 ", "Chapter 2",
          "💻", "   ", "\t", "$$", "x", "？", "：", "<summary>A</summary>"]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(st.lists(st.sampled_from(TOKENS), max_size=6).map("".join), max_size=30).map("\n".join),
    layout=st.sampled_from(["auto", "markers", "headings", "numbered", "bold", "notes"]),
)
def test_any_mix_of_markdown_pieces_loads_without_crashing(text, layout):
    from bot.core.content.deck_settings import DeckSettings

    deck = parse_document(text, name="mix", source="mix.md", settings=DeckSettings(layout=layout))
    assert all(card.question.strip() and card.answer.strip() for card in deck.cards)
