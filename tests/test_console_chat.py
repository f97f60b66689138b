"""What a new user meets in the console and in /help: every command listed, exact commands, Chinese after
`/lang zh`, dates per language, plain wording, capped echoes, overlong lines, a sensible default name."""

from __future__ import annotations

import asyncio
import io
import re
import string
from datetime import timedelta

import pytest

from bot.adapters import console
from bot.adapters.console import LOCAL_COMMANDS, ConsoleAdapter
from bot.core import i18n
from bot.core.content import load_content
from bot.core.messages import ChatKind
from bot.core.ports import NewAnswer
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from tests.conftest import Chat


async def converse(
    service, lines: list[str | bytes], locale: str = "en_US.UTF-8", user_name: str | None = "Ann"
):
    reader = asyncio.StreamReader()
    for line in lines:
        reader.feed_data(line if isinstance(line, bytes) else (line + "\n").encode())
    reader.feed_eof()
    out = io.StringIO()
    await ConsoleAdapter(
        service, reader=reader, output=out, user_name=user_name, locale=locale, color=False
    ).run()
    return out.getvalue()


def command_lines(help_text: str) -> list[str]:
    return [line for line in help_text.splitlines() if line.startswith("/")]


# --- /help from the registry ---------------------------------------------------------------------------


def test_every_command_has_a_one_line_description_in_both_languages(service):
    """A command added to the registry without `command_<name>` in i18n fails here (and in /help)."""
    for name in [*service.commands, *LOCAL_COMMANDS]:
        key = f"command_{name}"
        assert key in i18n.all_keys(), f"/{name} has no description: add {key!r} to bot/core/i18n.py"
        for language in i18n.LANGUAGES:
            description = i18n.translations(key)[language]
            assert description.strip() and "\n" not in description, (name, language)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
async def test_help_lists_exactly_the_registered_commands(service, language):
    chat = Chat(service, kind=ChatKind.PRIVATE, chat_id="dm", locale=language)
    help_text = (await chat.say("Ann", "/help"))[0].text
    listed = [re.match(r"/([\w-]+)", line).group(1) for line in command_lines(help_text)]
    assert listed == service.commands  # every command, in the registry's order, nothing else
    for name in service.commands:
        assert i18n.text(f"command_{name}", language) in help_text
    for must in ("study", "answer", "stats", "remind"):
        assert f"/{must}" in help_text
    start = (await chat.say("Ann", "/start"))[0].text
    assert command_lines(start) == command_lines(help_text)


async def test_console_help_adds_as_and_quit_in_both_languages(service):
    output = await converse(service, ["/help", "/lang zh", "/help"])
    english, chinese = output.split("本群语言已设为中文。")
    for part, language in ((english, "en"), (chinese, "zh")):
        for name in [*service.commands, *LOCAL_COMMANDS]:
            assert f"\n/{name}" in part, (name, language)
            assert i18n.text(f"command_{name}", language) in part, (name, language)


# --- exact commands ----------------------------------------------------------------------------------


async def test_ask_is_an_unknown_command_not_a_rename(service):
    output = await converse(service, ["/ask x", "/asBob", "/score"])
    assert "I don't know /ask. Try /help." in output
    assert "I don't know /asbob" in output
    assert "You are now" not in output
    assert "📊 Ann, you haven't answered" in output


async def test_as_renames_whatever_the_case(service):
    output = await converse(service, ["/AS Bob", "/score"])
    assert "You are now Bob." in output and "📊 Bob, you haven't answered" in output


# --- Chinese after /lang zh, dates per language -------------------------------------------------------


async def test_after_lang_zh_every_console_line_is_chinese_and_dates_too(service):
    # the clock stands at Monday 2026-11-02 09:00 UTC: the next 09:00 in Berlin is Tuesday
    output = await converse(
        service,
        ["/daily set 09:00 Europe/Berlin", "/daily status", "/lang zh", "hello", "/as", "/as Bob",
         "/daily status"],
    )  # fmt: skip
    english, chinese = output.split("本群语言已设为中文。")
    assert "Next: Tue 2026-11-03 09:00." in english
    assert "请输入命令，例如 /quiz 或 /help" in chinese
    assert "用法：/as 名字" in chinese
    assert "你现在是 Bob。" in chinese
    assert "下一次：2026-11-03（周二）09:00。" in chinese
    assert chinese.rstrip().endswith("再见！")
    for english_word in ("Type a command", "Usage", "You are now", "Bye", "Tue", "Next"):
        assert english_word not in chinese, english_word


async def test_a_chinese_locale_greets_in_chinese(service):
    output = await converse(service, ["hello there", "/score"], locale="zh_CN.UTF-8")
    assert output.startswith("study-bot 终端：你是 Ann。")
    assert "请输入命令" in output and "你在本群还没有作答记录" in output
    assert "Type a command" not in output


# --- wording ---------------------------------------------------------------------------------------------


async def test_console_says_type_not_tap_and_prints_no_backticks(service):
    output = await converse(
        service,
        ["/help", "/quiz", "a", "/decks", "/study", "1", "/answer dropout", "/search", "/card", "/daily",
         "/leaderboard x", "/remind", "/search dropout"],
    )  # fmt: skip
    assert not re.search(r"\btap\b", output, re.IGNORECASE), re.search(r".*\btap\b.*", output, re.I).group(0)
    assert "`" not in output
    assert re.search(r"\btype\b", output, re.IGNORECASE)


