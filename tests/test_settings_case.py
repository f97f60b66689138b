"""Group settings stay with the admins whatever the case, and a request nobody checked is not an admin's."""

from __future__ import annotations

import asyncio
import io

from bot.adapters.console import ConsoleAdapter
from bot.core.messages import ChatKind, Request
from tests.conftest import BOTH_STORES, Chat

STORE_BACKENDS = BOTH_STORES

REFUSED = "Only the group's admins can change its settings."


async def test_a_request_whose_adapter_did_not_check_is_refused_settings(service):
    request = Request(platform="new", chat_id="g", user_id="u", user_name="U", chat_kind=ChatKind.GROUP,
                      command="lang", args="zh")  # fmt: skip
    [reply] = await service.handle(request)
    assert reply.text == REFUSED
    chat = await service.store.ensure_chat("new", "g", ChatKind.GROUP)
    assert chat.language is None


async def test_capitalised_verbs_are_settings_for_the_check_too(service):
    chat = Chat(service)
    for text in (
        "/daily SET 09:00 UTC",
        "/Daily now",
        "/daily oFF",
        "/LANG zh",
        "/Decks ALL",
        "/decks USE 1",
    ):
        [reply] = await chat.say("Bob", text)
        assert reply.text == REFUSED, text
    [status] = await chat.say("Bob", "/daily STATUS")  # not a setting: answered for everyone
    assert status.text.startswith("📅 No daily question here yet")


async def test_the_console_user_may_change_the_terminal_chat_settings(service):
    reader = asyncio.StreamReader()
    reader.feed_data(b"/daily SET 09:00 UTC\n/lang ZH\n")
    reader.feed_eof()
    out = io.StringIO()
    await ConsoleAdapter(service, reader=reader, output=out, user_name="Ann", locale="en", color=False).run()
    assert "A daily question will be posted here at 09:00 (UTC)" in out.getvalue()
    assert "本群语言已设为中文。" in out.getvalue()
