"""Notes as people really write them (interview repositories, course Q&A) parse completely.

Every fixture here is our own text, written to reproduce a layout seen in public Q&A notes: heading
questions with a few 问/答 pairs, questions at four heading levels, topic headings, dotted section
numbers, HTML entities and raw HTML, a `[TOC]` line, reference lists and TODO placeholders.
"""

from __future__ import annotations

from bot.cli.content_check import report_as_json, report_as_text
from bot.core.content import ChoiceMaker, ContentReport, load_content
from bot.core.content.deck_settings import DeckSettings
from bot.core.content.loader import parse_document


def parse(text: str, **settings):
    return parse_document(text, name="notes", source="notes.md", settings=DeckSettings(**settings))


def questions(deck) -> list[str]:
    return [c.question for c in deck.cards]


def warnings(deck) -> list[str]:
    return [str(w) for w in deck.warnings]


MIXED = """# 第五章 卷积网络

## 5.1 基本概念

### 5.1.1 什么是卷积？
卷积是在输入上滑动一个小的权重窗口并求加权和。

### 5.1.2 池化有什么作用？
降低分辨率，带来一定的平移不变性。

## 5.2 补充问答

问：1x1 卷积有什么用？
答：改变通道数，做跨通道的信息融合。

问：空洞卷积解决什么问题？
答：不增加参数就扩大感受野。

## 5.3 为什么 CNN 适合图像？
局部连接和权值共享符合图像的局部统计特性。
"""


def test_a_few_question_answer_pairs_do_not_hide_the_heading_questions():
    deck = parse(MIXED)
    assert questions(deck) == [
        "什么是卷积？",
        "池化有什么作用？",
        "1x1 卷积有什么用？",
        "空洞卷积解决什么问题？",
        "为什么 CNN 适合图像？",
    ]
    assert deck.cards[0].section == ("卷积网络", "基本概念")
    assert deck.cards[2].section == ("卷积网络", "补充问答")
    assert deck.cards[2].answer == "改变通道数，做跨通道的信息融合。"
    assert deck.cards[4].answer == "局部连接和权值共享符合图像的局部统计特性。"
    assert deck.questions_found == 5


FOUR_LEVELS = """# Machine learning notes

## Optimisation

### What is gradient descent?
Step against the gradient of the loss.

#### Why does the learning rate matter?
Too large diverges, too small crawls.

##### What is a learning-rate warm-up?
Start small and grow the rate over the first steps.

### What is momentum?
A running average of past gradients.
"""


def test_questions_at_every_heading_level_and_deeper_questions_are_not_glued_into_answers():
    deck = parse(FOUR_LEVELS)
    top = ("Machine learning notes", "Optimisation")
    assert [(c.question, c.section) for c in deck.cards] == [
        ("What is gradient descent?", top),
        ("Why does the learning rate matter?", (*top, "What is gradient descent?")),
        (
            "What is a learning-rate warm-up?",
            (*top, "What is gradient descent?", "Why does the learning rate matter?"),
        ),
        ("What is momentum?", top),
    ]
    assert [c.answer for c in deck.cards] == [
        "Step against the gradient of the loss.",
        "Too large diverges, too small crawls.",
        "Start small and grow the rate over the first steps.",
        "A running average of past gradients.",
    ]
    assert [c.line for c in deck.cards] == [5, 8, 11, 14]


def test_text_under_a_topic_section_before_its_questions_is_reported_not_lost():
    deck = parse(
        "# Notes\n\n## Optimisation\nSome intro about optimisers.\n\n### What is Adam?\nMomentum plus RMSProp.\n"
    )
    assert questions(deck) == ["What is Adam?"]
    assert any(":3:" in w and "'Optimisation'" in w and "not a card" in w for w in warnings(deck))


