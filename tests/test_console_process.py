"""`study-bot run` with no terminal and no tokens (docker, systemd): a closed, empty or unreadable standard
input is end of input, and SIGTERM stops a console run at once. Real subprocesses."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.fake_telegram import FakeTelegram, command, user


def config_for(tmp_path: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {tmp_path / 'bot.sqlite3'}\ncontent: {ROOT / 'content'}\n")
    return config


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_TOKEN", "DISCORD_TOKEN")}
    env.update(LANG="en_US.UTF-8", USER="Ann")
    return env


def run_in_shell(tmp_path: Path, redirect: str) -> subprocess.CompletedProcess:
    """`study-bot run` with its standard input set up by a shell redirection (`< /dev/null`, `<&-`)."""
    command = f"exec {sys.executable} -m bot run --config {config_for(tmp_path)} {redirect}"
    return subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, timeout=60, env=environment(), cwd=ROOT
    )


def assert_ended_cleanly(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "Exception in callback" not in result.stderr, result.stderr
    assert result.stdout.strip() == "No input: standard input is closed or empty, so the console chat ends."


def test_run_with_stdin_from_dev_null_says_so_and_exits_0(tmp_path):
    assert_ended_cleanly(run_in_shell(tmp_path, "< /dev/null"))


def test_run_with_stdin_closed_says_so_and_exits_0(tmp_path):
    assert_ended_cleanly(run_in_shell(tmp_path, "<&-"))


def test_run_with_an_unreadable_stdin_says_so_and_exits_0(tmp_path):
    assert_ended_cleanly(run_in_shell(tmp_path, "0> /dev/null"))  # open for writing only


def test_sigterm_stops_a_console_run_within_a_second(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config_for(tmp_path))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(),
        cwd=ROOT,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write("/score\n")
        process.stdin.flush()
        seen = ""
        while "📊" not in seen:  # the bot is up and has answered; the input stays open
            line = process.stdout.readline()
            assert line, seen
            seen += line
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 0, process.stderr.read() if process.stderr else ""
    assert took < 1.0, f"took {took:.2f} s to stop after SIGTERM"
    assert "Bye!" in process.stdout.read()


async def test_beside_telegram_an_empty_stdin_leaves_the_console_off_and_telegram_serving(tmp_path):
    telegram = FakeTelegram()
    await telegram.start()
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {tmp_path / 'bot.sqlite3'}\ncontent: {ROOT / 'content'}\n"
        f"adapters:\n  console:\n    enabled: 'true'\n"
        f"  telegram:\n    base_url: {telegram.base_url}\n    poll_timeout: 1\n"
    )
    env = {**environment(), "TELEGRAM_TOKEN": telegram.token}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), env=env, cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await telegram.wait_for("getUpdates", timeout=30)
        await asyncio.sleep(0.5)  # the console has met the end of its input by now
        assert process.returncode is None  # the run goes on for Telegram
        telegram.push(command(11, user(11, "Alice"), "/start"))
        assert (await telegram.wait_for("sendMessage", chat_id=11))[0]["text"].startswith("👋 Hi Alice!")
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
        took = time.monotonic() - sent
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await telegram.stop()
    assert process.returncode == 0, stderr.decode()[-3000:]
    assert "Traceback" not in stderr.decode() and "Exception in callback" not in stderr.decode()
    assert stdout.decode().strip().startswith("No input")  # and no console banner: it did not start
    assert took < 5, took
