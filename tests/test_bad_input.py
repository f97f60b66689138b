"""Broken documents are reported by file and line, and never stop the other documents from loading."""

from __future__ import annotations

import time

from bot.core.content import load_content

GOOD = "## What is a GAN?\nTwo networks trained against each other.\n"


def test_an_empty_file_gives_a_warning_and_no_cards(write_doc):
    write_doc("good.md", GOOD)
    folder = write_doc("empty.md", "  \n\n").parent
    report = load_content([folder])
    empty = next(d for d in report.decks if d.id == "empty")
    assert empty.cards == () and "empty" in str(empty.warnings[0])
    assert report.ok and len(report.cards) == 1


def test_a_file_that_is_not_utf8_is_an_error_naming_it_and_the_rest_loads(write_doc):
    write_doc("good.md", GOOD)
    bad = write_doc("gbk.md", "## 问题一\n\n".encode() + "什么是过拟合？".encode("gbk"))
    report = load_content([bad.parent])
    assert not report.ok
    assert [e.source for e in report.errors] == [str(bad)]
    assert "line 3" in report.errors[0].message and "UTF-8" in report.errors[0].message
    assert [c.question for c in report.cards] == ["What is a GAN?"]


def test_a_binary_file_is_an_error(write_doc):
    bad = write_doc("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    report = load_content([bad.parent])
    assert len(report.errors) == 1 and report.errors[0].source == str(bad)


def test_a_huge_single_line_parses_quickly(write_doc):
    write_doc("good.md", GOOD)
    huge = (
        "## What is in this huge note?\n"
        + ("很长的一行 **bold** [link](x) 1. 2) - * `code` " * 12_000)
        + "\n"
    )
    folder = write_doc("huge.md", huge).parent
    assert len(huge.encode()) > 400_000
    started = time.perf_counter()
    report = load_content([folder])
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, elapsed
    assert len(report.cards) == 2


def test_an_unclosed_code_fence_is_a_warning_with_its_line_and_loses_no_cards(write_doc):
    folder = write_doc(
        "fence.md", "## What is A?\n```python\nprint('a')\n\n## What is B?\nB answer.\n"
    ).parent
    deck = load_content([folder]).decks[0]
    assert [c.question for c in deck.cards] == ["What is A?", "What is B?"]
    assert any(w.line == 2 and "never closed" in w.message for w in deck.warnings)


def test_a_document_without_questions_says_so(write_doc):
    folder = write_doc("prose.md", "Just a paragraph of prose with no structure at all.\n").parent
    deck = load_content([folder]).decks[0]
    assert deck.cards == () and "no questions found" in str(deck.warnings[0])


def test_mistakes_in_decks_yaml_name_the_key_and_decks_still_load(write_doc):
    write_doc("good.md", GOOD)
    write_doc(
        "decks.yaml",
        "decks:\n  good:\n    langauge: zh\n  other:\n    layout: tables\n  third:\n    enabled: maybe\n"
        "  ghost:\n    title: Not here\n",
    )
    report = load_content([write_doc("x.md", GOOD).parent])
    messages = [e.message for e in report.errors]
    assert any(m.startswith("decks.good.langauge: unknown key") for m in messages)
    assert any(m.startswith("decks.other.layout: must be") for m in messages)
    assert any(m.startswith("decks.third.enabled: must be true or false") for m in messages)
    assert len(report.cards) == 2
    assert any("decks.ghost: no document named ghost" in str(w) for w in report.warnings)


def test_invalid_yaml_is_reported_with_its_line(write_doc):
    write_doc("decks.yaml", "decks:\n  good:\n    title: [unclosed\n")
    report = load_content([write_doc("good.md", GOOD).parent])
    assert report.errors and "line" in report.errors[0].message and "YAML" in report.errors[0].message
    assert len(report.cards) == 1


def test_a_missing_path_is_an_error():
    report = load_content(["/nonexistent/content"])
    assert report.errors[0].message == "no such file or folder"