async def test_markdown_marks_are_not_printed(service, bank):
    cards = [card for deck in bank.decks for card in deck.cards]
    card = next(c for c in cards if c.question == "What is the aim of using autoencoder to get embedding?")
    assert "*自编码器" in card.answer  # italics in the note
    coded = next(c for c in cards if "```" in c.answer or "`" in c.answer)
    output = await converse(service, [f"/card {card.id}", f"/card {coded.id}"])
    assert "自编码器通过训练" in output and "*" not in output and "`" not in output


async def test_deck_toggles_show_the_decks_names(service, bank):
    output = await converse(service, ["/decks", "2", "/decks"])
    first = bank.decks[0].title
    assert f"[1] ✅ {first[:20]}" in output
    assert f"[2] ▫️ {bank.decks[1].title[:20]}" in output  # after switching deck 2 off
    assert not re.search(r"\[1\]\s+\[2\]", output)


async def test_many_deck_toggles_still_fit_five_rows(write_doc, tmp_path, store, clock):
    for number in range(12):
        write_doc(f"deck-{number:02d}.md", f"## What is item {number}?\n\nIt is the number {number}.\n")
    service = StudyService(QuestionBank(load_content([tmp_path / "content"])), store, clock=clock)
    reply = (await Chat(service, kind=ChatKind.PRIVATE).say("Ann", "/decks"))[0]
    assert len(reply.buttons) <= 5 and sum(len(row) for row in reply.buttons) == 12  # Discord's limit


async def test_one_day_is_singular(service, clock):
    output = await converse(service, ["/study", "1", "2", "/stats"])  # show the answer, rate it Hard
    assert "Last 30 days: 1 review, " in output
    assert "study streak 1 day" in output and "1 days" not in output


async def test_one_point_is_singular(service, store, clock, bank):
    chat = Chat(service)
    await chat.say("Ann", "/score")  # Ann and the chat exist
    user = await store.ensure_user("test", "ann", "Ann")
    room = await store.ensure_chat("test", "group-1", ChatKind.GROUP)
    card = bank.decks[0].cards[0]
    await store.record_answer(  # a study answer graded 20/100 earns round(5 × 0.2) = 1 point
        NewAnswer(user.id, room.id, card.id, None, "study", "my words", True, 1, clock.now(),
                  clock.now() - timedelta(days=1), clock.now().date().isoformat())
    )  # fmt: skip
    assert "here: 1 point · 1/1 right" in (await chat.say("Ann", "/score"))[0].text
    assert "1. Ann: 1 point (1/1)" in (await chat.say("Ann", "/leaderboard"))[0].text
    zh = Chat(service, locale="zh")
    assert "在本群：1 分 ·" in (await zh.say("Ann", "/score"))[0].text


async def test_echoed_input_is_capped(service):
    query = "transformer" * 500
    output = await converse(
        service,
        [f"/search {query}", "/" + "q" * 5000, f"/card {'ab12' * 1000}", f"/daily set 09:00 Mars/{'x' * 3000}",
         f"/as {'Zed' * 1000}"],
    )  # fmt: skip
    for line in output.splitlines():
        assert len(line) < 400, line[:200]
    assert "No card matches “transformer" in output and "…”" in output


# --- overlong lines ----------------------------------------------------------------------------------


async def test_a_line_over_64_kib_is_answered_too_long_and_the_chat_goes_on(service):
    huge = "/answer " + "梯度" * 40_000  # 240 KB of UTF-8 in one line
    output = await converse(service, [huge, "/score", b"x" * 100_000])  # the last line has no newline
    assert output.count("That line is too long (over 64 KiB), so it was ignored.") == 2
    assert "📊 Ann, you haven't answered" in output
    assert output.rstrip().endswith("Bye!")


async def test_a_line_just_under_the_limit_is_still_read(service):
    output = await converse(service, ["/search " + "a" * (console.MAX_LINE_BYTES - 100)])
    assert "too long" not in output and "No card matches" in output


# --- the default player ---------------------------------------------------------------------------------


async def test_the_default_player_is_the_os_user(service, monkeypatch):
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("USER", "zoe")
    output = await converse(service, ["/quiz", "a"], user_name=None)
    assert "you are zoe." in output and ("Right, zoe!" in output or "Not quite, zoe." in output)


async def test_without_an_os_user_the_player_is_called_player(service, monkeypatch):
    def no_user() -> str:
        raise OSError("no user name")

    monkeypatch.setattr(console.getpass, "getuser", no_user)
    output = await converse(service, ["/quiz", "a"], user_name=None)
    assert "you are Player." in output and ("Right, Player!" in output or "Not quite, Player." in output)
    assert "you!" not in output and "you." not in output.split("\n", 1)[1]


def test_i18n_plural_variants_have_the_same_placeholders():
    formatter = string.Formatter()
    for key in i18n.all_keys():
        if key.endswith(".one"):
            base = key.removesuffix(".one")
            assert base in i18n.all_keys(), key
            names = {name for _, name, _, _ in formatter.parse(i18n.translations(key)["en"]) if name}
            base_names = {name for _, name, _, _ in formatter.parse(i18n.translations(base)["en"]) if name}
            assert names == base_names and "count" in names, key
