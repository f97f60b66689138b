"""What a new user met trying every command in the console, and what they see now: a deck named once, a
round stopped early counted as far as it got, a reveal nobody answered, a clear word for a missing file,
Chinese that reads naturally, and no drill button that leads nowhere."""

from __future__ import annotations

import asyncio
import io
import random
from datetime import UTC, datetime

import pytest
from matplotlib.text import Text

from bot.adapters.console import ConsoleAdapter
from bot.core.messages import ChatKind, Reply
from bot.core.progress import draw
from bot.core.question_bank import QuestionBank
from bot.core.rounds import RoundScheduler
from bot.core.service import StudyService
from bot.core.study import StudySettings
from tests.conftest import BOTH_STORES, Chat
from tests.test_chat_decks import group_chat_id, upload
from tests.test_rounds import Recorder
from tests.test_stats_chart import TODAY, learner

STORE_BACKENDS = BOTH_STORES

MY_NOTES = """# My notes

## What is overfitting?

When a model fits the training data too closely and fails to generalise to new data.

## What is dropout?

A regularisation technique that randomly zeroes activations during training.

## What is a learning rate?

The step size used by gradient descent when updating the weights.

## What is batch normalization?

Normalising each layer's inputs over the mini-batch to stabilise and speed up training.
"""


@pytest.fixture
def fresh_service(seed_report, store, clock) -> StudyService:
    # its own bank: uploads change which decks a chat sees
    return StudyService(
        QuestionBank(seed_report), store, clock=clock, rng=random.Random(3),
        study=StudySettings(fuzz_intervals=False),
    )  # fmt: skip


@pytest.fixture
def group(fresh_service) -> Chat:
    chat = Chat(fresh_service, chat_id="study-group")
    chat.admins.add("Ada")
    return chat


def action(reply: Reply, label_start: str) -> str:
    return next(
        b.action for row in reply.buttons for b in row if b.label.lstrip("✓ ").startswith(label_start)
    )


async def test_a_deck_whose_top_heading_is_its_title_is_named_once(group):
    assert "added for this chat: 4 cards" in await upload(group, "Ada", "small.md", MY_NOTES.encode())
    await group.say("Ada", "/decks use 6")
    question, post = await group.quiz("Ann")
    assert question.text.startswith("❓ **Question** · My notes\n\n")
    [card] = await group.say("Ann", f"/card {post.card_id}")
    assert card.text.startswith(f"📇 `{post.card_id}` · My notes\n\n")
    assert "My notes / My notes" not in question.text + card.text


async def test_a_bundled_deck_titled_like_its_top_heading_names_it_once_before_the_section(
    group, fresh_service
):
    # 元学习在大模型快速适应中的应用: its top heading is its title (its cards are flashcards: /card shows one)
    deck = next(d for d in fresh_service.bank.decks if d.title == "元学习在大模型快速适应中的应用")
    [shown] = await group.say("Ann", f"/card {deck.cards[0].id}")
    assert "元学习在大模型快速适应中的应用 / 元学习" in shown.text
    assert shown.text.count("元学习在大模型快速适应中的应用") == 1


async def test_a_round_stopped_at_its_first_question_counts_one_question(group, fresh_service):
    [first] = await group.say("Ada", "/round 3")
    await fresh_service.message_sent(first.post_id, "m0")
    post = await fresh_service.store.get_post(first.post_id)
    await group.click("Bob", first.buttons[0][(post.correct + 1) % len(post.options)].action)
    [stopped] = await group.say("Ada", "/round stop")
    assert "🏁 **Round over**: standings after 1 question\n" in stopped.text
    assert "🥇 Bob: 0 points · 0/1 right" in stopped.text


async def test_a_round_stopped_at_its_second_question_counts_two_in_chinese(group, fresh_service, clock):
    await group.say("Ada", "/lang zh")
    [first] = await group.say("Ada", "/round 5")
    await fresh_service.message_sent(first.post_id, "m0")
    scheduler = RoundScheduler(fresh_service.rounds, clock, {"test": Recorder()})
    clock.advance(seconds=31)
    await scheduler.tick()  # nobody answered: question 2 is up
    [stopped] = await group.say("Ada", "/round stop")
    assert "🏁 **抢答赛结束**：2 题后的排名" in stopped.text


async def test_revealing_a_question_nobody_answered_says_so(group):
    question, _ = await group.quiz("Ann")
    [revealed] = await group.click("Ann", action(question, "📖"))
    first_line = revealed.text.split("\n", 1)[0]
    assert first_line == "📖 Ann asked for the answer: the question is closed. Nobody had answered it."


