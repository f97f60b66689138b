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


def _keys(kind: type, prefix: str = "") -> list[str]:
    from dataclasses import fields

    keys = []
    for spec in fields(kind):
        default = spec.default_factory() if callable(spec.default_factory) else spec.default  # type: ignore[misc]
        if hasattr(default, "__dataclass_fields__"):
            keys += _keys(type(default), f"{prefix}{spec.name}.")
        else:
            keys.append(f"{prefix}{spec.name}")
    return keys


def test_the_readme_and_the_example_list_every_key_the_config_accepts():
    import yaml

    section = (
        (ROOT / "README.md").read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    )
    example = yaml.safe_load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))

    def in_example(key: str) -> bool:
        node = example
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    keys = _keys(Config)
    assert "adapters.discord.api_base" in keys and "adapters.discord.gateway" in keys
    assert [key for key in keys if f"`{key}`" not in section] == []
    assert [key for key in keys if not in_example(key)] == []


def test_the_database_value_picks_the_store_and_database_url_wins(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("database: sqlite:///data/x.sqlite3\n")
    assert load_config(path).database == Path("data/x.sqlite3")
    path.write_text("database: postgresql://bot@db-host:5432/studybot\n")
    config = load_config(path)
    assert config.database == "postgresql://bot@db-host:5432/studybot"
    assert config.database_target({}) == "postgresql://bot@db-host:5432/studybot"
    assert config.database_target({"DATABASE_URL": "sqlite:////var/bot.sqlite3"}) == Path("/var/bot.sqlite3")
    assert Config().database_target({"DATABASE_URL": "postgres://u:p@h/db"}) == "postgres://u:p@h/db"
    path.write_text("database: mysql://bot@db-host/studybot\n")
    with pytest.raises(ConfigError, match=r"database: mysql:// is not supported"):
        load_config(path)