def test_topic_headings_become_recall_questions_in_the_decks_language():
    zh = parse(
        "# 第二章 机器学习基础\n\n## 2.1 基本概念\n\n### 2.1.1 大话理解机器学习本质\n"
        "机器学习就是从数据里归纳出规律。\n\n### 2.1.2 什么是神经网络？\n由很多层神经元组成的函数。\n"
    )
    assert questions(zh) == ["简述：大话理解机器学习本质", "什么是神经网络？"]
    assert zh.cards[0].section == ("机器学习基础", "基本概念")
    en = parse(
        "## Metrics\n\n### Precision and recall\nPrecision is TP/(TP+FP); recall is TP/(TP+FN).\n\n"
        "### What is F1?\nThe harmonic mean of precision and recall.\n"
    )
    assert questions(en) == ["Explain: Precision and recall", "What is F1?"]


def test_whole_dotted_numbers_chapter_numbers_and_bracketed_numbers_are_stripped():
    deck = parse(
        "# 第九章 图像分割\n\n## 9.3 全卷积网络\n\n### 9.3.1 FCN改变了什么？\n把全连接层换成卷积层。\n\n"
        "### 9.3.2.1 反卷积怎么实现？\n转置卷积。\n\n### (2) 跳跃连接有什么用？\n融合浅层细节。\n\n"
        "### 一、为什么要上采样？\n恢复输入分辨率。\n"
    )
    assert questions(deck) == [
        "FCN改变了什么？",
        "反卷积怎么实现？",
        "跳跃连接有什么用？",
        "为什么要上采样？",
    ]
    assert deck.cards[0].section == ("图像分割", "全卷积网络")


def test_entities_invisible_characters_and_raw_html_are_cleaned_and_latex_kept():
    deck = parse(
        "## 什么是 Softmax？\n\n&emsp;&emsp;Softmax 把\u200b分数变成概率&nbsp;分布，"
        "<font color=red>常用于</font>多分类。<br>\n\n"
        '<div align="center"><img src="softmax.png" width="300"></div>\n\n'
        "$$\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}} \\quad a < b$$\n\n"
        "## 交叉熵和 Softmax 有什么关系？\n\n常一起使用 &amp; 梯度简单 &gt; 数值稳定。\n",
        language="zh",
    )
    first = deck.cards[0].answer
    assert first.startswith("Softmax 把分数变成概率 分布，常用于多分类。")
    assert "&" not in first and "\u200b" not in first and "<" not in first.split("$$")[0]
    assert "[图片]" in first
    assert "$$\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}} \\quad a < b$$" in first
    assert deck.cards[1].answer == "常一起使用 & 梯度简单 > 数值稳定。"


def test_answers_folded_in_details_blocks_lose_the_summary_label():
    deck = parse(
        "## What is X?\n<details><summary>Answer</summary>\n\nX is a letter.\n</details>\n\n"
        "## What is Y?\n<details>\n<summary>Show answer</summary>\n\nY is one too.\n\n</details>\n"
    )
    assert [(c.question, c.answer) for c in deck.cards] == [
        ("What is X?", "X is a letter."),
        ("What is Y?", "Y is one too."),
    ]


def test_table_of_contents_and_reference_lists_are_never_cards_or_titles():
    deck = parse(
        "[TOC]\n\n# Deep learning interview\n\n## What is batch normalisation?\n\n"
        "Normalise each mini-batch's activations, then scale and shift.\n\n**References**\n\n"
        "- [BN paper](https://arxiv.org/abs/1502.03167)\n- [A blog](https://example.org/bn)\n\n"
        "## What is layer normalisation?\nNormalise over the features of each example.\n\n"
        "参考资料：\n\n1. [LN paper](https://arxiv.org/abs/1607.06450)\n\n## References\n\n"
        "- Ioffe & Szegedy, 2015.\n- Ba et al., 2016.\n"
    )
    assert deck.title == "Deep learning interview"
    assert questions(deck) == ["What is batch normalisation?", "What is layer normalisation?"]
    assert deck.cards[0].answer == "Normalise each mini-batch's activations, then scale and shift."
    assert deck.cards[1].answer == "Normalise over the features of each example."


