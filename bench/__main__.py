"""Run every benchmark and print its numbers as JSON lines."""

from __future__ import annotations

from bench.content_bench import run as run_content

if __name__ == "__main__":
    run_content()
