"""A user drops their own notes into content/ and gets cards, whatever common Q&A convention they use."""

from __future__ import annotations

from bot.core.content import load_content
from bot.core.content.deck_settings import DeckSettings
from bot.core.content.loader import parse_document


def parse(text: str, **settings):
    return parse_document(
        text, name="my-notes", source="content/my-notes.md", settings=DeckSettings(**settings)
    )


def qa(deck):
    return [(c.question, c.answer) for c in deck.cards]


def test_one_question_per_heading_at_any_level_with_preface_ignored():
    deck = parse(
        "# Deep learning notes\n\nThese are my notes for the interview. Not a question.\n\n"
        "## Optimisation\n\n### What does Adam combine?\nMomentum and RMSProp.\n\n"
        "### Why warm up the learning rate?\nEarly updates are noisy:\n\n- large steps diverge\n- Adam's "
        "variance estimate is poor\n\n## Regularisation\n\n### How does dropout regularise?\nIt trains an "
        "ensemble of thinned networks.\n"
    )
    assert deck.layout == "headings"
    assert deck.title == "Deep learning notes"
    assert qa(deck) == [
        ("What does Adam combine?", "Momentum and RMSProp."),
        (
            "Why warm up the learning rate?",
            "Early updates are noisy:\n\n- large steps diverge\n- Adam's variance estimate is poor",
        ),
        ("How does dropout regularise?", "It trains an ensemble of thinned networks."),
    ]
    assert deck.cards[0].section == ("Deep learning notes", "Optimisation")
    assert deck.cards[2].section == ("Deep learning notes", "Regularisation")
    assert deck.cards[1].line == 10
    assert deck.language == "en"


def test_numbered_questions_with_indented_answers_and_chapters():
    deck = parse(
        "Chapter 1 Basics\n\n1. What is a tensor?\n\n   A multi-dimensional array.\n\n"
        "2. List two activation functions.\n\n   1. ReLU\n   2. GELU\n\n"
        "Chapter 2 Training\n\n1. What does backpropagation compute?\n\n   Gradients of the loss.\n"
    )
    assert deck.layout == "numbered"
    assert qa(deck) == [
        ("What is a tensor?", "A multi-dimensional array."),
        ("List two activation functions.", "1. ReLU\n2. GELU"),
        ("What does backpropagation compute?", "Gradients of the loss."),
    ]
    assert [c.section for c in deck.cards] == [("Chapter 1 Basics",)] * 2 + [("Chapter 2 Training",)]


def test_bold_question_lines():
    deck = parse(
        "Interview prep\n\n**What is overfitting?**\nFitting noise in the training set.\n\n"
        "**How do you detect it?**\nValidation loss rises while training loss falls.\n"
    )
    assert deck.layout == "bold"
    assert qa(deck) == [
        ("What is overfitting?", "Fitting noise in the training set."),
        ("How do you detect it?", "Validation loss rises while training loss falls."),
    ]


def test_q_and_a_markers():
    deck = parse(
        "Q: What is a GAN?\nA: Two networks trained against each other.\n\nQ: Who proposed it?\nA: Goodfellow.\n"
    )
    assert deck.layout == "markers"
    assert qa(deck) == [
        ("What is a GAN?", "Two networks trained against each other."),
        ("Who proposed it?", "Goodfellow."),
    ]


def test_chinese_question_and_answer_markers():
    deck = parse(
        "前言：这是我的笔记。\n\n问：什么是过拟合？\n答：模型记住了训练数据中的噪声。\n\n问：如何缓解？\n答：正则化、早停、数据增强。\n"
    )
    assert deck.layout == "markers"
    assert deck.language == "zh"
    assert qa(deck) == [
        ("什么是过拟合？", "模型记住了训练数据中的噪声。"),
        ("如何缓解？", "正则化、早停、数据增强。"),
    ]


def test_question_answer_explanation_markers():
    deck = parse(
        "## 第一部分\n\n**题目：** 什么是批归一化？\n\n**答案：**\n\n对每个小批量的激活做标准化。\n\n"
        "**解析：** 它让训练更稳定。\n"
    )
    assert [(c.question, c.answer, c.explanation) for c in deck.cards] == [
        ("什么是批归一化？", "对每个小批量的激活做标准化。", "它让训练更稳定。")
    ]
    assert deck.cards[0].section == ("第一部分",)


def test_free_notes_between_rules_become_recall_cards():
    deck = parse(
        "Attention\nWeights values by query-key similarity.\n\n---\n\nLayerNorm\nNormalises each token.\n"
    )
    assert deck.layout == "notes"
    assert qa(deck) == [
        ("What are the key points of Attention?", "Weights values by query-key similarity."),
        ("What are the key points of LayerNorm?", "Normalises each token."),
    ]


def test_topic_headings_without_questions_become_recall_cards():
    deck = parse("# Transformers\n\n## Positional encoding\nSinusoids of different frequencies.\n")
    assert qa(deck) == [
        ("What are the key points of Positional encoding?", "Sinusoids of different frequencies.")
    ]


def test_decks_yaml_sets_title_language_tags_enabled_and_forces_a_layout(write_doc):
    write_doc(
        "tricky.md",
        "1. What is a kernel?\n   A similarity function.\n2. Name one.\n   RBF.\n\n"
        "## Extra\n\nQ: ignored?\nA: only read with the markers layout.\n",
    )
    write_doc("off.md", "## What is this?\nA deck nobody wants today.\n")
    write_doc(
        "decks.yaml",
        "decks:\n  tricky:\n    title: Kernels\n    language: en\n    tags: [svm, kernels]\n    layout: numbered\n"
        "  off:\n    enabled: false\n",
    )
    report = load_content([write_doc("x.txt", "").parent])
    decks = {d.id: d for d in report.decks}
    assert report.errors == []
    tricky = decks["tricky"]
    assert (tricky.title, tricky.language, tricky.tags, tricky.layout) == (
        "Kernels",
        "en",
        ("svm", "kernels"),
        "numbered",
    )
    assert [c.question for c in tricky.cards] == ["What is a kernel?", "Name one."]
    assert decks["off"].enabled is False and len(decks["off"].cards) == 1


def test_decks_yaml_id_pins_card_ids_across_a_rename(write_doc):
    write_doc("decks.yaml", "decks:\n  old-name:\n    id: kernels\n  new-name:\n    id: kernels\n")
    write_doc("old-name.md", "## What is a kernel?\nA similarity function.\n")
    folder = write_doc("new-name.md", "## What is a kernel?\nA similarity function, edited.\n").parent
    old, new = load_content([folder]).decks
    assert old.cards[0].id == new.cards[0].id
