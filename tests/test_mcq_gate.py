"""The multiple-choice gate, rule by rule, on the bundled decks' own cards: which seed cards stay flashcards and
why, which still get multiple choice, and what their wrong options may never be."""

from __future__ import annotations

import re

import pytest

from bot.core.content import ChoiceMaker
from bot.core.content.loader import parse_document
from bot.core.content.mcq_gate import card_verdict, option_verdict
from bot.core.content.option_text import cjk_share
from bot.core.content.question_shape import question_shape


def rule_of(maker, card) -> str | None:
    return maker.verdict(card.id).rule


def options(maker, card, seed: int = 0) -> tuple[list[str], str]:
    choices = maker.choices(card.id, seed)
    assert choices is not None, card.question
    right = choices.options[choices.correct]
    return [o for i, o in enumerate(choices.options) if i != choices.correct], right


# -- the right option must be an answer ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("What is prompt learning (optional)?", "没有讲授"),
        ("Can we learn the data augmentation?", "Yes"),
        ("There are some ways of optimizer, such as Adagrad", "Yes"),
        ("How do consider the relationship between general artificial intelligence", "开放性问题"),
    ],
)
def test_a_non_answer_leaves_the_card_a_flashcard(maker, card_of, bank, question, said):
    card = card_of(question)
    verdict = maker.verdict(card.id)
    assert (verdict.ok, verdict.rule) == (False, "non_answer")
    assert said in verdict.reason
    assert maker.choices(card.id, 0) is None
    assert card.id not in bank.quizzable(None)


def test_an_option_of_three_characters_is_too_short(maker, card_of):
    assert rule_of(maker, card_of("「Dynamic Head 袁路」")) == "too_short"  # 普适性


def test_an_aside_is_not_the_answer(maker, card_of):
    card = card_of("Explain what the full name of “CLIP” is")  # `注:CLIP是齐守良老师在课堂上分享的…`
    assert maker.gist(card.id).startswith("Contrastive Language-Image Pre-training")


def test_an_answer_to_what_is_drops_the_term_even_in_the_other_language(maker, card_of):
    assert maker.gist(card_of("What is the self-supervised learning?").id).startswith(
        "利用无需人工标注的数据"
    )
    assert maker.gist(card_of("What is the aim of using autoencoder").id).startswith("学习输入数据的紧凑")


def test_a_clause_that_only_repeats_the_question_is_left_out_of_the_option(maker, card_of):
    assert maker.gist(card_of("什么是正则化（Regularization）？").id) == "一种防止模型过拟合的方法"


@pytest.mark.parametrize(
    "gist",
    [
        "DRMM+PACRR【13】",
        "[图片]",
        "[image]",
        "https://github.com/HRNet",
        "$\\frac{a}{b}$",
        "&emsp;&emsp;",
        "见上",
    ],
)
def test_images_urls_formulas_citations_and_pointers_are_not_options(gist):
    verdict = option_verdict(gist, "有哪些代表性的工作？")
    assert not verdict.ok
    assert verdict.rule in {"fragment", "too_short", "non_answer"}


def test_a_bare_name_answers_only_a_who_question():
    assert option_verdict("齐守良老师", "What is CLIP?").rule == "bare_name"
    assert option_verdict("Prof. Hinton", "What is dropout?").rule == "bare_name"
    assert option_verdict("Geoffrey Hinton", "Who proposed dropout?").ok
    assert option_verdict("Voice Conversion", "Give one application of feature disentanglement.").ok


def test_a_short_answer_made_of_the_questions_numbers_is_no_tautology(maker, card_of):
    card = card_of("In Omniglot, there are 1623 characters")
    assert card_verdict("N:1623, K: 20", card.question, question_shape(card.question)).ok
    # the option keeps both items of the answer, and the second only restates the question's words
    assert maker.gist(card.id) == "N:1623, K: 20; N-ways K-shot classification"
    assert rule_of(maker, card) == "tautology"


def test_an_option_that_only_restates_the_question_is_a_tautology():
    deck = parse_document(
        "## What is transfer learning?\nTransfer learning is the transfer learning.\n\n"
        "## 什么是知识蒸馏？\n知识蒸馏是一种知识的蒸馏。\n\n"
        "## What is dropout?\nDropout randomly zeroes units during training to reduce overfitting.\n",
        name="t",
        source="t.md",
    )
    maker = ChoiceMaker(deck.cards)
    rules = [maker.verdict(card.id).rule for card in deck.cards]
    assert rules[:2] == ["tautology", "tautology"]
    assert rules[2] != "tautology"


# -- never cut the term asked about; cover every part --------------------------------------------------


def test_a_comparison_keeps_the_term_it_asks_about(maker, card_of):
    card = card_of("For L2-norm and L-infinite, which one is stricter")
    assert maker.gist(card.id).startswith("L-infinite")
    # and then it alone repeats a word of the question, and no other card answers a comparison in the same
    # form: no fair question can be made of it
    assert rule_of(maker, card) in {"give_away", "no_distractors"}


@pytest.mark.parametrize(
    "question",
    [
        "What is white-box attack and black-box attack?",
        "What is the idea of selective synaptic plasticity? What is the loss function",
        "Try to compare the denoising autoencoder (DAE) with BERT and clarify their differences and common points.",
        "What is the domain-adversarial training and how realize it?",
        "Describe what the feature disentanglement is and give one application",
        "什么是预训练（Pre-training）和微调（Fine-tuning）？",
        "领域迁移和领域泛化有什么区别和联系？",
        "请讨论元学习的未来发展方向，以及可能面临的挑战。",
        "请简要解释元学习的概念，以及它在大模型快速适应中的应用。",
    ],
)
def test_a_question_in_several_parts_whose_option_covers_one_stays_a_flashcard(maker, card_of, question):
    assert rule_of(maker, card_of(question)) == "multi_part"


