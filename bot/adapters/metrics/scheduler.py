"""WatchedScheduler: the daily scheduler, remembering when it last finished a pass (for /healthz)."""

from __future__ import annotations

import time
from typing import Any

from bot.adapters.metrics.prometheus import BotMetrics
from bot.core.daily import DailyScheduler, TickReport


class WatchedScheduler(DailyScheduler):
    def __init__(self, *args: Any, metrics: BotMetrics, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metrics = metrics
        self.started = time.monotonic()
        self.last_tick: float | None = None

    async def tick(self) -> TickReport:
        report = await super().tick()
        self.last_tick = time.monotonic()
        self.metrics.scheduler_tick.set_to_current_time()
        return report

    @property
    def allowed_silence(self) -> float:
        """A pass at least every idle_seconds is normal; three missed in a row is not."""
        return max(3 * self.settings.idle_seconds, 60.0)

    def ticking(self) -> tuple[bool, float]:
        """Whether passes are happening, and the seconds since the last one (or since start)."""
        since = time.monotonic() - (self.last_tick if self.last_tick is not None else self.started)
        return since <= self.allowed_silence, since
