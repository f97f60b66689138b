"""The five documents our users gave us load into the decks a study group expects."""

from __future__ import annotations

import pytest

from bot.core.content import ContentReport


def deck(report: ContentReport, deck_id: str):
    return next(d for d in report.decks if d.id == deck_id)


def card(report: ContentReport, question_start: str):
    matches = [c for c in report.cards if c.question.startswith(question_start)]
    assert len(matches) == 1, f"{len(matches)} cards start with {question_start!r}"
    return matches[0]


@pytest.mark.parametrize(
    ("deck_id", "count", "layout"),
    [
        ("pretraining-and-transfer-learning-exam", 10, "headings"),
        ("hung-yi-lee-ml-course-questions", 60, "numbered"),
        ("pretraining-research-talk-notes", 10, "notes"),
        ("meta-learning-for-large-models", 6, "markers"),
        ("large-model-training-basics", 30, "markers"),
    ],
)
def test_each_seed_document_gives_its_cards(seed_report, deck_id, count, layout):
    loaded = deck(seed_report, deck_id)
    assert len(loaded.cards) == count
    assert loaded.layout == layout
    assert loaded.language == "zh"
    assert all(c.question and c.id and c.source.endswith(".md") and c.line > 0 for c in loaded.cards)


def test_seed_content_loads_without_errors_and_with_unique_ids(seed_report):
    assert seed_report.errors == []
    ids = [c.id for c in seed_report.cards]
    assert len(ids) == len(set(ids)) == 116


def test_exam_headings_first_and_last_and_partly_empty_answer_flagged(seed_report):
    first = deck(seed_report, "pretraining-and-transfer-learning-exam").cards[0]
    assert first.question == (
        "请问预训练大模型相对于传统的深度学习模型有哪些优势？预训练大模型起作用的关键因素是什么？"
        "预训练大模型是否就是人工智能的终极形式？"
    )
    assert first.answer.startswith("大模型有两个关键优势，一个是大，一个是预训练。")
    assert first.answer.endswith("黑盒：缺乏很强的计算逻辑性与校验性。")
    assert first.line == 1
    last = deck(seed_report, "pretraining-and-transfer-learning-exam").cards[-1]
    assert last.question.startswith("扩散模型相对其他两种生成模型（GAN和Autoregressive）具有哪些优势？")
    assert "缺点：因为要进行去噪过程" in last.answer
    domain = card(seed_report, "领域迁移和领域泛化有什么区别和联系？")
    assert "迁移算法：" in domain.answer  # kept as written, and flagged
    warnings = [str(w) for w in deck(seed_report, "pretraining-and-transfer-learning-exam").warnings]
    assert any(":45:" in w and "迁移算法" in w for w in warnings)
    assert any(":47:" in w and "泛化算法" in w for w in warnings)


def test_course_questions_have_chapter_and_part_sections(seed_report):
    first = card(seed_report, "What is the aim of using autoencoder to get embedding?")
    assert first.section == ("Chapter 8 SSL", "Part I. Autoencoder")
    assert first.answer.startswith("💻 使用自编码器获得嵌入的目的是学习输入数据的紧凑而有意义的表示。")
    bert = card(seed_report, "What is the full name of BERT and GPT?")
    assert bert.section == ("Chapter 8 SSL", "Part II. BERT")
    # the answer started on the question's own line, after the 💻 source marker
    assert bert.question == "What is the full name of BERT and GPT?"
    assert bert.answer.startswith("💻 BERT的全称是Bidirectional Encoder Representations from Transformers")
    last = deck(seed_report, "hung-yi-lee-ml-course-questions").cards[-1]
    assert last.question.startswith(
        "How do consider the relationship between general artificial intelligence"
    )
    assert last.answer == "开放性问题"
    assert last.section == ("Chapter 14 Meta-learning(非重点)",)


def test_course_answer_keeps_nested_lists(seed_report):
    xai = card(seed_report, "Why do we need Explainable ML?")
    assert "\n1. 提高模型的可信度、可解释性和可接受性:" in xai.answer
    assert "\n2. 改进模型的性能\n  • 机器学习模型通常基于历史数据进行训练" in xai.answer
    diff = card(seed_report, "What are the differences between BERT and GPT from the viewpoint of SSL?")
    assert [f"\n{n}. " in diff.answer for n in range(1, 5)] == [True] * 4


