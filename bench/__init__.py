"""Benchmarks: `make bench` (python -m bench) prints one JSON object per line."""
