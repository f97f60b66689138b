"""The optional model grader against a local fake OpenAI-compatible endpoint, and its fallback."""

from __future__ import annotations

import asyncio
import json
import random

import pytest
from aiohttp import web

from bot.adapters.model_grader import ModelGrader
from bot.core.messages import ChatKind
from bot.core.service import StudyService
from bot.core.study import StudySettings
from tests.conftest import Chat, serve_on_loopback


class FakeModel:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.headers: list[str] = []
        self.mode = "good"

    async def completions(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(request.headers.get("Authorization", ""))
        if self.mode == "hang":
            await asyncio.sleep(2)
        if self.mode == "garbage":
            content = "I think the answer is quite good!"
        elif self.mode == "error":
            return web.json_response({"error": {"message": "overloaded"}}, status=503)
        else:
            content = json.dumps({"score": 72, "covered": [1]})
        return web.json_response({"choices": [{"message": {"role": "assistant", "content": content}}]})


@pytest.fixture
async def model():
    fake = FakeModel()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake.completions)
    runner, port = await serve_on_loopback(app)
    fake.base_url = f"http://127.0.0.1:{port}/v1"
    yield fake
    await runner.cleanup()


@pytest.fixture
async def me(bank, store, clock, model):
    grader = ModelGrader(model.base_url, "tiny-grader", "secret-key", timeout=5)
    service = StudyService(bank, store, clock=clock, rng=random.Random(1), model_grader=grader,
                           study=StudySettings(model_timeout_seconds=0.5))  # fmt: skip
    assert service.study.key_points  # built now (jieba's dictionary), so the timings below measure the model
    yield Chat(service, chat_id="dm", kind=ChatKind.PRIVATE)
    await grader.close()


async def test_the_model_grades_with_a_rubric_built_from_the_key_points(me, model):
    await me.say("Ann", "/study")
    graded = (await me.say("Ann", "/answer my own words about it"))[0]
    assert graded.text.startswith("📝 Score: **72/100** (graded by the model)")
    assert "Proposed rating: **Good**" in graded.text
    request = model.requests[0]
    assert request["model"] == "tiny-grader" and model.headers[0] == "Bearer secret-key"
    assert "Key points:\n1. " in request["messages"][1]["content"]
    assert "my own words about it" in request["messages"][1]["content"]


@pytest.mark.parametrize("mode", ["garbage", "error", "hang"])
async def test_a_failing_model_falls_back_to_key_points_and_says_so(me, model, mode):
    model.mode = mode
    await me.say("Ann", "/study")
    started = asyncio.get_running_loop().time()
    graded = (await me.say("Ann", "/answer my own words about it"))[0]
    assert asyncio.get_running_loop().time() - started < 2  # a hanging model never blocks the bot for long
    assert "(graded by key points)" in graded.text
    assert "The model grader did not answer, so the key points graded this one." in graded.text
