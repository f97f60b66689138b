"""Grading answers in your own words: real key terms, bilingual pairs, negations, word lists, honest
confidence, readable missed points, and the calibration figures on the labelled answers."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime

import pytest

from bench.grading_bench import BLIND, BLIND2, BLIND3, BLIND4, BLIND5, evaluate, labelled_cards
from bot.core.content import load_content
from bot.core.content.deck_settings import read_deck_settings, read_synonyms
from bot.core.grading import AGAIN, HARD, KeyPointGrader, terms
from bot.core.grading.points import reference_points, sentences, shorten
from bot.core.messages import ChatKind, Reply
from bot.core.service import StudyService
from bot.core.study import StudySettings
from tests.conftest import Chat

GOOD_OR_EASY = {3, 4}


@pytest.fixture(scope="module")
def grader(seed_report) -> KeyPointGrader:
    return KeyPointGrader(seed_report.cards)


@pytest.fixture(scope="module")
def cards(seed_report) -> dict:
    return {card.id: card for card in seed_report.cards}


def card_asking(cards: dict, start: str):
    return next(card for card in cards.values() if card.question.startswith(start))


def test_key_terms_are_dictionary_words_or_paired_terms_never_fragments(grader, cards):
    tokenizer_words = grader.lexicon._tokenizer.FREQ
    for card in cards.values():
        for point in grader.points(card):
            for concept in point.weights:
                paired = grader.lexicon.languages_of(concept) == {"zh", "en"}  # 层 | layer in the glossary
                if "\u4e00" <= concept[0] <= "\u9fff":
                    assert tokenizer_words.get(concept, 0) > 0 and (len(concept) >= 2 or paired), concept
    found = {concept for card in cards.values() for p in grader.points(card) for concept in p.weights}
    assert not found & {"中负", "完再", "而元", "步才", "的", "是", "怎么样", "第一个"}


def test_english_terms_are_stemmed_and_normalised(grader):
    concepts = [
        m.concept for m in grader.lexicon.mentions("Self-Supervised LEARNING, self supervised learning")
    ]
    assert concepts[0] == concepts[1] == "自监督学习"  # hyphen, case and the glossary pairing
    assert (
        grader.lexicon.mentions("ＢＥＲＴ")[0].concept == grader.lexicon.mentions("bert")[0].concept
    )  # width
    assert grader.lexicon.stem("distillation") == grader.lexicon.stem("distilled")
    for comparative, adjective in (
        ("smaller", "small"),
        ("largest", "large"),
        ("bigger", "big"),
        ("easier", "easy"),
    ):
        assert grader.lexicon.stem(comparative) == grader.lexicon.stem(adjective)  # Snowball keeps these
    assert grader.lexicon.stem("layer") == "layer"  # a noun in -er is not a comparative
    for open_form, closed in (
        ("batch size", "batchsize"),
        ("drop out", "dropout"),
        ("pre train", "pretrain"),
    ):
        # the notes write these closed up; an answer may not
        spelled = [[m.concept for m in grader.lexicon.mentions(f)] for f in (open_form, closed)]
        assert spelled[0] == spelled[1] and len(spelled[0]) == 1, (open_form, spelled)


def test_bilingual_pairs_and_acronyms_are_mined_from_the_notes(grader):
    known = grader.lexicon.known
    assert known("知识蒸馏") == known("Knowledge Distillation") is not None
    assert known("梯度裁剪") == known("gradient clipping") is not None
    assert known("图神经网络") == known("Graph Neural Network") == known("GNN") is not None
    assert known("VQVAE") == known("Vector Quantized Variational Auto-encoder") is not None
    assert known("LIME") == known("Local Interpretable Model-Agnostic Explanations") is not None
    # a looser bracket elsewhere (`预训练卷积神经网络(CNN)`) does not become CNN's translation
    assert known("CNN") == known("卷积神经网络") != known("预训练卷积神经网络")


def test_an_english_answer_to_a_chinese_reference_earns_credit_for_the_concepts_it_names(grader, cards):
    clipping = card_asking(cards, "什么是梯度裁剪")
    english = "Gradient clipping limits the size of the gradients with a threshold to avoid exploding or vanishing gradients."
    graded = grader.grade(clipping, english)
    assert graded.score >= 60 and graded.proposed in GOOD_OR_EASY and graded.unsure is None
    distillation = card_asking(cards, "什么是知识蒸馏")
    graded = grader.grade(
        distillation, "It transfers the knowledge of a large teacher model to a small student model."
    )
    assert graded.score >= 60 and graded.proposed in GOOD_OR_EASY
    # and the reverse: a Chinese answer to an English reference
    lime = card_asking(cards, "Explain the idea of Local Interpretable")
    assert grader.grade(lime, "用一个可解释的模型去模仿不可解释模型的行为。").score >= 60


PLAIN_WORDS_NOTES = """## 什么是瓦罗迁移？

瓦罗迁移把庞大的系统拆分成许多独立的服务，每个服务可以单独部署和扩展。

## What makes a zorbal check strict?

A zorbal check is strict: it rejects every sample whose largest deviation exceeds the bound.
"""


def test_the_memory_of_stems_stays_bounded_however_many_new_words_answers_bring(grader, cards, monkeypatch):
    limit = max(len(grader.lexicon._stems), len(grader.lexicon._parts)) + 50
    monkeypatch.setattr(terms, "WORD_CACHE", limit)
    card = card_asking(cards, "什么是梯度裁剪")
    for n in range(200):  # a long-running bot: every answer with words nobody wrote before
        grader.grade(card, f"clipping limits gradients, word{n}a word{n}b word{n}c")
    assert len(grader.lexicon._stems) <= limit and len(grader.lexicon._parts) <= limit
    assert grader.lexicon.stem("distillation") == grader.lexicon.stem("distilled")


def test_plain_words_the_notes_never_translate_meet_through_the_dictionary(write_doc):
    """`庞大`, `独立`, `扩展` and `reject`, `deviation`, `exceed` are in no glossary and no note pairs them:
    CC-CEDICT's senses do, so an answer in the other language is graded instead of declined."""
    write_doc("notes.md", PLAIN_WORDS_NOTES)
    varo, zorbal = load_content([write_doc("decks.yaml", "").parent]).cards
    grader = KeyPointGrader([varo, zorbal])
    english = grader.grade(
        varo,
        "Varo migration splits a huge system into many independent services, and each one can be "
        "deployed and extended on its own.",
    )
    assert english.unsure is None and english.proposed in GOOD_OR_EASY, english
    chinese = grader.grade(zorbal, "它很严格：只要某个样本最大的偏差超过界限就拒绝。")
    assert chinese.unsure is None and chinese.proposed in GOOD_OR_EASY, chinese
    # a translation earns nothing negated, and Chinese "never" (从不) negates like 不
    negated = grader.grade(varo, "Varo migration does not split a huge system into independent services.")
    assert negated.score == 0 and negated.proposed == AGAIN, negated
    assert grader.grade(zorbal, "It never rejects a sample.").score == 0
    assert grader.grade(zorbal, "它从不拒绝任何样本。").score == 0


def test_without_the_dictionary_the_grader_still_grades_and_says_why(write_doc, monkeypatch, caplog):
    """A broken install (the package's data file missing) costs the senses, not the grading."""
    from bot.core.grading import senses

    def missing() -> dict:
        raise FileNotFoundError("cedict_1_0_ts_utf-8_mdbg.txt.gz")

    monkeypatch.setattr(senses, "read_glosses", missing)
    monkeypatch.setattr(senses.Senses, "_shared", None)
    write_doc("notes.md", PLAIN_WORDS_NOTES)
    varo = load_content([write_doc("decks.yaml", "").parent]).cards[0]
    with caplog.at_level("WARNING"):
        grader = KeyPointGrader([varo])
    assert "grading without word senses" in caplog.text
    graded = grader.grade(varo, "瓦罗迁移把庞大的系统拆分成独立的服务，可以单独部署和扩展。")
    assert graded.score >= 80 and graded.proposed in GOOD_OR_EASY


def test_a_chinese_synonym_counts_when_it_shares_a_character_and_a_sense(write_doc):
    """巨大 for 庞大 (both "huge", both 大) earns credit; 感受 ("to sense") beside a reference that never
    says 检测 ("to detect; to sense") earns none: a shared gloss without a shared character is a pun."""
    write_doc("notes.md", PLAIN_WORDS_NOTES)
    varo = load_content([write_doc("decks.yaml", "").parent]).cards[0]
    grader = KeyPointGrader([varo])
    plain = grader.grade(varo, "它把系统分成服务。").score
    assert grader.grade(varo, "它把巨大的系统分成服务。").score > plain
    assert grader.grade(varo, "它把感受到的系统分成服务。").score == plain


