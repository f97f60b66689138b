"""Study groups quiz each other through the service, against a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import random

from bot.core.messages import ChatKind
from bot.core.service import StudyService
from tests.conftest import BOTH_STORES, Chat, open_store, option_action

STORE_BACKENDS = BOTH_STORES


async def test_three_members_play_a_round_and_the_leaderboard_ranks_them(service):
    chat = Chat(service)
    reply, post = await chat.quiz("Alice")
    assert "**A.**" in reply.text and len(reply.buttons[0]) == 4
    wrong = (post.correct + 1) % 4
    alice = (await chat.click("Alice", option_action(reply, post.correct)))[0]
    bob = (await chat.click("Bob", option_action(reply, wrong)))[0]
    carol = (await chat.click("Carol", option_action(reply, post.correct)))[0]
    assert alice.text.startswith("✅ Right, Alice! +5 points")
    assert bob.text.startswith("❌ Not quite, Bob.")
    card = service.bank.card(post.card_id)
    assert "**Reference answer**" in bob.text and card.answer in bob.text
    assert f"The right answer: **{'ABCD'[post.correct]}. {post.options[post.correct]}**" in bob.text
    assert carol.notice.startswith("✅")

    board = (await chat.say("Bob", "/leaderboard"))[0].text
    lines = board.splitlines()
    assert lines[0] == "🏆 **Leaderboard**"
    # Alice and Carol tie on points and share rank 1 (Alice answered first); Bob is third.
    assert lines[1] == "1. Alice: 5 points (1/1)"
    assert lines[2] == "1. Carol: 5 points (1/1)"
    assert lines[3] == "3. Bob: 0 points (0/1) ⬅"

    score = (await chat.say("Carol", "/score"))[0].text
    assert score == "📊 **Carol** here: 5 points · 1/1 right (100%) · rank 1 of 3"


async def test_answering_twice_counts_once(service):
    chat = Chat(service)
    reply, post = await chat.quiz("Alice")
    await chat.click("Alice", option_action(reply, (post.correct + 1) % 4))
    again = (await chat.click("Alice", option_action(reply, post.correct)))[0]
    assert again.text == "You already answered this question, Alice: your first answer counted."
    assert again.private and again.notice == again.text
    score = (await chat.say("Alice", "/score"))[0].text
    assert "0 points · 0/1 right" in score


async def test_typed_letter_answers_the_open_question(service):
    chat = Chat(service)
    _, post = await chat.quiz("Alice")
    reply = (await chat.say("Alice", f"/answer {'abcd'[post.correct]}"))[0]
    assert reply.text.startswith("✅ Right, Alice!")
    assert (await chat.say("Alice", "/answer z"))[0].text == "Answer with a letter from A to D."


async def test_the_same_card_again_the_same_day_earns_nothing(bank, store, clock):
    service = StudyService(bank, store, clock=clock, rng=random.Random(1))
    chat = Chat(service)
    reply, post = await chat.quiz("Alice")
    await chat.click("Alice", option_action(reply, post.correct))
    # The same card posted again (as a new round would) on the same day: right, but no points.
    again = await store.create_post(
        post.chat_id, post.card_id, "quiz", post.options, post.correct, 2, clock.now(), None
    )
    second = (await chat.click("Alice", f"a:{again.id}:{post.correct}"))[0]
    assert second.text.startswith("✅ Right, Alice! (no points: you answered this card earlier today)")
    clock.advance(days=1)
    third = await store.create_post(
        post.chat_id, post.card_id, "quiz", post.options, post.correct, 3, clock.now(), None
    )
    assert (await chat.click("Alice", f"a:{third.id}:{post.correct}"))[0].text.startswith(
        "✅ Right, Alice! +5"
    )


async def test_no_card_repeats_in_a_chat_until_its_decks_are_exhausted(quiz_service):
    service = quiz_service
    chat = Chat(service)
    chat.admins.add("Admin")
    await chat.say("Admin", "/decks use tides")
    assert len(service.bank.quizzable(("tides",))) == 4
    seen = [(await chat.quiz("Alice"))[1].card_id for _ in range(4)]
    assert len(set(seen)) == 4
    replies = await chat.say("Alice", "/quiz")
    assert replies[0].text.startswith("🔁 This chat has seen all 4 questions")
    assert replies[1].post_id is not None


async def test_closed_unknown_and_foreign_questions(service, clock):
    chat = Chat(service)
    reply, _ = await chat.quiz("Alice")
    clock.advance(hours=25)
    closed = (await chat.click("Bob", option_action(reply, 0)))[0]
    assert closed.text == "This question is closed. Ask for a new one with /quiz."
    assert (await chat.click("Bob", "a:999999:0"))[0].text.startswith("I can't find that question")
    other_group = Chat(service, chat_id="group-2")
    assert (await other_group.click("Bob", option_action(reply, 0)))[0].text.startswith("I can't find")
    assert (await chat.click("Bob", "a:x:y"))[0].text.startswith("That button is out of date")
    assert (await chat.say("Bob", "/answer A"))[0].text.startswith("There's no open question here.")
    assert "0 answers" not in (await chat.say("Bob", "/leaderboard"))[0].text


async def test_scores_survive_a_restart(bank, database, clock):
    store = await open_store(database)
    chat = Chat(StudyService(bank, store, clock=clock, rng=random.Random(3)))
    reply, post = await chat.quiz("Alice")
    await chat.click("Alice", option_action(reply, post.correct))
    await store.close()

    reopened = await open_store(database)
    try:
        chat = Chat(StudyService(bank, reopened, clock=clock, rng=random.Random(3)))
        assert (await chat.say("Alice", "/score"))[0].text.startswith("📊 **Alice** here: 5 points")
        # the question posted before the restart can still be answered by others
        bob = (await chat.click("Bob", option_action(reply, post.correct)))[0]
        assert bob.text.startswith("✅ Right, Bob!")
    finally:
        await reopened.close()


async def test_chinese_locale_and_lang_command(service):
    chat = Chat(service, locale="zh-CN")
    assert (await chat.say("小明", "/score"))[0].text.startswith("📊 小明，你在本群还没有作答记录")
    english = Chat(service, chat_id="group-en", locale="en-US")
    assert (await english.say("Ann", "/score"))[0].text.startswith("📊 Ann, you haven't answered")
    english.admins.add("Ann")
    assert (await english.say("Ann", "/lang zh"))[0].text == "本群语言已设为中文。"
    assert (await english.say("Ann", "/score"))[0].text.startswith("📊 Ann，你在本群还没有作答记录")
    assert (await english.say("Ann", "/lang fr"))[0].text == "用法：`/lang zh` 或 `/lang en`。"


async def test_bad_commands_and_arguments_get_friendly_replies_and_change_nothing(service):
    chat = Chat(service)
    chat.admins.add("Admin")
    assert (await chat.say("Ann", "/frobnicate"))[0].text == "I don't know /frobnicate. Try /help."
    assert (await chat.say("Admin", "/decks use nonsense"))[
        0
    ].text == "I don't know the deck nonsense. See the list with /decks."
    assert (await chat.say("Admin", "/decks drop 1"))[0].text.startswith("Use `/decks`")
    assert "is a bundled deck" in (await chat.say("Admin", "/decks remove 1"))[0].text
    assert (await chat.say("Ann", "/search"))[0].text.startswith("Tell me what to look for")
    assert (await chat.say("Ann", "/card"))[0].text.startswith("Which card?")
    assert (await chat.say("Ann", "/card 0000000000"))[0].text == "There's no card `0000000000`."
    decks = (await chat.say("Ann", "/decks"))[0].text
    assert decks.count("✅") == 6  # the title's legend and all five decks still on


async def test_group_settings_are_for_admins_only(service):
    chat = Chat(service)
    refusal = (await chat.say("Ann", "/decks use 1"))[0]
    assert refusal.text == "Only the group's admins can change its settings." and refusal.private
    assert (await chat.say("Ann", "/lang zh"))[0].text == "Only the group's admins can change its settings."
    decks = (await chat.say("Ann", "/decks"))[0]
    assert (await chat.click("Ann", decks.buttons[0][0].action))[0].text.startswith("Only the group's admins")
    chat.admins.add("Ann")
    toggled = (await chat.click("Ann", decks.buttons[0][0].action))[0]
    assert "▫️ 1." in toggled.text and "✅ 2." in toggled.text
    private = Chat(service, chat_id="dm-ann", kind=ChatKind.PRIVATE)
    assert "✅ 1." in (await private.say("Ann", "/decks use 1 2"))[0].text


async def test_chosen_decks_limit_the_questions(service):
    chat = Chat(service)
    chat.admins.add("Admin")
    reply = (await chat.say("Admin", "/decks use large-model-training-basics"))[0]
    assert "✅ 2. 大模型训练基础 30 题" in reply.text and "▫️ 1." in reply.text
    for _ in range(5):
        _, post = await chat.quiz("Alice")
        assert service.bank.card(post.card_id).deck == "large-model-training-basics"
    assert "✅ 1." in (await chat.say("Admin", "/decks all"))[0].text


async def test_search_finds_chinese_without_spaces_and_card_shows_the_answer(service):
    chat = Chat(service)
    found = (await chat.say("Ann", "/search 梯度裁剪"))[0].text
    assert found.startswith("🔎 1 card matches “梯度裁剪”")  # singular for one
    card_id = found.splitlines()[1].split("`")[1]
    shown = (await chat.say("Ann", f"/card {card_id[:6]}"))[0].text
    assert "**什么是梯度裁剪（Gradient Clipping）？**" in shown
    assert "梯度裁剪（Gradient Clipping）是一种限制梯度大小的方法" in shown and "**Explanation**" in shown
    both = (await chat.say("Ann", "/search BERT GPT"))[0].text
    assert "What is the full name of BERT and GPT?" in both


async def test_help_and_start_explain_commands_and_scoring(service):
    chat = Chat(service, kind=ChatKind.PRIVATE, chat_id="dm")
    start = (await chat.say("Ann", "/start"))[0].text
    assert start.startswith("👋 Hi Ann!") and "116 cards in 5 decks" in start
    help_text = (await chat.say("Ann", "/help@StudyBot"))[0].text
    assert "/quiz" in help_text and "daily question earns 10 points, to /quiz 5" in help_text
    assert "same day earns nothing" in help_text and "/daily set" in help_text
