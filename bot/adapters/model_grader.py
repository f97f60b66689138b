"""An OpenAI-compatible chat endpoint as a second grader for answers in your own words.

The model gets the question, the key points the key-point grader found, and the answer, and must
reply with JSON `{"score": 0-100, "covered": [point numbers]}`. Anything else raises, and the core
falls back to the key-point grade (and says so).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import httpx

from bot.core.content import Card
from bot.core.grading import Grade, Point

SYSTEM = (
    "You grade a student's answer to a deep-learning interview question against numbered key points. "
    "A point is covered when the answer states its idea, in any words or language. Reply with JSON only: "
    '{"score": <0-100, how much of the key points the answer covers>, "covered": [<numbers of covered points>]}'
)


class ModelGrader:
    def __init__(
        self, base_url: str, model: str, api_key: str | None, timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:  # fmt: skip
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = client or httpx.AsyncClient(timeout=timeout)

    async def grade(self, card: Card, points: Sequence[Point], answer: str) -> Grade:
        rubric = "\n".join(f"{number}. {point.text}" for number, point in enumerate(points, start=1))
        body = {
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": SYSTEM},
                {
                    "role": "user",
                    "content": f"Question: {card.question}\n\nKey points:\n{rubric}\n\nAnswer:\n{answer}",
                },
            ],
        }
        response = await self.client.post(self.url, json=body, headers=self.headers)
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
        verdict = json.loads(content)
        score = verdict["score"]
        covered_numbers = {int(n) for n in verdict.get("covered", [])}
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
            raise ValueError(f"the model's score is not 0-100: {score!r}")
        covered = tuple(p.text for n, p in enumerate(points, start=1) if n in covered_numbers)
        missed = tuple(p.text for n, p in enumerate(points, start=1) if n not in covered_numbers)
        return Grade(round(score), covered, missed, "model")

    async def close(self) -> None:
        await self.client.aclose()
