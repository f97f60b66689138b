"""Bot core speed: memory, answers per second, leaderboards at scale and event-loop stalls.

Each part lives in its own module and can be run alone (`python -m bench answers`, see bench/__main__.py).
"""

from __future__ import annotations

from bench import answers_bench, leaderboard_bench, loop_lag_bench, memory_bench


def run() -> None:
    memory_bench.run()
    answers_bench.run()
    leaderboard_bench.run()
    loop_lag_bench.run()