async def test_revealing_after_one_answer_is_singular(group):
    question, post = await group.quiz("Ann")
    await group.click("Bob", question.buttons[0][post.correct].action)
    [revealed] = await group.click("Ann", action(question, "📖"))
    assert revealed.text.startswith(
        "📖 Ann asked for the answer: the question is closed. 1 of 1 answer was right."
    )


async def converse(service: StudyService, lines: list[str]) -> str:
    reader = asyncio.StreamReader()
    reader.feed_data("".join(line + "\n" for line in lines).encode())
    reader.feed_eof()
    out = io.StringIO()
    await ConsoleAdapter(service, reader=reader, output=out, user_name="Ann", locale="en", color=False).run()
    return out.getvalue()


async def test_the_console_uploads_from_the_home_folder_and_names_a_missing_file(
    fresh_service, tmp_path, monkeypatch
):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "small.md").write_text(MY_NOTES)
    (tmp_path / "my notes.md").write_text(MY_NOTES)
    output = await converse(fresh_service, ["/upload ~/small.md", '/upload "~/my notes.md" spaced', "/upload ~/nothing-here.md", "/lang zh",
                                            "/upload ~/nothing-here.md"])  # fmt: skip
    assert "✅ Deck My notes (small) added for this chat: 4 cards" in output
    assert "✅ Deck My notes (spaced) added for this chat: 4 cards" in output
    assert "There is no file ~/nothing-here.md on this machine." in output
    assert "这台机器上没有文件 ~/nothing-here.md。" in output


async def test_a_chinese_group_is_told_in_chinese_why_a_file_was_refused(group):
    await group.say("Ada", "/lang zh")
    binary = await upload(group, "Ada", "notes.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert (
        binary == "❌ 未添加 notes.md：这看起来是二进制文件（压缩包或数据库），不是文本文档。没有任何改动。"
    )
    gbk = await upload(group, "Ada", "notes.md", "题目：什么？\n答案：这".encode("gbk"))
    assert "第 1 行不是 UTF-8 文本" in gbk
    not_zip = await upload(group, "Ada", "deck.apkg", b"not a zip at all")
    assert "这不是 Anki 包" in not_zip and "not" not in not_zip


async def test_a_rated_flashcard_in_chinese_says_when_it_returns_without_a_stray_space(fresh_service, clock):
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    me = Chat(fresh_service, chat_id="dm-ann", kind=ChatKind.PRIVATE)
    await me.say("Ann", "/lang zh")
    [shown] = await me.say("Ann", "/study")
    [revealed] = await me.click("Ann", action(shown, "显示答案"))
    [rated] = await me.click("Ann", action(revealed, "良好"))
    assert rated.text == "已记录：良好。这张卡片将在 10 分钟后再次出现。"


async def test_stats_offers_no_drill_for_a_weak_section_without_multiple_choice(fresh_service, clock):
    """Cards answered "Yes", "No" or "TBD" are flashcards only: three rated Again make their deck the
    weakest section, but /review cannot ask any of them, so there is no drill button that leads nowhere."""
    clock.current = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    me = Chat(fresh_service, chat_id="dm-ann", kind=ChatKind.PRIVATE)
    deck = "#deck:Open questions\nIs attention all you need?,Yes\nIs bigger always better?,No\nWhat comes next?,TBD\n"
    assert "3 cards, 0 with multiple choice" in await upload(me, "Ann", "open.csv", deck.encode())
    for _ in range(3):
        [shown] = await me.say("Ann", "/study 6")
        assert shown.text.split("\n", 1)[0].endswith("· Open questions")
        [revealed] = await me.click("Ann", action(shown, "Show answer"))
        await me.click("Ann", action(revealed, "Again"))
    [stats] = await me.say("Ann", "/stats")
    assert "1. Open questions: 0% (0/3)" in stats.text
    assert stats.buttons == ()
    assert (await me.say("Ann", "/review"))[0].text.startswith("🎉 No mistakes left to review.")


async def test_group_stats_in_chinese_use_chinese_punctuation_for_missed_cards(group):
    await group.say("Ada", "/lang zh")
    question, post = await group.quiz("Ann")
    for name in ("Bob", "Cat", "Dan"):
        await group.click(name, question.buttons[0][(post.correct + 1) % len(post.options)].action)
    [stats] = await group.say("Ada", "/stats group")
    missed = stats.text.split("**错得最多的卡片**\n", 1)[1]
    assert missed.startswith(f"`{post.card_id}` ") and missed.endswith(" · 正确率 0%（0/3）")