def test_the_fields_terms_weigh_more_than_everyday_words_as_rare_in_the_notes(write_doc):
    """In one card every word is as rare as every other in the notes; jieba's corpus says 好像, 方便 and
    增强 are everyday words and 鲁棒性, 泛化 and 约束 are not. Three of each: the terms count for more."""
    write_doc(
        "notes.md", "## 什么是瓦罗正则？\n\n瓦罗正则好像一种约束：它让部署变得方便，并且增强鲁棒性与泛化。\n"
    )
    card = load_content([write_doc("decks.yaml", "").parent]).cards[0]
    grader = KeyPointGrader([card])
    terms = grader.grade(card, "它是一种约束，提供鲁棒性与泛化。")
    everyday = grader.grade(card, "好像很方便，可以增强。")
    assert terms.score > everyday.score + 20, (terms, everyday)


def test_synonyms_from_decks_yaml_pair_terms_either_way(write_doc):
    write_doc(
        "notes.md",
        "## What is a zorbal flux?\n\nA zorbal flux couples the quentic lattice to the morvian field.\n",
    )
    yaml_text = (
        "synonyms:\n  - [量子晶格, quentic lattice]\n  - [莫维场, morvian field]\n  - [耦合, couples]\n"
    )
    settings = write_doc("decks.yaml", yaml_text)
    assert read_deck_settings(settings)[1] == []  # the key is known, the file has no problems
    synonyms = read_synonyms(settings)
    assert synonyms == [("量子晶格", "quentic lattice"), ("莫维场", "morvian field"), ("耦合", "couples")]
    card = load_content([settings.parent]).cards[0]
    answer = "它把量子晶格和莫维场耦合在一起。"
    assert KeyPointGrader([card]).grade(card, answer).proposed is None  # nothing it can pair: no proposal
    paired = KeyPointGrader([card], synonyms).grade(card, answer)
    assert paired.score == 100 and paired.proposed in GOOD_OR_EASY
    bad = write_doc("decks.yaml", "synonyms:\n  - [only-one]\n  - just text\n")
    assert read_deck_settings(bad)[1] == [
        "synonyms[0]: must be a list of two or more spellings",
        "synonyms[1]: must be a list of two or more spellings",
    ]


def test_negated_terms_earn_nothing_but_a_paraphrase_does(grader, cards):
    clipping = card_asking(cards, "什么是梯度裁剪")
    negated = grader.grade(clipping, "梯度裁剪不是限制梯度大小的方法，和避免梯度爆炸或消失无关。")
    assert negated.score <= 20 and negated.proposed == AGAIN
    english_negated = grader.grade(
        clipping, "It does not limit the size of gradients and has nothing to avoid."
    )
    assert english_negated.score < 40
    paraphrase = grader.grade(
        clipping, "梯度裁剪就是给梯度设一个阈值，梯度太大时按比例缩小，防止梯度爆炸，训练更稳定。"
    )
    assert paraphrase.score >= 60 and paraphrase.proposed in GOOD_OR_EASY
    # a negation the reference makes itself is matched by the same negation in the answer
    federated = card_asking(cards, "什么是联邦学习")
    keeps_data = grader.grade(federated, "一种分布式的机器学习，各设备本地训练，不需要共享原始数据。")
    shares_data = grader.grade(federated, "一种分布式的机器学习，各设备本地训练，需要共享原始数据。")
    assert keeps_data.score == 100 and shares_data.score < 100


def test_what_an_answer_affirms_after_not_a_but_b_counts(grader, cards):
    adaptive = card_asking(cards, "什么是自适应学习率")
    for instead, denied in (
        ("学习率不是固定的，而是动态调整。", "学习率不是动态调整的。"),
        (
            "The learning rate is not fixed, but adjusted dynamically.",
            "The learning rate is not adjusted dynamically.",
        ),
    ):
        affirmed = grader.grade(adaptive, instead)  # "not A but B" says the learning rate is B
        assert affirmed.score == 100 and affirmed.proposed in GOOD_OR_EASY
        assert grader.grade(adaptive, denied).proposed == AGAIN


def test_a_negation_reaches_the_cause_it_denies(grader):
    dropout = grader.lexicon.mentions("dropout")[0].concept

    def negated(text: str) -> bool:
        return next(m.negated for m in grader.lexicon.mentions(text) if m.concept == dropout)

    assert not negated("It generalises because of dropout.")
    assert negated("It generalises, but not because of dropout.")
    assert negated("Its success has nothing to do with dropout.")
    assert negated("它效果好不是因为dropout。") and not negated("它效果好是因为dropout。")


def test_phrases_that_open_with_a_negation_negate(grader):
    dropout = grader.lexicon.mentions("dropout")[0].concept
    for text, negated in (
        ("作者并不认为dropout有用", True),  # jieba reads 并不认为 as one word
        ("这和dropout毫不相关", True),
        ("作者认为dropout有用", False),
        ("它用到的不止dropout", False),  # 不止 "more than", 不仅 "not only": no negation
    ):
        assert [m.negated for m in grader.lexicon.mentions(text) if m.concept == dropout] == [negated], text
    assert grader.lexicon.read("BERT和GPT并不相同")[1][0].pole == -1  # "not the same": different, a claim
    # 则 opens a clause of its own: the negation before it does not reach 元学习
    contrast = grader.lexicon.mentions("普通模型不会学习方法，元学习则学习一种学习方法")
    assert [m.negated for m in contrast if m.concept == grader.lexicon.mentions("元学习")[0].concept] == [
        False
    ]
    contrast = grader.lexicon.mentions("普通模型不会学习方法元学习则学习一种学习方法")
    assert [m.negated for m in contrast if m.concept == grader.lexicon.mentions("学习方法")[0].concept][
        -1
    ] is False


def test_which_way_a_clause_goes_is_read_through_jieba_s_phrases(grader):
    """越小越好 (jieba: 越小越 + 好) says smaller, and better; what a clause says of the thing it sets aside
    (与有监督学习需要标注好的数据不同) is no claim about the subject; 不一定/并不意味着 say neither way."""

    def claims(text: str) -> set[tuple[str, int]]:
        return {(statement.axis, statement.pole) for statement in grader.lexicon.read(text)[1]}

    assert claims("攻击结果与攻击目标的距离越小越好") == {("size", -1), ("quality", 1)}
    assert claims("距离越大越好") == {("size", 1), ("quality", 1)}
    unlike = claims("与有监督学习需要使用标注好的数据进行训练不同，自监督学习利用数据自身的结构")
    assert unlike == {("sameness", -1)}, unlike  # "different", and nothing about labels
    assert claims("速度不一定快") == claims("这并不意味着综合表现好") == set()
    assert claims("this does not necessarily mean faster training") == set()
    assert claims("速度不快") == claims("it is not faster") == {("speed", -1)}
    assert claims("smaller network is more difficult to learn") == {("size", -1), ("difficulty", 1)}
    assert claims("a less difficult task") == {("difficulty", -1)}  # "more"/"less" are degrees here
    assert ("difficulty", 1) in claims("因为小网络很难训练好")  # 难 + 训练, then 训练 + 好: both claims kept


def test_which_way_two_things_go_together_is_one_claim(grader, cards):
    """ "smaller network is more difficult to learn": smaller goes with harder. "大网络更容易优化" agrees (larger,
    easier); "小网络并不难训练，大网络反而更难训练" and "大网络很难训练好" put them the other way round. "It is widely
    known" is no key point."""
    pruning = card_asking(cards, "Why train a large model and then do network pruning")
    assert (
        grader.grade(pruning, "Because small networks are much harder to train successfully.").proposed
        in GOOD_OR_EASY
    )
    right = grader.grade(pruning, "因为小网络很难训练好，大网络更容易优化。")
    assert right.proposed in {HARD, *GOOD_OR_EASY}, right
    for wrong in ("因为小网络并不难训练，大网络反而更难训练。", "因为大网络很难训练好，小网络更容易优化。",
                  "Because large networks are much harder to train successfully, small ones are easy."):  # fmt: skip
        assert grader.grade(pruning, wrong).proposed == AGAIN, wrong


