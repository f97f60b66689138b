"""`study-bot grader check`: grade three bundled cards with the configured model and show what came back.

An admin runs it before going live: it prints, per card, the latency and the parsed result (score,
covered and missed points, feedback), or why the endpoint's reply was refused, and exits 1 unless all
three parsed.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import TextIO

from bot.config import Config


def pick_samples(cards, grader) -> list[tuple[object, str, str]]:
    """Three cards from different decks: answered with the reference, half of it, another card's answer."""
    chosen = []
    decks: set[str] = set()
    for card in cards:
        points = grader.points(card)
        if card.deck not in decks and len(points) >= 2:
            decks.add(card.deck)
            chosen.append((card, points))
        if len(chosen) == 3:
            break
    samples = []
    kinds = ("the reference itself (expect a high score)", "half of its key points (expect a middling score)",
             "another card's answer (expect a low score)")  # fmt: skip
    for index, (card, points) in enumerate(chosen):
        if index == 0:
            answer = card.answer
        elif index == 1:
            answer = " ".join(point.text for point in points[: len(points) // 2])
        else:
            answer = chosen[0][0].answer
        samples.append((card, kinds[index], answer))
    return samples


async def run_grader_check(config: Config, out: TextIO) -> int:
    if not (config.grader.base_url and config.grader.model):
        print(
            "study-bot: no model grader is configured, so there is nothing to check (answers are graded by key "
            "points). To use a model, set grader.base_url and grader.model in the config file, e.g. base_url: "
            "http://localhost:11434/v1 and model: qwen2.5:7b for a local Ollama.",
            file=out,
        )
        return 2
    from bot.adapters.model_grader import ModelGrader
    from bot.bootstrap import load_bank, synonyms
    from bot.core.grading import KeyPointGrader
    from bot.core.grading.terms import language

    bank, _ = load_bank(config)
    cards = [card for deck in bank.decks for card in deck.cards if card.answer]
    key_points = await asyncio.to_thread(KeyPointGrader, cards, synonyms(config))
    key = os.environ.get(config.grader.api_key_env)
    print(f"grader: {config.grader.model} at {config.grader.base_url} "
          f"(key from {config.grader.api_key_env}: {'set' if key else 'not set'})", file=out)  # fmt: skip
    grader = ModelGrader(
        config.grader.base_url, config.grader.model, key, timeout=config.grader.timeout_seconds
    )
    parsed = 0
    samples = pick_samples(cards, key_points)
    try:
        for number, (card, kind, answer) in enumerate(samples, start=1):
            print(f"\n{number}. {card.question} (card {card.id})\n   answer: {kind}", file=out)
            started = time.perf_counter()
            try:
                grade = await grader.grade(card, key_points.rubric(card), answer, language(card.answer))
            except Exception as exc:  # report every failure the bot would fall back on
                elapsed = round(1000 * (time.perf_counter() - started))
                print(f"   FAILED after {elapsed} ms: {type(exc).__name__}: {str(exc)[:200]}", file=out)
                continue
            elapsed = round(1000 * (time.perf_counter() - started))
            parsed += 1
            result = {"score": grade.score, "covered": grade.covered, "missed": grade.missed,
                      "feedback": grade.feedback}  # fmt: skip
            print(f"   {elapsed} ms, parsed: {json.dumps(result, ensure_ascii=False)}", file=out)
    finally:
        await grader.close()
    print(f"\n{parsed} of {len(samples)} answers graded and parsed", file=out)
    return 0 if parsed == len(samples) == 3 else 1
