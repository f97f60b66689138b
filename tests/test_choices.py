"""Multiple-choice questions made from the seed cards: fair, distinct, repeatable, and not giving themselves away."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from bot.core.content import ChoiceMaker
from bot.core.content.choices import giveaway_share
from bot.core.content.giveaways import Asked, longest_share, most_similar_share
from bot.core.content.loader import parse_document
from bot.core.content.markdown import cjk_ratio, is_emoji, normalise


def test_every_quiz_ready_seed_card_gets_four_distinct_options_with_its_gist_right(seed_report, maker):
    ready = [card for card in seed_report.cards if not maker.is_flashcard_only(card.id)]
    for card in ready:
        choices = maker.choices(card.id, seed=0)
        assert choices is not None, card.question
        assert len(choices.options) == 4
        assert choices.options[choices.correct] == maker.gist(card.id)
        keys = [normalise(o) for o in choices.options]
        assert len(set(keys)) == 4
        right = keys[choices.correct]
        for index, key in enumerate(keys):
            if index != choices.correct:
                assert fuzz.ratio(key, right) < 80, (card.question, choices.options)


def test_gists_are_short_clean_sentences(seed_report, maker):
    for card in seed_report.cards:
        gist = maker.gist(card.id)
        assert gist and len(gist) <= (160 if "；" in gist or "; " in gist else 120)  # a list keeps its items
        assert not any(is_emoji(c) for c in gist)
        assert not re.search(r"\*\*|`|^#|^\s*[-*•] |<img|\]\(", gist), gist


def test_a_definition_does_not_echo_its_subject(seed_report, maker):
    clipping = next(c for c in seed_report.cards if c.question == "什么是梯度裁剪（Gradient Clipping）？")
    assert maker.gist(clipping.id) == "一种限制梯度大小的方法，以避免梯度爆炸或消失"


def test_the_same_seed_gives_the_same_question_and_seeds_vary_it(seed_report, maker):
    fresh = ChoiceMaker(seed_report.cards)  # built on first use, from the last card: the same questions
    varied = 0
    for card in reversed(seed_report.cards):
        assert maker.choices(card.id, 0) == fresh.choices(card.id, 0)
        varied += maker.choices(card.id, 0) != maker.choices(card.id, 1)
    ready = [card for card in seed_report.cards if not maker.is_flashcard_only(card.id)]
    assert varied > len(ready) // 2


def test_a_repeated_question_never_offers_its_twin_as_a_wrong_option(seed_report, maker):
    twins = [c for c in seed_report.cards if c.question == "什么是知识蒸馏（Knowledge Distillation）？"]
    assert len(twins) == 2
    for seed in range(20):
        for card in twins:
            choices = maker.choices(card.id, seed)
            wrong = [o for i, o in enumerate(choices.options) if i != choices.correct]
            assert not any("知识传递给小型模型" in option for option in wrong)


def test_the_right_option_does_not_give_itself_away(seed_report, maker):
    """Over the seed cards, the option sharing the most words/character pairs with the question is the right
    one at most 30% of the time (chance: 25%), at most 40% in any deck with 10 or more multiple-choice
    cards; the longest option is the right one at most 35% of the time."""
    groups = [seed_report.cards] + [list(deck.cards) for deck in seed_report.decks]
    for index, cards in enumerate(groups):
        ready = [c for c in cards if not maker.is_flashcard_only(c.id)]
        if index and len(ready) < 10:
            continue
        for seed in range(5):
            made = [(c.question, maker.choices(c.id, seed)) for c in ready]
            asked = [Asked(q, choice.options, choice.correct) for q, choice in made]
            assert most_similar_share(asked) <= (0.30 if index == 0 else 0.40), (index, seed)
            assert giveaway_share(made) == most_similar_share(asked)
            assert longest_share(asked) <= 0.35, (index, seed)


def test_the_seed_cards_that_make_fair_questions_are_quiz_ready(seed_report, maker):
    ready = [c for c in seed_report.cards if not maker.is_flashcard_only(c.id)]
    # of 116: see test_mcq_gate and test_mcq_fairness for which stay flashcards and why; a fair quiz beats a
    # big one (a blind review of the 71 made before found 15% broken and 57% weak)
    assert len(ready) == 21


def test_giveaway_share_counts_ties_as_chance():
    from bot.core.content.choices import Choices

    echoing = Choices(("dropout zeroes units", "other", "words", "here"), 0)
    assert giveaway_share([("what does dropout do", echoing)]) == 1.0
    tied = Choices(("alpha", "beta", "gamma", "delta"), 2)
    assert giveaway_share([("nothing shared", tied)]) == 0.25


def test_a_small_deck_without_enough_distinct_gists_is_flashcard_only():
    deck = parse_document(
        "## What is A?\nThe first letter.\n\n## What is B?\nThe second letter.\n\n## What is C?\n\n",
        name="tiny",
        source="tiny.md",
    )
    maker = ChoiceMaker(deck.cards)
    assert all(maker.choices(c.id, 0) is None for c in deck.cards)
    assert all(maker.is_flashcard_only(c.id) for c in deck.cards)
    assert len(deck.cards) == 2  # a question with no answer is a warning, not a card


def test_options_stay_in_the_script_of_the_right_answer(seed_report, maker):
    for card in seed_report.cards:
        choices = maker.choices(card.id, 3)
        if choices is None:
            continue
        if cjk_ratio(choices.options[choices.correct]) > 0.5:
            assert all(re.search(r"[\u4e00-\u9fff]", o) for o in choices.options), choices.options
