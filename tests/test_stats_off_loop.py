"""/stats draws its chart off the event loop: other chats are answered while a chart renders."""

from __future__ import annotations

import asyncio
import threading

from bot.core import progress
from bot.core.messages import ChatKind
from tests.conftest import Chat


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
