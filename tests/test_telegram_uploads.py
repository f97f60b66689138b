"""Uploading and exporting decks through the real python-telegram-bot Application and a fake Bot API server."""

from __future__ import annotations

import random

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram.adapter import file_url
from bot.config import TelegramConfig
from bot.core.content.formats import parse_bytes
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.fake_telegram import command, document, reply_command, serving, user

GROUP = -1005555
ADA = user(31, "Ada")
ANN = user(32, "Ann")
GEOLOGY = "#separator:Comma\n#deck:Geology basics\n" + "".join(
    f"What is rock type {n}?,Rock type {n} forms from layer {n} of sediment {'abcdefgh'[n]}.\n"
    for n in range(8)
)


@pytest.fixture
def telegram(telegram):
    telegram.admins.add(ADA["id"])
    return telegram


@pytest.fixture
async def bot(telegram, seed_report, tmp_path):
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    service = StudyService(QuestionBank(seed_report), store, rng=random.Random(4))
    adapter = TelegramAdapter(
        service,
        telegram.token,
        TelegramConfig(base_url=telegram.base_url, poll_timeout=1),
        backoff_seconds=0.05,
    )
    async with serving(adapter, telegram):
        yield adapter
    await store.close()


def test_the_file_url_is_derived_from_the_api_url_unless_set():
    assert file_url(TelegramConfig()) == "https://api.telegram.org/file/bot"
    assert file_url(TelegramConfig(base_url="http://127.0.0.1:8081/bot")) == "http://127.0.0.1:8081/file/bot"
    assert file_url(TelegramConfig(base_file_url="https://files.example.org/file/bot")) == (
        "https://files.example.org/file/bot"
    )


async def test_an_admin_sends_a_file_with_the_upload_caption_and_the_group_gets_its_deck(telegram, bot):
    telegram.files["geo-1"] = GEOLOGY.encode()
    telegram.push(document(GROUP, ADA, "geo-1", "geology.csv", len(GEOLOGY), caption="/upload"))
    reply = (await telegram.wait_for("sendMessage", chat_id=GROUP))[-1]
    assert (
        "✅ Deck <b>Geology basics</b> (<code>geology</code>) added for this chat: 8 cards" in reply["text"]
    )
    assert [call["file_id"] for call in telegram.sent("getFile")] == ["geo-1"]
    assert telegram.downloads == ["geo-1"]

    telegram.push(command(GROUP, ANN, "/decks"))
    decks = (await telegram.wait_for("sendMessage", 2, chat_id=GROUP))[-1]
    assert "📎 Geology basics · 8 cards (uploaded here)" in decks["text"]
    telegram.push(command(-1007777, ANN, "/decks"))
    other = (await telegram.wait_for("sendMessage", chat_id=-1007777))[-1]
    assert "Geology" not in other["text"]


async def test_a_member_who_is_not_an_admin_is_refused_before_anything_is_downloaded(telegram, bot):
    telegram.files["geo-2"] = GEOLOGY.encode()
    telegram.push(document(GROUP, ANN, "geo-2", "geology.csv", len(GEOLOGY), caption="/upload rocks"))
    reply = (await telegram.wait_for("sendMessage", chat_id=GROUP))[-1]
    assert reply["text"] == "Only the group's admins can change its settings."
    assert telegram.sent("getFile") == [] and telegram.downloads == []


async def test_upload_as_a_reply_to_a_file_and_export_back_as_an_anki_package(telegram, bot):
    telegram.files["geo-3"] = GEOLOGY.encode()
    file_message = document(ANN["id"], ANN, "geo-3", "geology.csv", len(GEOLOGY), message_id=10)
    telegram.push(file_message)  # a file alone is not a command: nothing happens
    telegram.push(reply_command(ANN["id"], ANN, "/upload rocks", file_message, message_id=11))
    reply = (await telegram.wait_for("sendMessage", chat_id=ANN["id"]))[-1]
    assert "(<code>rocks</code>) added for this chat" in reply["text"]
    assert len(telegram.sent("sendMessage", chat_id=ANN["id"])) == 1

    telegram.push(command(ANN["id"], ANN, "/export rocks", message_id=12))
    sent = (await telegram.wait_for("sendDocument", chat_id=ANN["id"]))[-1]
    assert sent["document"]["filename"] == "rocks.apkg"
    back = parse_bytes(sent["document"]["data"], suffix=".apkg", name="rocks", source="rocks.apkg")
    assert len(back.cards) == 8 and back.title == "Geology basics"
    caption = (await telegram.wait_for("sendMessage", 2, chat_id=ANN["id"]))[-1]
    assert caption["text"].startswith("📦 <b>Geology basics</b>: 8 cards for Anki (rocks.apkg)")


async def test_a_file_that_is_too_big_is_refused_without_downloading_it(telegram, bot):
    telegram.files["huge"] = b"x"
    telegram.push(document(ANN["id"], ANN, "huge", "huge.csv", 3 * 1024 * 1024, caption="/upload"))
    reply = (await telegram.wait_for("sendMessage", chat_id=ANN["id"]))[-1]
    assert reply["text"] == "That file is over 2 MB; split it into smaller decks."
    assert telegram.downloads == []


async def test_a_file_the_server_cannot_serve_gets_a_clear_reply_and_changes_nothing(telegram, bot):
    telegram.push(document(ANN["id"], ANN, "gone", "notes.md", 100, caption="/upload"))
    reply = (await telegram.wait_for("sendMessage", chat_id=ANN["id"]))[-1]
    assert reply["text"] == "I couldn't download that file; please send it again."
    assert await bot.service.store.chat_decks() == []
