"""Discord shards split across processes: each runs its slice, Discord routes each server to one shard."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys

import pytest

from bot.adapters.discord import DiscordAdapter
from bot.config import ConfigError, DiscordConfig, parse_config
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import CONTENT, wait_until
from tests.fake_discord import FakeDiscord, guild_on_shard, person, shard_of, slash

SHARDS = 4
GUILDS = [guild_on_shard(shard, SHARDS) for shard in range(SHARDS)]
ALICE = person(301, "Alice")


class Process:
    """One bot process: its own store connection and a DiscordAdapter over a slice of the shards."""

    def __init__(self, fake: FakeDiscord, bank, db_path, shard_ids: list[int], **options) -> None:
        self.fake, self.bank, self.db_path = fake, bank, db_path
        self.config = DiscordConfig(
            guild_id=GUILDS[0], api_base=fake.api_base, gateway=fake.gateway, shard_count=SHARDS,
            shard_ids=tuple(shard_ids), identify_spacing_seconds=0.05, **options,
        )  # fmt: skip

    async def start(self) -> None:
        self.store = await SqliteStore.open(self.db_path)
        self.adapter = DiscordAdapter(
            StudyService(self.bank, self.store, rng=random.Random(3)), "tok", self.config
        )
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(self.adapter.run(self.stop_event))

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.wait_for(self.task, 15)
        await self.store.close()


@pytest.fixture
async def discord_server():
    fake = FakeDiscord(guild_ids=list(GUILDS))
    await fake.start()
    yield fake
    await fake.stop()


async def run_processes(fake, bank, db_path, *slices, **options) -> list[Process]:
    processes = [Process(fake, bank, db_path, list(shard_ids), **options) for shard_ids in slices]
    for process in processes:
        await process.start()
    await fake.wait_shards({shard for shard_ids in slices for shard in shard_ids})
    return processes


async def test_two_processes_split_four_shards_and_each_server_is_served_by_its_shard(
    discord_server, bank, tmp_path
):
    first, second = await run_processes(discord_server, bank, tmp_path / "bot.sqlite3", [0, 1], [2, 3])
    try:
        # every shard identified once, saying which of how many it is
        assert sorted(tuple(identify["shard"]) for identify in discord_server.identifies) == [
            (shard, SHARDS) for shard in range(SHARDS)
        ]
        assert set(first.adapter.client.shards) == {0, 1}
        assert set(second.adapter.client.shards) == {2, 3}
        await wait_until(
            lambda: {g.id for g in second.adapter.client.guilds}, lambda ids: ids == set(GUILDS[2:]), "guilds"
        )
        assert {g.id for g in first.adapter.client.guilds} == set(GUILDS[:2])
        await wait_until(lambda: first.adapter.connected and second.adapter.connected, bool, "both ready")

        # a member in each server asks for help: the shard Discord routes that server to answers
        for guild_id in GUILDS:
            payload = slash("help", ALICE, guild_id=guild_id)
            await discord_server.interact(payload)
            replies = await wait_until(
                lambda payload=payload: discord_server.replies_to(payload), bool, f"help in {guild_id}"
            )
            assert "/quiz" in replies[0]["content"]
        routed = [shard for shard, event in discord_server.deliveries if event == "INTERACTION_CREATE"]
        assert routed == [shard_of(guild_id, SHARDS) for guild_id in GUILDS] == [0, 1, 2, 3]

        # only the process holding shard 0 synced the slash commands
        await asyncio.sleep(0.2)
        assert len(discord_server.requests("PUT", r"/commands$")) == 1
    finally:
        for process in (first, second):
            await process.stop()


async def test_sync_commands_can_be_given_to_another_process(discord_server, bank, tmp_path):
    [process] = await run_processes(discord_server, bank, tmp_path / "bot.sqlite3", [3], sync_commands="true")
    try:
        await discord_server.wait_for("PUT", r"/commands$")
        payload = slash("help", ALICE, guild_id=GUILDS[3])
        await discord_server.interact(payload)
        await wait_until(lambda: discord_server.replies_to(payload), bool, "help")
    finally:
        await process.stop()
    [other] = await run_processes(discord_server, bank, tmp_path / "bot.sqlite3", [0], sync_commands="false")
    try:
        await asyncio.sleep(0.3)
        assert len(discord_server.requests("PUT", r"/commands$")) == 1  # still only the first one's
    finally:
        await other.stop()


@pytest.mark.parametrize(
    ("discord", "message"),
    [
        ({"shard_ids": [0, 1]}, "shard_ids: needs shard_count"),
        ({"shard_count": 4, "shard_ids": [2, 4]}, r"shard_ids: \[4\] outside 0..3"),
        ({"shard_count": 4, "shard_ids": [1, 1]}, "shard_ids: a shard is listed twice"),
        ({"shard_count": 4, "shard_ids": "0,1"}, "shard_ids: must be a list of whole numbers"),
        ({"sync_commands": "yes"}, "sync_commands: must be auto, true or false"),
    ],
)
def test_shard_mistakes_name_the_key(discord, message):
    with pytest.raises(ConfigError, match=f"adapters.discord.{message}"):
        parse_config({"adapters": {"discord": discord}})


def test_only_the_process_with_shard_zero_syncs_by_default():
    assert DiscordConfig().syncs_commands
    assert DiscordConfig(shard_count=4, shard_ids=(0, 1)).syncs_commands
    assert not DiscordConfig(shard_count=4, shard_ids=(2, 3)).syncs_commands
    assert DiscordConfig(shard_count=4).syncs_commands  # every shard in this one process


async def test_two_study_bot_run_processes_on_one_database_share_the_shards(discord_server, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_TOKEN"}
    env["DISCORD_TOKEN"] = "fake-token"
    processes = []
    for name, shard_ids in (("first", "[0, 1]"), ("second", "[2, 3]")):
        config = tmp_path / f"{name}.yaml"
        config.write_text(
            f"database: {tmp_path / 'bot.sqlite3'}\ncontent: {CONTENT}\nadapters:\n  discord:\n"
            f"    guild_id: {GUILDS[0]}\n    api_base: {discord_server.api_base}\n"
            f"    gateway: {discord_server.gateway}\n    shard_count: {SHARDS}\n    shard_ids: {shard_ids}\n"
            "    identify_spacing_seconds: 0.05\n"
        )
        processes.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                "--config",
                str(config),
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
        )
    try:
        await discord_server.wait_shards(set(range(SHARDS)), timeout=60)
        for guild_id in (GUILDS[1], GUILDS[3]):  # one server served by each process
            payload = slash("quiz", ALICE, guild_id=guild_id)
            await discord_server.interact(payload)
            replies = await wait_until(
                lambda payload=payload: discord_server.replies_to(payload), bool, "quiz"
            )
            assert replies[0]["embeds"][0]["description"].startswith("❓")
        assert len(discord_server.requests("PUT", r"/commands$")) == 1
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        errors = [(await asyncio.wait_for(p.communicate(), 30))[1].decode() for p in processes]
    assert [p.returncode for p in processes] == [0, 0], errors
