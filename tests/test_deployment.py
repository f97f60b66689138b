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


def test_the_postgres_profile_runs_two_replicas_on_one_health_checked_postgresql_with_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "profiles" not in services["bot"]  # `docker compose up` still runs the SQLite bot alone
    postgres, redis = services["postgres"], services["redis"]
    assert postgres["image"] == "postgres:15" and postgres["profiles"] == ["postgres"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"]) and redis["healthcheck"]
    assert "${POSTGRES_PASSWORD" in postgres["environment"]["POSTGRES_PASSWORD"]  # from .env, not this file
    replicas = [services[name] for name in ("bot-a", "bot-b")]
    shards: list[int] = []
    for replica in replicas:
        assert replica["profiles"] == ["postgres"]
        assert replica["depends_on"]["postgres"]["condition"] == "service_healthy"
        environment = {k: str(v) for k, v in replica["environment"].items()}
        assert (
            environment["DATABASE_URL"].startswith("postgresql://")
            and "@postgres:5432/" in environment["DATABASE_URL"]
        )
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        config_path = replica["command"][-1].replace("/app/", "")
        config = load_config(ROOT / config_path)
        assert config.database_target({"DATABASE_URL": environment["DATABASE_URL"]}).startswith(
            "postgresql://"
        )
        assert config.adapters.telegram.mode == "webhook"  # polling allows one process per token
        assert config.metrics.port and f":{config.metrics.port}/healthz" in " ".join(
            replica["healthcheck"]["test"]
        )
        assert config.adapters.discord.shard_count == 2
        shards.extend(config.adapters.discord.shard_ids)
    assert sorted(shards) == [0, 1]  # every shard runs once
    readme = (ROOT / "README.md").read_text()
    assert "docker compose --profile postgres up -d --build bot-a bot-b" in readme