def test_denying_a_statement_that_holds_a_negation_denies_it_all(grader, cards):
    ssl = card_asking(cards, "What is the self-supervised learning")
    for denied, said in (
        (
            "自监督学习不是利用无需人工标注的数据进行学习的方法。",
            "自监督学习利用不需要人工标注的数据来学习。",
        ),
        (
            "It is not a way of learning that needs no human labels.",
            "It is a way of learning from data that needs no human labels.",
        ),
    ):  # "not ... no labels": it needs labels, the reference's opposite
        assert grader.grade(ssl, denied).proposed == AGAIN
        assert grader.grade(ssl, said).score >= 40 and grader.grade(ssl, said).proposed != AGAIN


def test_an_answer_claiming_the_opposite_direction_or_sameness_loses_the_point(grader, cards):
    diffusion = card_asking(cards, "扩散模型相对其他两种生成模型")
    right = grader.grade(diffusion, "优点是生成的质量好、多样性强；缺点是去噪要很多步，比GAN慢。")
    backwards = grader.grade(diffusion, "优点是生成的质量差、多样性弱；缺点是去噪要很多步，比GAN快。")
    assert right.score >= 60 and backwards.score <= 40 < right.score
    assert any("质量好" in point for point in backwards.missed)  # the point it got backwards is shown
    # a negation before a polar word turns it: "not slow" is not "slow"
    turned = grader.grade(diffusion, "优点是生成的质量好、多样性强；缺点是去噪要很多步，比GAN不慢。")
    assert turned.score < right.score
    compare = card_asking(cards, "Try to compare the denoising autoencoder (DAE) with BERT")
    same = grader.grade(compare, "DAE和BERT完全一样，没有区别，都是预训练模型，都学习特征表示。")
    differ = grader.grade(
        compare,
        "两者不一样：DAE的目标是学习输入的特征，BERT的目标是学习上下文信息；共同点是都通过预训练学习特征表示，可以用于下游任务。",
    )
    assert same.score <= 20 < differ.score


def test_dealing_with_a_problem_is_not_read_as_claiming_it(grader, cards):
    regularisation = card_asking(cards, "什么是正则化")  # reference: 防止模型过拟合 (avoids overfitting)
    for dealt_with in (
        "正则化是用来对付过拟合的，在损失函数后面再加一个惩罚项，约束参数。",
        "Regularization addresses overfitting: it adds a penalty term to the loss function to constrain the parameters.",
        "Regularization is a technique against overfitting: a penalty term in the loss constrains the parameters.",
    ):  # neither says which way overfitting goes, so neither contradicts 防止
        assert grader.grade(regularisation, dealt_with).proposed in GOOD_OR_EASY, dealt_with
    causes = grader.grade(
        regularisation, "正则化让模型更容易过拟合，在损失函数后面再加一个惩罚项，约束参数。"
    )
    assert causes.proposed == AGAIN


def test_an_answer_that_swaps_what_is_said_of_each_item_or_subject_loses_those_points(grader, cards):
    # labelled items: 经验重放（Experience Replay）：…记忆库… and 渐进学习（Progressive Learning）：…简单任务…
    methods = card_asking(cards, "请列举几种元学习的代表性方法")
    in_order = (
        "代表方法有：模型初始化，在许多相似任务上训练，用平均后的参数初始化新任务；经验重放，把各任务的训练经验"
        "存进记忆库，之后拿出来快速适应；渐进学习，先学简单任务，再逐步增加任务的复杂性。"
    )
    other_order = (
        "渐进学习是先简单后复杂，逐步增加任务难度；经验重放把经验存储在记忆库里，用来快速适应；"
        "模型初始化则用多个任务上模型的平均值做新任务的初始化。"
    )
    swapped = (
        "代表方法有：经验重放，先学简单任务、再逐步增加任务的复杂性；渐进学习，把各任务的训练经验存进记忆库，"
        "之后拿出来快速适应；模型初始化，用平均后的参数初始化新任务。"
    )  # every term of the reference is there, said of the wrong method
    assert grader.grade(methods, in_order).proposed in GOOD_OR_EASY
    assert grader.grade(methods, other_order).proposed in GOOD_OR_EASY
    assert grader.grade(methods, swapped).proposed == AGAIN
    # the things a question compares: "the differences between BERT and GPT"
    bert_gpt = card_asking(cards, "What are the differences between BERT and GPT")
    right = [
        "BERT, unlike GPT, is a bidirectional encoder trained with masked language modeling and next sentence"
        " prediction; GPT is a unidirectional decoder trained with plain language modeling.",
        "GPT 是单向的 Transformer 解码器，只做语言模型预测下一个词；BERT 是双向编码器，用掩码语言模型和下一句预测。",
        "BERT 和 GPT 不同：GPT 用单向解码器做语言模型，BERT 用双向编码器做 MLM 和 NSP。",
    ]
    wrong = (
        "BERT is a unidirectional decoder trained with plain language modeling; GPT is a bidirectional encoder"
        " trained with masked language modeling and next sentence prediction."
    )
    lowest_right = min(grader.grade(bert_gpt, answer).score for answer in right)
    assert lowest_right >= 30
    assert grader.grade(bert_gpt, wrong).score < lowest_right - 30
    assert grader.grade(bert_gpt, wrong).proposed == AGAIN
    # no card's own reference reads as swapped, read as the grader reads an answer
    for card in cards.values():
        mentions, _, breaks = grader.lexicon.read_sentences(card.answer)
        own = terms.by_sentence(mentions, breaks)
        assert not grader.bindings(card).swapped(own, grader._specific), card.question


def test_a_claim_the_reference_makes_elsewhere_is_not_held_against_the_answer(grader, cards):
    # the reference says "推理速度快" under advantages and "要慢一点" than GAN under drawbacks
    diffusion = card_asking(cards, "扩散模型相对其他两种生成模型")
    slower = grader.grade(
        diffusion, "生成的样本质量高、多样性好；缺点是要很多步去噪，比GAN和自回归Transformer慢。"
    )
    assert slower.score >= 60
    # 不一样 says the terms differ; it denies nothing, so they still count ...
    mentions, _ = grader.lexicon.read("两个任务的误差曲面不一样")
    assert mentions and not any(mention.negated for mention in mentions)
    # ... where 不是 denies them
    mentions, _ = grader.lexicon.read("原因不是误差曲面")
    assert any(mention.negated for mention in mentions)
    # ... and what 和…不一样 (read by jieba as 不 + 一样) compares it with is set aside, as with 和…不同
    for unlike in ("和监督学习不一样，没有标注。", "和监督学习不同，没有标注。"):
        mentions, _ = grader.lexicon.read(unlike)
        assert [(m.concept, m.negated) for m in mentions][:1] == [("监督学习", True)], unlike
    forgetting = card_asking(cards, "Why Catastrophic Forgetting will happen")
    paraphrase = grader.grade(
        forgetting,
        "因为两个任务的误差曲面不一样，用梯度下降学新任务时，参数会朝新任务loss小的方向移动，而这个位置对旧任务的loss可能很大。",
    )
    vague = grader.grade(forgetting, "因为学新任务时参数改变了。")
    assert paraphrase.score > vague.score


def test_an_answer_about_something_else_scores_below_one_that_says_less(grader, cards):
    clipping = card_asking(cards, "什么是梯度裁剪")
    less = grader.grade(clipping, "梯度裁剪是把梯度变小。")
    elsewhere = grader.grade(clipping, "梯度裁剪是把梯度为零的参数剪掉，用来减少模型参数量。")  # pruning
    assert elsewhere.score < less.score
    right = grader.grade(clipping, "梯度裁剪是一种限制梯度大小的方法，以避免梯度爆炸或消失。")
    padded = grader.grade(
        clipping, "梯度裁剪是一种限制梯度大小的方法，通过随机丢弃神经元和正则化来防止过拟合。"
    )
    assert padded.score < right.score and padded.proposed in GOOD_OR_EASY  # covered, but talks of dropout


def test_one_point_answered_in_full_is_partly_right(grader, cards):
    ssl = card_asking(cards, "What are the differences between BERT and GPT from the viewpoint of SSL")
    assert len(grader.points(ssl)) >= 4  # a long reference: one point is a small share of the score
    one_point = grader.grade(ssl, "BERT用掩码语言模型（MLM）预训练，GPT只用语言建模。")
    assert one_point.covered and one_point.proposed == HARD  # not Again
    something_else = grader.grade(ssl, "BERT用掩码语言模型预训练，训练时还要加一个判别器。")
    assert something_else.proposed == AGAIN  # a discriminator is from another part of the notes


