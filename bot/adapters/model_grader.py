"""An OpenAI-compatible chat endpoint (Ollama, llama.cpp server, vLLM, or a hosted API) as the grader.

The model gets the question, the reference answer and its numbered key points, and the learner's
answer, and must reply with JSON only:

    {"score": 0-100, "covered": [point numbers], "missed": [point numbers], "feedback": "one or two sentences"}

with the feedback in the chat's language. A reply wrapped in a Markdown code fence is accepted; anything
else (no JSON, a score that is not a number in 0-100, point lists that are not numbers) raises
`ModelReplyError`, and the core falls back to the key-point grade and says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import httpx

from bot.core.content import Card
from bot.core.grading import Grade, Point
from bot.core.grading.points import shorten

LANGUAGE_NAMES = {"en": "English", "zh": "Simplified Chinese"}
MAX_FEEDBACK_CHARS = 400
_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)

SYSTEM = (
    "You grade a student's answer to a study question against the reference answer and its numbered key "
    "points. A point is covered when the answer states its idea correctly, in any words or language; an "
    "answer that denies a point, or only lists words without saying how they relate, does not cover it. "
    "Reply with one JSON object and nothing else: "
    '{"score": <integer 0-100, how much of the key points the answer states correctly>, '
    '"covered": [<numbers of the covered points>], "missed": [<numbers of the missed points>], '
    '"feedback": "<one or two sentences to the student, in {language}>"}'
)


class ModelReplyError(ValueError):
    """The model answered, but not with the JSON the grader asked for."""


class ModelGrader:
    def __init__(
        self, base_url: str, model: str, api_key: str | None, timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:  # fmt: skip
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = client or httpx.AsyncClient(timeout=timeout)

    def request_body(self, card: Card, points: Sequence[Point], answer: str, language: str) -> dict:
        rubric = "\n".join(f"{number}. {point.text}" for number, point in enumerate(points, start=1))
        system = SYSTEM.replace("{language}", LANGUAGE_NAMES.get(language, "English"))
        user = (
            f"Question: {card.question}\n\nReference answer:\n{card.answer}\n\n"
            f"Key points:\n{rubric or '1. ' + card.answer}\n\nStudent's answer:\n{answer}"
        )
        return {
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }

    async def grade(self, card: Card, points: Sequence[Point], answer: str, language: str = "en") -> Grade:
        response = await self.client.post(
            self.url, json=self.request_body(card, points, answer, language), headers=self.headers
        )
        response.raise_for_status()
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ModelReplyError("the endpoint's reply is not a chat completion") from exc
        return parse_verdict(content, points)

    async def close(self) -> None:
        await self.client.aclose()


def parse_verdict(content: object, points: Sequence[Point]) -> Grade:
    """The model's reply as a Grade; ModelReplyError for anything but the JSON asked for."""
    if not isinstance(content, str):
        raise ModelReplyError("the model's reply is not text")
    fenced = _FENCE.match(content)
    text = fenced.group(1) if fenced else content.strip()
    try:
        verdict = json.loads(text)
    except ValueError as exc:
        raise ModelReplyError("the model's reply is not JSON") from exc
    if not isinstance(verdict, dict):
        raise ModelReplyError("the model's reply is not a JSON object")
    score = verdict.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
        raise ModelReplyError(f"the model's score is not a number from 0 to 100: {score!r:.40}")
    covered_numbers = _numbers(verdict.get("covered", []), "covered", len(points))
    missed_numbers = _numbers(verdict.get("missed", []), "missed", len(points))
    feedback = verdict.get("feedback")
    if feedback is not None and not isinstance(feedback, str):
        raise ModelReplyError("the model's feedback is not text")
    if "missed" not in verdict:
        missed_numbers = [n for n in range(1, len(points) + 1) if n not in covered_numbers]
    covered = tuple(shorten(points[n - 1].text) for n in covered_numbers)
    missed = tuple(shorten(points[n - 1].text) for n in missed_numbers if n not in covered_numbers)[:5]
    feedback = " ".join(feedback.split())[:MAX_FEEDBACK_CHARS] if feedback else None
    return Grade(round(score), covered, missed, "model", feedback=feedback or None)


def _numbers(value: object, name: str, count: int) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in value):
        raise ModelReplyError(f"the model's {name} is not a list of point numbers")
    return sorted({n for n in value if 1 <= n <= count})
