"""`study-bot migrate` and `run` on a database path that cannot work: one line naming the path and what to
do, exit status 1, no traceback. Each case runs the real command in a subprocess."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


def study_bot(tmp_path: Path, database: Path, command: str = "migrate", *, prefix: tuple[str, ...] = ()):
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {database}\ncontent: {ROOT / 'content'}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_TOKEN", "DISCORD_TOKEN")}
    env.update(LANG="en_US.UTF-8", HOME=str(tmp_path))
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot", command, "--config", str(config)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, env=env, cwd=ROOT,
    )  # fmt: skip


def assert_one_clear_line(result: subprocess.CompletedProcess, path: Path, *advice: str) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("study-bot:")]
    assert len(errors) == 1, result.stderr[-2000:]
    line = errors[0]
    assert str(path) in line, line
    for words in advice:
        assert words in line, line
    return line


def database_with_rows(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.executemany("INSERT INTO notes VALUES (?)", [("x" * 500,)] * 200)


@pytest.mark.parametrize("command", ["migrate", "run"])
def test_a_database_path_under_a_file(tmp_path, command):
    blocker = tmp_path / "data"
    blocker.write_text("I am a file, not a folder\n")
    result = study_bot(tmp_path, blocker / "bot.sqlite3", command)
    assert_one_clear_line(result, blocker / "bot.sqlite3", f"{blocker} is a file, not a folder", "database")
    assert blocker.read_text() == "I am a file, not a folder\n"


@pytest.mark.parametrize("command", ["migrate", "run"])
def test_a_database_path_that_is_a_folder(tmp_path, command):
    folder = tmp_path / "data"
    folder.mkdir()
    result = study_bot(tmp_path, folder, command)
    assert_one_clear_line(result, folder, "is a folder, not a file", str(folder / "bot.sqlite3"))


def test_a_file_that_is_not_sqlite_is_left_alone(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my study notes, definitely not a database\n" * 50)
    result = study_bot(tmp_path, notes)
    assert_one_clear_line(result, notes, "is not an SQLite database", "move the file away")
    assert notes.read_text() == "my study notes, definitely not a database\n" * 50


@pytest.mark.parametrize("command", ["migrate", "run"])
def test_a_corrupted_database(tmp_path, command):
    database = tmp_path / "bot.sqlite3"
    database_with_rows(database)
    damaged = bytearray(database.read_bytes())
    damaged[100:4000] = b"\xff" * 3900  # the header survives, the schema page does not
    database.write_bytes(bytes(damaged))
    result = study_bot(tmp_path, database, command)
    assert_one_clear_line(result, database, "corrupted", "backup")


def test_random_bytes_are_not_a_database(tmp_path):
    database = tmp_path / "bot.sqlite3"
    database.write_bytes(bytes(range(256)) * 40)
    assert_one_clear_line(study_bot(tmp_path, database), database, "not an SQLite database")


@pytest.mark.parametrize("command", ["migrate", "run"])
def test_an_unwritable_folder(command):
    # root may write anywhere, so as root the command runs as the unprivileged user `nobody` (setpriv)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop privileges")
        prefix = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
        probe = subprocess.run([*prefix, sys.executable, "-c", "import bot"], cwd=ROOT, capture_output=True)
        if probe.returncode != 0:
            pytest.skip(f"the unprivileged user cannot run this Python: {probe.stderr[-300:]!r}")
    place = Path(tempfile.mkdtemp(prefix="study-bot-ro-"))  # not under pytest's root-only folder
    locked = place / "locked"
    try:
        place.chmod(0o755)
        locked.mkdir()
        locked.chmod(0o555)
        result = study_bot(place, locked / "bot.sqlite3", command, prefix=prefix)
        assert_one_clear_line(result, locked, "not writable", "database")
        assert not (locked / "bot.sqlite3").exists()
    finally:
        locked.chmod(0o755)
        shutil.rmtree(place, ignore_errors=True)


def test_a_good_path_still_migrates(tmp_path):
    database = tmp_path / "new" / "folder" / "bot.sqlite3"
    result = study_bot(tmp_path, database)
    assert result.returncode == 0, result.stderr
    assert f"{database}: schema at version" in result.stdout
