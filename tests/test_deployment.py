"""docker-compose.yml runs the bot with the volume and the environment variables the README documents."""

from __future__ import annotations

import pytest
import yaml

from bot.config import TOKEN_VARIABLES, load_config
from tests.conftest import ROOT


def test_compose_file_names_the_volume_and_token_variables_the_readme_documents():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    bot = compose["services"]["bot"]
    assert bot["build"] == "."
    assert "bot-data:/data" in bot["volumes"]
    assert "bot-data" in compose["volumes"]
    assert set(bot["environment"]) == set(TOKEN_VARIABLES.values()) == {"TELEGRAM_TOKEN", "DISCORD_TOKEN"}
    readme = (ROOT / "README.md").read_text()
    for name in ("bot-data", "TELEGRAM_TOKEN", "DISCORD_TOKEN", ".env", "docker compose up"):
        assert name in readme, name


def test_the_container_keeps_its_database_on_the_volume():
    config = load_config(ROOT / "config.docker.yaml")
    assert str(config.database).startswith("/data/")
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert (
        "config.docker.yaml" in dockerfile
        and "COPY migrations" in dockerfile
        and "COPY content" in dockerfile
    )


def test_no_secrets_are_committed():
    for name in ("config.example.yaml", "config.docker.yaml", "docker-compose.yml"):
        text = (ROOT / name).read_text()
        assert "TOKEN=" not in text.replace("TOKEN=123456:ABC...", "").replace("TOKEN=...", ""), name


def test_the_compose_healthcheck_asks_the_containers_healthz():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    config = load_config(ROOT / "config.docker.yaml")
    check = " ".join(compose["services"]["bot"]["healthcheck"]["test"])
    assert config.metrics.port and f"http://127.0.0.1:{config.metrics.port}/healthz" in check


async def test_a_start_that_fails_after_opening_the_database_closes_it_so_the_process_can_exit(
    tmp_path, monkeypatch
):
    import threading

    from bot.bootstrap import build_app
    from bot.config import Config
    from bot.core.study import StudyDesk

    async def broken_prepare(self):
        raise RuntimeError("the grader could not be built")

    monkeypatch.setattr(StudyDesk, "prepare", broken_prepare)
    before = set(threading.enumerate())
    with pytest.raises(RuntimeError, match="grader"):
        await build_app(Config(database=tmp_path / "bot.sqlite3"))
    # aiosqlite's connection threads are not daemons: one left open keeps `study-bot run` alive forever
    started = [t for t in set(threading.enumerate()) - before if "connection_worker" in t.name]
    for thread in started:
        thread.join(timeout=5)  # a closed connection's thread ends on its own; an open one never does
    assert [t for t in started if t.is_alive()] == []