async def test_mistakes_on_a_groups_own_deck_are_drilled_and_counted_as_a_weak_section(group):
    await upload(group, "Ada", "small.md", MY_NOTES.encode())
    await group.say("Ada", "/decks use 6")
    for right in (False, False, True):
        question, post = await group.quiz("Ann")
        chosen = post.correct if right else (post.correct + 1) % len(post.options)
        await group.click("Ann", question.buttons[0][chosen].action)
    [stats] = await group.say("Ann", "/stats")
    assert "1. My notes: 33% (1/3)" in stats.text
    [[drill_button]] = stats.buttons
    assert drill_button.label == "🔁 Drill: My notes"
    [drill] = await group.click("Ann", drill_button.action)
    assert drill.text.startswith("🔁 **Mistakes drill** for Ann · 2 to go · My notes\n\n")
    assert (await group.say("Ann", "/review"))[0].text.startswith("🔁 **Mistakes drill** for Ann · 2 to go")
    card_id, seed = drill.buttons[0][0].action.split(":")[1:3]
    correct = (
        group.service.bank.for_chat(await group_chat_id(group)).choices.choices(card_id, int(seed)).correct
    )
    [verdict] = await group.click("Ann", drill.buttons[0][correct].action)
    assert verdict.text.startswith("✅ Right: off your mistakes list (1 left).")


async def test_a_round_of_one_question_nobody_answers_reads_right(group, fresh_service, clock):
    [first] = await group.say("Ada", "/round 1")
    assert first.text.startswith("🎯 **Live round**: 1 question, 30 s. A right answer earns 5 points")
    await fresh_service.message_sent(first.post_id, "m0")
    recorder = Recorder()
    scheduler = RoundScheduler(fresh_service.rounds, clock, {"test": recorder})
    clock.advance(seconds=31)
    await scheduler.tick()
    [final] = recorder.posts
    assert "📊 **Question 1/1**" in final.text
    assert "\nNobody answered.\n" in final.text and "0 answered" not in final.text
    assert final.text.endswith("🏁 **Round over**: standings after 1 question\nNobody answered.")


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        ("en", ["/round [questions] [decks] | stop | time 20 — ", "/lang zh | en — ", "/stats [group] — "]),
        (
            "zh",
            [
                "/round [题数] [题库] | stop | time 20 — ",
                "/lang zh | en（中文或英文） — ",
                "/stats [group]（本群统计） — ",
            ],
        ),
    ],
)
async def test_help_shows_how_to_call_round_lang_and_stats(fresh_service, language, lines):
    me = Chat(fresh_service, chat_id="dm-ann", kind=ChatKind.PRIVATE, locale=language)
    help_text = (await me.say("Ann", "/help"))[0].text
    for line in lines:
        assert f"\n{line}" in help_text, line


async def test_going_through_every_question_does_not_announce_a_live_round(group):
    await upload(group, "Ada", "small.md", MY_NOTES.encode())
    await group.say("Ada", "/decks use 6")
    for _ in range(4):
        await group.quiz("Ann")
    replies = await group.say("Ann", "/quiz")
    assert (
        replies[0].text
        == "🔁 This chat has seen all 4 questions of its decks: they come round again from here."
    )
    assert "round" not in replies[0].text.replace("come round again", "")
    assert replies[1].text.startswith("❓ **Question** · My notes")


async def test_daily_set_and_status_name_the_decks_it_draws_from(group):
    [done] = await group.say("Ada", "/daily set 08:30 Asia/Shanghai 2 3")
    assert done.text.endswith(" From: 大模型训练基础 30 题, 元学习在大模型快速适应中的应用.")
    [status] = await group.say("Ann", "/daily status")
    assert status.text.endswith(
        "2026-11-03 08:30. From: 大模型训练基础 30 题, 元学习在大模型快速适应中的应用."
    )
    await group.say("Ada", "/lang zh")
    [every_deck] = await group.say("Ada", "/daily set 09:00 Asia/Shanghai")
    assert "题库：" not in every_deck.text and every_deck.text.endswith("作答截止到下一题前一小时。")


async def test_a_deck_of_one_card_is_added_replaced_exported_and_removed_in_the_singular(group):
    one = "#deck:Basalt\nWhat is basalt?,A dark volcanic rock formed from fast-cooling lava.\n"
    assert "added for this chat: 1 card, " in await upload(group, "Ada", "basalt.csv", one.encode())
    replaced = await upload(group, "Ada", "basalt.csv", one.encode())
    assert "replaced: 1 card, " in replaced and "; 1 unchanged question keeps its history." in replaced
    [package] = await group.say("Ann", "/export basalt")
    assert package.text.startswith("📦 **Basalt**: 1 card for Anki (basalt.apkg).")
    [ask] = await group.say("Ada", "/decks remove 6")
    assert ask.text.startswith("Remove the deck **Basalt** (1 card) from this chat?")
    await group.say("Ada", "/lang zh")
    assert "：1 张卡片，其中 " in await upload(group, "Ada", "basalt.csv", one.encode())


