"""Event-loop stalls: the longest time the loop could not run anything, during start-up and the first minute of
mixed traffic, for the bot as it is and for the stock start-up beside it, in alternating fresh processes.

A probe task asks to wake every millisecond and records how late it woke; while something blocks the loop
(a synchronous import, a dictionary load, a chart drawn in place, a garbage collection) every chat waits that
long. Start-up is `build_app` as `study-bot run` does it (content, store, service, the grader, the chart
process). Then the traffic: the first request of each kind alone (so a stall can be pinned on it), then
`BENCH_LOOP_SECONDS` (default 60, the issue's first minute) of 20 group members (quizzes and their answers,
the daily question and its answers, leaderboards, scores, searches), 5 learners (/study, answers in their
own words, /stats with its chart) and one person typing into the real console adapter, all at once.

`stock` is the same bot with the start-up it had before: jieba's own `Tokenizer.initialize()` (its marshal
cache, a 150-200 ms GIL hold) in the grader's worker thread and /stats charts drawn in a worker thread.
`BENCH_LOOP_ROUNDS` (default 3: now, stock, now) sets how many processes run. Target: every stall < 100 ms.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.content_bench import CONTENT, emit

SECONDS = float(os.environ.get("BENCH_LOOP_SECONDS", 60))
ROUNDS = int(os.environ.get("BENCH_LOOP_ROUNDS", 3))
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


def use_stock_start_up() -> None:
    """The start-up as it was: jieba's own initialize() for the grader, charts in a worker thread."""
    from bot.core.chart_worker import ChartWorker
    from bot.core.grading import terms

    def stock_dictionary(tokenizer, yield_every: int = 0) -> terms.Dictionary:
        tokenizer.initialize()  # its marshal cache (or its own build, written to the cache)
        function_words = set()
        with tokenizer.get_dict_file() as lines:
            for raw in lines:
                parts = raw.decode("utf-8").split()
                if len(parts) == 3 and parts[2] in terms._FUNCTION_TAGS:
                    function_words.add(parts[0])
        return terms.Dictionary(tokenizer.FREQ, tokenizer.total, frozenset(function_words))

    async def no_process(self, warm_up=None, context=None) -> bool:
        return False

    terms.read_dictionary = stock_dictionary
    ChartWorker.start_process = no_process  # type: ignore[method-assign]