def test_a_list_of_words_is_capped_at_hard_unless_the_reference_is_a_list(grader, cards):
    clipping = card_asking(cards, "什么是梯度裁剪")
    listed = grader.grade(clipping, "梯度 裁剪 限制 大小 爆炸 消失")
    assert listed.capped and listed.proposed == HARD and listed.score < 60
    assert grader.grade(clipping, "gradient, clipping, limit, size, exploding, vanishing").capped
    distillation = card_asking(cards, "什么是知识蒸馏")
    for phrases in (
        "教师模型, 学生模型, 软标签, 知识迁移",
        "大模型 小模型 软标签 知识迁移",
        "teacher model, student model, soft labels, knowledge transfer",
    ):
        graded = grader.grade(distillation, phrases)
        assert graded.capped and graded.proposed <= HARD, phrases  # short phrases are a list too
    phrases = grader.grade(
        clipping, "限制梯度大小，避免梯度爆炸或消失，训练稳定"
    )  # terse, but it says things
    assert not phrases.capped and phrases.proposed in GOOD_OR_EASY
    compression = card_asking(cards, "List at least five types of way for network compressing")
    listed = grader.grade(compression, "网络剪枝、知识蒸馏、参数量化、架构设计、动态计算")
    assert not listed.capped and listed.proposed in GOOD_OR_EASY


def test_echoing_the_question_earns_nothing(grader, cards):
    for card in (
        card_asking(cards, "什么是梯度裁剪"),
        card_asking(cards, "What is the self-supervised learning"),
    ):
        assert grader.grade(card, card.question).score == 0


def test_thin_evidence_declines_to_propose_and_never_says_again_for_what_it_cannot_read(grader, cards):
    transformer = card_asking(cards, "什么是Transformer模型")  # two key terms in the reference
    assert grader.grade(transformer, "Transformer 是基于自注意力机制的序列到序列模型。").unsure == "thin"
    clipping = card_asking(cards, "什么是梯度裁剪")
    unread = grader.grade(clipping, "Bonjour, je ne sais pas du tout.")
    assert unread.unsure == "unread" and unread.proposed is None
    ssl = card_asking(cards, "What is the self-supervised learning")
    other_language = grader.grade(ssl, "Es un método de aprendizaje automático.")
    assert other_language.proposed is None
    long_reference = card_asking(cards, "Try to compare the different ways of initialization")
    assert grader.grade(long_reference, "MAML。").unsure == "short"


@pytest.mark.parametrize(
    "answer",
    ["不知道", "我忘了…", "嗯，不太清楚", "抱歉，我真的不知道啊", "no idea", "I don't know.", "idk",
     "Sorry, I forgot", "I'm not sure", "I can't remember the answer"],
)  # fmt: skip
def test_i_dont_know_is_again_at_once_in_either_language(grader, cards, answer):
    for card in (
        card_asking(cards, "什么是梯度裁剪"),
        card_asking(cards, "What is the self-supervised learning"),
    ):
        graded = grader.grade(card, answer)
        assert graded.gave_up and graded.score == 0 and graded.proposed == AGAIN, (answer, graded)


@pytest.mark.parametrize(
    "answer",
    ["不知道是不是限制梯度大小", "I don't know exactly, but it rescales the gradient norm", "不会梯度爆炸",
     "skip connections", "passing the gradient on"],
)  # fmt: skip
def test_an_answer_that_goes_on_after_i_dont_know_is_graded(grader, cards, answer):
    graded = grader.grade(card_asking(cards, "什么是梯度裁剪"), answer)
    assert not graded.gave_up


def test_missed_points_are_whole_sentences_at_most_five_most_important_first(grader, cards):
    moco = card_asking(cards, "对比学习的负样本为什么非常重要")
    assert any(
        "用memory（momenta？）的机制" in p.text for p in grader.points(moco)
    )  # not split in the bracket
    graded = grader.grade(moco, "负样本很重要。")
    assert 1 <= len(graded.missed) <= 5
    for point in graded.missed:
        assert len(point) <= 81
        assert not point.startswith(("）", ")", "，", ","))
        assert point.count("（") == point.count("）") or point.endswith("…")
    ideas = card_asking(cards, "「目前有三个想法」")
    assert len(grader.grade(ideas, "预训练模型的改进").missed) == 5
    assert sentences("A (b. c) d. E") == ["A (b. c) d.", "E"]
    assert shorten("x" * 50 + "，" + "y" * 50) == "x" * 50 + "…"


def test_points_leave_out_placeholders_and_notes_to_the_grader_and_join_labels_and_fragments():
    """What a blind review of the replies found listed as "missed": `热力图:` alone, `[图片]` as covered,
    `有问题：算法？` cut from its sentence, and the notes' `言之有理即可` (say anything reasonable)."""
    reference = (
        "局部解释是对单个样本的解释。\n\n"
        "• 热力图:\n  • 灰方块:删除一个 Component，看输出变化。\n  • Saliency Map:对像素求偏导。\n"
        "[图片]\n"
        "有问题：算法？训练数据？导致模型走捷径。\n"
        "最终形式还不确定，根据自己的认知谈，言之有理即可。"
    )
    assert list(reference_points(reference)) == [
        "局部解释是对单个样本的解释。",
        "热力图:灰方块:删除一个 Component，看输出变化。",
        "Saliency Map:对像素求偏导。",
        "有问题：算法？训练数据？导致模型走捷径。",
    ]


def assert_floors(figures: dict, **floors: float) -> None:
    """Each named figure (`ordered`, `good_ge_60`, …, without `_pct`) at or above its floor."""
    for name, floor in floors.items():
        assert figures[f"{name}_pct"] >= floor, (name, figures)


def test_calibration_on_the_labelled_answers(grader, cards):
    """The figures `make bench` prints, held as a floor a little below what was measured."""
    for split in ("calibration", "heldout"):
        labelled = [entry for entry in labelled_cards() if entry["split"] == split]
        assert len(labelled) >= 20
        figures = evaluate(grader, cards, labelled)
        assert_floors(
            figures,
            good_ge_60=80,
            wrong_le_40=80,
            negated_le_40=90,
            ordered=70,
            cross_language_not_again=90,
            keyword_lists_at_most_hard=85,  # the reference's own terms, bare
        )
        assert figures["p95_ms"] < 50, figures
    assert len({entry["card"] for entry in labelled_cards()}) >= 40


def test_the_answers_written_blind_hold_their_floor(grader, cards):
    """The sets other authors wrote without seeing the grader: a change that helps the labelled answers must
    not cost these. Floors a little below what was measured on 2026-12-08 (ordered / good >= 60 / wrong <= 40:
    82 / 80 / 92 on the first, 80 / 87 / 90 on the second, 57 / 92 / 82 on the third, 57 / 87 / 73 on the
    fourth, 57 / 93 / 67 on the fifth, written last and never looked into)."""
    blind = labelled_cards(BLIND)
    second = labelled_cards(BLIND2)  # the other 30 bundled cards, written later
    assert len(blind) >= 40 and len(second) >= 30
    assert not {e["card"] for e in blind} & {e["card"] for e in labelled_cards()}
    assert not {e["card"] for e in second} & {e["card"] for e in blind + labelled_cards()}
    third = labelled_cards(BLIND3)  # two more authors, 60 cards again, wrong answers that keep the vocabulary
    assert len(third) >= 60
    fourth = labelled_cards(BLIND4)  # one more author, 30 random cards, after the rules of December 2026
    assert len(fourth) >= 30
    fifth = labelled_cards(BLIND5)  # one more author, 30 random cards, before the rules of 2026-12-08
    assert len(fifth) >= 30
    floors = {  # ordered, good >= 60, wrong <= 40, negated <= 40, cross-language not Again
        "first": (blind, (75, 75, 87, 90, 85)),
        "second": (second, (73, 80, 85, 90, 90)),
        "third": (third, (50, 85, 75, 85, 90)),
        "fourth": (fourth, (50, 80, 65, 90, 90)),
        "fifth": (fifth, (50, 85, 60, 85, 90)),
    }
    for entries, (ordered, good, wrong, negated, cross) in floors.values():
        assert_floors(
            evaluate(grader, cards, entries),
            ordered=ordered,
            good_ge_60=good,
            wrong_le_40=wrong,
            negated_le_40=negated,
            cross_language_not_again=cross,
        )


