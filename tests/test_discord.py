"""The real discord.py client against a fake gateway and REST server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.discord import DiscordAdapter
from bot.config import DiscordConfig
from bot.core.daily import DailyScheduler
from bot.core.messages import ChatKind
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import CONTENT, FakeClock, bank_with_long_card, wait_until
from tests.fake_discord import CHANNEL_ID, GUILD_ID, MANAGE_GUILD, FakeDiscord, button, person, slash

ALICE = person(301, "Alice")
BOB = person(302, "Bob")
LONG_QUESTION = "What does the very long reference answer say?"
EPHEMERAL = 64


@pytest.fixture(scope="module")
def long_bank(tmp_path_factory) -> QuestionBank:
    return bank_with_long_card(
        tmp_path_factory.mktemp("long"),
        LONG_QUESTION,
        "**bold** words and more words to make it long.",
        "x{i} = {i}",
    )


@pytest.fixture
async def discord_server():
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.stop()


class Running:
    """A DiscordAdapter running in the background against the fake server; restartable on the same database."""

    def __init__(self, fake: FakeDiscord, bank: QuestionBank, db_path) -> None:
        self.fake, self.bank, self.db_path = fake, bank, db_path
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        self.store = await SqliteStore.open(self.db_path)
        self.service = StudyService(self.bank, self.store, rng=random.Random(6))
        config = DiscordConfig(guild_id=GUILD_ID, api_base=self.fake.api_base, gateway=self.fake.gateway)
        self.adapter = DiscordAdapter(self.service, "fake-token", config)
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(self.adapter.run(self.stop_event))
        await self.fake.wait_identified()
        await asyncio.sleep(0.1)  # READY and GUILD_CREATE processed

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.wait_for(self.task, 15)
        await self.store.close()


@pytest.fixture
async def bot(discord_server, long_bank, tmp_path):
    running = Running(discord_server, long_bank, tmp_path / "bot.sqlite3")
    await running.start()
    yield running
    await running.stop()


async def ask(fake: FakeDiscord, payload: dict, count: int = 1) -> list[dict]:
    await fake.interact(payload)
    return await wait_until(
        lambda: fake.replies_to(payload), lambda found: len(found) >= count, f"{payload['data']}"
    )


async def post_quiz(fake: FakeDiscord, running: Running, user: dict = ALICE) -> tuple[dict, int, int]:
    await ask(fake, slash("quiz", user))
    message = next(m for m in reversed(list(fake.messages.values())) if m.get("embeds"))
    custom_id = message["components"][0]["components"][0]["custom_id"]
    post_id = int(custom_id.split(":")[2])
    post = await running.store.get_post(post_id)
    for _ in range(50):  # the adapter reports the message id once Discord confirmed it
        post = await running.store.get_post(post_id)
        if post.message_id:
            break
        await asyncio.sleep(0.02)
    return message, post_id, post.correct


async def test_commands_are_synced_with_descriptions_options_and_chinese(discord_server, bot):
    synced = discord_server.requests("PUT", rf"/applications/\d+/guilds/{GUILD_ID}/commands")
    commands = {c["name"]: c for c in synced[-1].body}
    assert set(commands) == {
        "help",
        "quiz",
        "score",
        "leaderboard",
        "decks",
        "decks-use",
        "search",
        "card",
        "lang",
        "daily",
        "study",
        "answer",
        "stats",
        "remind",
        "deck-upload",
        "deck-remove",
        "export",
        "round",
        "round-stop",
        "round-time",
        "review",
        "stats-group",
    }
    assert commands["quiz"]["description_localizations"]["zh-CN"] == "来一道选择题"
    assert int(commands["lang"]["default_member_permissions"]) == MANAGE_GUILD
    assert int(commands["decks-use"]["default_member_permissions"]) == MANAGE_GUILD
    assert commands["quiz"].get("default_member_permissions") is None
    option = commands["search"]["options"][0]
    assert option["name"] == "words" and option["required"] and option["description_localizations"]["zh-CN"]
    assert [c["value"] for c in commands["lang"]["options"][0]["choices"]] == ["zh", "en"]


async def test_two_members_answer_with_buttons_privately_and_the_leaderboard_shows_both(discord_server, bot):
    message, post_id, correct = await post_quiz(discord_server, bot)
    buttons = message["components"][0]["components"]
    assert [b["label"] for b in buttons] == ["A", "B", "C", "D"]
    assert all(len(b["custom_id"]) <= 100 for row in message["components"] for b in row["components"])
    assert message["embeds"][0]["description"].startswith("❓ **Question**")

    right = await ask(discord_server, button(f"sb:a:{post_id}:{correct}", ALICE, message))
    wrong = await ask(discord_server, button(f"sb:a:{post_id}:{(correct + 1) % 4}", BOB, message))
    assert right[0]["content"].startswith("✅ Right, Alice! +5 points") and right[0]["flags"] & EPHEMERAL
    assert wrong[0]["content"].startswith("❌ Not quite, Bob.") and wrong[0]["flags"] & EPHEMERAL
    assert "**Reference answer**" in wrong[0]["content"]

    board = (await ask(discord_server, slash("leaderboard", BOB)))[0]["content"]
    assert "1. Alice: 5 points (1/1)" in board and "2. Bob: 0 points (0/1) ⬅" in board
    twice = await ask(discord_server, button(f"sb:a:{post_id}:{correct}", BOB, message))
    assert twice[0]["content"].startswith("You already answered") and twice[0]["flags"] & EPHEMERAL


async def test_a_click_after_the_bot_restarted_still_counts(discord_server, bot):
    message, post_id, correct = await post_quiz(discord_server, bot)
    await bot.stop()
    await bot.start()  # a new client process on the same database
    assert discord_server.connections == 2
    reply = await ask(discord_server, button(f"sb:a:{post_id}:{correct}", BOB, message))
    assert reply[0]["content"].startswith("✅ Right, Bob! +5 points")


async def test_a_long_answer_is_split_within_discord_limits(discord_server, bot):
    card = bot.service.bank.search(LONG_QUESTION)[0]
    payload = slash("card", ALICE, {"card_id": card.id})
    await ask(discord_server, payload, count=3)
    await asyncio.sleep(0.2)
    pages = discord_server.replies_to(payload)
    assert len(pages) >= 3
    assert all(len(page["content"]) <= 2000 for page in pages)
    text = "\n\n".join(page["content"] for page in pages)
    assert text.count("```") % 2 == 0 and "x39 = 39" in text
    assert "Paragraph 9: **bold** words" in text


async def test_settings_are_refused_to_members_without_manage_server(discord_server, bot):
    refused = await ask(discord_server, slash("lang", BOB, {"language": "zh"}))
    assert refused[0]["content"] == "Only the group's admins can change its settings."
    assert refused[0]["flags"] & EPHEMERAL
    allowed = await ask(discord_server, slash("lang", ALICE, {"language": "zh"}, permissions=MANAGE_GUILD))
    assert allowed[0]["content"] == "本群语言已设为中文。"
    decks = await ask(discord_server, slash("decks-use", ALICE, {"decks": "2"}, permissions=MANAGE_GUILD))
    assert "✅ 2." in decks[0]["content"] and "▫️ 1." in decks[0]["content"]


async def test_a_rate_limited_response_is_retried_by_discord_py(discord_server, bot):
    discord_server.fail_next(
        "POST", r"/interactions/.*/callback", 429,
        {"message": "You are being rate limited.", "retry_after": 0.3, "global": False},
    )  # fmt: skip
    payload = slash("help", ALICE)
    reply = await ask(discord_server, payload)
    assert "/quiz" in reply[0]["content"]
    assert len(discord_server.requests("POST", rf"/interactions/{payload['id']}/.*/callback")) == 2


async def test_a_missing_permission_is_told_to_the_user_and_logged(discord_server, bot, caplog):
    message, post_id, _ = await post_quiz(discord_server, bot)
    discord_server.fail_next(
        "POST", r"/interactions/.*/callback", 403, {"message": "Missing Permissions", "code": 50013}
    )
    reveal = button(f"sb:r:{post_id}", ALICE, message)
    await discord_server.interact(reveal)
    replies = await wait_until(
        lambda: [r for r in discord_server.replies_to(reveal) if "permission" in r.get("content", "")], bool,
        "the missing-permission notice",
    )  # fmt: skip
    assert replies[0]["flags"] & EPHEMERAL
    assert any("missing permission" in record.getMessage() for record in caplog.records)


async def test_revealing_shows_the_answer_to_the_channel(discord_server, bot):
    message, post_id, correct = await post_quiz(discord_server, bot)
    await ask(discord_server, button(f"sb:a:{post_id}:{correct}", ALICE, message))
    reveal = await ask(discord_server, button(f"sb:r:{post_id}", BOB, message))
    assert "1 of 1 answer was right" in reveal[0]["content"]
    assert not reveal[0].get("flags", 0) & EPHEMERAL


async def test_study_bot_run_with_a_token_serves_discord_until_sigterm(discord_server, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {tmp_path / 'run.sqlite3'}\ncontent: {CONTENT}\nadapters:\n  discord:\n"
        f"    guild_id: {GUILD_ID}\n    api_base: {discord_server.api_base}\n    gateway: {discord_server.gateway}\n"
    )
    env = {**os.environ, "DISCORD_TOKEN": "fake-token"}
    env.pop("TELEGRAM_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await discord_server.wait_identified(timeout=30)
        await asyncio.sleep(0.3)
        reply = await ask(discord_server, slash("help", ALICE))
        assert "/quiz" in reply[0]["content"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()


async def test_a_subscribed_server_gets_the_daily_question_in_its_channel_and_the_results(
    discord_server, bot
):
    confirmation = await ask(
        discord_server,
        slash(
            "daily",
            ALICE,
            {"action": "set", "time": "09:00", "timezone": "Europe/Berlin"},
            permissions=MANAGE_GUILD,
        ),
    )
    assert "09:00 (Europe/Berlin)" in confirmation[0]["content"]
    store = bot.store
    chat = await store.ensure_chat("discord", f"guild:{GUILD_ID}", ChatKind.GROUP)
    clock = FakeClock(datetime.now(UTC))
    await store.set_next_due(chat.id, clock.now())
    scheduler = DailyScheduler(bot.service.daily, store, clock, {"discord": bot.adapter})
    assert (await scheduler.tick()).posted == 1
    [sent] = discord_server.requests("POST", rf"/channels/{CHANNEL_ID}/messages")
    assert sent.body["embeds"][0]["description"].startswith("📅 **Daily question**")
    message = next(
        m for m in discord_server.messages.values() if m.get("embeds") and m["channel_id"] == str(CHANNEL_ID)
    )
    post_id = int(sent.body["components"][0]["components"][0]["custom_id"].split(":")[2])
    post = await store.get_post(post_id)
    right = await ask(discord_server, button(f"sb:a:{post_id}:{post.correct}", ALICE, message))
    assert right[0]["content"].startswith("✅ Right, Alice! +10 points")
    await ask(discord_server, button(f"sb:a:{post_id}:{(post.correct + 1) % 4}", BOB, message))
    # the window closes an hour before the next 09:00 in Berlin: how far that is depends on the real time now
    assert post.closes_at is not None
    clock.current = post.closes_at + timedelta(minutes=1)
    assert (await scheduler.tick()).results == 1
    results = discord_server.requests("POST", rf"/channels/{CHANNEL_ID}/messages")[1:]
    text = "\n".join(r.body.get("content") or "" for r in results)
    assert "2 answered, 1 right." in text and "First right: Alice" in text


async def test_study_answer_in_a_modal_and_stats_with_a_chart(discord_server, bot):
    shown = (await ask(discord_server, slash("study", ALICE)))[0]
    assert (
        shown["content"].startswith("🃏 **Flashcard**") and shown["flags"] & EPHEMERAL
    )  # private in a server
    write = next(
        b for row in shown["components"] for b in row["components"] if b["custom_id"].startswith("sb:sw:")
    )
    message = next(m for m in discord_server.messages.values() if m.get("content", "").startswith("🃏"))
    opener = button(write["custom_id"], ALICE, message)
    await discord_server.interact(opener)
    [modal_call] = await discord_server.wait_for("POST", rf"/interactions/{opener['id']}/.*/callback")
    assert modal_call.body["type"] == 9  # MODAL
    modal = modal_call.body["data"]
    text_input = modal["components"][0]["components"][0]
    submit = _modal_submit(modal["custom_id"], text_input["custom_id"], "an answer in my own words", ALICE)
    graded = (await ask(discord_server, submit))[0]
    assert graded["content"].startswith("📝 Score:") and graded["flags"] & EPHEMERAL
    stats_payload = slash("stats", ALICE)
    await ask(discord_server, stats_payload)
    [callback] = discord_server.requests("POST", rf"/interactions/{stats_payload['id']}/.*/callback")
    assert callback.body["data"]["attachments"][0]["filename"] == "stats.png"


def _modal_submit(custom_id: str, input_id: str, value: str, user: dict) -> dict:
    from tests.fake_discord import _interaction

    data = {"custom_id": custom_id, "components": [{"type": 1, "components": [{"type": 4, "custom_id": input_id,
                                                                                "value": value}]}]}  # fmt: skip
    return _interaction(5, user, data)