def test_the_exam_questions_in_two_and_three_parts_are_all_flashcards(seed_report, maker):
    exam = next(deck for deck in seed_report.decks if deck.id == "pretraining-and-transfer-learning-exam")
    assert [rule_of(maker, card) for card in exam.cards] == ["multi_part"] * 10


def test_an_option_covering_both_parts_passes_the_part_rule(maker, card_of):
    for question in ("What question the local explanation and global explanation want to answer",
                     "What is the full name of BERT and GPT?"):  # fmt: skip
        card = card_of(question)
        assert rule_of(maker, card) != "multi_part"
    assert "Global Explanation" in maker.gist(card_of("What question the local explanation").id)


@pytest.mark.parametrize(
    "question",
    [
        "What question the local explanation and global explanation want to answer",  # Local Explanation; Global…
        "Try to compare the life-long learning and transfer learning",  # Transfer Learning; Life-long Learning
        "Describe the method of “Attribute embedding + word embedding”",  # …方法是零样本学习的一种常用方法
    ],
)
def test_an_option_that_only_names_what_is_asked_is_a_tautology(maker, card_of, question):
    """Headings that repeat the question (`…不同` ×3, `Transfer Learning; Life-long Learning`) or `X is a
    common method` say nothing a student could weigh."""
    assert rule_of(maker, card_of(question)) == "tautology"


@pytest.mark.parametrize(
    "question",
    [
        "什么是自注意力机制（Self-Attention）？",
        "什么是深度强化学习（Deep Reinforcement Learning）？",
        "什么是生成对抗网络（GAN）？",  # 一种由生成器和判别器组成的对抗性学习框架
    ],
)
def test_a_right_option_that_alone_repeats_the_question_is_a_give_away(maker, card_of, question):
    """`一种用于处理序列数据的注意力机制` is the only option saying 注意力机制: picked without being read."""
    verdict = maker.verdict(card_of(question).id)
    assert (verdict.ok, verdict.rule) == (False, "give_away")


def test_one_question_about_a_pair_is_not_two_parts(maker, card_of):
    assert rule_of(maker, card_of("What are the differences between BERT and GPT")) != "multi_part"
    example = card_of("元学习如何应用于图像分类任务？请举例说明。")
    assert rule_of(maker, example) != "multi_part"  # an example is no part
    assert maker.gist(example.id) == "任务定义；模型训练；快速适应"


# -- distractors ---------------------------------------------------------------------------------------


def test_no_wrong_option_defines_a_term_containing_the_one_asked_about(maker, card_of):
    cases = {
        "How to realize parameter quantization?": "Parameter Quantization",
        "什么是图神经网络（Graph Neural Network）？": "图神经网络",
        "什么是强化学习（Reinforcement Learning）？": "强化学习",
        "什么是注意力机制（Attention Mechanism）？": "注意力机制",
        "什么是循环神经网络（Recurrent Neural Network）？": "循环神经网络",
    }
    asked = 0
    for question, term in cases.items():
        card = card_of(question)
        if maker.is_flashcard_only(card.id):
            continue
        asked += 1
        for seed in range(20):
            wrong, _ = options(maker, card, seed)
            assert not any(term in option for option in wrong), (question, wrong)
    assert asked >= 3


def test_no_wrong_option_defines_the_wider_term_the_right_one_is_put_in(maker, card_of, seed_report):
    gcn = card_of("什么是图卷积网络（Graph Convolutional Network）？")
    gnn = card_of("什么是图神经网络（Graph Neural Network）？")
    assert "图神经网络" in maker.gist(gcn.id)
    for seed in range(20):
        wrong, _ = options(maker, gcn, seed)
        assert maker.gist(gnn.id) not in wrong


def test_no_wrong_option_comes_from_a_card_asking_the_same_term(seed_report, maker):
    twins = [c for c in seed_report.cards if c.question == "什么是迁移学习（Transfer Learning）？"]
    assert len(twins) == 2
    gists = {maker.gist(card.id) for card in twins}
    for card in twins:
        for seed in range(20):
            wrong, _ = options(maker, card, seed)
            assert not gists & set(wrong)


def _form(text: str) -> str:
    items = re.split(r"、|, ", text)
    if "；" in text or "; " in text or (len(items) >= 3 and all(len(item) <= 12 for item in items)):
        return "list"
    return (
        "short"
        if (len(re.sub(r"\W", "", text)) <= 10 if cjk_share(text) > 0.15 else len(text.split()) <= 4)
        else "sentence"
    )


def test_wrong_options_have_the_form_length_and_script_of_the_right_one(seed_report, maker):
    for card in seed_report.cards:
        if maker.is_flashcard_only(card.id):
            continue
        for seed in range(3):
            wrong, right = options(maker, card, seed)
            for option in wrong:
                assert _form(option) == _form(right), (right, option)
                assert max(len(option), len(right)) <= 2.5 * min(len(option), len(right)), (right, option)
                assert (cjk_share(option) > 0.15) == (cjk_share(right) > 0.15), (right, option)
