"""`study-bot content check`, run as a user runs it: a real process, its output and exit code."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import CONTENT, ROOT


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_json_report_of_the_bundled_content():
    result = run_check("--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert [len(d["cards"]) for d in report["decks"]] == [60, 30, 6, 10, 10]
    card = next(c for d in report["decks"] for c in d["cards"] if c["mcq"]["ok"])
    fields = {"id", "question", "answer", "explanation", "section", "line", "gist", "mcq", "choices"}
    assert set(card) == fields
    assert card["section"] == "大模型训练的两个关键步骤"
    assert card["choices"]["options"][card["choices"]["correct"]] == card["gist"]
    assert card["mcq"] == {"ok": True, "rule": None, "reason": None}
    why = {c["question"]: c for d in report["decks"] for c in d["cards"]}
    flashcard = why["Can we learn the data augmentation?"]
    assert flashcard["choices"] is None
    assert flashcard["mcq"]["ok"] is False
    assert flashcard["mcq"]["rule"] == "non_answer" and "Yes" in flashcard["mcq"]["reason"]
    assert all({"source", "title", "cards", "warnings"} <= set(d) for d in report["decks"])
    assert run_check("--json").stdout == result.stdout  # seed 0 every time


def test_text_report_lists_decks_sections_and_warnings():
    result = run_check()
    assert result.returncode == 0
    assert "李宏毅机器学习课程问题整理" in result.stdout
    assert "  13  " not in result.stdout  # counts are per section, not per chapter
    assert "Chapter 8 SSL / Part II. BERT" in result.stdout
    assert "answer part '迁移算法：' has nothing after it" in result.stdout
    assert result.stdout.rstrip().endswith(
        "5 decks, 116 cards (21 with multiple choice), 7 warnings, 0 errors"
    )
    reasons = (
        "flashcard-only (no fair multiple choice): 32 no distractors, 24 multi part, 10 partial list, 9 give away, "
        "6 cut off, 4 tautology, 4 non answer, 3 dangling, 2 cut stem, 1 too short"
    )
    assert reasons in result.stdout


def test_errors_exit_1_and_good_decks_are_still_reported(tmp_path):
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe\x00broken")
    result = run_check(str(CONTENT), str(tmp_path), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert len(report["decks"]) == 5
    assert report["errors"][0]["source"].endswith("bad.md")


def test_a_single_file_can_be_checked(tmp_path):
    note = tmp_path / "mine.md"
    note.write_text("Q: What is a GAN?\nA: Two networks.\n", encoding="utf-8")
    result = run_check(str(note))
    assert result.returncode == 0
    assert "1 deck, 1 card (0 with multiple choice)" in result.stdout


def test_one_deck_one_card_one_error_read_in_the_singular(tmp_path):
    (tmp_path / "one.md").write_text(
        "# One\n\n## What is a tensor?\n\nA multi-dimensional array of numbers.\n"
    )
    result = run_check(str(tmp_path / "one.md"), str(tmp_path / "missing.md"))
    assert result.returncode == 1
    assert (
        "\n  1 card, " in result.stdout
        and "  coverage: 1 card / 1 question-like part (100%)" in result.stdout
    )
    summary = result.stdout.rstrip().rsplit("\n", 1)[-1]
    assert summary.startswith("1 deck, 1 card (") and summary.endswith(", 1 error"), summary
