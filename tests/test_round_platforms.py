"""Live rounds through the real Telegram and Discord clients against the fake servers, time from a FakeClock."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

import pytest

from bot.adapters.discord import DiscordAdapter
from bot.adapters.telegram import TelegramAdapter
from bot.config import DiscordConfig, TelegramConfig
from bot.core.rounds import RoundScheduler
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import FakeClock, wait_until
from tests.fake_discord import CHANNEL_ID, GUILD_ID, FakeDiscord, button, person, slash
from tests.fake_telegram import FakeTelegram, click, command, user

GROUP = -1005555
PLAYERS = [user(11, "Alice"), user(22, "Bob"), user(33, "Cat")]
EPHEMERAL = 64


class TelegramBot:
    """The Telegram adapter and a round scheduler on one database; restartable like a new process."""

    def __init__(self, fake: FakeTelegram, bank, db_path, clock: FakeClock) -> None:
        self.fake, self.bank, self.db_path, self.clock = fake, bank, db_path, clock

    async def start(self) -> None:
        self.store = await SqliteStore.open(self.db_path)
        self.service = StudyService(self.bank, self.store, clock=self.clock, rng=random.Random(8))
        config = TelegramConfig(base_url=self.fake.base_url, poll_timeout=1)
        self.adapter = TelegramAdapter(self.service, self.fake.token, config, backoff_seconds=0.05)
        self.scheduler = RoundScheduler(self.service.rounds, self.clock, {"telegram": self.adapter})
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(self.adapter.run(self.stop_event))
        await self.fake.wait_for("getUpdates", len(self.fake.sent("getUpdates")) + 1)

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.wait_for(self.task, 15)
        await self.store.close()


def keyboard_post(message: dict) -> int:
    return int(message["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[1])


async def shown(store: SqliteStore, post_id: int):
    """The question once the adapter has reported where it is on screen."""
    for _ in range(100):
        post = await store.get_post(post_id)
        if post.message_id:
            return post
        await asyncio.sleep(0.02)
    raise AssertionError("the question's message id was never reported")


async def test_a_round_of_five_with_three_players_on_telegram(telegram, bank, tmp_path):
    clock = FakeClock(datetime.now(UTC))
    bot = TelegramBot(telegram, bank, tmp_path / "bot.sqlite3", clock)
    await bot.start()
    try:
        telegram.push(command(GROUP, PLAYERS[0], "/round 5"))
        question = (await telegram.wait_for("sendMessage", chat_id=GROUP))[-1]
        assert "<b>Live round</b>: 5 questions, 30 s each" in question["text"]
        post = await shown(bot.store, keyboard_post(question))

        async def everyone_answers(post, right=(True, True, False)) -> None:
            before = len(telegram.sent("answerCallbackQuery"))
            for player, good in zip(PLAYERS, right, strict=False):
                option = post.correct if good else (post.correct + 1) % 4
                telegram.push(click(GROUP, player, f"ra:{post.id}:{option}", int(post.message_id)))
            toasts = await telegram.wait_for("answerCallbackQuery", before + len(right))
            assert all(t["text"].startswith("🔒 Got it") for t in toasts[before:])

        await everyone_answers(post)
        assert len(telegram.sent("sendMessage", GROUP)) == 1  # answers are private (toasts)
        clock.advance(seconds=5)
        assert (await bot.scheduler.tick()).posted == 1  # all three answered: on after min_seconds
        second = (await telegram.wait_for("sendMessage", 2, chat_id=GROUP))[-1]
        assert "Right: Alice (+10), Bob (+10) · 3 answered" in second["text"]
        assert "Top 3: 🥇 Alice 10 · 🥈 Bob 10 · 🥉 Cat 0" in second["text"]

        # question 2: Cat stays silent, so it runs 30 s; the countdown is edited every 10 s at most, and a
        # flood-limit answer from Telegram is waited out rather than breaking the round
        post = await shown(bot.store, keyboard_post(second))
        await everyone_answers(post, right=(True, False))
        telegram.fail_next("editMessageText", 429, "Too Many Requests: retry after 1", retry_after=1)
        for _ in range(30):
            clock.advance(seconds=1)
            await bot.scheduler.tick()
        edits = [e for e in telegram.sent("editMessageText") if int(e["message_id"]) == int(post.message_id)]
        # the first edit is refused with a 429 and sent again after retry_after; then one edit per 10 s
        assert [e["text"].rsplit("\n", 1)[-1] for e in edits] == [
            "⏳ about 20 s left", "⏳ about 20 s left", "⏳ about 10 s left", "⏱ Time's up.",
        ]  # fmt: skip
        assert "reply_markup" not in edits[-1]  # the closed question has no buttons
        third = (await telegram.wait_for("sendMessage", 3, chat_id=GROUP))[-1]
        assert "Question 3/5" in third["text"]

        # Bob is not the starter nor an admin: he cannot stop it
        telegram.push(command(GROUP, PLAYERS[1], "/round stop"))
        refusal = (await telegram.wait_for("sendMessage", 4, chat_id=GROUP))[-1]
        assert refusal["text"] == "Only the member who started the round or an admin can stop it."

        # the bot restarts in the middle of question 3 and carries on
        post = await shown(bot.store, keyboard_post(third))
        await everyone_answers(post)
        await bot.stop()
        telegram._updates.clear()  # Telegram forgets updates once the bot confirmed them; the fake keeps them
        clock.advance(seconds=20)
        await bot.start()
        assert (await bot.scheduler.tick()).posted == 1
        fourth = (await telegram.wait_for("sendMessage", 5, chat_id=GROUP))[-1]
        assert "Question 3/5" in fourth["text"] and "Question 4/5" in fourth["text"]
        for message_count in (6, 7):
            latest = (await telegram.wait_for("sendMessage", message_count - 1, chat_id=GROUP))[-1]
            await everyone_answers(await shown(bot.store, keyboard_post(latest)))
            clock.advance(seconds=6)
            await bot.scheduler.tick()
        final = (await telegram.wait_for("sendMessage", 7, chat_id=GROUP))[-1]
        assert "<b>Round over</b>: standings after 5 questions" in final["text"]
        assert "🥇 Alice: " in final["text"] and "5/5 right" in final["text"]
        assert "🥉 Cat: 0 points · 0/5 right" in final["text"]
        again = final["reply_markup"]["inline_keyboard"][0][0]
        assert again["text"] == "🔁 Play again" and again["callback_data"].startswith("rp:")
        telegram.push(click(GROUP, PLAYERS[2], again["callback_data"], final["_message_id"]))
        restarted = (await telegram.wait_for("sendMessage", 8, chat_id=GROUP))[-1]
        assert "Live round</b>: 5 questions" in restarted["text"]
    finally:
        await bot.stop()


class DiscordBot:
    def __init__(self, fake: FakeDiscord, bank, db_path, clock: FakeClock) -> None:
        self.fake, self.bank, self.db_path, self.clock = fake, bank, db_path, clock

    async def start(self) -> None:
        self.store = await SqliteStore.open(self.db_path)
        self.service = StudyService(self.bank, self.store, clock=self.clock, rng=random.Random(9))
        config = DiscordConfig(guild_id=GUILD_ID, api_base=self.fake.api_base, gateway=self.fake.gateway)
        self.adapter = DiscordAdapter(self.service, "fake-token", config)
        self.scheduler = RoundScheduler(self.service.rounds, self.clock, {"discord": self.adapter})
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(self.adapter.run(self.stop_event))
        await self.fake.wait_identified()
        await asyncio.sleep(0.1)

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.wait_for(self.task, 15)
        await self.store.close()


@pytest.fixture
async def discord_server():
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.stop()


async def test_a_round_of_five_with_three_players_on_discord(discord_server, bank, tmp_path):
    fake = discord_server
    clock = FakeClock(datetime.now(UTC))
    bot = DiscordBot(fake, bank, tmp_path / "bot.sqlite3", clock)
    await bot.start()
    people = [person(401, "Alice"), person(402, "Bob"), person(403, "Cat")]
    try:
        synced = fake.requests("PUT", rf"/applications/\d+/guilds/{GUILD_ID}/commands")[-1].body
        assert {"round", "round-stop", "round-time"} <= {c["name"] for c in synced}
        start = slash("round", people[0])
        start["data"]["options"] = [{"name": "questions", "type": 4, "value": 5}]
        await fake.interact(start)
        [opening] = await wait_until(lambda: fake.replies_to(start), bool, "the first question")
        assert opening["embeds"][0]["description"].startswith("🎯 **Live round**: 5 questions")
        custom_id = opening["components"][0]["components"][0]["custom_id"]
        post = await shown(bot.store, int(custom_id.split(":")[2]))
        message = fake.messages[post.message_id]

        async def everyone_answers(post, message, right=(True, True, False)) -> None:
            for player, good in zip(people, right, strict=False):
                option = post.correct if good else (post.correct + 1) % 4
                press = button(f"sb:ra:{post.id}:{option}", player, message)
                await fake.interact(press)
                [reply] = await wait_until(lambda press=press: fake.replies_to(press), bool, "the answer")
                assert reply["content"].startswith("🔒 Got it") and reply["flags"] & EPHEMERAL

        channel = rf"/channels/{CHANNEL_ID}/messages$"
        for number in range(1, 6):
            if number == 2:  # Cat skips question 2: it runs its 30 s, its countdown edited in place
                await everyone_answers(post, message, right=(True, True))
                refused = slash("round-stop", people[1])
                await fake.interact(refused)
                [no] = await wait_until(lambda refused=refused: fake.replies_to(refused), bool, "the refusal")
                assert no["content"] == "Only the member who started the round or an admin can stop it."
                clock.advance(seconds=10)
                assert (await bot.scheduler.tick()).edited == 1
                [edit] = fake.requests("PATCH", rf"/channels/{CHANNEL_ID}/messages/{post.message_id}")
                assert edit.body["embeds"][0]["description"].endswith("⏳ about 20 s left")
                clock.advance(seconds=20)
            else:
                await everyone_answers(post, message)
                clock.advance(seconds=5)
            assert (await bot.scheduler.tick()).posted == 1
            sent = (await fake.wait_for("POST", channel, number))[-1].body
            if number < 5:
                assert f"Question {number + 1}/5" in sent["embeds"][0]["description"]
                custom_id = sent["components"][0]["components"][0]["custom_id"]
                post = await shown(bot.store, int(custom_id.split(":")[2]))
                message = fake.messages[post.message_id]
            if number == 3:  # a restart between questions: the round goes on
                await bot.stop()
                await bot.start()
        assert "🏁 **Round over**: standings after 5 questions" in sent["content"]
        assert "🥇 Alice: " in sent["content"] and "🥉 Cat: 0 points · 0/5 right" in sent["content"]
        assert sent["components"][0]["components"][0]["custom_id"].startswith("sb:rp:")
    finally:
        await bot.stop()