def test_course_footnotes_are_notes_not_cards_or_noise(seed_report):
    cards = deck(seed_report, "hung-yi-lee-ml-course-questions").cards
    assert not any("↩" in c.question + c.answer + c.explanation for c in cards)
    assert not any("感谢" in c.question for c in cards)
    dae = card(seed_report, "Try to compare the denoising autoencoder (DAE) with BERT")
    assert "denoising1autoencoder" not in dae.question
    assert dae.explanation == "注：题目写错了,题目中nosing应为denosing,感谢YK的指正!"
    targeted = card(seed_report, "Explain how to realize a targeted attack to a network?")
    assert "越好。\n" in targeted.answer and "越好。2" not in targeted.answer
    assert targeted.explanation == "注：此处有所改正。"
    steps = card(seed_report, "What are the three steps of meta-learning?")
    assert "优化)3" not in steps.answer and "注：之前有拼写错误" in steps.explanation
    compare = card(seed_report, "Try to compare machine learning and meta-learning")
    assert "训练数据的损失之和" in compare.answer and "训练4数据" not in compare.answer
    # ordinary names with digits are not mistaken for markers
    bert_works = card(seed_report, "Explain why BERT works.")
    assert "w1、w2、w3和w4" in bert_works.answer
    norms = card(seed_report, "For L2-norm and L-infinite")
    assert norms.question.startswith("For L2-norm")


def test_research_notes_become_recall_cards(seed_report):
    notes = deck(seed_report, "pretraining-research-talk-notes")
    questions = [c.question for c in notes.cards]
    assert "「HRNet 王井东」有哪些要点？" in questions
    assert "「OSCAR论文解读」有哪些要点？" in questions
    assert "「R-Drop」有哪些要点？" in questions
    assert "「Reinforced Multi-Teacher Selection for Knowledge Distillation」有哪些要点？" in questions
    hrnet = card(seed_report, "「HRNet 王井东」")
    assert hrnet.answer.startswith("首先分析任务本质，如图片分类不需要高分辨率，但是物体检测等需要。")
    assert "HRNet 王井东" not in hrnet.answer  # the title is the question, not part of the answer
    oscar = card(seed_report, "「OSCAR论文解读」")
    assert "<img" not in oscar.answer and "<div" not in oscar.answer and "[图片]" in oscar.answer
    assert "深度调研之预训练模型" not in oscar.answer  # the document title names the deck
    ideas = notes.cards[-1]
    assert ideas.question == "「目前有三个想法」有哪些要点？"
    assert ideas.answer.startswith("1. 预训练模型的改进\n   1. 在预训练过程中加入**结构信息**")
    assert "12. 统一！" in ideas.answer


def test_meta_learning_markers_with_code_and_no_summary_card(seed_report):
    cards = deck(seed_report, "meta-learning-for-large-models").cards
    first = cards[0]
    assert first.question == "请简要解释元学习的概念，以及它在大模型快速适应中的应用。"
    assert first.section == ("元学习在大模型快速适应中的应用", "元学习的基本概念")
    assert first.answer.startswith("元学习（Meta-Learning）是机器学习中的一个分支")
    assert first.explanation.startswith(
        "元学习通过以下方式实现快速适应：\n- **经验重放（Experience Replay）：**"
    )
    image = card(seed_report, "元学习如何应用于图像分类任务？请举例说明。")
    assert (
        "```python\n# 假设我们有一个预训练的图像分类模型\npretrained_model = load_pretrained_model()"
        in image.answer
    )
    assert image.answer.endswith("fast_adapt_model(pretrained_model, new_task)\n```")
    assert image.explanation == "通过这种方式，模型能够在不同的图像分类任务上快速适应，而无需从头开始训练。"
    last = cards[-1]
    assert last.question == "请讨论元学习的未来发展方向，以及可能面临的挑战。"
    assert "**面临的挑战：**" in last.answer
    assert not any("总结" in c.question or "提供了一种高效的机器学习策略" in c.answer for c in cards)


def test_training_basics_questions_answers_and_explanations(seed_report):
    cards = deck(seed_report, "large-model-training-basics").cards
    first = cards[0]
    assert first.question == "什么是预训练（Pre-training）和微调（Fine-tuning）？"
    assert first.answer.startswith("预训练（Pre-training）是指在大规模数据集上进行训练")
    assert first.answer.endswith("如分类或回归任务。")
    assert first.explanation.startswith("预训练使模型具有泛化能力，可以处理未见过的数据。")
    assert "**" not in first.explanation and "解析" not in first.explanation
    assert first.section == ("大模型训练的两个关键步骤",)
    last = cards[-1]
    assert last.question == "什么是联邦学习（Federated Learning）？"
    assert last.answer == (
        "联邦学习（Federated Learning）是一种分布式机器学习方法，允许模型在不同设备上进行训练，而不需要共享原始数据。"
    )
    # The document asks some questions twice (7 and 27): both kept, with distinct ids, and flagged.
    twins = [c for c in cards if c.question == "什么是迁移学习（Transfer Learning）？"]
    assert len(twins) == 2 and twins[0].id != twins[1].id
    assert any(
        "the same question as line 67" in str(w)
        for w in deck(seed_report, "large-model-training-basics").warnings
    )


def test_deck_titles_come_from_decks_yaml(seed_report):
    assert deck(seed_report, "large-model-training-basics").title == "大模型训练基础 30 题"
    assert "meta-learning" in deck(seed_report, "meta-learning-for-large-models").tags
