"""Telegram, as a member who tries what they should not: settings in capitals, forged buttons, long emoji text."""

from __future__ import annotations

import random

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram.render import split_messages
from bot.config import TelegramConfig
from bot.core.content import load_content
from bot.core.messages import ChatKind
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import CONTENT
from tests.fake_telegram import (
    BOT_USERNAME,
    FakeTelegram,
    click,
    command,
    serving,
    user,
    utf16_units,
    visible_text,
)

GROUP = -1007777
ADMIN = user(11, "Alice")
MEMBER = user(22, "Bob")
REFUSED = "Only the group's admins can change its settings."
OUT_OF_DATE = "That button is out of date. Try the command again."


@pytest.fixture
async def bot(telegram, bank: QuestionBank, tmp_path):
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    service = StudyService(bank, store, rng=random.Random(4))
    config = TelegramConfig(base_url=telegram.base_url, poll_timeout=1)
    adapter = TelegramAdapter(service, telegram.token, config, backoff_seconds=0.05)
    async with serving(adapter, telegram):
        yield adapter
    await store.close()


async def say(telegram: FakeTelegram, sender: dict, text: str, chat: int = GROUP) -> dict:
    before = len(telegram.sent("sendMessage", chat))
    telegram.push(command(chat, sender, text))
    return (await telegram.wait_for("sendMessage", before + 1, chat_id=chat))[-1]


async def test_a_member_cannot_change_settings_in_capitals_or_mixed_case(telegram, bot):
    # spread over three groups: Telegram's flood limit allows 20 requests a minute per group
    daily_group, other_group, admin_group = GROUP, GROUP - 1, GROUP - 2
    telegram.admins.add(ADMIN["id"])
    assert "09:00 (UTC)" in (await say(telegram, ADMIN, "/daily set 09:00 UTC", daily_group))["text"]
    attempts = {
        daily_group: ["/daily SET 10:30 UTC", "/daily Off", "/daily NOW", f"/Daily@{BOT_USERNAME} sEt 10:30"],
        other_group: ["/LANG zh", "/Lang ZH", "/DECKS USE 1", "/decks Use 2", "/decks ALL"],
    }
    for group, texts in attempts.items():
        for text in texts:
            reply = await say(telegram, MEMBER, text, group)
            assert reply["text"] == REFUSED, (text, reply["text"])
    assert len(telegram.sent("getChatMember")) == 1 + sum(map(len, attempts.values()))  # each was checked

    store = bot.service.store
    chat = await store.ensure_chat("telegram", str(daily_group), ChatKind.GROUP)
    subscription = await store.subscription(chat.id)
    assert subscription.active and subscription.post_time == "09:00"  # neither changed nor switched off
    assert not any("Daily question" in m["text"] for m in telegram.sent("sendMessage", daily_group))
    other = await store.ensure_chat("telegram", str(other_group), ChatKind.GROUP)
    assert other.language is None and other.decks is None
    # an admin's mixed case works, through the same normalisation
    assert "10:30 (UTC)" in (await say(telegram, ADMIN, "/Daily SET 10:30 UTC", admin_group))["text"]


async def test_a_member_cannot_toggle_decks_with_the_buttons_in_any_case(telegram, bot):
    telegram.admins.add(ADMIN["id"])
    listing = await say(telegram, MEMBER, "/decks")
    toggle = listing["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert toggle.startswith("dk:")
    telegram.push(click(GROUP, MEMBER, toggle, listing["_message_id"]))
    assert (await telegram.wait_for("answerCallbackQuery"))[0]["text"] == REFUSED  # a toast
    for data in (toggle.upper(), "Dk:" + toggle[3:]):
        telegram.push(click(GROUP, MEMBER, data, listing["_message_id"]))
    await telegram.wait_for("answerCallbackQuery", 3)  # every spinner stops
    replies = await telegram.wait_for("sendMessage", 3, chat_id=GROUP)
    assert [r["text"] for r in replies[1:]] == [OUT_OF_DATE] * 2
    chat = await bot.service.store.ensure_chat("telegram", str(GROUP), ChatKind.GROUP)
    assert chat.decks is None
    assert telegram.sent("editMessageText") == []


async def test_private_chats_keep_their_settings_commands(telegram, bot):
    reply = await say(telegram, ADMIN, "/LANG zh", chat=ADMIN["id"])
    assert reply["text"] == "本群语言已设为中文。"
    assert telegram.sent("getChatMember") == []  # nobody else to ask about in a private chat


async def test_forged_button_data_stops_the_spinner_with_the_out_of_date_notice(telegram, bot):
    question = await say(telegram, MEMBER, "/quiz")
    post_id = question["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[1]
    forged = [f"a:{post_id}:²", "a:²:0", "r:" + "9" * 25, "sr:1:３", "sv:99999999999999999999"]
    for data in forged:
        telegram.push(click(GROUP, MEMBER, data, question["_message_id"]))
    await telegram.wait_for("answerCallbackQuery", len(forged))  # every spinner stops
    replies = await telegram.wait_for("sendMessage", 1 + len(forged), chat_id=GROUP)
    assert [r["text"] for r in replies[1:]] == [OUT_OF_DATE] * len(forged)


EMOJI_QUESTION = "What do the emoji and the bold letters say?"


@pytest.fixture
async def emoji_bot(telegram, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    paragraphs = [
        "😀🎉" * 700,
        "𝐀𝐁𝐂 " * 900,
        "```\n```",
        "```python\n\n\n```",
        "🧠" * 2100,
        "plain words to end.",
    ]
    (notes / "emoji.md").write_text(
        f"## {EMOJI_QUESTION}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
    )
    store = await SqliteStore.open(tmp_path / "emoji.sqlite3")
    service = StudyService(QuestionBank(load_content([CONTENT, notes])), store, rng=random.Random(4))
    adapter = TelegramAdapter(
        service, telegram.token, TelegramConfig(base_url=telegram.base_url, poll_timeout=1)
    )
    async with serving(adapter, telegram):
        yield adapter
    await store.close()


async def test_emoji_and_mathematical_letters_are_split_by_telegrams_count(telegram, emoji_bot):
    card = emoji_bot.service.bank.search(EMOJI_QUESTION)[0]
    telegram.push(command(ADMIN["id"], ADMIN, f"/card {card.id}"))
    parts = await telegram.wait_until_quiet("sendMessage", chat_id=ADMIN["id"])
    assert len(parts) >= 4
    for part in parts:
        assert "_message_id" in part  # Telegram took it: not empty, not over 4,096 UTF-16 units
        assert 0 < utf16_units(visible_text(part["text"])) <= 4096 and visible_text(part["text"]).strip()
        assert "<pre></pre>" not in part["text"] and "></code></pre>" not in part["text"]
    seen = "".join(visible_text(part["text"]) for part in parts)
    assert seen.count("😀") == 700 and seen.count("𝐁") == 900 and seen.count("🧠") == 2100
    assert seen.rstrip().endswith("plain words to end.")


def test_a_text_with_nothing_visible_is_no_message_at_all():
    assert split_messages("```\n```") == []
    assert split_messages("```python\n\n```\n\n  ") == []
    assert split_messages("a\n\n```\n```") == ["a"]
