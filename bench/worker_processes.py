"""Starting benchmark worker processes at one moment: each prints `ready` once it has loaded and warmed up,
is told `go` on its stdin, and prints one JSON line of results when it is done."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any


async def start_together(
    workers: list[asyncio.subprocess.Process], before_go: Callable[[], Awaitable[None]] | None = None
) -> tuple[float, list[dict[str, Any]]]:
    """Wait until every worker is ready, run `before_go` if given, tell them all to go, and return the time
    of the go (`time.time()`) with each worker's results, after every worker has exited."""
    for worker in workers:
        line = (await worker.stdout.readline()).strip()  # type: ignore[union-attr]
        if line != b"ready":
            raise RuntimeError(f"a benchmark worker did not start: {line!r}")
    if before_go is not None:
        await before_go()
    go = time.time()
    for worker in workers:
        worker.stdin.write(b"go\n")  # type: ignore[union-attr]
        await worker.stdin.drain()  # type: ignore[union-attr]
    results = [json.loads(await worker.stdout.readline()) for worker in workers]  # type: ignore[union-attr]
    for worker in workers:
        await worker.wait()
    return go, results
