"""Multiple choice a student would call fair, with examples from a blind review of the bundled decks: the
right option is a whole answer (every item of a list, no sentence cut off or opening on an unnamed "he"),
the stem is whole, and the wrong options answer the same kind of question, on the same topic, in the same
mix of scripts, without the same few options coming back in every question."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.core.content import ChoiceMaker
from bot.core.content.gist import gist_of
from bot.core.content.loader import parse_document
from bot.core.content.markdown import terms
from bot.core.content.option_text import cjk_share
from bot.core.content.question_kind import asked_count, question_kind, stem_cut_off


def rule(maker, card) -> str | None:
    return maker.verdict(card.id).rule


# -- the right option is a whole answer --------------------------------------------------------------


def test_a_list_answer_keeps_every_item_in_its_option(maker, card_of):
    """Review: the option for "three steps of meta-learning" listed two; "dynamic computation" lost its third."""
    steps = card_of("What are the three steps of meta-learning?")
    assert (
        maker.gist(steps.id)
        == "Function with unknown; Define loss function for learning algorithm; Optimization"
    )
    ways = card_of("List three ways of dynamic computation.")
    assert maker.gist(ways.id) == "动态调整网络深度；动态调整网络宽度；基于样本难度的计算"
    kinds = card_of("List two kinds of way of Additional Neural Resource Allocation.")
    assert maker.gist(kinds.id) == "Progressive Neural Network; PackNet; CPG"


@pytest.mark.parametrize(
    "question",
    [
        "How to do global explanation by using constraint from generator?",  # first and last bullets glued
        "How to realize parameter quantization?",  # Huffman coding left out
        "What are the differences between BERT and GPT",
    ],
)
def test_a_list_whose_items_do_not_all_fit_stays_a_flashcard(maker, card_of, question):
    assert rule(maker, card_of(question)) == "partial_list"


def test_a_list_of_many_items_is_no_option():
    gist = gist_of("\n".join(f"- idea number {n}" for n in range(9)), "What are the ideas?")
    assert (gist.items, gist.problem) == (9, "partial_list")


@pytest.mark.parametrize(
    ("question", "why"),
    [
        (
            "Why train a large model and then do network pruning",
            "cut_off",
        ),  # `(小模型更难训练学习` never closed
        (
            "What is the mathematical mechanism of the Depthwise",
            "cut_off",
        ),  # `Low rank approximation(低秩近似`
        ("「OSCAR论文解读」有哪些要点？", "cut_off"),  # `…认为有一个值得去研究的发展路线` leads into a list
        ("「Top-k learning to rank」有哪些要点？", "dangling"),  # `…时，他把眼光放在了训练数据上`: who?
        ("How to define the training loss of the zero-shot learning?", "dangling"),  # `k为超参数…`: what k?
        ("List two or three methods of optimization.(非重点", "cut_stem"),
        ("「华刚的Video Imprint中讲到」有哪些要点？", "cut_stem"),
    ],
)
def test_an_option_or_stem_cut_off_mid_sentence_is_no_question(maker, card_of, question, why):
    assert rule(maker, card_of(question)) == why


def test_a_sentence_is_cut_only_at_its_end_outside_brackets():
    gist = gist_of("低秩近似（把矩阵拆成两个小矩阵。参数更少）是它的原理。", "What is the mechanism?")
    assert gist.text == "低秩近似（把矩阵拆成两个小矩阵。参数更少）是它的原理" and gist.problem is None


def test_fewer_items_than_the_question_asks_for_is_no_answer():
    deck = parse_document(
        "## List three steps of baking bread.\n\n- Knead the dough\n- Bake it\n\n"
        "## What are the two kinds of rock cycle?\n\nThe igneous cycle and the sedimentary cycle.\n",
        name="baking",
        source="baking.md",
    )
    maker = ChoiceMaker(deck.cards)
    assert [maker.verdict(card.id).rule for card in deck.cards] == ["too_few_items", "too_few_items"]


def test_what_a_question_asks_for():
    assert asked_count("List at least four ways of passive defense.") == 4
    assert asked_count("List two kinds of way of Additional Neural Resource Allocation.") == 2
    assert asked_count("大模型训练的三个步骤是什么？") == 3
    assert asked_count("What is dropout?") is None
    assert question_kind("What is the curriculum learning?") == "define"
    assert question_kind("How to realize the Depthwise Separable Convolution?") == "how"
    assert question_kind("Why MAML is good?") == "why"
    assert question_kind("List at least five types of way for network compressing.") == "list"
    assert question_kind("What is the full name of BERT and GPT?") == "name"
    assert stem_cut_off("List two or three methods of optimization.(非重点")
    assert not stem_cut_off("什么是正则化（Regularization）？")


# -- wrong options -------------------------------------------------------------------------------------


def asked(seed_report, maker, seeds=range(5)):
    by_gist = {maker.gist(card.id): card for card in seed_report.cards}
    for card in seed_report.cards:
        for seed in seeds:
            choices = maker.choices(card.id, seed)
            if choices is not None:
                wrong = [by_gist[o] for i, o in enumerate(choices.options) if i != choices.correct]
                yield card, choices, wrong


def test_wrong_options_answer_the_same_kind_of_question_on_the_same_topic(seed_report, maker):
    """Review: steps offered against a definition, definitions against "how", notes of an unrelated deck."""
    for card, _, wrong in asked(seed_report, maker):
        for other in wrong:
            assert question_kind(other.question) == question_kind(card.question), (
                card.question,
                other.question,
            )
            topic = terms(f"{card.question} {card.answer}") & terms(f"{other.question} {other.answer}")
            assert other.deck == card.deck or topic, (card.question, other.question)


def test_wrong_options_are_whole_answers(seed_report, maker):
    """Review: cut-off wrong options (`低秩近似(`, `有一个…路线`) were ruled out at a glance."""
    by_gist = {maker.gist(card.id): card for card in seed_report.cards}
    for _, choices, _ in asked(seed_report, maker):
        for option in choices.options:
            assert maker.verdict(by_gist[option].id).rule not in {
                "cut_off",
                "dangling",
                "partial_list",
                "tautology",
            }
            assert option.count("(") == option.count(")") and option.count("（") == option.count("）")


def test_no_option_mixes_scripts_with_the_others(seed_report, maker):
    """Review: a mainly English name expansion among Chinese sentences was the right one."""
    for _, choices, _ in asked(seed_report, maker):
        right = cjk_share(choices.options[choices.correct])
        assert all(abs(cjk_share(option) - right) <= 0.5 for option in choices.options), choices.options


def test_the_same_wrong_options_are_not_in_every_question(seed_report, maker):
    """Review: `Filter; Image Compression…` and `Function with unknown; Optimization` came back again and again."""
    used = Counter(
        option
        for _, choices, _ in asked(seed_report, maker, [0])
        for option in choices.options
        if option != choices.options[choices.correct]
    )
    ready = sum(not maker.is_flashcard_only(card.id) for card in seed_report.cards)
    assert max(used.values()) <= 0.4 * ready, used.most_common(3)
    assert sum(used.values()) - max(used.values()) * 3 > 0  # not one option carrying the quiz
    assert len(used) >= ready  # many distinct options, not a few reused


def test_no_wrong_option_defines_a_closely_related_term(maker, card_of):
    """`一种动态调整学习率的策略` (adaptive learning rate) would be right for learning-rate scheduling too, and the
    definition of an RNN is true of an LSTM."""
    cases = {
        "什么是长短时记忆网络（Long Short-Term Memory，LSTM）？": "一种用于处理序列数据的神经网络",
        "什么是学习率调度（Learning Rate Scheduling）？": "一种动态调整学习率的策略",
        "什么是自适应学习率（Adaptive Learning Rate）？": "调整学习率随训练过程的变化策略",
    }
    for question, close in cases.items():
        card = card_of(question)
        for seed in range(20):
            choices = maker.choices(card.id, seed)
            assert choices is None or close not in choices.options, question


def test_a_right_option_alone_repeating_a_question_word_is_a_give_away(maker, card_of):
    """Review: `梯度` appeared only in the right option; now one shared word is enough to need a distractor
    sharing as much."""
    clipping = card_of("什么是梯度裁剪（Gradient Clipping）？")
    assert maker.gist(clipping.id) == "一种限制梯度大小的方法，以避免梯度爆炸或消失"
    # no other definition in the deck says 梯度: the card stays a flashcard rather than give itself away
    assert maker.verdict(clipping.id).rule == "give_away"
    assert maker.choices(clipping.id, 0) is None
