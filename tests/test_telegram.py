"""The real python-telegram-bot Application against a fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sqlite3
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser

import aiohttp
import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.config import TelegramConfig
from bot.core.content import load_content
from bot.core.daily import DailyScheduler
from bot.core.messages import ChatKind
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import CONTENT, FakeClock, bank_with_long_card
from tests.fake_telegram import BOT_USERNAME, FakeTelegram, click, command, serving, user

GROUP = -1001234
ALICE = user(11, "Alice")
BOB = user(22, "Bob", "zh-hans")
LONG_QUESTION = "What does the very long reference answer say?"


@pytest.fixture(scope="module")
def long_bank(tmp_path_factory) -> QuestionBank:
    return bank_with_long_card(
        tmp_path_factory.mktemp("long"), LONG_QUESTION, "if a < b && c > d then <tag> is not HTML.",
        "x{i} = {i} < {j}  # & more",
    )  # fmt: skip


@pytest.fixture
async def bot(telegram, long_bank, tmp_path):
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    service = StudyService(long_bank, store, rng=random.Random(4))
    adapter = TelegramAdapter(
        service,
        telegram.token,
        TelegramConfig(base_url=telegram.base_url, poll_timeout=1),
        backoff_seconds=0.05,
    )
    async with serving(adapter, telegram):
        yield adapter
    await store.close()


async def quiz_in_group(telegram: FakeTelegram, bot: TelegramAdapter) -> tuple[dict, int, int]:
    telegram.push(command(GROUP, ALICE, f"/quiz@{BOT_USERNAME}"))
    question = (await telegram.wait_for("sendMessage", chat_id=GROUP))[-1]
    post_id = int(question["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[1])
    post = await bot.service.store.get_post(post_id)
    return question, post_id, post.correct


async def test_start_in_private_introduces_the_bot_and_commands_are_registered_in_both_languages(
    telegram, bot
):
    telegram.push(command(11, ALICE, "/start"))
    intro = (await telegram.wait_for("sendMessage", chat_id=11))[0]
    assert intro["text"].startswith("👋 Hi Alice!") and intro["parse_mode"] == "HTML"
    registered = telegram.sent("setMyCommands")
    assert len(registered) == 2
    assert {c["command"] for c in registered[0]["commands"]} == {
        "start", "help", "quiz", "answer", "score", "leaderboard", "daily", "decks", "search", "card", "lang",
        "study", "stats", "remind", "upload", "export", "round", "review",
    }  # fmt: skip
    assert {r.get("language_code") for r in registered} == {None, "zh"}
    assert any(c["description"] == "来一道选择题" for r in registered for c in r["commands"])


async def test_start_lists_every_registered_command_in_the_users_language(telegram, bot):
    from bot.core import i18n

    for chat_id, member, language in ((11, ALICE, "en"), (22, BOB, "zh")):
        telegram.push(command(chat_id, member, "/start"))
        intro = (await telegram.wait_for("sendMessage", chat_id=chat_id))[0]["text"]
        listed = [line.split()[0].lstrip("/") for line in intro.splitlines() if line.startswith("/")]
        assert listed == bot.service.commands, language
        for name in bot.service.commands:
            assert i18n.text(f"command_{name}", language) in intro, (name, language)


async def test_two_members_answer_in_a_group_and_the_leaderboard_shows_both(telegram, bot):
    question, post_id, correct = await quiz_in_group(telegram, bot)
    keyboard = question["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in keyboard[0]] == ["A", "B", "C", "D"]
    assert keyboard[1][0]["callback_data"] == f"r:{post_id}"
    assert all(len(b["callback_data"].encode()) <= 64 for row in keyboard for b in row)
    message_id = question["_message_id"]

    telegram.push(click(GROUP, ALICE, f"a:{post_id}:{correct}", message_id))
    telegram.push(click(GROUP, BOB, f"a:{post_id}:{(correct + 1) % 4}", message_id))
    toasts = await telegram.wait_for("answerCallbackQuery", 2)
    texts = sorted(t["text"] for t in toasts)
    assert texts[0].startswith("✅ Right, Alice! +5 points")
    assert texts[1].startswith("❌ 答错了，Bob。")  # Bob's Telegram is in Chinese
    await asyncio.sleep(0.2)
    # in a group, one member's click does not post the answer for everyone
    assert len(telegram.sent("sendMessage", GROUP)) == 1

    telegram.push(command(GROUP, BOB, "/leaderboard"))
    board = (await telegram.wait_for("sendMessage", 2, chat_id=GROUP))[-1]["text"]
    assert "1. Alice：5 分" in board and "2. Bob：0 分" in board


async def test_a_second_click_says_it_was_already_counted(telegram, bot):
    question, post_id, correct = await quiz_in_group(telegram, bot)
    for option in (correct, (correct + 1) % 4):
        telegram.push(click(GROUP, ALICE, f"a:{post_id}:{option}", question["_message_id"]))
    toasts = await telegram.wait_for("answerCallbackQuery", 2)
    assert toasts[1]["text"] == "You already answered this question, Alice: your first answer counted."
    telegram.push(command(GROUP, ALICE, "/score"))
    score = (await telegram.wait_for("sendMessage", 2, chat_id=GROUP))[-1]["text"]
    assert "5 points · 1/1 right" in score


async def test_revealing_the_answer_posts_it_to_the_group_and_closes_the_question(telegram, bot):
    question, post_id, correct = await quiz_in_group(telegram, bot)
    telegram.push(click(GROUP, ALICE, f"a:{post_id}:{correct}", question["_message_id"]))
    await telegram.wait_for("answerCallbackQuery")
    telegram.push(click(GROUP, BOB, f"r:{post_id}", question["_message_id"]))
    reveal = (await telegram.wait_for("sendMessage", 2, chat_id=GROUP))[-1]["text"]
    assert "本题结束" in reveal and "共 1 人作答，1 人答对" in reveal and "<b>参考答案</b>" in reveal
    telegram.push(click(GROUP, BOB, f"a:{post_id}:{correct}", question["_message_id"]))
    toasts = await telegram.wait_for("answerCallbackQuery", 3)
    assert toasts[-1]["text"] == "这道题已经结束了。用 /quiz 再来一道。"


async def test_in_a_private_chat_the_full_answer_follows_at_once(telegram, bot):
    telegram.push(command(11, ALICE, "/quiz"))
    question = (await telegram.wait_for("sendMessage", chat_id=11))[0]
    assert len(question["reply_markup"]["inline_keyboard"]) == 1  # no reveal button when alone
    data = question["reply_markup"]["inline_keyboard"][0][2]["callback_data"]
    telegram.push(click(11, ALICE, data, question["_message_id"]))
    answer = (await telegram.wait_for("sendMessage", 2, chat_id=11))[-1]["text"]
    assert "<b>Reference answer</b>" in answer and ("✅" in answer or "❌" in answer)


class _StrictHTML(HTMLParser):
    allowed = frozenset({"b", "code", "pre"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag in self.allowed, tag
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, tag


async def test_a_long_answer_is_split_into_valid_html_messages(telegram, bot):
    card = bot.service.bank.search(LONG_QUESTION)[0]
    telegram.push(command(11, ALICE, f"/card {card.id}"))
    await asyncio.sleep(0.1)
    parts = await telegram.wait_for("sendMessage", 3, chat_id=11)
    total = sum(len(p["text"]) for p in parts)
    assert total > 9000
    for part in parts:
        assert len(part["text"]) <= 4096
        parser = _StrictHTML()
        parser.feed(part["text"])
        parser.close()
        assert parser.stack == []
    joined = "".join(p["text"] for p in parts)
    assert "if a &lt; b &amp;&amp; c &gt; d then &lt;tag&gt;" in joined
    assert '<pre><code class="language-python">x0 = 0 &lt; 1' in joined


async def test_a_flood_limit_is_waited_out_and_the_message_still_arrives(telegram, bot):
    telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    telegram.push(command(11, ALICE, "/help"))
    attempts = await telegram.wait_for("sendMessage", 2, chat_id=11, timeout=15)
    assert attempts[0]["text"] == attempts[1]["text"] and "/quiz" in attempts[1]["text"]


async def test_network_errors_are_retried(telegram, bot):
    telegram.fail_next("sendMessage", 502, "Bad Gateway")
    telegram.fail_next("sendMessage", 502, "Bad Gateway")
    telegram.push(command(11, ALICE, "/help"))
    attempts = await telegram.wait_for("sendMessage", 3, chat_id=11)
    assert "_message_id" in attempts[2]


async def test_a_chat_that_removed_the_bot_is_marked_inactive(telegram, bot, tmp_path):
    telegram.fail_next("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
    telegram.push(command(GROUP, ALICE, "/help"))
    await telegram.wait_for("sendMessage", chat_id=GROUP)
    await asyncio.sleep(0.3)
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        assert db.execute(
            "SELECT active FROM chats WHERE platform_chat_id = ?", (str(GROUP),)
        ).fetchone() == (0,)
    assert len(telegram.sent("sendMessage", GROUP)) == 1  # not retried into a wall


async def test_settings_commands_are_refused_to_members_who_are_not_admins(telegram, bot):
    telegram.admins.add(ALICE["id"])
    telegram.push(command(GROUP, BOB, "/lang en", message_id=5))
    refusal = (await telegram.wait_for("sendMessage", chat_id=GROUP))[0]
    assert (
        refusal["text"] == "只有群管理员可以修改本群设置。" and refusal["reply_parameters"]["message_id"] == 5
    )
    assert telegram.sent("getChatMember")[0]["user_id"] in ("22", 22)
    telegram.push(command(GROUP, ALICE, "/lang zh"))
    done = (await telegram.wait_for("sendMessage", 2, chat_id=GROUP))[-1]
    assert done["text"] == "本群语言已设为中文。"
    telegram.push(command(GROUP, BOB, "/quiz"))  # ordinary commands need no admin check
    await telegram.wait_for("sendMessage", 3, chat_id=GROUP)
    assert len(telegram.sent("getChatMember")) == 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_mode_checks_the_secret_on_every_request(telegram, tmp_path):
    store = await SqliteStore.open(tmp_path / "hook.sqlite3")
    service = StudyService(QuestionBank(load_content([CONTENT])), store)
    port = free_port()
    config = TelegramConfig(
        base_url=telegram.base_url, mode="webhook", webhook_url="https://bot.example.org/telegram-webhook",
        listen="127.0.0.1", port=port,
    )  # fmt: skip
    adapter = TelegramAdapter(service, telegram.token, config, webhook_secret="s3cret-token")
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    try:
        registered = (await telegram.wait_for("setWebhook"))[0]
        assert registered["url"] == "https://bot.example.org/telegram-webhook"
        assert registered["secret_token"] == "s3cret-token"
        url = f"http://127.0.0.1:{port}/telegram-webhook"
        update = {"update_id": 1, **command(11, ALICE, "/help")}
        async with aiohttp.ClientSession() as http:
            for _ in range(50):  # the webhook server starts right after setWebhook
                try:
                    async with http.post(
                        url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
                    ) as r:
                        assert r.status == 403
                        break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.05)
            async with http.post(url, json=update) as r:
                assert r.status == 403  # no secret at all
            await asyncio.sleep(0.2)
            assert telegram.sent("sendMessage") == []
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            async with http.post(url, json={**update, "update_id": 2}, headers=headers) as r:
                assert r.status == 200
        reply = (await telegram.wait_for("sendMessage", chat_id=11))[0]
        assert "/quiz" in reply["text"]
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await store.close()


async def test_being_removed_from_a_group_marks_it_inactive(telegram, bot, tmp_path):
    telegram.push(command(GROUP, ALICE, "/help"))
    await telegram.wait_for("sendMessage", chat_id=GROUP)
    member = {"id": 7000001, "is_bot": True, "first_name": "Study Bot", "username": BOT_USERNAME}
    telegram.push(
        {
            "my_chat_member": {
                "chat": {"id": GROUP, "type": "supergroup", "title": "Study group"},
                "from": ALICE,
                "date": 1,
                "old_chat_member": {"status": "member", "user": member},
                "new_chat_member": {"status": "kicked", "user": member, "until_date": 0},
            }
        }
    )
    for _ in range(50):
        await asyncio.sleep(0.05)
        with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
            if db.execute(
                "SELECT active FROM chats WHERE platform_chat_id = ?", (str(GROUP),)
            ).fetchone() == (0,):
                break
    else:
        raise AssertionError("the chat was not marked inactive")


async def test_study_bot_run_with_a_token_serves_telegram_until_sigterm(telegram, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {tmp_path / 'run.sqlite3'}\ncontent: {CONTENT}\n"
        f"adapters:\n  telegram:\n    base_url: {telegram.base_url}\n    poll_timeout: 1\n"
    )
    env = {**os.environ, "TELEGRAM_TOKEN": telegram.token}
    env.pop("DISCORD_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await telegram.wait_for("getUpdates", timeout=30)
        telegram.push(command(11, ALICE, "/start"))
        assert (await telegram.wait_for("sendMessage", chat_id=11))[0]["text"].startswith("👋 Hi Alice!")
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()


async def test_a_subscribed_group_gets_the_daily_question_and_its_results(telegram, bot):
    telegram.admins.add(ALICE["id"])
    telegram.push(command(GROUP, ALICE, "/daily set 09:00 Asia/Shanghai"))
    confirmation = (await telegram.wait_for("sendMessage", chat_id=GROUP))[0]["text"]
    assert "09:00（Asia/Shanghai）" in confirmation or "09:00 (Asia/Shanghai)" in confirmation
    store = bot.service.store
    chat = await store.ensure_chat("telegram", str(GROUP), ChatKind.GROUP)
    clock = FakeClock(datetime.now(UTC))
    await store.set_next_due(chat.id, clock.now())  # due now, whatever the real time of day
    scheduler = DailyScheduler(bot.service.daily, store, clock, {"telegram": bot})
    assert (await scheduler.tick()).posted == 1
    question = (await telegram.wait_for("sendMessage", 2, chat_id=GROUP))[-1]
    assert "每日一题" in question["text"] or "Daily question" in question["text"]
    keyboard = question["reply_markup"]["inline_keyboard"]
    assert len(keyboard) == 1  # no reveal button: the results come when the window closes
    post = await store.get_post(int(keyboard[0][0]["callback_data"].split(":")[1]))
    telegram.push(click(GROUP, ALICE, f"a:{post.id}:{post.correct}", question["_message_id"]))
    telegram.push(click(GROUP, BOB, f"a:{post.id}:{(post.correct + 1) % 4}", question["_message_id"]))
    toasts = await telegram.wait_for("answerCallbackQuery", 2)
    assert any("+10" in t["text"] for t in toasts)
    clock.advance(days=2)  # past the close (before the next local day's post), whatever the time of day now
    assert (await scheduler.tick()).results == 1
    results = (await telegram.wait_for("sendMessage", 3, chat_id=GROUP))[-1]["text"]
    assert ("2 人作答，1 人答对" in results or "2 answered, 1 right" in results) and "Alice" in results


async def test_studying_answering_by_reply_and_stats_as_a_photo(telegram, bot):
    telegram.push(command(11, ALICE, "/study"))
    card = (await telegram.wait_for("sendMessage", chat_id=11))[0]
    assert card["text"].startswith("🃏 <b>Flashcard</b>")
    reply = command(11, ALICE, "dropout zeroes random activations during training", message_id=7)
    reply["message"]["entities"] = []
    reply["message"]["reply_to_message"] = {
        "message_id": card["_message_id"], "date": 1, "chat": {"id": 11, "type": "private", "first_name": "Alice"},
        "from": {"id": 7000001, "is_bot": True, "first_name": "Study Bot", "username": BOT_USERNAME},
        "text": "card",
    }  # fmt: skip
    telegram.push(reply)
    graded = (await telegram.wait_for("sendMessage", 2, chat_id=11))[-1]["text"]
    assert graded.startswith("📝 Score: <b>") and "graded by key points" in graded
    telegram.push(command(11, ALICE, "/stats"))
    photo = (await telegram.wait_for("sendPhoto", chat_id=11))[0]
    assert "photo" in photo
    stats = (await telegram.wait_for("sendMessage", 3, chat_id=11))[-1]["text"]
    assert stats.startswith("📈 <b>Alice's progress</b>")


async def test_studying_in_a_group_is_addressed_to_the_member(telegram, bot):
    telegram.push(command(GROUP, ALICE, "/study", message_id=21))
    card = (await telegram.wait_for("sendMessage", chat_id=GROUP))[0]
    assert (
        card["text"].startswith("🃏 <b>Flashcard</b> for Alice")
        and card["reply_parameters"]["message_id"] == 21
    )
    show = card["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    telegram.push(click(GROUP, ALICE, show, card["_message_id"]))
    revealed = (await telegram.wait_for("sendMessage", 2, chat_id=GROUP))[-1]
    assert "<b>Reference answer</b>" in revealed["text"]
    assert revealed["reply_parameters"]["message_id"] == card["_message_id"]
    telegram.push(click(GROUP, BOB, show, card["_message_id"]))  # not Bob's card
    toasts = await telegram.wait_for("answerCallbackQuery", 2)
    assert toasts[-1]["text"].startswith("这张卡片不是给你的")