def test_the_charts_title_reads_one_answer_in_the_singular():
    _, decks, _ = learner("new")
    figure = draw({TODAY.isoformat(): 1}, TODAY, decks, [], "en")
    texts = " ".join(text.get_text() for text in figure.findobj(Text))
    assert "Last 12 weeks: 1 answer or review" in texts


async def test_next_mistake_after_a_wrong_drill_answer_asks_another_card_first(group):
    await upload(group, "Ada", "small.md", MY_NOTES.encode())
    await group.say("Ada", "/decks use 6")
    missed = []
    for _ in range(2):
        question, post = await group.quiz("Ann")
        await group.click("Ann", question.buttons[0][(post.correct + 1) % len(post.options)].action)
        missed.append(post.card_id)
    bank = group.service.bank.for_chat(await group_chat_id(group))
    [drill] = await group.say("Ann", "/review")
    first, seed = drill.buttons[0][0].action.split(":")[1:3]
    wrong = (bank.choices.choices(first, int(seed)).correct + 1) % 4
    [verdict] = await group.click("Ann", drill.buttons[0][wrong].action)
    assert verdict.text.startswith("❌ Not yet: it stays on your list (2 left).")
    [following] = await group.click("Ann", verdict.buttons[0][0].action)
    assert following.text.startswith("🔁 **Mistakes drill** for Ann · 2 to go")
    second = following.buttons[0][0].action.split(":")[1]
    assert {first, second} == set(missed)


@pytest.mark.parametrize("zone", ["utc", "asia/shanghai", "Europe/berlin"])
async def test_a_time_zone_in_any_case_is_understood(group, zone):
    [done] = await group.say("Ada", f"/daily set 09:00 {zone}")
    assert done.text.startswith("📅 A daily question will be posted here at 09:00 (")
    canonical = {"utc": "UTC", "asia/shanghai": "Asia/Shanghai", "Europe/berlin": "Europe/Berlin"}[zone]
    assert f"09:00 ({canonical})." in done.text
    me = Chat(group.service, chat_id="dm-ann", kind=ChatKind.PRIVATE)
    [reminder] = await me.say("Ann", f"/remind 20:00 {zone}")
    assert f"({canonical})" in reminder.text


async def test_decks_use_all_switches_every_deck_on(group):
    await group.say("Ada", "/decks use 1")
    [every] = await group.say("Ada", "/decks use all")
    assert "▫️" not in every.text.split("\n\n")[0] and "✅ 5. " in every.text


async def test_the_console_sets_a_reminder_and_prints_it_when_cards_are_due(service, clock):
    reader = asyncio.StreamReader()
    reader.feed_data(b"/study\n1\n1\n/remind 20:00 UTC\n/lang zh\n/remind 21:00 UTC\n")
    reader.feed_eof()
    out = io.StringIO()
    adapter = ConsoleAdapter(service, reader=reader, output=out, user_name="Ann", locale="en", color=False)
    await adapter.run()
    output = out.getvalue()
    assert "Reminders are private" not in output and "提醒是私人的" not in output
    assert (
        "⏰ I'll remind you at 20:00 (UTC) on days you have cards due. Next: Mon 2026-11-02 20:00." in output
    )
    assert "⏰ 有到期卡片的日子，我会在 21:00（UTC）提醒你。" in output
    clock.advance(hours=12)  # 21:00: the flashcard rated Again is due
    assert await service.reminders.send_due({"console": adapter}, clock.now()) == 1
    assert out.getvalue().endswith("⏰ 你有 1 张卡片待复习。\n  [1] 下一张\n")


async def test_one_groups_deck_does_not_show_in_another_chats_weakest_sections(group, fresh_service):
    await upload(group, "Ada", "small.md", MY_NOTES.encode())
    await group.say("Ada", "/decks use 6")
    for _ in range(3):
        question, post = await group.quiz("Ann")
        await group.click("Ann", question.buttons[0][(post.correct + 1) % len(post.options)].action)
    assert "1. My notes: 0% (0/3)" in (await group.say("Ann", "/stats"))[0].text
    elsewhere = Chat(fresh_service, chat_id="dm-ann", kind=ChatKind.PRIVATE)
    [stats] = await elsewhere.say("Ann", "/stats")
    assert "My notes" not in stats.text and stats.buttons == ()


async def test_a_bare_answer_command_says_how_to_answer(fresh_service, clock):
    me = Chat(fresh_service, chat_id="dm-ann", kind=ChatKind.PRIVATE)
    await me.say("Ann", "/study")
    [hint] = await me.say("Ann", "/answer")
    assert hint.text == "Type `/answer` followed by your answer (on Telegram you can also reply to the card)."
    [empty] = await me.say("Ann", "/answer ?!")
    assert empty.text.startswith("There's nothing to grade in that answer.")
