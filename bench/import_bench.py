"""Uploading big decks: a 5,000-card CSV and a 5,000-note .apkg through `/upload` (download, parse, store, count the
multiple-choice cards) on a real SQLite file, with the event loop's worst stall measured meanwhile (target:
each under 5 s, the loop never blocked over 100 ms). Run alone with `python -m bench.import_bench`."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import tempfile
import time
from pathlib import Path

from bench.content_bench import CONTENT, emit
from bot.core.content import load_content
from bot.core.content.formats.anki_export import deck_to_apkg
from bot.core.content.formats.build import Note, deck_from_notes
from bot.core.messages import Attachment, ChatKind, Request
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore

CARDS = 5000
TOPICS = "gradient loss layer dropout batch attention token encoder decoder kernel stride pooling".split()


def big_notes(count: int) -> list[Note]:
    rng = random.Random(14)
    notes = []
    for n in range(count):
        words = rng.sample(TOPICS, 3)
        notes.append(Note(f"Card {n}: how do {words[0]} and {words[1]} interact?",
                          f"Through {words[2]} number {n}, which changes {rng.choice(TOPICS)} by {n % 97}.", n + 1))  # fmt: skip
    return notes


def big_csv(count: int) -> bytes:
    rows = [f'"{note.question}","{note.answer}"' for note in big_notes(count)]
    return ("#separator:Comma\n#html:false\n#deck:Big deck\n" + "\n".join(rows) + "\n").encode()


def big_apkg(count: int) -> bytes:
    deck = deck_from_notes(big_notes(count), name="big", source="big.apkg", layout="apkg", title="Big deck")
    return deck_to_apkg(deck)


class LoopWatch:
    """Measures the longest time the event loop went without running a 5 ms ticker."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task | None = None

    async def _tick(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst = max(self.worst, time.perf_counter() - started - 0.005)

    def __enter__(self) -> LoopWatch:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def upload_once(folder: Path, file_name: str, data: bytes) -> tuple[float, float, float, str]:
    store = await SqliteStore.open(folder / f"{file_name}.sqlite3")
    service = StudyService(QuestionBank(load_content([CONTENT])), store)

    async def download() -> bytes:
        return data

    request = Request("bench", "group", "admin", "Admin", ChatKind.GROUP, command="upload", is_admin=True)
    request = dataclasses.replace(request, attachment=Attachment(file_name, len(data), download))
    await asyncio.sleep(0.05)
    with LoopWatch() as watch:
        started, cpu = time.perf_counter(), time.process_time()
        replies = await service.handle(request)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        await asyncio.sleep(0.02)
    await store.close()
    return seconds, cpu, watch.worst, replies[0].text.split("\n")[0]


async def measure() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for file_name, data in (("big.csv", big_csv(CARDS)), ("big.apkg", big_apkg(CARDS))):
            seconds, cpu, worst, reply = await upload_once(Path(tmp), file_name, data)
            # cpu_s (all threads of this process) is steadier than seconds on a machine others are using
            emit(f"import_{file_name.split('.')[1]}", cards=CARDS, bytes=len(data), seconds=round(seconds, 3),
                 cpu_s=round(cpu, 3),
                 worst_loop_stall_ms=round(worst * 1000, 1), under_5s=seconds < 5, loop_ok=worst < 0.1,
                 reply=reply)  # fmt: skip


def run() -> None:
    asyncio.run(measure())


if __name__ == "__main__":
    run()