def probe(variant: str) -> dict[str, object]:
    from bot.adapters.console import ConsoleAdapter
    from bot.bootstrap import build_app
    from bot.config import Config
    from bot.core.messages import ChatKind, Request

    if variant == "stock":
        use_stock_start_up()

    async def main() -> dict[str, object]:
        lag = LoopLagProbe()
        lag.start()
        await asyncio.sleep(0.05)
        result: dict[str, object] = {"variant": variant}
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            app = await build_app(Config(database=Path(tmp) / "bot.sqlite3", content=CONTENT))
            result["startup_s"] = round(time.perf_counter() - started, 2)
            await asyncio.sleep(0.01)
            result["startup_longest_stall_ms"] = round(1000 * lag.worst, 1)
            result["startup_stalls_over_100ms"] = lag.stalls_over_100ms
            lag.reset()
            service = app.service
            counts: dict[str, int] = {}
            deadline = [0.0]  # set when the mixed traffic starts
            traffic = {"worst": 0.0, "over": 0}
            daily_posts: dict[str, asyncio.Future] = {}

            def request(user: str, chat: str, kind: ChatKind, **fields) -> Request:
                return Request(platform="bench", chat_id=chat, user_id=user, user_name=user, chat_kind=kind,
                               locale="en", is_admin=True, **fields)  # fmt: skip

            async def handle(label: str, req: Request):
                counts[label] = counts.get(label, 0) + 1
                return await service.handle(req)

            def tap(reply, rng: random.Random) -> str | None:
                """One of a question's options (the first row of buttons), as a member taps it."""
                return (
                    rng.choice(reply.buttons[0]).action
                    if reply.post_id is not None and reply.buttons
                    else None
                )

            async def group_member(number: int) -> None:
                rng = random.Random(number)
                user, chat = f"member-{number}", f"group-{number % 3}"
                answered_daily = False
                while time.perf_counter() < deadline[0]:
                    shown = (await handle("quiz", request(user, chat, ChatKind.GROUP, command="quiz")))[-1]
                    if (action := tap(shown, rng)) is not None:
                        await handle("answer", request(user, chat, ChatKind.GROUP, action=action))
                    if not answered_daily:  # today's daily question: the first member posts it, all answer
                        answered_daily = True
                        if chat not in daily_posts:
                            now = request(user, chat, ChatKind.GROUP, command="daily", args="now")
                            daily_posts[chat] = asyncio.ensure_future(handle("daily", now))
                        if (action := tap((await daily_posts[chat])[-1], rng)) is not None:
                            await handle("daily answer", request(user, chat, ChatKind.GROUP, action=action))
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

            async def console_typist() -> int:
                """Someone at the terminal: the real console adapter reading lines as they are typed."""
                reader = asyncio.StreamReader()
                typed = ["/quiz", "b", "/study", "/answer an index speeds up lookups", "/leaderboard week",
                         "/stats", "/score", "/search 网络", "/review"]  # fmt: skip
                output = io.StringIO()
                console = ConsoleAdapter(service, reader=reader, output=output, user_name="Typist",
                                         locale="en_US.UTF-8", color=False)  # fmt: skip
                console.image_dir = Path(tmp)
                running = asyncio.create_task(console.run())
                lines = 0
                while time.perf_counter() < deadline[0]:
                    reader.feed_data((typed[lines % len(typed)] + "\n").encode())
                    lines += 1
                    await asyncio.sleep(0.25)
                reader.feed_eof()
                await running
                assert "Bye!" in output.getvalue()
                return lines

            # The first request of each kind alone, so a stall can be pinned on it; then everyone at once.
            first: dict[str, float] = {}
            shown = (await handle("quiz", request("first", "group-0", ChatKind.GROUP, command="quiz")))[-1]
            steps = [
                ("quiz", request("first", "group-1", ChatKind.GROUP, command="quiz")),
                ("answer", request("first", "group-0", ChatKind.GROUP, action=shown.buttons[0][0].action)),
                ("daily", request("first", "group-first", ChatKind.GROUP, command="daily", args="now")),
                ("leaderboard", request("first", "group-0", ChatKind.GROUP, command="leaderboard", args="week")),
                ("score", request("first", "group-0", ChatKind.GROUP, command="score")),
                ("search", request("first", "group-0", ChatKind.GROUP, command="search", args="memory")),
                ("study", request("first", "dm-first", ChatKind.PRIVATE, command="study")),
                ("answer in own words", request("first", "dm-first", ChatKind.PRIVATE, command="answer",
                                                args="a first answer in my own words about memory and caches")),
                ("stats", request("first", "dm-first", ChatKind.PRIVATE, command="stats")),
            ]  # fmt: skip
            for label, step in steps:
                lag.reset()
                await handle(label, step)
                await asyncio.sleep(0.01)
                first[label] = round(1000 * lag.worst, 1)
                traffic["worst"] = max(traffic["worst"], lag.worst)
                traffic["over"] += lag.stalls_over_100ms
            result["first_request_longest_stall_ms"] = first
            lag.reset()
            started = time.perf_counter()
            deadline[0] = started + SECONDS
            *_, typed = await asyncio.gather(
                *(group_member(n) for n in range(20)), *(learner(n) for n in range(5)), console_typist()
            )
            counts["console lines"] = typed
            result["traffic_s"] = round(time.perf_counter() - started, 1)
            result["mixed_traffic_longest_stall_ms"] = round(1000 * lag.worst, 1)
            result["mixed_traffic_stalls_over_100ms"] = lag.stalls_over_100ms
            result["traffic_longest_stall_ms"] = round(1000 * max(traffic["worst"], lag.worst), 1)
            result["traffic_stalls_over_100ms"] = traffic["over"] + lag.stalls_over_100ms
            result["requests"] = counts
            await lag.stop()
            await app.close()
        return result

    return asyncio.run(main())


def run() -> None:
    """Alternating fresh processes (now, stock, now, ...), each printed, then the worst of each variant."""
    runs: dict[str, list[dict]] = {"now": [], "stock": []}
    for index in range(ROUNDS):
        variant = "stock" if index % 2 else "now"
        child = subprocess.run(
            [sys.executable, "-m", "bench.loop_lag_bench", "--probe", variant],
            capture_output=True, text=True, check=True, timeout=900, cwd=Path(__file__).resolve().parent.parent,
        )  # fmt: skip
        values = json.loads(child.stdout.strip().splitlines()[-1])
        runs[variant].append(values)
        emit("loop_lag_run", window_s=SECONDS, **values)
    summary: dict[str, object] = {"window_s": SECONDS, "target_max_stall_ms": 100}
    for variant, done in runs.items():
        if not done:
            continue
        label = "" if variant == "now" else "stock_"
        summary[f"{label}runs"] = len(done)
        for key in ("startup_longest_stall_ms", "traffic_longest_stall_ms"):
            summary[f"{label}{key}"] = max(values[key] for values in done)
        for key in ("startup_stalls_over_100ms", "traffic_stalls_over_100ms"):
            summary[f"{label}{key}"] = sum(values[key] for values in done)
    emit("loop_lag", **summary)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        print(json.dumps(probe(sys.argv[2] if len(sys.argv) > 2 else "now"), ensure_ascii=False))
    else:
        run()
