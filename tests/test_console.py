"""The console adapter: a whole conversation through its real input/output loop, and `study-bot run` piped."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys

from bot.adapters.console import ConsoleAdapter
from bot.core.messages import ChatKind
from tests.conftest import ROOT


async def converse(service, lines: list[str], locale: str = "en_US.UTF-8") -> str:
    reader = asyncio.StreamReader()
    reader.feed_data("".join(line + "\n" for line in lines).encode())
    reader.feed_eof()
    out = io.StringIO()
    await ConsoleAdapter(
        service, reader=reader, output=out, user_name="Ann", locale=locale, color=False
    ).run()
    return out.getvalue()


async def test_a_quiz_answered_by_letter_then_score(service, store):
    output = await converse(service, ["/quiz", "b", "/score"])
    assert "[A]  [B]  [C]  [D]" in output
    assert ("✅ Right, Ann!" in output) != ("❌ Not quite, Ann." in output)
    assert "📊 Ann here:" in output and "/1 right" in output
    assert output.rstrip().endswith("Bye!")
    post = await store.latest_open_post((await store.ensure_chat("console", "terminal", ChatKind.GROUP)).id)
    assert post.message_id is not None  # the adapter reported where the question was shown


async def test_playing_as_several_people_fills_the_leaderboard(service):
    output = await converse(
        service, ["/quiz", "a", "/as Bob", "b", "/as Cat", "c", "/leaderboard", "/quit", "/score"]
    )
    assert "You are now Bob." in output and "You are now Cat." in output
    board = output.split("🏆 Leaderboard", 1)[1]
    assert all(name in board for name in ("Ann", "Bob", "Cat"))
    assert "Cat: " in board and "⬅" in board
    assert output.count("📊") == 0  # nothing runs after /quit


async def test_unknown_input_gets_a_hint_and_chinese_locale_speaks_chinese(service):
    output = await converse(service, ["hello there", "/score"], locale="zh_CN.UTF-8")
    assert "请输入命令，例如 /quiz 或 /help" in output  # the console's own lines follow the language too
    assert "你在本群还没有作答记录" in output


def test_study_bot_run_piped_is_a_complete_conversation(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {tmp_path / 'data' / 'bot.sqlite3'}\ncontent: {ROOT / 'content'}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_TOKEN", "DISCORD_TOKEN")}
    env["LANG"] = "en_US.UTF-8"
    run = [sys.executable, "-m", "bot", "run", "--config", str(config)]
    first = subprocess.run(
        run, input="/quiz\nA\n/score\n", capture_output=True, text=True, timeout=60, env=env
    )
    assert first.returncode == 0, first.stderr
    assert "❓ Question" in first.stdout and "[A]" in first.stdout and "📊" in first.stdout
    assert (tmp_path / "data" / "bot.sqlite3").exists()
    # a second process on the same database keeps the score
    second = subprocess.run(run, input="/score\n", capture_output=True, text=True, timeout=60, env=env)
    assert second.returncode == 0
    assert "/1 right" in second.stdout


def test_killing_the_process_mid_quiz_keeps_every_answer(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {tmp_path / 'bot.sqlite3'}\ncontent: {ROOT / 'content'}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_TOKEN", "DISCORD_TOKEN")}
    env.update(LANG="en_US.UTF-8", USER="Ann")
    run = [sys.executable, "-m", "bot", "run", "--config", str(config)]
    process = subprocess.Popen(run, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("/quiz\nA\n/as Bob\nB\n/quiz\n")
    process.stdin.flush()
    seen = ""
    while seen.count("❓ Question") < 2:  # both answers were acknowledged before the second question
        line = process.stdout.readline()
        assert line, seen
        seen += line
    process.kill()  # no clean shutdown: SIGKILL mid-quiz
    process.wait(timeout=10)
    after = subprocess.run(run, input="/leaderboard\n", capture_output=True, text=True, timeout=60, env=env)
    board = after.stdout.split("🏆 Leaderboard", 1)[1]
    assert board.count("/1)") == 2  # two members, one answer each, both kept
    assert "Ann:" in board and "Bob:" in board
