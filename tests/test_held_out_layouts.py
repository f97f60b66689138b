"""Layouts found by an independent check on public notes nobody here wrote, each on a fixture of our own.

Checklist questions with their answers below them, topic headings in a document of bold questions,
display math, cards with nothing to learn, honest coverage, and question headings explained by
statement sub-headings.
"""

from __future__ import annotations

import json

from bot.cli.content_check import report_as_json
from bot.core.content import ChoiceMaker, ContentReport
from bot.core.content.deck_settings import DeckSettings
from bot.core.content.loader import parse_document


def parse(text: str, **settings):
    return parse_document(text, name="notes", source="notes.md", settings=DeckSettings(**settings))


def questions(deck) -> list[str]:
    return [c.question for c in deck.cards]


def answer_of(deck, question: str) -> str:
    return next(c.answer for c in deck.cards if c.question == question)


def warnings(deck) -> list[str]:
    return [str(w) for w in deck.warnings]


CHECKLIST = """[TOC]

# 一、模型基础

## 1、基本概念

- [x] [1-1  什么是过拟合？](#1-1)

- [ ] [1-2  如何划分验证集？](#1-2)

- [ ] [1-3  你是如何处理缺失值的？](#1-3)

**特征工程**

- [ ] [2-1  讲解特征交叉的做法](#2-1)

# 解答

## **1、基本概念**

- [ ] <span id="1-1">1-1 什么是过拟合？</span>

  模型在训练集上表现很好，在新数据上表现差。

  **如何发现过拟合？**

  比较训练误差与验证误差。

- [x] [1-2  如何划分验证集？](#1-2)

  按时间或随机划分，保持分布一致。

- [ ] [1-3  你是如何处理缺失值的？](#1-3)

**特征工程**

- [ ] [2-1  讲解特征交叉的做法](#2-1)

  把两个类别特征组合成一个新特征，例如 城市×品类。

- 把数值特征分桶后再交叉。
"""


def test_checklist_questions_followed_by_their_answers_are_cards():
    deck = parse(CHECKLIST)
    assert questions(deck) == ["什么是过拟合？", "如何划分验证集？", "讲解特征交叉的做法"]
    # an answer ends at the next question: it never runs into the next item
    assert "按时间" not in answer_of(deck, "什么是过拟合？")
    assert "如何发现过拟合" in answer_of(
        deck, "什么是过拟合？"
    )  # a bold question inside the answer stays there
    assert "分桶" in answer_of(deck, "讲解特征交叉的做法")
    assert deck.cards[2].section[-1] == "特征工程"


def test_a_checklist_question_without_an_answer_is_reported_once_and_its_table_of_contents_entry_not_at_all():
    deck = parse(CHECKLIST)
    unanswered = [w for w in warnings(deck) if "你是如何处理缺失值的" in w]
    assert len(unanswered) == 1 and "notes.md:33:" in unanswered[0]
    assert not any("什么是过拟合" in w for w in warnings(deck))


def test_plain_bullet_questions_with_answers_below_are_cards_but_an_answers_own_bullets_are_not():
    deck = parse(
        "# Interview\n\n- What is a hash map?\n\n  A table of buckets indexed by a key's hash.\n\n"
        "- Why is lookup O(1) on average?\n\n  Each bucket holds few keys.\n\n"
        "## Notes\n\nSome points:\n\n- arrays are contiguous\n- lists are linked\n"
    )
    assert questions(deck)[:2] == ["What is a hash map?", "Why is lookup O(1) on average?"]
    assert "few keys" in answer_of(deck, "Why is lookup O(1) on average?")
    assert "arrays" not in answer_of(deck, "Why is lookup O(1) on average?")


TOPICS_AMONG_BOLD = """ML 基础
===

## 偏差与方差
- **偏差**与**方差**分别衡量模型泛化误差的两个方面；
- 偏差描述模型的拟合能力；
- 方差描述模型的稳定性。

### 导致偏差和方差的原因
- 偏差通常来自错误的假设或模型太简单；
- 方差通常来自模型相对训练集过于复杂。

### 偏差与方差的计算公式
期望输出与真实标记的差别称为偏差。

## 生成模型与判别模型
**优缺点**
- 判别模型直接学习决策边界。

## 总结
以上是本章内容。
"""