# --- in the chat ------------------------------------------------------------------------------------


@pytest.fixture
def me(bank, store, clock) -> Chat:
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    service = StudyService(
        bank, store, clock=clock, rng=random.Random(2), study=StudySettings(fuzz_intervals=False)
    )
    return Chat(service, chat_id="dm-ann", kind=ChatKind.PRIVATE)


def button(reply: Reply, label: str) -> str:
    return next(b.action for row in reply.buttons for b in row if b.label.lstrip("✓ ") == label)


async def test_an_unreadable_answer_gets_no_proposal_but_the_answer_beside_the_reference(me):
    await me.say("Ann", "/study")
    reply = (await me.say("Ann", "/answer Bonjour, je ne sais pas du tout."))[0]
    assert reply.text.startswith("⚠️ I can't grade this answer reliably: I found no term in it")
    assert "**Your answer**\nBonjour, je ne sais pas du tout." in reply.text
    assert "**Reference answer**" in reply.text and "How well did you recall it?" in reply.text
    assert "Proposed rating" not in reply.text and "Score" not in reply.text
    assert not any(b.label.startswith("✓") for row in reply.buttons for b in row)
    rated = (await me.click("Ann", button(reply, "Good")))[0]
    assert rated.text.startswith("Saved: Good.")
    score = (await me.say("Ann", "/score"))[0].text
    assert "haven't answered anything" in score  # no automatic grade, no points for it


async def test_i_dont_know_shows_the_reference_and_proposes_again_without_a_score(me):
    await me.say("Ann", "/study")
    reply = (await me.say("Ann", "/answer no idea, sorry"))[0]
    assert reply.text.startswith("No problem: here is what to remember.")
    assert "**Reference answer**" in reply.text and "Proposed rating: **Again**" in reply.text
    assert "can't grade" not in reply.text and "Score" not in reply.text and "**Missed**" not in reply.text
    rated = (await me.click("Ann", button(reply, "Again")))[0]
    assert rated.text.startswith("Saved: Again.")
    ann = await me.service.store.ensure_user("test", "ann", "Ann")
    assert len(await me.service.store.mistakes(ann.id)) == 1  # a wrong answer: it joins the mistakes


async def test_the_reply_in_chinese_says_why_it_cannot_grade(me):
    me.locale = "zh"
    await me.say("Ann", "/study")
    reply = (await me.say("Ann", "/answer Bonjour"))[0]
    assert reply.text.startswith("⚠️ 这个答案无法可靠地自动评分：答案中没有笔记里出现过的术语。")
    assert "**你的答案**" in reply.text


async def test_a_word_list_answer_is_proposed_hard_at_most_and_told_why(me):
    card = next(c for c in me.service.bank.search("梯度裁剪") if c.question.startswith("什么是梯度裁剪"))
    user = await me.service.store.ensure_user("test", "ann", "Ann")
    chat = await me.service.store.ensure_chat("test", "dm-ann", ChatKind.PRIVATE)
    prompt = await me.service.store.create_prompt(user.id, chat.id, card.id, me.service.clock.now())
    assert prompt is not None
    reply = (await me.say("Ann", "/answer 梯度 裁剪 限制 大小 爆炸 消失"))[0]
    assert "A list of words without sentences counts at most as Hard" in reply.text
    assert "Proposed rating: **Hard**" in reply.text


async def test_the_grader_is_built_off_the_event_loop(bank, store, clock):
    service = StudyService(bank, store, clock=clock, study=StudySettings(synonyms=(("随机失活", "dropout"),)))
    longest = 0.0
    building = asyncio.create_task(service.study.prepare())
    while not building.done():  # a loop-lag probe: how long does a 10 ms sleep really take
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        longest = max(longest, time.perf_counter() - started)
    grader = await building
    assert grader.lexicon.known("dropout") == grader.lexicon.known("随机失活")
    assert longest < 0.5, longest  # building on the loop would stall it for the whole build (~1-2 s)


