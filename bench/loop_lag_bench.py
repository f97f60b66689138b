"""Event-loop stalls: the longest time the loop could not run anything, during start-up and mixed traffic.

A probe task asks to wake every millisecond and records how late it woke; while something blocks the
loop (a synchronous import, a dictionary load, a chart drawn in place) every chat waits that long.
Start-up is `build_app` as `study-bot run` does it (content, store, service). The traffic phase runs
the first request of each kind alone (so a stall can be pinned on it), then `BENCH_LOOP_SECONDS`
(default 20; the issue's window is the first minute: set 60) of 20 group members (quizzes, answers,
leaderboards, scores, searches) and 5 learners (study, answers in their own words, /stats) at once, in
a fresh process. Target: every stall < 100 ms.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.content_bench import CONTENT, emit

SECONDS = float(os.environ.get("BENCH_LOOP_SECONDS", 20))
TICK = 0.001


class LoopLagProbe:
    """Wakes every TICK seconds and keeps the worst lateness."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.stalls_over_100ms = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)

    def reset(self) -> None:
        self.worst, self.stalls_over_100ms = 0.0, 0

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            late = time.perf_counter() - started - TICK
            if late > 0.1:
                self.stalls_over_100ms += 1
            self.worst = max(self.worst, late)


def probe() -> dict[str, object]:
    from bot.bootstrap import build_app
    from bot.config import Config
    from bot.core.messages import ChatKind, Request

    async def main() -> dict[str, object]:
        lag = LoopLagProbe()
        lag.start()
        await asyncio.sleep(0.05)
        result: dict[str, object] = {}
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            app = await build_app(Config(database=Path(tmp) / "bot.sqlite3", content=CONTENT))
            result["startup_s"] = round(time.perf_counter() - started, 2)
            await asyncio.sleep(0.01)
            result["startup_longest_stall_ms"] = round(1000 * lag.worst, 1)
            lag.reset()
            service = app.service
            counts: dict[str, int] = {}
            deadline = [0.0]  # set when the mixed traffic starts

            def request(user: str, chat: str, kind: ChatKind, **fields) -> Request:
                return Request(platform="bench", chat_id=chat, user_id=user, user_name=user, chat_kind=kind,
                               locale="en", **fields)  # fmt: skip

            async def handle(label: str, req: Request):
                counts[label] = counts.get(label, 0) + 1
                return await service.handle(req)

            async def group_member(number: int) -> None:
                rng = random.Random(number)
                user, chat = f"member-{number}", f"group-{number % 3}"
                while time.perf_counter() < deadline[0]:
                    shown = (await handle("quiz", request(user, chat, ChatKind.GROUP, command="quiz")))[-1]
                    if shown.post_id is not None:
                        action = f"a:{shown.post_id}:{rng.randrange(4)}"
                        await handle("answer", request(user, chat, ChatKind.GROUP, action=action))
                    choice = rng.choice(
                        ["leaderboard", "leaderboard week", "leaderboard today", "score", "search"]
                    )
                    command, _, args = choice.partition(" ")
                    if command == "search":
                        args = rng.choice(["memory", "index", "网络", "cache", "transaction"])
                    await handle(command, request(user, chat, ChatKind.GROUP, command=command, args=args))
                    await asyncio.sleep(rng.uniform(0.05, 0.3))

            async def learner(number: int) -> None:
                rng = random.Random(100 + number)
                user, chat = f"learner-{number}", f"dm-{number}"
                cards = [card for deck in app.service.bank.decks for card in deck.cards if card.answer]
                while time.perf_counter() < deadline[0]:
                    await handle("study", request(user, chat, ChatKind.PRIVATE, command="study"))
                    words = rng.choice(cards).answer[:1500]
                    await handle(
                        "answer in own words",
                        request(user, chat, ChatKind.PRIVATE, command="answer", args=words),
                    )
                    if rng.random() < 0.3:
                        await handle("stats", request(user, chat, ChatKind.PRIVATE, command="stats"))
                    await asyncio.sleep(rng.uniform(0.2, 0.6))

            # The first request of each kind alone, so a stall can be pinned on it; then everyone at once.
            first: dict[str, float] = {}
            shown = (await handle("quiz", request("first", "group-0", ChatKind.GROUP, command="quiz")))[-1]
            steps = [
                ("quiz", request("first", "group-1", ChatKind.GROUP, command="quiz")),
                ("answer", request("first", "group-0", ChatKind.GROUP, action=f"a:{shown.post_id}:0")),
                ("leaderboard", request("first", "group-0", ChatKind.GROUP, command="leaderboard", args="week")),
                ("score", request("first", "group-0", ChatKind.GROUP, command="score")),
                ("search", request("first", "group-0", ChatKind.GROUP, command="search", args="memory")),
                ("study", request("first", "dm-first", ChatKind.PRIVATE, command="study")),
                ("answer in own words", request("first", "dm-first", ChatKind.PRIVATE, command="answer",
                                                args="a first answer in my own words about memory and caches")),
                ("stats", request("first", "dm-first", ChatKind.PRIVATE, command="stats")),
            ]  # fmt: skip
            overall = lag.worst
            for label, step in steps:
                lag.reset()
                await handle(label, step)
                await asyncio.sleep(0.01)
                first[label] = round(1000 * lag.worst, 1)
                overall = max(overall, lag.worst)
            result["first_request_longest_stall_ms"] = first
            lag.reset()
            started = time.perf_counter()
            deadline[0] = started + SECONDS
            await asyncio.gather(*(group_member(n) for n in range(20)), *(learner(n) for n in range(5)))
            result["traffic_s"] = round(time.perf_counter() - started, 1)
            result["mixed_traffic_longest_stall_ms"] = round(1000 * lag.worst, 1)
            result["mixed_traffic_stalls_over_100ms"] = lag.stalls_over_100ms
            result["traffic_longest_stall_ms"] = round(1000 * max(overall, lag.worst), 1)
            result["requests"] = counts
            await lag.stop()
            await app.close()
        return result

    return asyncio.run(main())


def run() -> None:
    child = subprocess.run(
        [sys.executable, "-m", "bench.loop_lag_bench", "--probe"],
        capture_output=True, text=True, check=True, timeout=600, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    values = json.loads(child.stdout.strip().splitlines()[-1])
    emit("loop_lag", window_s=SECONDS, **values, target_max_stall_ms=100)


if __name__ == "__main__":
    if sys.argv[1:] == ["--probe"]:
        print(json.dumps(probe(), ensure_ascii=False))
    else:
        run()
