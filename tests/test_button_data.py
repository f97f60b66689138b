"""Forged or malformed button data gets the ordinary "out of date" reply, never an exception."""

from __future__ import annotations

import asyncio
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.actions import MAX_ID, Action, parse_action
from bot.core.messages import ChatKind
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import Chat, FakeClock

OUT_OF_DATE = "That button is out of date. Try the command again."


def test_the_parser_takes_only_what_the_bot_makes():
    assert parse_action("a:12:3") == Action("a", (12, 3))
    assert parse_action("sn") == Action("sn")
    assert parse_action("dk:0a1b2c3d") == Action("dk", key="0a1b2c3d")
    assert parse_action(f"r:{MAX_ID}") == Action("r", (MAX_ID,))
    for forged in ("a:²:0", "a:1:٣", "r:𝟙", "r:" + "9" * 25, f"r:{MAX_ID + 1}", "a:1", "a:1:2:3", "r:-1",
                   "r:+1", "r: 1", "r:01", "sn:1", "dk:0A1B2C3D", "dk:0a1b2c3", "A:1:2", "", "r:1\n"):  # fmt: skip
        assert parse_action(forged) is None, forged


async def test_forged_numbers_get_the_out_of_date_reply(service):
    chat = Chat(service)
    _reply, post = await chat.quiz("Alice")
    for forged in (f"a:{post.id}:²", f"a:²:{post.id}", "r:" + "9" * 25, "sr:" + "1" * 25 + ":3", "sv:³"):
        [answer] = await chat.click("Alice", forged)
        assert answer.text == OUT_OF_DATE and answer.private
    assert (await service.store.post_results(post.id)) == (0, 0)  # nothing was recorded


_DIGITS = "0123456789²³¹٣०𝟘٠ -+"
_fields = st.one_of(
    st.text(alphabet=_DIGITS, max_size=30),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["1", "2", "3", "0", "4", "7"]),
    st.text(max_size=12),
)
_structured = st.builds(
    lambda kind, fields: ":".join([kind, *fields]),
    st.sampled_from(["a", "r", "sv", "sw", "sr", "sn", "dk", "A", "DK", "Sr", "x", ""]),
    st.lists(_fields, max_size=3),
)
_button_data = st.one_of(st.text(max_size=80), _structured)


def test_any_button_data_gets_a_reply_and_never_an_exception(bank, tmp_path):
    loop = asyncio.new_event_loop()
    store = loop.run_until_complete(SqliteStore.open(tmp_path / "bot.sqlite3"))
    service = StudyService(bank, store, clock=FakeClock(), rng=random.Random(3))
    group, private = Chat(service), Chat(service, "dm-alice", ChatKind.PRIVATE)
    group.admins.add("Alice")

    async def prepare() -> None:  # real posts and prompts, so small ids point at something
        for chat in (group, private):
            await chat.quiz("Alice")
            await chat.say("Alice", "/study")
            await chat.say("Bob", "/study")

    @settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=_button_data, who=st.sampled_from(["Alice", "Bob"]), chat=st.sampled_from([group, private]))
    def check(data: str, who: str, chat: Chat) -> None:
        replies = loop.run_until_complete(chat.click(who, data))
        assert replies and all(reply.text for reply in replies)

    try:
        loop.run_until_complete(prepare())
        check()
    finally:
        loop.run_until_complete(store.close())
        loop.close()
