"""Configuration mistakes name the key; tokens come only from the environment; run picks its adapters."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bootstrap import chosen_adapters
from bot.config import Config, ConfigError, load_config, parse_config
from tests.conftest import ROOT


def test_defaults_and_the_committed_example_agree():
    assert load_config(ROOT / "config.example.yaml") == Config()
    assert Config().database == Path("data/bot.sqlite3")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"databse": "x.db"}, "databse: unknown key"),
        ({"quiz": {"open_hours": "soon"}}, "quiz.open_hours: must be a positive number"),
        ({"quiz": {"open_hours": 0}}, "quiz.open_hours: must be a positive number"),
        (
            {"adapters": {"telegram": {"enabled": "maybe"}}},
            "adapters.telegram.enabled: must be auto, true or false",
        ),
        ({"adapters": {"telegram": {"token": "123:abc"}}}, "adapters.telegram.token: unknown key"),
        ({"adapters": {"slack": {}}}, "adapters.slack: unknown key"),
        ({"database": 5}, "database: must be a path"),
        ({"log_level": "LOUD"}, "log_level: must be DEBUG, INFO, WARNING or ERROR"),
        ({"quiz": []}, "quiz.: must be a mapping"),
    ],
)
def test_mistakes_are_reported_with_the_key(raw, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        parse_config(raw, "config.yaml")


def test_a_config_file_is_read_with_its_values(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(
        "database: /tmp/x.sqlite3\nquiz:\n  open_hours: 2\nadapters:\n  console:\n    enabled: true\n"
    )
    config = load_config(path)
    assert (config.database, config.quiz.open_hours, config.adapters.console.enabled) == (
        Path("/tmp/x.sqlite3"),
        2.0,
        "true",
    )


def test_tokens_come_from_the_environment_and_choose_the_adapters():
    config = Config()
    assert config.token("telegram", {}) is None
    assert config.token("telegram", {"TELEGRAM_TOKEN": " 123:abc "}) == "123:abc"
    assert chosen_adapters(config) in (["console"], ["telegram"], ["discord"], ["telegram", "discord"])
    off = parse_config({"adapters": {"console": {"enabled": False}, "telegram": {"enabled": True}}})
    assert chosen_adapters(off) == ["telegram"]


def test_run_with_no_tokens_opens_the_console(monkeypatch):
    monkeypatch.delenv("TELEGRAM_TOKEN", raising=False)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert chosen_adapters(Config()) == ["console"]
    monkeypatch.setenv("TELEGRAM_TOKEN", "123:abc")
    assert chosen_adapters(Config()) == ["telegram"]
