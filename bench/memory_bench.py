"""Resident memory of a fresh core process (no chat platform imported): bare, with content, after 1,000 /
10,000 / 200,000 answers from up to 50,000 users in 5,000 groups, and after 100 graded answers.
The members, groups and questions are created in bulk first (they are not what is measured); every
answer then goes through the service, which looks its user and group up as it would in a chat.

Runs in a child process so nothing the other benchmarks loaded is counted. The store's caches are
bounded (a few thousand users and chats), so RSS after 200,000 answers should stay within 20 MB of RSS
after 1,000; the graded answers load the grader's word segmenter (jieba), which is the next big step.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.content_bench import CONTENT, emit

ANSWERS = int(os.environ.get("BENCH_MEMORY_ANSWERS", 200_000))
USERS = 50_000
GROUPS = 5_000
POSTS_PER_GROUP = ANSWERS // USERS if ANSWERS >= USERS else 1
CHECKPOINTS = (1_000, 10_000, ANSWERS)
GRADED = 100
WORKERS = 50


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))


def probe() -> dict[str, float]:
    """The child process: prints its RSS at each step as JSON."""
    values = {"bare": rss_mb()}
    from bot.core.content import load_content
    from bot.core.messages import ChatKind, Request
    from bot.core.question_bank import QuestionBank
    from bot.core.service import StudyService
    from bot.storage.sqlite.store import SqliteStore

    values["imported"] = rss_mb()
    bank = QuestionBank(load_content([CONTENT]))
    for card_id in bank.quizzable(None):
        bank.choices.choices(card_id, 0)

    def request(user: int, chat: str, kind: ChatKind, **fields) -> Request:
        return Request(platform="bench", chat_id=chat, user_id=str(user), user_name=f"user {user}",
                       chat_kind=kind, locale="en", **fields)  # fmt: skip

    async def main() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "memory.sqlite3"
            await (await SqliteStore.open(path)).close()
            card_ids = bank.quizzable(None)
            now = int(datetime.now(UTC).timestamp() * 1000)
            with sqlite3.connect(path) as db:  # members, groups and their open questions, in bulk
                db.executemany(
                    "INSERT INTO users (platform, platform_user_id, display_name, created_at) VALUES ('bench', ?, ?, 0)",
                    ((str(u), f"user {u}") for u in range(USERS)),
                )
                db.executemany(
                    "INSERT INTO chats (id, platform, platform_chat_id, kind, created_at) VALUES (?, 'bench', ?, 'group', 0)",
                    ((g + 1, f"group-{g}") for g in range(GROUPS)),
                )
                db.executemany(
                    "INSERT INTO quiz_posts (id, chat_id, card_id, mode, options, correct, round, created_at)"
                    " VALUES (?, ?, ?, 'quiz', '[\"a\", \"b\", \"c\", \"d\"]', 0, 1, ?)",
                    ((g * POSTS_PER_GROUP + k + 1, g + 1, card_ids[(g + k) % len(card_ids)], now)
                     for g in range(GROUPS) for k in range(POSTS_PER_GROUP)),
                )  # fmt: skip
            store = await SqliteStore.open(path)
            try:  # a failed check must not leave the store open (its threads would keep the process alive)
                service = StudyService(bank, store, rng=random.Random(1))
                values["running"] = rss_mb()
                # answer i: user i % USERS, in that user's group, to the group's post i // USERS
                done = 0
                started = time.perf_counter()
                for checkpoint in CHECKPOINTS:

                    async def worker(first: int, end: int) -> None:
                        for i in range(first, end, WORKERS):
                            user, post = i % USERS, i // USERS
                            group = user % GROUPS
                            action = f"a:{group * POSTS_PER_GROUP + post + 1}:{i % 4}"
                            replies = await service.handle(
                                request(user, f"group-{group}", ChatKind.GROUP, action=action)
                            )
                            assert replies[0].text.startswith(("✅", "❌")), replies[0].text

                    await asyncio.gather(*(worker(done + w, checkpoint) for w in range(WORKERS)))
                    done = checkpoint
                    values[f"after_{checkpoint}_answers"] = rss_mb()
                values["answers_s"] = time.perf_counter() - started
                cards = [card for deck in bank.decks for card in deck.cards if card.answer]
                for n in range(GRADED):
                    user = 10_000_000 + n
                    await service.handle(request(user, f"dm-{n}", ChatKind.PRIVATE, command="study"))
                    answer = cards[n % len(cards)].answer[:3000] or "an answer"
                    replies = await service.handle(
                        request(user, f"dm-{n}", ChatKind.PRIVATE, command="answer", args=answer)
                    )
                    # graded, or declined as unreliable (another card's answer may be too thin for this one)
                    graded = ("/100", "Score", "can't grade")
                    assert any(mark in replies[0].text for mark in graded), replies[0].text[:200]
                values[f"after_{GRADED}_graded_answers"] = rss_mb()
            finally:
                await store.close()

    asyncio.run(main())
    return values


def run() -> None:
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-m", "bench.memory_bench", "--probe"],
        capture_output=True, text=True, check=True, timeout=1800, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    values = json.loads(child.stdout.strip().splitlines()[-1])
    rounded = {key: round(value, 1) for key, value in values.items()}
    growth = values[f"after_{ANSWERS}_answers"] - values["after_1000_answers"]
    emit("core_memory", rss_mb=rounded, users=min(USERS, ANSWERS), groups=GROUPS,
         growth_mb_1000_to_all_answers=round(growth, 1), target_max_growth_mb=20,
         seconds=round(time.perf_counter() - started, 1))  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:] == ["--probe"]:
        print(json.dumps(probe()))
    else:
        run()
