"""Uploading, removing and exporting decks through the real discord.py client and a fake Discord."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.adapters.discord import DiscordAdapter
from bot.config import DiscordConfig
from bot.core.content.formats import parse_bytes
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import wait_until
from tests.fake_discord import GUILD_ID, MANAGE_GUILD, FakeDiscord, button, person, slash, slash_with_file

ADA = person(401, "Ada")
ANN = person(402, "Ann")
EPHEMERAL = 64
GEOLOGY = "#separator:Comma\n#deck:Geology basics\n" + "".join(
    f"What is rock type {n}?,Rock type {n} forms from layer {n} of sediment {'abcdefgh'[n]}.\n"
    for n in range(8)
)


@pytest.fixture
async def fake():
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def service(fake, seed_report, tmp_path):
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    service = StudyService(QuestionBank(seed_report), store, rng=random.Random(5))
    config = DiscordConfig(guild_id=GUILD_ID, api_base=fake.api_base, gateway=fake.gateway)
    stop = asyncio.Event()
    task = asyncio.create_task(DiscordAdapter(service, "fake-token", config).run(stop))
    await fake.wait_identified()
    await asyncio.sleep(0.1)
    yield service
    stop.set()
    await asyncio.wait_for(task, 15)
    await store.close()


async def ask(fake: FakeDiscord, payload: dict, count: int = 1) -> list[dict]:
    await fake.interact(payload)
    return await wait_until(lambda: fake.replies_to(payload), lambda found: len(found) >= count, "replies")


async def test_a_server_manager_uploads_an_attachment_and_members_cannot(fake, service):
    synced = fake.requests("PUT", rf"/applications/\d+/guilds/{GUILD_ID}/commands")[-1].body
    commands = {c["name"]: c for c in synced}
    assert int(commands["deck-upload"]["default_member_permissions"]) == MANAGE_GUILD
    assert [(o["name"], o["type"]) for o in commands["deck-upload"]["options"]] == [("file", 11), ("name", 3)]

    member = fake.attachment("geology.csv", GEOLOGY.encode())
    refused = await ask(fake, slash_with_file("deck-upload", ANN, member))
    assert refused[0]["content"] == "Only the group's admins can change its settings."
    assert fake.downloads == []

    upload = fake.attachment("geology.csv", GEOLOGY.encode())
    done = await ask(
        fake, slash_with_file("deck-upload", ADA, upload, {"name": "rocks"}, permissions=MANAGE_GUILD)
    )
    assert done[0]["content"].startswith("✅ Deck **Geology basics** (`rocks`) added for this chat: 8 cards")
    assert fake.downloads == [upload["id"]]
    decks = await ask(fake, slash("decks", ANN))
    assert "📎 Geology basics · 8 cards (uploaded here)" in decks[0]["content"]


async def test_export_sends_a_file_and_remove_asks_for_confirmation(fake, service):
    upload = fake.attachment("geology.csv", GEOLOGY.encode())
    await ask(fake, slash_with_file("deck-upload", ADA, upload, permissions=MANAGE_GUILD))

    exported = await ask(fake, slash("export", ANN, {"deck": "geology", "format": "csv"}))
    [sent] = exported[0]["_files"]
    assert sent["filename"] == "geology.tsv"
    back = parse_bytes(sent["data"], suffix=".tsv", name="geology", source="geology.tsv")
    assert [card.question for card in back.cards][:2] == ["What is rock type 0?", "What is rock type 1?"]

    ask_remove = await ask(fake, slash("deck-remove", ADA, {"deck": "6"}, permissions=MANAGE_GUILD))
    assert ask_remove[0]["content"].startswith("Remove the deck **Geology basics** (8 cards)")
    confirm = ask_remove[0]["components"][0]["components"][0]
    message = next(
        m for m in reversed(list(fake.messages.values())) if m["content"].startswith("Remove the deck")
    )
    removed = await ask(fake, button(confirm["custom_id"], ADA, message, permissions=MANAGE_GUILD))
    assert removed[0]["content"] == "🗑 Deck **Geology basics** removed."
    decks = await ask(fake, slash("decks", ANN))
    assert "Geology" not in decks[0]["content"]
