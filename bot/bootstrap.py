"""The composition root: builds the question bank, the store, the service and the adapters from a Config."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.config import Config
from bot.core.content import ContentReport, load_content
from bot.core.question_bank import QuestionBank
from bot.core.service import ServiceSettings, StudyService
from bot.storage.sqlite_store import SqliteStore

log = logging.getLogger(__name__)


@dataclass(slots=True)
class App:
    config: Config
    report: ContentReport
    store: SqliteStore
    service: StudyService

    async def close(self) -> None:
        await self.store.close()


def load_bank(config: Config) -> tuple[QuestionBank, ContentReport]:
    report = load_content([config.content])
    for warning in report.warnings + [w for deck in report.decks for w in deck.warnings]:
        log.info("content: %s", warning)
    for error in report.errors:
        log.error("content: %s (the other documents are loaded)", error)
    bank = QuestionBank(report)
    log.info("loaded %d cards in %d decks from %s", bank.card_count, len(bank.decks), config.content)
    return bank, report


async def build_app(config: Config) -> App:
    bank, report = load_bank(config)
    store = await SqliteStore.open(config.database)
    service = StudyService(
        bank, store, settings=ServiceSettings(quiz_open_for=timedelta(hours=config.quiz.open_hours))
    )
    return App(config, report, store, service)


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
    pass


async def run(config: Config) -> None:
    app = await build_app(config)
    try:
        adapters = []
        for name in chosen_adapters(config):
            if name == "console":
                from bot.adapters.console import ConsoleAdapter

                adapters.append(ConsoleAdapter(app.service))
            else:
                raise AdapterUnavailableError(
                    f"the {name} adapter is not part of this version yet; unset its token or set "
                    f"adapters.{name}.enabled: false"
                )
        await asyncio.gather(*(adapter.run() for adapter in adapters))
    finally:
        await app.close()
