"""/stats draws its chart off the event loop: in the bot, in a child process started at start-up (else in a
worker thread); other chats are answered while a chart renders."""

from __future__ import annotations

import asyncio
import io
import multiprocessing.context
import os
import signal
import threading
from pathlib import Path

from bot.adapters.console import ConsoleAdapter
from bot.bootstrap import build_app
from bot.config import Config
from bot.core import progress
from bot.core.chart_worker import ChartWorker
from bot.core.messages import ChatKind
from bot.core.progress import CHART_SIZE, warm_up
from bot.core.service import StudyService
from tests.conftest import ROOT, Chat, wait_until


async def test_a_quiz_elsewhere_is_answered_while_a_stats_chart_is_drawing(service, monkeypatch):
    drawing, release, drawn = threading.Event(), threading.Event(), threading.Event()
    real_chart = progress.chart

    def slow_chart(
        *args, **kwargs
    ):  # a chart that takes as long as the test needs (a cold matplotlib import, a busy CPU)
        drawing.set()
        release.wait(20)  # released by the test once the quiz is answered
        image = real_chart(*args)
        drawn.set()
        return image

    monkeypatch.setattr(progress, "chart", slow_chart)
    stats = asyncio.create_task(Chat(service, "dm-ann", ChatKind.PRIVATE).say("Ann", "/stats"))
    await asyncio.to_thread(drawing.wait, 5)
    reply, _ = await Chat(service, "group-2").quiz("Bob")  # another chat, while the chart is being drawn
    answered_while_drawing = not drawn.is_set()
    release.set()
    [stats_reply] = await stats
    assert answered_while_drawing
    assert reply.text.startswith("❓") and stats_reply.image.startswith(b"\x89PNG")


class NoSubprocesses(multiprocessing.context.SpawnContext):
    """A platform where processes cannot be started (a sandbox without fork/exec or semaphores)."""

    def Process(self, *args, **kwargs):
        raise OSError("operation not permitted")


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


async def test_the_bot_draws_stats_charts_in_a_child_process_and_stops_it_on_close(tmp_path):
    app = await build_app(Config(database=tmp_path / "bot.sqlite3", content=ROOT / "content"))
    charts = app.service.progress.charts
    try:
        assert charts.in_process and charts.warming is not None  # started (and warming up) before ready
        child = await charts.run(os.getpid)
        assert child != os.getpid()
        out = io.StringIO()
        console = ConsoleAdapter(app.service, reader=lines("/quiz", "a", "/stats", "/score"), output=out,
                                 user_name="Ann", locale="en_US.UTF-8", color=False)  # fmt: skip
        console.image_dir = tmp_path
        await console.run()
        assert "[A]  [B]  [C]  [D]" in out.getvalue() and "📊 Ann here:" in out.getvalue()
        [saved] = tmp_path.glob("study-bot-ann-*.png")
        assert png_size(saved.read_bytes()) == CHART_SIZE
        assert await asyncio.wrap_future(charts.warming) > 0  # the warm-up chart was drawn there too
    finally:
        await app.close()
    assert not charts.in_process
    await wait_until(
        lambda: alive(child), lambda up: not up, "the chart process to end"
    )  # it ends with the bot


async def test_without_a_child_process_stats_charts_are_drawn_in_a_thread(bank, store, clock, caplog):
    charts = ChartWorker()
    assert not await charts.start_process(warm_up, context=NoSubprocesses())
    assert "no child process (operation not permitted)" in caplog.text
    service = StudyService(bank, store, clock=clock, charts=charts)
    [reply] = await Chat(service, "dm-ann", ChatKind.PRIVATE).say("Ann", "/stats")
    assert png_size(reply.image) == CHART_SIZE
    assert await charts.run(os.getpid) == os.getpid()


async def test_when_the_chart_process_dies_the_next_chart_is_drawn_in_a_thread(bank, store, clock, caplog):
    charts = ChartWorker()
    assert await charts.start_process()
    service = StudyService(bank, store, clock=clock, charts=charts)
    try:
        child = await charts.run(os.getpid)
        os.kill(child, signal.SIGKILL)
        await wait_until(lambda: alive(child), lambda up: not up, "the chart process to die")
        [reply] = await Chat(service, "dm-ann", ChatKind.PRIVATE).say("Ann", "/stats")
        assert png_size(reply.image) == CHART_SIZE
        assert not charts.in_process and "the child process stopped" in caplog.text
    finally:
        charts.close()


def lines(*typed: str) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data("".join(line + "\n" for line in typed).encode())
    reader.feed_eof()
    return reader


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, exited but not yet reaped by its parent, does not)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.is_dir() and Path("/proc/self").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (FileNotFoundError, ProcessLookupError):
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
