"""The model grader against a fake OpenAI-compatible endpoint on 127.0.0.1: the prompt it sends, the
replies it accepts (JSON, JSON in a code fence) and refuses (wrong types, out-of-range scores, timeouts,
5xx), the fallback the learner sees, and `study-bot grader check`."""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys

import pytest
from aiohttp import web

from bot.adapters.model_grader import ModelGrader, ModelReplyError
from bot.core.messages import ChatKind
from bot.core.service import StudyService
from bot.core.study import StudySettings
from tests.conftest import ROOT, Chat, serve_on_loopback

GOOD_REPLY = {"score": 72, "covered": [1], "missed": [2], "feedback": "Good start; add how it is trained."}


class FakeModel:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.headers: list[str] = []
        self.reply: object = json.dumps(GOOD_REPLY)
        self.status = 200
        self.delay = 0.0

    async def completions(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(request.headers.get("Authorization", ""))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.json_response({"error": {"message": "overloaded"}}, status=self.status)
        return web.json_response({"choices": [{"message": {"role": "assistant", "content": self.reply}}]})


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
    await service.study.prepare()  # built now, so the timings below measure the model
    yield Chat(service, chat_id="dm", kind=ChatKind.PRIVATE)
    await grader.close()


async def test_the_model_grades_with_the_reference_and_key_points_and_its_feedback_is_shown(me, model):
    shown = (await me.say("Ann", "/study"))[0]
    graded = (await me.say("Ann", "/answer my own words about it"))[0]
    assert graded.text.startswith("📝 Score: **72/100** (graded by the model)")
    assert "💬 The model says: Good start; add how it is trained." in graded.text
    assert "Proposed rating: **Good**" in graded.text
    request = model.requests[0]
    assert request["model"] == "tiny-grader" and model.headers[0] == "Bearer secret-key"
    assert request["response_format"] == {"type": "json_object"}
    system, user = request["messages"][0]["content"], request["messages"][1]["content"]
    assert '"feedback"' in system and "in English" in system
    question = shown.text.split("\n\n")[1].strip("*")
    assert f"Question: {question}" in user and "Reference answer:\n" in user
    assert "Key points:\n1. " in user and "Student's answer:\nmy own words about it" in user


async def test_feedback_is_asked_for_in_the_chats_language(me, model):
    me.locale = "zh"
    await me.say("Ann", "/study")
    model.reply = json.dumps({**GOOD_REPLY, "feedback": "不错，再补充训练方式。"})
    graded = (await me.say("Ann", "/answer 我自己的理解"))[0]
    assert "in Simplified Chinese" in model.requests[0]["messages"][0]["content"]
    assert "💬 模型点评：不错，再补充训练方式。" in graded.text


async def test_json_in_a_code_fence_is_accepted(me, model):
    model.reply = "```json\n" + json.dumps({"score": 90, "covered": [1, 2], "missed": []}) + "\n```"
    await me.say("Ann", "/study")
    graded = (await me.say("Ann", "/answer my own words about it"))[0]
    assert graded.text.startswith("📝 Score: **90/100** (graded by the model)")
    assert "Proposed rating: **Easy**" in graded.text


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("reply", "I think the answer is quite good!"),  # not JSON
        ("reply", json.dumps({"score": "high", "covered": [1]})),  # wrong type
        ("reply", json.dumps({"score": 80, "covered": "1, 2"})),  # wrong type
        ("reply", json.dumps({"score": 80, "covered": [1], "feedback": ["a", "b"]})),  # wrong type
        ("reply", json.dumps({"score": 130, "covered": [1]})),  # out of range
        ("reply", json.dumps({"score": -5, "covered": []})),  # out of range
        ("reply", json.dumps([72, [1]])),  # not an object
        ("status", 503),  # a 5xx
        ("status", 500),
        ("delay", 2.0),  # slower than model_timeout_seconds
    ],
)
async def test_a_failing_model_falls_back_to_key_points_and_says_so(me, model, setting, value):
    setattr(model, setting, value)
    await me.say("Ann", "/study")
    started = asyncio.get_running_loop().time()
    graded = (await me.say("Ann", "/answer my own words about it"))[0]
    assert asyncio.get_running_loop().time() - started < 2  # a hanging model never blocks the bot for long
    assert graded.text.startswith("The model grader did not answer, so the key points graded this one.")
    assert "graded by the model" not in graded.text


async def test_the_parser_refuses_what_the_model_must_not_send(model):
    grader = ModelGrader(model.base_url, "tiny-grader", None, timeout=5)
    from bot.core.content import Card
    from bot.core.grading import Point

    card = Card("c1", "d", (), "What is dropout?", "Dropout zeroes activations.", "", "x.md", 1)
    points = [Point("Dropout zeroes activations.", {"zero": 1.0}), Point("It reduces overfitting.", {"a": 1})]
    try:
        model.reply = json.dumps({"score": 55.4, "covered": [2, 7], "missed": [1]})
        grade = await grader.grade(card, points, "my answer")
        assert (grade.score, grade.covered, grade.missed) == (
            55,
            ("It reduces overfitting.",),
            ("Dropout zeroes activations.",),
        )
        assert model.headers[-1] == ""  # no key configured: no Authorization header
        model.reply = json.dumps({"score": True, "covered": []})
        with pytest.raises(ModelReplyError):
            await grader.grade(card, points, "my answer")
        model.reply = None
        with pytest.raises(ModelReplyError):
            await grader.grade(card, points, "my answer")
    finally:
        await grader.close()


async def test_grader_check_grades_three_bundled_cards_and_prints_latency_and_result(model, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {tmp_path / 'bot.sqlite3'}\ncontent: {ROOT / 'content'}\n"
        f"grader:\n  base_url: {model.base_url}\n  model: tiny-grader\n  api_key_env: TEST_GRADER_KEY\n",
        encoding="utf-8",
    )
    env = {**os.environ, "TEST_GRADER_KEY": "sk-test-123"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "grader", "check", "--config", str(config),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env, cwd=tmp_path,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    text = out.decode()
    assert process.returncode == 0, text + err.decode()
    assert "grader: tiny-grader at " in text and "key from TEST_GRADER_KEY: set" in text
    assert text.count(' ms, parsed: {"score": 72, ') == 3
    assert "3 of 3 answers graded and parsed" in text
    assert len(model.requests) == 3 and model.headers == ["Bearer sk-test-123"] * 3
    assert "sk-test-123" not in text + err.decode()

    model.status = 503
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "grader", "check", "--config", str(config),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env, cwd=tmp_path,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    assert out.decode().count("FAILED after") == 3 and "HTTPStatusError" in out.decode()


def test_grader_check_without_a_grader_says_none_is_configured_and_how_to_set_one(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {tmp_path / 'bot.sqlite3'}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "grader", "check", "--config", str(config)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout.startswith("study-bot: no model grader is configured, so there is nothing to check")
    assert "set grader.base_url and grader.model in the config file" in result.stdout


async def test_i_dont_know_is_not_sent_to_the_model(me, model):
    await me.say("Ann", "/study")
    reply = (await me.say("Ann", "/answer 不知道"))[0]
    assert reply.text.startswith("No problem: here is what to remember.")
    assert "Proposed rating: **Again**" in reply.text
    assert model.requests == []  # nothing to judge: no model call, no waiting for one
