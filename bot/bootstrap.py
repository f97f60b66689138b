"""The composition root: builds the question bank, the store, the service and the adapters from a Config."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.config import TOKEN_VARIABLES, WEBHOOK_SECRET_VARIABLE, Config
from bot.core.chart_worker import ChartWorker
from bot.core.content import ContentReport, load_content
from bot.core.content.deck_settings import SETTINGS_FILE, read_synonyms
from bot.core.daily import DailyQuestions, DailyScheduler, DailySettings
from bot.core.ports import Store, SystemClock
from bot.core.progress import warm_up
from bot.core.question_bank import QuestionBank
from bot.core.rounds import RoundScheduler, RoundSettings
from bot.core.service import ServiceSettings, StudyService
from bot.core.study import StudySettings
from bot.storage.sqlite.store import SqliteStore

if TYPE_CHECKING:
    from bot.adapters.metrics import BotMetrics

log = logging.getLogger(__name__)


@dataclass(slots=True)
class App:
    config: Config
    report: ContentReport
    store: Store
    service: StudyService
    daily: DailyQuestions
    schedule_changed: asyncio.Event

    async def close(self) -> None:
        self.service.progress.charts.close()
        await self.store.close()


def load_bank(config: Config) -> tuple[QuestionBank, ContentReport]:
    report = load_content([config.content])
    for warning in report.warnings + [w for deck in report.decks for w in deck.warnings]:
        log.info("content: %s", warning)
    for error in report.errors:
        log.error("content: %s (the other documents are loaded)", error)
    bank = QuestionBank(report)
    log.info("loaded %d cards in %d decks from %s", bank.card_count, len(bank.decks), config.content)
    started = time.perf_counter()
    bank.prepare()
    log.info(
        "multiple choice ready for %d of %d cards in %.1f s",
        len(bank.quizzable(None)), bank.card_count, time.perf_counter() - started,
    )  # fmt: skip
    return bank, report


async def build_app(config: Config, metrics: BotMetrics | None = None) -> App:
    # the store first: a database that cannot be opened (an unwritable folder, a server that is down) stops the
    # start before anything else is spawned or parsed
    store = await open_store(config)
    # the /stats chart process then starts and warms up (matplotlib, fonts, a first chart) on the other core
    # while the rest is built; nothing waits for it
    charts = ChartWorker()
    try:
        await charts.start_process(warm_up)
        # parsing and building multiple choice are CPU-bound: a worker thread, before any adapter starts
        bank, report = await asyncio.to_thread(load_bank, config)
    except BaseException:
        charts.close()
        await store.close()
        raise
    try:
        return await _assemble(config, metrics, bank, report, store, charts)
    except BaseException:
        # an open store keeps aiosqlite's threads alive: without this, a failed start never exits
        charts.close()
        await store.close()
        raise


async def open_store(config: Config, environ: Mapping[str, str] | None = None) -> Store:
    """The store the configuration names: DATABASE_URL or `database` as a postgresql:// URL selects
    PostgreSQL; a path (or sqlite:///path) keeps SQLite."""
    target = config.database_target(environ)
    if isinstance(target, str):
        from bot.storage.postgres.store import PostgresStore
        from bot.storage.postgres.url import redacted

        log.info("database: PostgreSQL at %s", redacted(target))
        return await PostgresStore.open(target)
    return await SqliteStore.open(target)


def database_label(config: Config, environ: Mapping[str, str] | None = None) -> str:
    """The configured database as a log line or an error may show it (a URL without its password)."""
    target = config.database_target(environ)
    if isinstance(target, str):
        from bot.storage.postgres.url import redacted

        return redacted(target)
    return str(target)


async def _assemble(
    config: Config, metrics: BotMetrics | None, bank: QuestionBank, report: ContentReport, store: Store,
    charts: ChartWorker,
) -> App:  # fmt: skip
    if metrics is not None:
        from bot.adapters.metrics import MeteredStore

        store = MeteredStore(store, metrics)  # type: ignore[assignment]  # every Store call timed
    daily = DailyQuestions(
        bank,
        store,
        DailySettings(
            default_timezone=config.daily.default_timezone,
            close_before_next=timedelta(minutes=config.daily.close_minutes_before_next),
            claim_lease=timedelta(seconds=config.daily.claim_lease_seconds),
        ),
    )
    schedule_changed = asyncio.Event()
    grader = None
    if config.grader.base_url and config.grader.model:
        from bot.adapters.model_grader import ModelGrader

        grader = ModelGrader(
            config.grader.base_url, config.grader.model, os.environ.get(config.grader.api_key_env),
            timeout=config.grader.timeout_seconds,
        )  # fmt: skip
    service = StudyService(
        bank,
        store,
        settings=ServiceSettings(quiz_open_for=timedelta(hours=config.quiz.open_hours)),
        daily=daily,
        on_schedule_change=schedule_changed.set,
        study=StudySettings(
            new_cards_per_day=config.study.new_cards_per_day,
            mastered_stability_days=config.study.mastered_stability_days,
            model_timeout_seconds=config.grader.timeout_seconds,
            synonyms=synonyms(config),
        ),
        model_grader=grader,
        rounds=RoundSettings(
            seconds_per_question=config.round.seconds_per_question, min_seconds=config.round.min_seconds
        ),
        charts=charts,
    )
    uploaded = await service.own_decks.load_all()  # decks chats uploaded, parsed again in worker threads
    if uploaded:
        log.info("loaded %d decks uploaded by chats", uploaded)
    await service.study.prepare()  # jieba's dictionary and the term pairs, in a worker thread, before ready
    return App(config, report, store, service, daily, schedule_changed)


def synonyms(config: Config) -> tuple[tuple[str, ...], ...]:
    """The `synonyms:` of the content's decks.yaml, for grading answers."""
    folder = config.content if config.content.is_dir() else config.content.parent
    return tuple(read_synonyms(folder / SETTINGS_FILE))


def chosen_adapters(config: Config) -> list[str]:
    """Which adapters `run` starts: platforms whose token is set (or that are forced on), else the console."""
    chosen = []
    for name in ("telegram", "discord"):
        setting = getattr(config.adapters, name).enabled
        if setting == "true" or (setting == "auto" and config.token(name)):
            chosen.append(name)
    console = config.adapters.console.enabled
    if console == "true" or (console == "auto" and not chosen):
        chosen.append("console")
    return chosen


class AdapterUnavailableError(RuntimeError):
    """An adapter was asked for but cannot run (no token, no webhook secret)."""


class AdapterFailedError(RuntimeError):
    """An adapter stopped with an error (a refused token, an unreachable server)."""


def build_adapters(
    config: Config, app: App, environ: Mapping[str, str] | None = None, *, metrics: BotMetrics | None = None
) -> list:
    environ = os.environ if environ is None else environ
    adapters: list = []
    for name in chosen_adapters(config):
        if name == "console":
            from bot.adapters.console import ConsoleAdapter

            adapters.append(ConsoleAdapter(app.service))
            continue
        token = config.token(name, environ)
        if token is None:
            raise AdapterUnavailableError(
                f"adapters.{name}.enabled is true but {TOKEN_VARIABLES[name]} is not set"
            )
        if name == "telegram":
            from bot.adapters.telegram import TelegramAdapter

            secret = environ.get(WEBHOOK_SECRET_VARIABLE) or None
            if config.adapters.telegram.mode == "webhook" and secret is None:
                raise AdapterUnavailableError(
                    f"telegram webhook mode needs {WEBHOOK_SECRET_VARIABLE} to be set"
                )
            adapters.append(
                TelegramAdapter(
                    app.service,
                    token,
                    config.adapters.telegram,
                    webhook_secret=secret,
                    rate_limiter=_telegram_rate_limiter(config, token, environ, metrics),
                )
            )
        else:
            from bot.adapters.discord import DiscordAdapter

            trace = None
            if metrics is not None:
                from bot.adapters.discord.http_metrics import delivery_trace

                trace = delivery_trace(metrics)
            adapters.append(DiscordAdapter(app.service, token, config.adapters.discord, http_trace=trace))
    return adapters


def _telegram_rate_limiter(
    config: Config, token: str, environ: Mapping[str, str], metrics: BotMetrics | None
):  # fmt: skip
    """With Redis configured, Telegram's flood limits shared by every process on the token; else PTB's own
    in this process. With metrics on, wrapped to count replies and 429s."""
    from bot.adapters.telegram.adapter import default_rate_limiter

    redis_url = config.redis(environ)
    if redis_url is None and metrics is None:
        return None
    limiter = default_rate_limiter()
    if redis_url is not None:
        from bot.adapters.telegram.shared_limits import SharedFloodLimiter, redacted

        log.info("telegram: flood limits shared through Redis at %s", redacted(redis_url))
        limiter = SharedFloodLimiter(redis_url, bot_id=token.split(":", 1)[0])
    if metrics is not None:
        from bot.adapters.telegram.metered_limits import MeteredRateLimiter

        limiter = MeteredRateLimiter(limiter, metrics)
    return limiter


async def run(config: Config) -> None:
    """Run every chosen adapter until they finish (the console at end of input) or SIGINT/SIGTERM."""
    metrics = _metrics(config)
    app = await build_app(config, metrics)
    server = None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal_number, stop.set)
    try:
        adapters = build_adapters(config, app, metrics=metrics)
        posters = {adapter.name: adapter for adapter in adapters}
        if metrics is None:
            scheduler = DailyScheduler(
                app.daily, app.store, SystemClock(), posters,
                wake=app.schedule_changed, reminders=app.service.reminders,
            )  # fmt: skip
        else:
            server, scheduler = await _serve_metrics(config, app, metrics, adapters, posters)
        rounds = RoundScheduler(app.service.rounds, SystemClock(), posters)
        tasks = [asyncio.create_task(adapter.run(stop), name=adapter.name) for adapter in adapters]
        # the scheduler serves the adapters: it runs beside them and stops when they have all finished
        daily_task = asyncio.create_task(scheduler.run(stop), name="daily")
        rounds_task = asyncio.create_task(rounds.run(stop), name="rounds")
        stopper = asyncio.create_task(stop.wait())
        pending = set(tasks)
        failures: list[str] = []
        while pending and not stop.is_set():
            done, pending = await asyncio.wait(pending | {stopper}, return_when=asyncio.FIRST_COMPLETED)
            pending.discard(stopper)
            for task in done - {stopper}:
                error = task.exception()
                if error is not None:
                    log.error("adapter %s stopped with an error", task.get_name(), exc_info=error)
                    failures.append(f"{task.get_name()}: {error}")
        stop.set()
        pending |= {daily_task, rounds_task}
        if pending:
            await asyncio.wait(pending, timeout=30)
        for task in pending:
            task.cancel()
        stopper.cancel()
        if failures:
            raise AdapterFailedError("; ".join(failures))
    finally:
        if server is not None:
            await server.stop()
        await app.close()


def _metrics(config: Config) -> BotMetrics | None:
    if not config.metrics.port:
        return None
    from bot.adapters.metrics import BotMetrics

    return BotMetrics()


async def _serve_metrics(config: Config, app: App, metrics: BotMetrics, adapters: list, posters: dict):
    """The scheduler, watched, and the /metrics and /healthz server over the store, adapters and scheduler."""
    from bot.adapters.metrics import MetricsServer, WatchedScheduler

    scheduler = WatchedScheduler(
        app.daily, app.store, SystemClock(), posters, wake=app.schedule_changed,
        reminders=app.service.reminders, metrics=metrics,
    )  # fmt: skip
    server = MetricsServer(
        metrics, app.store, adapters, scheduler, listen=config.metrics.listen, port=config.metrics.port
    )
    try:
        await server.start()
    except OSError as exc:
        raise AdapterUnavailableError(
            f"metrics.port: cannot serve on {config.metrics.listen}:{config.metrics.port} ({exc.strerror or exc})"
        ) from exc
    return server, scheduler
