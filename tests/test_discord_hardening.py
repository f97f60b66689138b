"""Discord, as a member who tries what they should not, and under a slow core: the real discord.py client
against the fake gateway and REST server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.core.daily import DailyScheduler
from bot.core.messages import ChatKind
from bot.core.question_bank import QuestionBank
from tests.conftest import FakeClock, bank_with_long_card, wait_until
from tests.fake_discord import CHANNEL_ID, GUILD_ID, MANAGE_GUILD, FakeDiscord, button, person, slash
from tests.test_discord import ALICE, BOB, EPHEMERAL, LONG_QUESTION, Running, _modal_submit, ask, post_quiz

REFUSED = "Only the group's admins can change its settings."
OUT_OF_DATE = "That button is out of date. Try the command again."
NO_PINGS = {"parse": []}


@pytest.fixture
async def discord_server():
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture(scope="module")
def long_bank(tmp_path_factory) -> QuestionBank:
    return bank_with_long_card(
        tmp_path_factory.mktemp("long"), LONG_QUESTION, "words @everyone to ping.", "x{i} = {i}"
    )


@pytest.fixture
async def bot(discord_server, long_bank, tmp_path):
    running = Running(discord_server, long_bank, tmp_path / "bot.sqlite3")
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def slow(monkeypatch):
    """Every interaction is deferred before the core answers, as when a command takes over two seconds."""
    monkeypatch.setattr("bot.adapters.discord.adapter.ACK_SECONDS", 0)


async def group_chat(running: Running):
    return await running.store.ensure_chat("discord", f"guild:{GUILD_ID}", ChatKind.GROUP)


async def test_a_member_cannot_change_settings_in_any_case(discord_server, bot):
    attempts = [
        slash("daily", BOB, {"action": "SET", "time": "09:00", "timezone": "UTC"}),
        slash("daily", BOB, {"action": "sEt", "time": "10:00"}),
        slash("daily", BOB, {"action": "NOW"}),
        slash("daily", BOB, {"action": "Off"}),
        slash("lang", BOB, {"language": "ZH"}),
        slash("decks-use", BOB, {"decks": "ALL"}),
        slash("decks-use", BOB, {"decks": "USE 1"}),
    ]
    for payload in attempts:
        [reply] = await ask(discord_server, payload)
        assert reply["content"] == REFUSED and reply["flags"] & EPHEMERAL, payload["data"]
    listing = (await ask(discord_server, slash("decks", BOB)))[0]
    toggle = listing["components"][0]["components"][0]["custom_id"]
    message = next(m for m in discord_server.messages.values() if (m.get("content") or "").startswith("📚"))
    assert (await ask(discord_server, button(toggle, BOB, message)))[0]["content"] == REFUSED
    for forged in ("sb:DK:" + toggle[6:], "sb:dK:" + toggle[6:].upper(), "sb:a:²:0", "sb:r:" + "9" * 25):
        # discord.py only dispatches a custom_id that is on the message: the forger's message has it
        carrier = {**message, "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "x",
                                                                          "custom_id": forged}]}]}  # fmt: skip
        assert (await ask(discord_server, button(forged, BOB, carrier)))[0]["content"] == OUT_OF_DATE
    chat = await group_chat(bot)
    assert await bot.store.subscription(chat.id) is None
    assert chat.language is None and chat.decks is None
    assert not discord_server.requests("POST", rf"/channels/{CHANNEL_ID}/messages")  # no daily question


async def test_no_public_message_can_ping_anyone(discord_server, bot, monkeypatch):
    everyone = person(303, "@everyone")
    admin = {"permissions": MANAGE_GUILD}
    await ask(discord_server, slash("search", ALICE, {"words": "@everyone @here <@&880000000000000100>"}))
    message, post_id, correct = await post_quiz(discord_server, bot)
    await ask(discord_server, button(f"sb:a:{post_id}:{correct}", everyone, message))
    await ask(discord_server, button(f"sb:r:{post_id}", BOB, message))
    await ask(discord_server, slash("leaderboard", ALICE))
    card = bot.service.bank.search(LONG_QUESTION)[0]
    await ask(discord_server, slash("card", ALICE, {"card_id": card.id}), count=3)  # pages as follow-ups
    listing = (await ask(discord_server, slash("decks", ALICE)))[0]
    toggle = listing["components"][0]["components"][0]["custom_id"]
    decks = next(m for m in discord_server.messages.values() if (m.get("content") or "").startswith("📚"))
    await ask(discord_server, button(toggle, ALICE, decks, **admin))  # the list is edited in place
    await ask(discord_server, slash("daily", ALICE, {"action": "set", "time": "09:00"}, **admin))

    monkeypatch.setattr("bot.adapters.discord.adapter.ACK_SECONDS", 0)  # now every reply is deferred
    await ask(discord_server, slash("leaderboard", everyone))
    await discord_server.interact(button(toggle, ALICE, decks, **admin))  # deferred, then the list is edited
    await wait_until(lambda: discord_server.requests("PATCH", r"/channels/\d+/messages/\d+"), bool, "an edit")

    chat = await group_chat(bot)
    clock = FakeClock(datetime.now(UTC))
    await bot.store.set_next_due(chat.id, clock.now())
    scheduler = DailyScheduler(bot.service.daily, bot.store, clock, {"discord": bot.adapter})
    assert (await scheduler.tick()).posted == 1  # the daily question, through post()
    # the window closes an hour before the next 09:00 UTC, which is up to 33 hours away from a post sent now
    clock.advance(hours=34)
    assert (await scheduler.tick()).results == 1  # and its results

    sent = discord_server.sent_messages()
    public = [message for message in sent if not message.ephemeral]
    assert {message.kind for message in public} >= {"callback", "followup", "channel", "channel edit"}
    assert [message for message in sent if message.allowed_mentions != NO_PINGS] == []
    echoed = next(m for m in public if "@everyone @here" in (m.data.get("content") or ""))
    assert echoed.allowed_mentions == NO_PINGS
    assert any("@everyone" in (m.data.get("content") or "") for m in public if m.kind == "followup")


async def test_slow_private_replies_stay_private(discord_server, bot, slow):
    shown = (await ask(discord_server, slash("study", ALICE)))[0]
    assert shown["content"].startswith("🃏 **Flashcard**") and shown["flags"] & EPHEMERAL
    reveal = next(
        b for row in shown["components"] for b in row["components"] if b["custom_id"].startswith("sb:sv:")
    )
    message = next(m for m in discord_server.messages.values() if (m.get("content") or "").startswith("🃏"))
    answer = (await ask(discord_server, button(reveal["custom_id"], ALICE, message)))[0]
    assert "**Reference answer**" in answer["content"] and answer["flags"] & EPHEMERAL

    await ask(discord_server, slash("study", ALICE))
    opener = button(
        next(b["custom_id"] for b in shown["components"][0]["components"] if b["custom_id"].startswith("sb:sw:")),
        ALICE, message,
    )  # fmt: skip
    await discord_server.interact(opener)
    [modal_call] = await discord_server.wait_for("POST", rf"/interactions/{opener['id']}/.*/callback")
    modal = modal_call.body["data"]
    submit = _modal_submit(
        modal["custom_id"], modal["components"][0]["components"][0]["custom_id"], "dropout", ALICE
    )
    graded = (await ask(discord_server, submit))[0]
    # a one-word answer may be graded or declined as too short to judge: either way it is the member's own
    assert graded["content"].startswith(("📝 Score:", "⚠️ I can't grade")) and graded["flags"] & EPHEMERAL

    stats = (await ask(discord_server, slash("stats", ALICE)))[0]
    assert stats["content"].startswith("📈") and stats["flags"] & EPHEMERAL
    assert stats["attachments"][0]["filename"] == "stats.png"
    leaks = [m for m in discord_server.sent_messages() if not m.ephemeral]
    assert leaks == []  # nothing of Alice's studying reached the channel


async def test_slow_public_replies_stay_public_and_a_refusal_stays_private(discord_server, bot, slow):
    message, post_id, _ = await post_quiz(discord_server, bot)
    question = next(m for m in discord_server.sent_messages() if m.data.get("embeds"))
    assert question.kind == "followup" and not question.ephemeral
    post = await bot.store.get_post(post_id)
    assert post.message_id == message["id"]  # the deferral became the question, and the bot knows its id

    payload = slash("lang", BOB, {"language": "zh"})  # a public command, but the refusal is for Bob alone
    [refusal] = await ask(discord_server, payload)
    assert refusal["content"] == REFUSED and refusal["flags"] & EPHEMERAL
    [settled] = [c for c in discord_server.calls_for(payload) if c.method == "PATCH"]
    assert settled.body["content"] == "🔒 Sent to you privately."


async def test_a_quiz_question_takes_one_rest_call(discord_server, bot):
    payload = slash("quiz", ALICE)
    await ask(discord_server, payload)
    await asyncio.sleep(0.2)
    calls = discord_server.calls_for(payload)
    assert [(c.method, c.path.rsplit("/", 1)[-1]) for c in calls] == [("POST", "callback")]
    post_id = int(calls[0].body["data"]["components"][0]["components"][0]["custom_id"].split(":")[2])
    for _ in range(50):  # the adapter records the message id right after the callback
        post = await bot.store.get_post(post_id)
        if post.message_id:
            break
        await asyncio.sleep(0.02)
    assert post.message_id is not None
