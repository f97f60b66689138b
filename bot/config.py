"""Configuration: `config.yaml` loaded into frozen dataclasses; tokens only from environment variables.

Every mistake is a ConfigError naming the key (`adapters.telegram.enabled: must be auto, true or false`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from bot.core.content.deck_settings import Yaml12Loader

DEFAULT_CONFIG = Path("config.yaml")
TOKEN_VARIABLES = {"telegram": "TELEGRAM_TOKEN", "discord": "DISCORD_TOKEN"}
WEBHOOK_SECRET_VARIABLE = "TELEGRAM_WEBHOOK_SECRET"
REDIS_URL_VARIABLE = "REDIS_URL"  # wins over `redis_url` (a URL may carry a password)
DATABASE_URL_VARIABLE = "DATABASE_URL"  # wins over `database` (a URL may carry a password)
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")
_SQLITE_SCHEME = "sqlite:///"


def parse_database(value: str, key: str = "database") -> Path | str:
    """A `database` value: a path or `sqlite:///path` is an SQLite file (a Path); `postgresql://…` is kept as
    the URL (a str) and selects PostgreSQL."""
    text = value.strip()
    if not text:
        raise ConfigError(f"{key}: must be a path or a postgresql:// URL")
    lowered = text.lower()
    if lowered.startswith(_POSTGRES_SCHEMES):
        return text
    if lowered.startswith(_SQLITE_SCHEME):
        return Path(text[len(_SQLITE_SCHEME) :])
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise ConfigError(
            f"{key}: {scheme}:// is not supported; use a path, sqlite:///path or postgresql://…"
        )
    return Path(text)


class ConfigError(ValueError):
    """A problem in the configuration, naming the key."""


@dataclass(frozen=True, slots=True)
class AdapterConfig:
    enabled: str = "auto"  # auto: on when its token is set (console: when no other adapter runs)


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    enabled: str = "auto"  # auto: on when TELEGRAM_TOKEN is set
    mode: str = "polling"  # polling, or webhook (then webhook_url is required)
    base_url: str = "https://api.telegram.org/bot"  # a self-hosted Bot API server (the tests use a fake one)
    base_file_url: str = ""  # where files are downloaded from; empty: base_url with /bot -> /file/bot
    webhook_url: str = ""  # the public https URL Telegram posts updates to
    listen: str = "0.0.0.0"
    port: int = 8443
    poll_timeout: int = 30  # seconds a getUpdates long poll may wait


@dataclass(frozen=True, slots=True)
class DiscordConfig:
    enabled: str = "auto"  # auto: on when DISCORD_TOKEN is set
    guild_id: int = 0  # sync slash commands to this one server (instant, for development); 0: globally
    api_base: str = ""  # a different REST base URL (the tests point it at a fake server); empty: Discord's
    gateway: str = ""  # a different gateway URL (likewise)
    shard_count: int = 0  # total shards over every process; 0: one connection, no sharding
    shard_ids: tuple[int, ...] = ()  # the shards this process runs, e.g. [0, 1]; empty: all of shard_count
    sync_commands: str = "auto"  # auto: only the process running shard 0 syncs slash commands
    identify_spacing_seconds: float = 5.0  # between this process's shard IDENTIFYs (Discord's limit)

    @property
    def syncs_commands(self) -> bool:
        if self.sync_commands != "auto":
            return self.sync_commands == "true"
        return not self.shard_ids or 0 in self.shard_ids


@dataclass(frozen=True, slots=True)
class AdaptersConfig:
    console: AdapterConfig = field(default_factory=AdapterConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)


@dataclass(frozen=True, slots=True)
class QuizConfig:
    open_hours: float = 24.0  # how long a /quiz question accepts answers


@dataclass(frozen=True, slots=True)
class RoundConfig:
    seconds_per_question: int = 30  # how long each question of a live /round takes answers
    min_seconds: int = 5  # a round question never moves on sooner, even when everyone has answered


@dataclass(frozen=True, slots=True)
class DailyConfig:
    default_timezone: str = "UTC"  # for groups that set a daily time without a zone
    close_minutes_before_next: int = 60  # answers to a daily question count until this long before the next
    claim_lease_seconds: int = 60  # a claimed daily question unsent this long is sent by another process


@dataclass(frozen=True, slots=True)
class StudyConfig:
    new_cards_per_day: int = 20
    mastered_stability_days: float = 21.0  # FSRS stability at which a card counts as mastered in /stats


@dataclass(frozen=True, slots=True)
class GraderConfig:
    base_url: str = (
        ""  # an OpenAI-compatible endpoint, e.g. https://api.openai.com/v1; empty: key points only
    )
    model: str = ""
    api_key_env: str = "GRADER_API_KEY"  # the environment variable holding the key
    timeout_seconds: float = 10.0


@dataclass(frozen=True, slots=True)
class MetricsConfig:
    port: int = 0  # serve /healthz and /metrics on this port; 0: off
    listen: str = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class Config:
    database: Path | str = Path("data/bot.sqlite3")  # a Path: SQLite; a postgresql:// URL (str): PostgreSQL
    content: Path = Path("content")
    log_level: str = "INFO"
    quiz: QuizConfig = field(default_factory=QuizConfig)
    daily: DailyConfig = field(default_factory=DailyConfig)
    round: RoundConfig = field(default_factory=RoundConfig)
    study: StudyConfig = field(default_factory=StudyConfig)
    grader: GraderConfig = field(default_factory=GraderConfig)
    adapters: AdaptersConfig = field(default_factory=AdaptersConfig)
    metrics: MetricsConfig = field(default_factory=MetricsConfig)
    redis_url: str = ""  # redis://host:6379/0: Telegram's flood limits shared by every process on one token

    def database_target(self, environ: Mapping[str, str] | None = None) -> Path | str:
        """The database to open: DATABASE_URL from the environment if set, else `database`."""
        value = (environ if environ is not None else os.environ).get(DATABASE_URL_VARIABLE, "").strip()
        return parse_database(value, DATABASE_URL_VARIABLE) if value else self.database

    def redis(self, environ: Mapping[str, str] | None = None) -> str | None:
        value = (environ if environ is not None else os.environ).get(REDIS_URL_VARIABLE, "").strip()
        return value or self.redis_url or None

    def token(self, adapter: str, environ: Mapping[str, str] | None = None) -> str | None:
        value = (environ if environ is not None else os.environ).get(TOKEN_VARIABLES[adapter], "").strip()
        return value or None


def load_config(path: Path | None = None) -> Config:
    """Read `path` (default: ./config.yaml if it exists, else built-in defaults)."""
    if path is None:
        if not DEFAULT_CONFIG.exists():
            return Config()
        path = DEFAULT_CONFIG
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    return parse_config(raw or {}, str(path))


def parse_config(raw: object, source: str = "config") -> Config:
    try:
        return _build(Config, raw, "")
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None


_ENABLED = ("auto", "true", "false")


def _build(kind: type, raw: object, prefix: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{prefix or 'the configuration'}: must be a mapping")
    known = {f.name: f for f in fields(kind)}
    for key in raw:
        if key not in known:
            where = f"{prefix}{key}"
            raise ConfigError(f"{where}: unknown key (known here: {', '.join(known)})")
    values: dict[str, Any] = {}
    for name, spec in known.items():
        if name not in raw:
            continue
        key = f"{prefix}{name}"
        value = raw[name]
        default = spec.default_factory() if callable(spec.default_factory) else spec.default  # type: ignore[misc]
        if name == "database" and not prefix:
            if not isinstance(value, str):
                raise ConfigError(f"{key}: must be a path or a postgresql:// URL")
            values[name] = parse_database(value, key)
        elif hasattr(default, "__dataclass_fields__"):
            values[name] = _build(type(default), value, f"{key}.")
        elif isinstance(default, Path):
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{key}: must be a path")
            values[name] = Path(value)
        elif isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ConfigError(f"{key}: must be a positive number, not {value!r}")
            values[name] = float(value)
        elif isinstance(default, tuple):
            if not isinstance(value, list) or any(
                isinstance(item, bool) or not isinstance(item, int) or item < 0 for item in value
            ):
                raise ConfigError(f"{key}: must be a list of whole numbers of at least 0, not {value!r}")
            values[name] = tuple(value)
        elif name in ("enabled", "sync_commands"):
            text = str(value).lower() if isinstance(value, bool | str) else ""
            if text not in _ENABLED:
                raise ConfigError(f"{key}: must be auto, true or false, not {value!r}")
            values[name] = text
        elif name == "mode":
            if value not in ("polling", "webhook"):
                raise ConfigError(f"{key}: must be polling or webhook, not {value!r}")
            values[name] = value
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{key}: must be true or false, not {value!r}")
            values[name] = value
        elif isinstance(default, int):
            # guild_id 0: sync commands globally; shard_count 0: no sharding; metrics.port 0: no metrics server
            lowest = 0 if name in ("guild_id", "shard_count") or key == "metrics.port" else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
                raise ConfigError(f"{key}: must be a whole number of at least {lowest}, not {value!r}")
            values[name] = value
        elif isinstance(default, str) and name != "log_level":
            if not isinstance(value, str):
                raise ConfigError(f"{key}: must be text, not {value!r}")
            values[name] = value.strip()
        elif name == "log_level":
            if str(value).upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
                raise ConfigError(f"{key}: must be DEBUG, INFO, WARNING or ERROR, not {value!r}")
            values[name] = str(value).upper()
        else:
            raise ConfigError(f"{key}: unsupported setting")
    built = kind(**values)
    if isinstance(built, DailyConfig):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(built.default_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{prefix}default_timezone: unknown time zone {built.default_timezone!r}"
            ) from None
    if isinstance(built, RoundConfig) and built.min_seconds > built.seconds_per_question:
        raise ConfigError(f"{prefix}min_seconds: must not be more than seconds_per_question")
    if isinstance(built, DiscordConfig):
        _check_shards(built, prefix)
    if (
        isinstance(built, TelegramConfig)
        and built.mode == "webhook"
        and not built.webhook_url.startswith("https://")
    ):
        raise ConfigError(
            f"{prefix}webhook_url: webhook mode needs the public https:// URL Telegram posts to"
        )
    return built


def _check_shards(config: DiscordConfig, prefix: str) -> None:
    if config.shard_ids and not config.shard_count:
        raise ConfigError(f"{prefix}shard_ids: needs shard_count, the total number of shards")
    outside = [shard for shard in config.shard_ids if shard >= config.shard_count]
    if outside:
        raise ConfigError(
            f"{prefix}shard_ids: {outside} outside 0..{config.shard_count - 1} (shard_count {config.shard_count})"
        )
    if len(set(config.shard_ids)) != len(config.shard_ids):
        raise ConfigError(f"{prefix}shard_ids: a shard is listed twice")
