"""Run the benchmarks and print their numbers as JSON lines: `python -m bench` runs them all,
`python -m bench leaderboard daily` only the ones named."""

from __future__ import annotations

import sys

from bench import (
    answers_bench,
    content_bench,
    core_bench,
    daily_bench,
    import_bench,
    leaderboard_bench,
    loop_lag_bench,
    memory_bench,
    postgres_bench,
    round_bench,
    scale_bench,
    stats_bench,
    study_bench,
)

SUITES = {
    "content": content_bench.run,
    "core": core_bench.run,  # memory, answers, leaderboard and loop together
    "memory": memory_bench.run,
    "answers": answers_bench.run,
    "leaderboard": leaderboard_bench.run,
    "loop": loop_lag_bench.run,
    "daily": daily_bench.run,
    "study": study_bench.run,
    "import": import_bench.run,
    "stats": stats_bench.run,
    "rounds": round_bench.run,
    "scale": scale_bench.run,
    "postgres": postgres_bench.run,  # skipped with a note when no server answers
}
EVERYTHING = ("content", "core", "daily", "study", "import", "stats", "rounds", "scale", "postgres")

if __name__ == "__main__":
    names = sys.argv[1:] or EVERYTHING
    unknown = [name for name in names if name not in SUITES]
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    for name in names:
        SUITES[name]()