def test_topic_headings_are_cards_in_a_document_with_a_bold_question():
    deck = parse(TOPICS_AMONG_BOLD)
    assert questions(deck) == [
        "简述：偏差与方差",
        "简述：导致偏差和方差的原因",
        "简述：偏差与方差的计算公式",
        "优缺点",
    ]
    assert deck.cards[1].section[-1] == "偏差与方差"
    assert any("'总结' is not a question" in w for w in warnings(deck))  # framing, not a topic


def test_display_math_is_opaque_and_inline_math_keeps_its_stars():
    deck = parse(
        "## 什么是 softmax？\n\n$$\nh = \\left[\n p_1 \\\\ p_2\n\\right]\n=\n\\frac{1}{Z}\n$$\n\n"
        "其中 $a*b*c$ 是归一化项。\n\n## 为什么要减去最大值？\n\n数值稳定。\n"
    )
    assert questions(deck) == ["什么是 softmax？", "为什么要减去最大值？"]
    answer = answer_of(deck, "什么是 softmax？")
    assert "\\right]\n=\n\\frac" in answer  # the `=` line stays math, not a heading underline
    assert not any("right" in c.question for c in deck.cards)


def test_a_stray_double_dollar_does_not_swallow_the_questions_after_it():
    deck = parse("## What is A?\n\n$$ x\n\nA is a letter.\n\n## What is B?\n\nB is another letter.\n")
    assert questions(deck) == ["What is A?", "What is B?"]


def test_answers_with_nothing_to_learn_are_warnings_not_cards():
    deck = parse(
        "# 第十章 序列模型\n\n## 10.1 什么是 RNN？\n\n循环神经网络按时间步共享参数。\n\n"
        "## 10.2 LSTM\n\n> 《深度学习》 10.10.1\n\n"
        "## 10.3 GRU\n\n![](gru.png)\n\n![](gru2.png)\n\n图示\n\n"
        "## 10.4 注意力\n\n- [Attention 详解](https://example.com/a) - 知乎\n- [原论文](https://example.com/b)\n\n"
        "## 相关阅读\n\nhttps://example.com/more\n\n"
        "## See also\n\nThe chapter on transformers explains attention at length.\n"
    )
    assert questions(deck) == ["什么是 RNN？"]
    said = "\n".join(warnings(deck))
    for line in (":7:", ":11:", ":19:"):
        assert line in said


def test_coverage_counts_every_answered_question_whatever_the_layout():
    text = (
        "# Notes\n\n## What is A?\n\nA is a letter.\n\n"
        "- [ ] [What is B?](#b)\n\n  B is a letter too.\n\n"
        "- [x] [What is C?](#c)\n\n  C is the third letter.\n\n"
        "**What is D?**\n\nD comes after C.\n\n"
        "## Why is E last?\n\n- [ ] [Why is E last?](#e)\n"
    )
    deck = parse(text)
    assert questions(deck) == ["What is A?", "What is B?", "What is C?", "What is D?"]
    assert deck.questions_found == 4
    assert len(deck.cards) <= deck.questions_found


def test_json_report_lists_every_warning_at_the_top_level():
    deck = parse("# Notes\n\n## What is A?\n\n## What is B?\n\nTODO\n\n## What is C?\n\nC.\n")
    report = report_as_json(ContentReport(decks=[deck]), ChoiceMaker(deck.cards))
    top = json.loads(json.dumps(report))["warnings"]
    assert top == report["decks"][0]["warnings"]
    assert any(w["line"] == 5 and w["source"] == "notes.md" and "placeholder" in w["message"] for w in top)


SUBHEADINGS = """# Interview questions

## 1. How do you select features?

There are three families of methods.

#### Filter methods
Score each feature on its own, e.g. by correlation.

#### Wrapper methods
Search subsets of features with the model in the loop.

## 2. Why does regularisation help?

It penalises large weights.

### What does L1 do?

It drives weights to exactly zero.

### Elastic net
A mix of L1 and L2 penalties.
"""


def test_statement_sub_headings_stay_in_their_question_and_question_sub_headings_stay_cards():
    deck = parse(SUBHEADINGS)
    assert questions(deck) == [
        "How do you select features?",
        "Why does regularisation help?",
        "What does L1 do?",
        "Explain: Elastic net",
    ]
    answer = answer_of(deck, "How do you select features?")
    assert "**Filter methods**" in answer and "Search subsets" in answer
    assert deck.cards[3].section[-1] == "Why does regularisation help?"