def test_placeholder_link_only_and_image_only_answers_are_warnings_with_their_line():
    deck = parse(
        "# 深度学习\n\n## 鞍点的定义和特点？\n\n- [ ] TODO\n\n## 神经网络怎样初始化参数？\n\n待补充\n\n"
        "## 为什么要归一化？\n\n略\n\n## 什么是 Dropout？\n\n- [Dropout 论文](https://example.org/dropout)\n\n"
        "## 残差结构长什么样？\n\n![](resnet.png)\n\n## 什么是 ReLU？\n\nmax(0, x)。\n\n## 什么是梯度爆炸？\n"
    )
    assert questions(deck) == ["什么是 ReLU？"]
    found = warnings(deck)
    for line in (3, 7, 11, 15, 19):
        assert any(f":{line}: " in w and "not a card" in w for w in found), (line, found)
    assert any(":27: " in w and "no answer" in w for w in found)
    assert deck.questions_found == 4  # answered or marked TODO; only links or images, or nothing, ask nothing


def test_bold_questions_under_topic_headings_and_heading_questions_in_one_document():
    deck = parse(
        "# Interview\n\n## Regression\n\n**What is regression?**\n\nPredicting a number.\n\n"
        "**Which loss fits regression?**\n\nMean squared error.\n\n## Why do we scale features?\n\n"
        "So that no feature dominates the distance.\n"
    )
    assert questions(deck) == [
        "What is regression?",
        "Which loss fits regression?",
        "Why do we scale features?",
    ]
    assert deck.cards[0].section == ("Interview", "Regression")


def test_a_document_of_markers_reports_a_topic_heading_instead_of_dropping_it():
    deck = parse(
        "## 1. 基本概念\n\n**题目：** 什么是元学习？\n\n**答案：** 学会如何学习。\n\n"
        "## 2. 总结\n\n元学习让模型更快适应新任务。\n"
    )
    assert deck.layout == "markers"
    assert questions(deck) == ["什么是元学习？"]
    assert any(":7:" in w and "'总结' is not a question" in w for w in warnings(deck))
    assert deck.questions_found == 1  # a summary is reported, but it is not a question


def test_content_check_prints_coverage_per_file(write_doc):
    write_doc("mixed.md", MIXED)
    folder = write_doc(
        "todo.md", "## 什么是鞍点？\n\n- [ ] TODO\n\n## 什么是梯度？\n\n损失对参数的导数。\n"
    ).parent
    report: ContentReport = load_content([folder])
    maker = ChoiceMaker(report.cards)
    text = report_as_text(report, maker)
    assert "coverage: 5 cards / 5 question-like parts (100%)" in text
    assert "coverage: 1 card / 2 question-like parts (50%)" in text
    decks = {d["id"]: d for d in report_as_json(report, maker)["decks"]}
    assert decks["todo"]["coverage"] == {"cards": 1, "questions_found": 2}


def test_an_underlined_title_is_a_heading_and_code_does_not_decide_the_language():
    deck = parse(
        "ResNet 如何解决梯度消失？\n=======\n\n残差连接让梯度可以直接流回浅层。\n\n"
        "```python\ndef forward(self, x):\n    return self.block(x) + x  # identity shortcut keeps gradients\n```\n\n"
        "落单的数\n========\n\n异或所有数，成对的数相互抵消。\n"
    )
    assert deck.language == "zh"
    assert questions(deck) == ["ResNet 如何解决梯度消失？", "简述：落单的数"]
    assert deck.cards[0].answer.startswith("残差连接让梯度可以直接流回浅层。\n\n```python")


def test_a_numbered_question_wrapped_onto_the_next_line_stays_one_question():
    deck = parse(
        "1. What is the likelihood of a biased coin after observing\nthree heads in a row?\n\n"
        "   Use Bayes' rule with a prior over the bias.\n\n2. What is a p-value?\n\n"
        "   The chance of data at least this extreme under the null hypothesis.\n"
    )
    assert [(c.question, c.answer) for c in deck.cards] == [
        (
            "What is the likelihood of a biased coin after observing three heads in a row?",
            "Use Bayes' rule with a prior over the bias.",
        ),
        ("What is a p-value?", "The chance of data at least this extreme under the null hypothesis."),
    ]


def test_notes_under_topic_headings_skip_the_preface():
    deck = parse(
        "# Algorithms\n\nMy notes for the exam.\n\n## Binary search\nHalve the range.\n\n## Two pointers\nWalk from both ends.\n"
    )
    assert [c.question for c in deck.cards] == [
        "What are the key points of Binary search?",
        "What are the key points of Two pointers?",
    ]
