"""A live round in a chat with 200 players who all answer every question: reply latency per answer, and
how late the next question follows its earliest moment (min_seconds after the last, once everyone has
answered: the early move-on), with the real scheduler running beside the answers."""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.content_bench import CONTENT, emit
from bot.core.content import load_content
from bot.core.messages import ChatKind, Reply, Request
from bot.core.ports import SystemClock
from bot.core.question_bank import QuestionBank
from bot.core.rounds import RoundScheduler, RoundSettings
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore

PLAYERS = 200
QUESTIONS = 5
SPREAD_SECONDS = 1.0  # the players' answers arrive spread over this long after the question appears


class Platform:
    """A platform stub: takes posts at once and wakes whoever waits for the next question."""

    name = "bench"

    def __init__(self) -> None:
        self.posts: list[tuple[float, Reply]] = []
        self.new_post = asyncio.Event()

    async def post(self, target: str, reply: Reply) -> str:
        if reply.edit_message_id is None:
            self.posts.append((time.perf_counter(), reply))
            self.new_post.set()
        return f"m{len(self.posts)}"


async def live_round(bank: QuestionBank, folder: Path) -> None:
    store = await SqliteStore.open(folder / "round.sqlite3")
    service = StudyService(bank, store, rng=random.Random(2), rounds=RoundSettings())
    platform = Platform()
    scheduler = RoundScheduler(service.rounds, SystemClock(), {"bench": platform})
    stop = asyncio.Event()
    runner = asyncio.create_task(scheduler.run(stop))
    rng = random.Random(5)

    def request(
        user: int, *, command: str | None = None, args: str = "", action: str | None = None
    ) -> Request:
        return Request(platform="bench", chat_id="big-group", user_id=str(user), user_name=f"player {user}",
                       chat_kind=ChatKind.GROUP, locale="en", command=command, args=args, action=action)  # fmt: skip

    latencies: list[float] = []
    move_on: list[float] = []

    async def player(user: int, question: Reply) -> float:
        await asyncio.sleep(rng.random() * SPREAD_SECONDS)
        action = question.buttons[0][rng.randrange(len(question.buttons[0]))].action
        started = time.perf_counter()
        [reply] = await service.handle(request(user, action=action))
        finished = time.perf_counter()
        assert reply.text.startswith("🔒"), reply.text
        latencies.append(finished - started)
        return finished

    try:
        [question] = await service.handle(request(0, command="round", args=str(QUESTIONS)))
        for _ in range(QUESTIONS):
            platform.new_post.clear()
            shown = time.perf_counter()
            last_answer = max(await asyncio.gather(*(player(user, question) for user in range(PLAYERS))))
            await asyncio.wait_for(platform.new_post.wait(), 60)
            posted_at, question = platform.posts[-1]
            # everyone has answered: the next question comes min_seconds after the last one, not later
            move_on.append(posted_at - max(last_answer, shown + service.rounds.settings.min_seconds))
        assert "Round over" in question.text
    finally:
        stop.set()
        await runner
        await store.close()
    latencies.sort()
    emit("round_answers", players=PLAYERS, questions=QUESTIONS, answers=len(latencies),
         p50_ms=round(1000 * statistics.median(latencies), 1), p95_ms=round(1000 * latencies[int(0.95 * len(latencies))], 1),
         max_ms=round(1000 * latencies[-1], 1), target_p95_ms=100,
         next_question_late_by_s=round(statistics.median(move_on), 2))  # fmt: skip


def run() -> None:
    bank = QuestionBank(load_content([CONTENT]))
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(live_round(bank, Path(folder)))


if __name__ == "__main__":
    run()
