"""One poller per token: telling a lasting 409 Conflict (a second process polling) from a passing one.

Telegram ends a waiting getUpdates with 409 Conflict when another getUpdates arrives for the same token.
One conflict can be harmless: another process's last poll as it shuts down during a restart. Two
processes that both keep polling interrupt each other again and again; a process that meets
CONFLICTS_TO_STOP conflicts within CONFLICT_WINDOW seconds stops with PollingConflictError, and the
other keeps the token.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque

from telegram.error import Conflict, TelegramError
from telegram.ext import Updater

log = logging.getLogger(__name__)
CONFLICTS_TO_STOP = 3
CONFLICT_WINDOW = 30.0


class PollingConflictError(RuntimeError):
    """Another process polls Telegram with the same token (409 Conflict): only one may."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "another process is already polling Telegram with this token (409 Conflict: "
            f"{detail}). Only one process may poll a bot token: stop the other one, or run several "
            "workers in webhook mode (adapters.telegram.mode: webhook)"
        )


class ConflictWatch:
    def __init__(self, limit: int = CONFLICTS_TO_STOP, window: float = CONFLICT_WINDOW) -> None:
        self.limit, self.window = limit, window
        self.lasting: asyncio.Future[Conflict] = asyncio.get_running_loop().create_future()
        self._seen: deque[float] = deque()

    def on_error(self, error: TelegramError) -> None:
        """PTB's polling error_callback (it must not be a coroutine)."""
        if not isinstance(error, Conflict):
            log.error("telegram: polling for updates failed; retrying", exc_info=error)
            return
        now = time.monotonic()
        self._seen.append(now)
        while now - self._seen[0] > self.window:
            self._seen.popleft()
        if len(self._seen) >= self.limit:
            if not self.lasting.done():
                self.lasting.set_result(error)
            return
        log.warning("telegram: 409 Conflict while polling (%s); retrying", error.message)


def skip_final_poll(updater: Updater) -> None:
    """Stopping polls once more to confirm the last update; after a conflict that poll would interrupt the
    process that keeps the token, so it is skipped (PTB has no public switch for it)."""
    updater._Updater__polling_cleanup_cb = None  # type: ignore[attr-defined]
