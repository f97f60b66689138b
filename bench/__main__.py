"""Run every benchmark and print its numbers as JSON lines."""

from __future__ import annotations

from bench.content_bench import run as run_content
from bench.core_bench import run as run_core
from bench.daily_bench import run as run_daily
from bench.scale_bench import run as run_scale
from bench.study_bench import run as run_study

if __name__ == "__main__":
    run_content()
    run_core()
    run_daily()
    run_study()
    run_scale()