def test_the_reference_itself_earns_full_marks_and_another_decks_answer_rarely_passes(grader, cards):
    others = [card for card in cards.values() if card.answer]
    passed = 0
    for index, card in enumerate(others):
        own = grader.grade(card, card.answer)
        assert own.unsure == "thin" or (own.score >= 90 and not own.missed), (card.id, own.score)
        unrelated = next(o for o in others[index + len(others) // 2 :] + others if o.deck != card.deck)
        passed += grader.grade(card, unrelated.answer).proposed in GOOD_OR_EASY
    assert passed <= 0.05 * len(others), passed


async def test_the_bot_builds_the_grader_at_start_with_the_decks_yaml_synonyms(tmp_path, write_doc):
    from bot.bootstrap import build_app
    from bot.config import Config

    write_doc("notes.md", "## What is dropout?\n\nDropout randomly zeroes activations during training.\n")
    settings = write_doc("decks.yaml", "synonyms:\n  - [随机失活, dropout]\n")
    app = await build_app(Config(database=tmp_path / "bot.sqlite3", content=settings.parent))
    try:
        built = app.service.study._key_points  # ready before any adapter starts
        assert built is not None and built.lexicon.known("随机失活") == built.lexicon.known("dropout")
    finally:
        await app.close()


YES_NO_NOTES = """## 能否直接用 BERT 逐字生成长文本？

不能。BERT 是双向编码器，用掩码语言模型训练，没有自回归的解码过程。

## Is a zorbal flux conserved?

No. The quentic lattice leaks it into the morvian field.
"""


def test_a_yes_or_no_question_is_graded_on_the_verdict_first(grader, cards, write_doc):
    """The data-augmentation card asks "Can we learn…?" and its reference opens "Yes!": 可以 gives that
    verdict in other words, 不行 the opposite one, which no vocabulary the answer goes on with can make right.
    A model grader gets the verdict as the first key point."""
    augmentation = card_asking(cards, "Can we learn the data augmentation?")
    yes = grader.grade(augmentation, "可以，数据增强的策略也是能学出来的。")
    no = grader.grade(augmentation, "不行，数据增强只能人工设计，构建一个图、训练找到最优路径都没用。")
    assert yes.proposed == HARD and "Yes" in yes.covered  # the verdict, not the method: partly right
    assert no.proposed == AGAIN and no.score <= 20 and "Yes" in no.missed
    assert grader.grade(augmentation, "No, it has to be designed by hand.").proposed == AGAIN
    assert [point.text for point in grader.rubric(augmentation)][:1] == ["Yes"]
    full = grader.grade(augmentation, "Yes: build a graph of augmentations and train to find the best path.")
    assert full.proposed in GOOD_OR_EASY and full.score > yes.score
    # a reference that is only its verdict: the yes or no is the whole answer, so the grader proposes
    optimizer = card_asking(cards, "There are some ways of optimizer")
    assert grader.grade(optimizer, "Yes, the learning rate can be meta-learned.").proposed in GOOD_OR_EASY
    assert grader.grade(optimizer, "当然可以。").proposed in GOOD_OR_EASY
    assert grader.grade(optimizer, "We can't, they are hand-designed.").proposed == AGAIN
    assert grader.grade(optimizer, "It depends on the task.").proposed is None  # no verdict: rate yourself
    # a learner's own notes, a "no" in Chinese and in English
    write_doc("notes.md", YES_NO_NOTES)
    bert, zorbal = load_content([write_doc("decks.yaml", "").parent]).cards
    own = KeyPointGrader([bert, zorbal])
    right = own.grade(bert, "不能，BERT 是双向的编码器，靠掩码语言模型训练，不能自回归地逐字解码。")
    wrong = own.grade(bert, "可以，BERT 是双向编码器，用掩码语言模型训练，也能自回归解码。")
    assert right.proposed in GOOD_OR_EASY and wrong.proposed == AGAIN, (right, wrong)
    assert own.grade(zorbal, "Not really, the lattice leaks it into the field.").score > 0
    assert own.grade(zorbal, "Yes, it is conserved.").proposed == AGAIN
    # a question that does not ask yes or no: a definition that opens with 是 is no verdict
    assert grader.verdict(card_asking(cards, "什么是正则化")) is None


VALUE_NOTES = """## 微调 BERT 时学习率一般取多少？

学习率一般设为 0.00002，比预训练时小很多，太大会破坏预训练学到的表示。

## 简述：协方差

协方差衡量两个变量一起变化的程度。独立变量的协方差为0。
"""


def test_the_values_a_question_asks_for_are_graded_by_which_name_each_number_is_given(
    grader, cards, write_doc
):
    """ "What is N and K" with the reference "N: 1623, K: 20": the swapped answer names every number and
    every term the right one does, yet gets the question wrong; one value right is partly right."""
    omniglot = card_asking(cards, "In Omniglot, there are 1623 characters")
    right = grader.grade(omniglot, "N is 1623 and K is 20: each task has N classes with K examples each.")
    swapped = grader.grade(omniglot, "N is 20 and K is 1623: each task has N classes with K examples each.")
    half = grader.grade(omniglot, "N = 1623, since that's how many characters there are.")
    assert right.proposed in GOOD_OR_EASY and "N: 1623, K: 20" in right.covered, right
    assert swapped.proposed == AGAIN and swapped.score <= 20 and "N: 1623, K: 20" in swapped.missed, swapped
    assert half.proposed == HARD and swapped.score < half.score < right.score, half
    assert (
        grader.grade(omniglot, "所以 N 是 1623，K 是 20，每个任务 N 类、每类 K 个样本。").proposed
        in GOOD_OR_EASY
    )
    assert [point.text for point in grader.rubric(omniglot)][:1] == ["N: 1623, K: 20"]
    # a learner's own notes: a Chinese name asked "取多少"; a value said in passing ("协方差为0") is not asked
    write_doc("notes.md", VALUE_NOTES)
    rate, covariance = load_content([write_doc("decks.yaml", "").parent]).cards
    own = KeyPointGrader([rate, covariance])
    assert (
        own.grade(rate, "学习率通常取 0.00002，要比预训练时小，不然会破坏预训练的表示。").proposed
        in GOOD_OR_EASY
    )
    assert own.grade(rate, "学习率取 0.1，比预训练时大很多，这样才能破坏预训练的表示。").proposed == AGAIN
    assert own.values(covariance) == {}
    # list marks, formulas and links state no value
    from bot.core.grading.values import stated

    assert stated("超参数搜索一般过程：\n1. 划分数据集\n2、调参; Step 2: train") == {}
    assert stated("$\\sum_{i=1}^N x_i$, see https://x.cn/s?mid=2247488283&idx=1") == {}
    assert stated("d_k = 64, 学习率一般设为 0.001") == {"d_k": 64, "学习率": 0.001}
    assert own.grade(covariance, "协方差衡量两个变量一起变化的程度，独立变量的协方差为1。").score > 20


PICK_NOTES = """## GAN 和扩散模型哪个生成速度更快？

GAN 更快，一次前向就能生成；扩散模型要迭代很多步去噪，所以慢。

## For NLP and CV, which layer can be transferred?

NLP: usually copy the last few layers. CV: usually copy the first few layers.
"""


def test_a_which_one_question_is_graded_on_the_one_the_answer_picks(grader, cards, write_doc):
    """ "For L2-norm and L-infinite, which one is stricter…?" has the reference "L-infinite, …": the answer
    that picks L∞ (however spelled) has what the question asks, the one picking L2 has it wrong whatever
    reasons follow; an answer naming both in one clause picks neither."""
    stricter = card_asking(cards, "For L2-norm and L-infinite")
    spellings = ["L∞", "L-infinity", "L_inf", "L-infinite", "无穷范数", "infinity norm"]
    assert {m.concept for text in spellings for m in grader.lexicon.mentions(text)} == {"无穷范数"}
    right = grader.grade(stricter, "L∞更严格。")
    reasoned = grader.grade(stricter, "是 L-infinity，因为它约束的是所有维度里变化最大的那一个。")
    wrong = grader.grade(
        stricter, "L2更严格，因为它考虑向量中所有元素的值，而L∞只考虑最大的元素，可以偏离原始向量。"
    )
    assert right.proposed == HARD and "L-infinite" in right.covered, right  # the pick, not the reasons
    assert reasoned.proposed == HARD and reasoned.score >= right.score, reasoned
    assert wrong.proposed == AGAIN and wrong.score <= 20 and "L-infinite" in wrong.missed, wrong
    assert grader.grade(stricter, "L2 is looser than L∞.").proposed != AGAIN  # both in one clause: no pick
    assert [point.text for point in grader.rubric(stricter)][:1] == ["L-infinite"]
    # a learner's own notes; "which layer" asks for a layer of each, not a choice between NLP and CV
    write_doc("notes.md", PICK_NOTES)
    speed, layers = load_content([write_doc("decks.yaml", "").parent]).cards
    own = KeyPointGrader([speed, layers])
    assert own.grade(speed, "GAN 更快，因为扩散模型要一步步迭代去噪。").proposed in GOOD_OR_EASY
    assert own.grade(speed, "扩散模型更快，GAN 要迭代很多步去噪，一次前向生成不了。").proposed == AGAIN
    assert own.pick(layers) is None


def test_a_full_name_is_graded_word_by_word(grader, cards, write_doc):
    """ "What is the full name of MAML?": half the name is not the name, and a name whose initials fit but
    whose words are wrong ("Multi-Agent Meta Learning") answers the question wrong."""
    maml = card_asking(cards, "What is the full name of MAML")
    whole = grader.grade(maml, "Model-Agnostic Meta-Learning.")
    half = grader.grade(maml, "Model-Agnostic something... Learning? I forget the middle word.")
    wrong = grader.grade(maml, "Multi-Agent Meta Learning.")
    denied = grader.grade(maml, "It's not Model-Agnostic Meta-Learning, it isn't a meta-learning method.")
    assert whole.score == 100 and whole.score > half.score > wrong.score, (whole, half, wrong)
    assert wrong.proposed == AGAIN and wrong.score <= 20 and denied.proposed == AGAIN, (wrong, denied)
    assert "MAML: Model-Agnostic Meta-Learning" in [point.text for point in grader.rubric(maml)]
    bert = card_asking(cards, "What is the full name of BERT and GPT")
    both = grader.grade(
        bert,
        "BERT: bidirectional encoder representations from transformers; GPT: generative pretrained transformer",
    )
    made_up = grader.grade(
        bert, "BERT 是 Basic Encoder Recurrent Transformer，GPT 是 General Purpose Tokenizer。"
    )
    assert both.score == 100 and made_up.proposed == AGAIN, (both, made_up)
    # a learner's own notes
    write_doc("notes.md", "## What does LSTM stand for?\n\nLSTM is short for Long Short-Term Memory.\n")
    (lstm,) = load_content([write_doc("decks.yaml", "").parent]).cards
    own = KeyPointGrader([lstm])
    assert own.names(lstm) == {"LSTM": ("Long", "Short", "Term", "Memory")}
    assert own.grade(lstm, "Long Short-Term Memory.").score > own.grade(lstm, "Long Memory.").score
    assert own.grade(lstm, "Large Sparse Transformer Model.").proposed == AGAIN


KIND_NOTES = """## 什么是数据增强？

数据增强是对训练数据做变换来扩充数据集的方法。例如在图像领域，可以翻转、裁剪图片。

## CNN 和 RNN 有什么区别？

CNN 擅长处理图像，靠卷积核提取局部特征。RNN 擅长处理文本，靠隐状态记住上文。
"""


def test_naming_another_kind_of_data_or_network_answers_the_point_the_wrong_way(grader, cards, write_doc):
    """ "卷积神经网络是一种用于处理图像数据的神经网络": an answer saying it is for speech and text names the
    network and the data as the right one does, but the other kind of data. An example from another field,
    or one side of a comparison, is not the wrong kind."""
    cnn = card_asking(cards, "什么是卷积神经网络")
    right = grader.grade(cnn, "CNN 是一种专门处理图片的神经网络，用卷积核提取特征。")
    other = grader.grade(cnn, "卷积神经网络是一种主要用于处理语音和文本数据的神经网络。")
    assert right.proposed in GOOD_OR_EASY and other.proposed == AGAIN, (right, other)
    assert grader.grade(cnn, "不是处理文本的，是处理图像数据的神经网络。").proposed in GOOD_OR_EASY
    # the question's own kind need not be repeated: reinforcement learning told apart from supervised learning
    rl = card_asking(cards, "什么是强化学习")
    assert (
        grader.grade(rl, "智能体和环境交互，靠奖励学决策策略；和监督学习不一样，没有标注。").proposed
        in GOOD_OR_EASY
    )
    drl = card_asking(cards, "什么是深度强化学习")
    assert grader.grade(drl, "就是把网络做得很深的监督学习，用标注数据训练。").proposed == AGAIN
    write_doc("notes.md", KIND_NOTES)
    augmentation, compared = load_content([write_doc("decks.yaml", "").parent]).cards
    own = KeyPointGrader([augmentation, compared])
    example = own.grade(augmentation, "对训练数据做各种变换来扩充数据集，比如文本里做同义词替换。")
    assert example.score > 40, example  # the example point missed, not answered the wrong way (about 25)
    one_side = own.grade(compared, "RNN 擅长处理文本，靠隐状态记住上文。")
    assert one_side.score >= 60 and "CNN 擅长处理图像，靠卷积核提取局部特征。" in one_side.missed, one_side
    examples = ["在如强化学习等很多领域，优化要在概率约束下完成。", "同时处理多种数据（如文本、图像）。"]
    assert own.kinds.of_points(examples, own.lexicon.mentions) == ({}, {})  # examples, not the kind


def test_a_polar_term_is_met_by_an_answer_that_says_it_the_same_way(grader, cards):
    """ "Using less bits to represent a value": "fewer bits" says what `less` says (size -1 about bits)
    without the word; "some bits" says nothing of it, and saying both ways says nothing either."""
    quantization = card_asking(cards, "How to realize parameter quantization")
    fewer = grader.grade(quantization, "Store every weight with fewer bits.")
    some = grader.grade(quantization, "Store every weight with some bits.")
    both = grader.grade(quantization, "Store every weight with fewer bits or with more bits.")
    assert fewer.score > some.score and fewer.score > both.score, (fewer, some, both)
    # "more bits" for every weight is the wrong way round, though another point gives rare clusters more bits:
    # that point backs "more bits" only for an answer that speaks of what it is about (rare clusters)
    more = grader.grade(quantization, "Store every weight with more bits, then cluster the weights.")
    right = grader.grade(quantization, "Store every weight with fewer bits, then cluster the weights.")
    assert more.score <= 40 < right.score, (more, right)
    rare = grader.grade(
        quantization, "Cluster the weights; rare clusters get more bits, frequent ones fewer."
    )
    assert rare.score >= 60, rare


def test_the_yes_or_no_an_answer_gives_is_read_in_either_language():
    from bot.core.grading.verdicts import given

    yes = ["Yes.", "Yep — in train mode it uses batch statistics.", "Well, yes — otherwise it diverges.",
           "Sure it can.", "I think so.", "We do need it, yes.", "We can.", "可以，数据增强也能学。", "当然能。",
           "没错，可以。", "应该可以吧。", "算的。", "要的。", "是双向的。"]  # fmt: skip
    no = ["Nope.", "No, it can't.", "It can't.", "We couldn’t.", "Of course not.", "I don't think so, no.",
          "Actually no, it is not.", "不能，因为没有位置信息。", "不行。", "没必要，", "当然没有，", "应该没有吧。",
          "不对称。", "并不会。", "我觉得不是。"]  # fmt: skip
    neither = ["It depends on the task.", "Not necessarily.", "不一定，要看模型多大。", "看情况吧。", "No one knows.",
               "不过要注意学习率。", "应该关掉。", "是一种正则化方法，通过…", "They are different.", "Dropout is off at inference."]  # fmt: skip
    assert [text for text in yes if given(text) != 1] == []
    assert [text for text in no if given(text) != -1] == []
    assert [text for text in neither if given(text) is not None] == []


def test_the_fields_compound_terms_are_read_whole_and_paired(grader, cards):
    """jieba alone splits 参数量 into 参 + 数量 ("quantity"), drops 后验 and 似然, and reads 零样本 and
    小样本 as the same 样本; the glossary keeps them whole and gives them their English names."""
    read = [m.concept for m in grader.lexicon.mentions("参数量、后验、似然、感受野、卷积核、零样本、小样本")]
    assert len(read) == 7 and "数量" not in read and read[-1] != read[-2], read
    compression = card_asking(cards, "什么是模型压缩")
    english = "It cuts the number of parameters and the computational cost, so the model gets smaller."
    chinese = "就是减少参数量和计算量，把模型变小的技术。"
    assert grader.grade(compression, english).score >= 80
    assert grader.grade(compression, chinese).score >= 80


HEDGE_NOTES = """## 连续学习只解决遗忘就够了吗？

解决遗忘是最低的要求，这并不意味着可以在所有任务上综合表现都好。
"""


def test_an_answer_that_swaps_which_thing_is_large_and_which_small_is_wrong(grader, cards, write_doc):
    """ "大型模型被视为教师模型，小型模型被视为学生模型": the answer making the small model the teacher names every
    term and both sizes; what differs is which model each size is said of."""
    distillation = card_asking(cards, "什么是知识蒸馏")
    right = grader.grade(
        distillation, "就是把大模型学到的知识传给小模型：大模型当教师模型，小模型当学生模型。"
    )
    swapped = grader.grade(
        distillation, "就是把大模型学到的知识传给小模型：小模型当教师模型，大模型当学生模型。"
    )
    together = grader.grade(distillation, "用一个大的教师模型，把知识传授给一个小的学生模型。")
    assert right.proposed in GOOD_OR_EASY, right
    assert together.proposed in GOOD_OR_EASY, together
    assert swapped.score < right.score - 30 and swapped.proposed in {AGAIN, HARD}, swapped
    # "并不意味着…表现好" (does not mean it does well) says neither well nor badly: "还要表现好" is no contradiction
    write_doc("notes.md", HEDGE_NOTES)
    (forgetting,) = load_content([write_doc("decks.yaml", "").parent]).cards
    own = KeyPointGrader([forgetting, *cards.values()])
    answer = own.grade(forgetting, "不够，解决遗忘只是最低要求，还要在所有任务上综合表现好。")
    assert answer.score >= 60, answer


def test_an_answer_giving_data_of_another_shape_is_wrong(grader, cards):
    """Sequences, images and graphs: a network "for images" where the notes say sequences or graphs is the
    wrong network, though it names the network and the data. 图 alone (any picture in Chinese) names no graph."""
    gnn = card_asking(cards, "什么是图神经网络")
    rnn = card_asking(cards, "什么是循环神经网络")
    lstm = card_asking(cards, "什么是长短时记忆网络")
    assert (
        grader.grade(gnn, "就是专门用来处理图结构数据的一种神经网络，节点和边都能建模。").proposed
        in GOOD_OR_EASY
    )
    assert grader.grade(gnn, "就是专门用来处理图像数据的一种神经网络，图片的像素都能建模。").proposed == AGAIN
    assert (
        grader.grade(rnn, "一种用来处理序列数据的神经网络，前后的输入有先后顺序。").proposed in GOOD_OR_EASY
    )
    assert grader.grade(rnn, "一种用来处理静态图片数据的神经网络，输入之间没有先后顺序。").proposed == AGAIN
    # the question naming LSTM does not make "LSTM is a CNN" an answer about recurrent networks
    assert grader.grade(lstm, "LSTM 是对 RNN 的一种改进，用来处理序列数据。").proposed in GOOD_OR_EASY
    assert grader.grade(lstm, "LSTM 是卷积神经网络的一种改进，用来处理序列数据。").proposed in {AGAIN, HARD}
    picture = grader.kinds.named(grader.lexicon.mentions("生成出来的图在某个类别上的分数越高越好"))
    assert picture == {}, picture  # 图 here is a picture, not a graph
    # overfitting and underfitting exclude each other too
    regularization = card_asking(cards, "什么是正则化")
    right = grader.grade(regularization, "一种防止过拟合的方法，在损失函数里加上正则项来约束模型参数。")
    wrong = grader.grade(regularization, "一种解决欠拟合的方法，在损失函数里加上正则项来约束模型参数。")
    assert right.proposed in GOOD_OR_EASY and wrong.proposed == AGAIN, (right, wrong)


def test_compare_a_with_b_names_the_two_things_compared(grader, cards):
    """ "Compare DAE with BERT": each side's mechanism is its own, so an answer giving DAE the masking and
    BERT the noise has swapped them, though it names every term."""
    compare = card_asking(cards, "Try to compare the denoising autoencoder (DAE) with BERT")
    right = grader.grade(
        compare, "DAE在输入上加噪声再学习输入的特征，BERT则遮盖输入序列的一部分来学习上下文信息。"
    )
    swapped = grader.grade(
        compare, "DAE遮盖输入序列的一部分来学习上下文信息，BERT则在输入上加噪声再学习输入的特征。"
    )
    assert right.score >= 60, right
    assert swapped.proposed == AGAIN and swapped.score < right.score - 30, swapped


def test_more_or_less_said_as_a_size_or_as_a_change_is_the_same_claim(grader, cards):
    """ "通过减少模型参数和计算复杂度来降低模型大小": "参数变少、模型变小" says the same (a size where the notes
    say a change), and "模型变大" says the opposite."""
    for compression in (card for card in cards.values() if card.question.startswith("什么是模型压缩")):
        smaller = grader.grade(compression, "就是想办法让模型参数变少、计算量变小、模型变小的技术。")
        larger = grader.grade(compression, "就是想办法让模型参数变多、计算量变大、模型变大的技术。")
        assert smaller.proposed in GOOD_OR_EASY and larger.proposed == AGAIN, (smaller, larger)


def test_examples_an_answer_gives_are_not_counted_as_talking_of_something_else(grader, cards):
    """ "…比如剪枝和量化": terms given as examples are not "from elsewhere in the notes" (which costs up to 15
    points); the same terms said as the answer's own claim still are."""
    for compression in (card for card in cards.values() if card.question.startswith("什么是模型压缩")):
        plain = grader.grade(compression, "就是让模型参数变少、模型变小的技术。")
        examples = grader.grade(compression, "就是让模型参数变少、模型变小的技术，比如剪枝和量化。")
        english = grader.grade(
            compression, "就是让模型参数变少、模型变小的技术，e.g. pruning and quantization."
        )
        own = grader.grade(compression, "就是让模型参数变少、模型变小的技术，靠剪枝和量化。")
        assert examples.score == english.score == plain.score > own.score, (plain, examples, english, own)


def test_an_answer_that_swaps_encoder_and_decoder_clause_by_clause_is_wrong(grader, cards):
    """ "encoder从骨干网络抽取feature / decoder把feature转换成下游任务": an answer giving the decoder the first job
    and the encoder the second goes both ways on encoder/decoder, but the clause saying most of each point's
    things says it of the other side."""
    head = card_asking(cards, "「Dynamic Head 袁路」")
    right = grader.grade(head, "encoder负责从骨干网络抽取特征，decoder负责把特征转换成下游任务需要的输出。")
    swapped = grader.grade(head, "decoder负责从骨干网络抽取特征，encoder负责把特征转换成下游任务需要的输出。")
    assert right.score >= 30 and "encoder从骨干网络抽取feature" in right.covered, right
    assert swapped.score < right.score - 20 and "encoder从骨干网络抽取feature" in swapped.missed, swapped


def test_an_answer_covering_part_of_one_point_and_nothing_wrong_is_hard(grader, cards):
    """ "白盒攻击就是攻击者知道模型的参数和结构": half of one point, nothing said wrong, is partly right (Hard), not
    Again; the same half said the wrong way round stays Again."""
    attacks = card_asking(cards, "What is white-box attack and black-box attack")
    half = grader.grade(attacks, "白盒攻击就是攻击者知道模型的参数和结构。")
    assert half.proposed == HARD, half
    swapped = grader.grade(
        attacks, "黑盒攻击就是攻击者知道模型的所有参数和结构，可以直接访问模型内部的信息。"
    )
    assert swapped.proposed == AGAIN, swapped


LABELLED_SIDES_NOTES = """## Compare supervised learning and reinforcement learning.

- SL: 从人工标注的数据中学习输入到输出的映射，每个样本都有正确答案。
- RL: 智能体与环境交互，根据奖励信号学习策略，没有现成的正确答案。
"""


def test_items_labelled_with_a_short_name_of_each_thing_compared_are_its_side(grader, cards, write_doc):
    """Notes label the sides `SL:` and `RL:`; an answer names supervised and reinforcement learning. Each
    thing compared counts as the label it shortens to (its initials, or a word of its name: `Meta:` for
    meta-learning), so an answer that gives each the other's side is swapped."""
    write_doc("notes.md", LABELLED_SIDES_NOTES)
    (compare,) = load_content([write_doc("decks.yaml", "").parent]).cards
    own = KeyPointGrader([compare, *cards.values()])
    right = own.grade(
        compare,
        "监督学习从人工标注的数据里学习输入到输出的映射，每个样本都有正确答案；强化学习是智能体和环境交互，靠奖励信号学策略。",
    )
    swapped = own.grade(
        compare,
        "监督学习是智能体和环境交互，靠奖励信号学策略；强化学习从人工标注的数据里学习输入到输出的映射，每个样本都有正确答案。",
    )
    assert right.proposed in GOOD_OR_EASY, right
    assert swapped.proposed == AGAIN, swapped
    meta = card_asking(cards, "Try to compare machine learning and meta-learning")
    assert {"机器学习", "元学习"} <= grader.bindings(meta).aliases.keys()


def test_an_answer_that_swaps_which_step_comes_first_is_wrong(grader, cards):
    """ "首先选择简单的样本进行训练，然后逐步加入更难的样本": hard first and easy after names every term and both
    difficulties, in the wrong order; in English the first step may come before "first"."""
    curriculum = card_asking(cards, "What is the curriculum learning")
    for right in ("就是先用简单的样本训练模型，然后逐步加入更难的样本，让训练更高效。",
                  "It trains on easy examples first and then gradually adds harder ones.",
                  "First it trains on easy examples, then on harder ones."):  # fmt: skip
        assert grader.grade(curriculum, right).proposed != AGAIN, right
    for wrong in ("就是先用最难的样本训练模型，然后再用简单的样本，让训练更高效。",
                  "It trains on the hardest examples first and then moves on to easy ones."):  # fmt: skip
        assert grader.grade(curriculum, wrong).proposed == AGAIN, wrong
    rdrop = card_asking(cards, "「R-Drop」")
    assert grader.grade(rdrop, "作者先从理论推导，再做实验验证。").score == 0
    from bot.core.grading.orders import orders

    prior = orders("先验分布给出参数的分布，然后用数据更新。", grader.lexicon.read, lambda concept: True)
    assert prior == ()  # 先验 (prior) is no first step


def test_important_and_unimportant_are_two_ways_of_one_claim(grader, cards):
    """ "关注关键信息" against "避免模型关注某些关键信息": what matters is said not to; and 无所谓/无关紧要 say
    unimportant as 不重要 does, so "只改那些无所谓的参数" meets "只去改那些不重要的参数"."""
    attention = card_asking(cards, "什么是注意力机制")
    assert grader.grade(attention, "就是让模型在处理序列时重点关注关键的信息。").proposed in GOOD_OR_EASY
    assert grader.grade(attention, "就是把所有位置平均对待，避免模型关注某些关键信息。").proposed == AGAIN
    plasticity = card_asking(cards, "What is the idea of selective synaptic plasticity")
    assert grader.grade(plasticity, "重要的参数尽量不动，只改那些对旧任务无所谓的参数。").proposed != AGAIN


TABLE_NOTES = """## LDA 有哪些优缺点？

| 优缺点 | 简要说明 |
|:-:|:-|
| 优点 | 1. 可以利用类别的先验知识；2. 是有监督的降维方法，用类别标签衡量样本差异 |
| 缺点 | 1. 不适合非高斯分布样本的降维；2. 最多只能降到 k-1 维；3. 可能过拟合数据 |
"""


def test_a_reference_given_as_a_table_is_graded_row_by_row(write_doc):
    """Notes other people write often answer in a Markdown table: each row is a point, its first cell labelling
    the rest, without the header or the rule under it, and inline numbering (1. …；2. …) read as items."""
    write_doc("notes.md", TABLE_NOTES)
    (lda,) = load_content([write_doc("decks.yaml", "").parent]).cards
    own = KeyPointGrader([lda])
    texts = [point.text for point in own.points(lda)]
    assert texts[0].startswith("优点") and not any("简要说明" in text or "-" * 2 in text for text in texts), (
        texts
    )
    assert not any(text.strip()[:2] in {"1.", "2.", "3."} for text in texts), texts
    good = own.grade(
        lda,
        "优点是能用类别的先验知识，而且是有监督的降维；缺点是不适合非高斯分布的样本，最多降到k-1维，还可能过拟合。",
    )
    assert good.unsure is None and good.proposed in GOOD_OR_EASY, good
    half = own.grade(lda, "优点是能利用类别的先验知识，做有监督的降维。")
    assert half.proposed in {HARD, *GOOD_OR_EASY} and any(text.startswith("缺点") for text in half.missed), (
        half
    )
