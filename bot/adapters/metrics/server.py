"""MetricsServer: `/metrics` (Prometheus text format) and `/healthz` on `metrics.listen`:`metrics.port`.

/healthz answers 200 when the database answers a query within HEALTH_TIMEOUT, every adapter is connected
to its platform and the daily scheduler finished a pass recently; otherwise 503. Both bodies say which
check failed. The server also samples event-loop lag: a timer that should fire every LAG_INTERVAL and
fires late shows work blocking the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.adapters.metrics.prometheus import BotMetrics
from bot.adapters.metrics.scheduler import WatchedScheduler

log = logging.getLogger(__name__)
HEALTH_TIMEOUT = 2.0
LAG_INTERVAL = 0.25


class MetricsServer:
    def __init__(
        self, metrics: BotMetrics, store: Any, adapters: Sequence[Any], scheduler: WatchedScheduler | None,
        *, listen: str = "127.0.0.1", port: int = 0,
    ) -> None:  # fmt: skip
        self.metrics = metrics
        self.store = store
        self.adapters = list(adapters)
        self.scheduler = scheduler
        self.listen = listen
        self.port = port
        self._runner: web.AppRunner | None = None
        self._lag_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen (OSError when the port is taken) and start sampling event-loop lag."""
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._healthz)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.listen, self.port)
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            raise
        if not self.port:
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._lag_task = asyncio.create_task(self._sample_lag(), name="event-loop-lag")
        log.info("metrics: /metrics and /healthz on http://%s:%d", self.listen, self.port)

    async def stop(self) -> None:
        if self._lag_task is not None:
            self._lag_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lag_task
        if self._runner is not None:
            await self._runner.cleanup()

    async def health(self) -> tuple[bool, dict[str, Any]]:
        checks: dict[str, Any] = {"database": await self._database()}
        connected = self._connected()
        checks["adapters"] = {"ok": all(connected.values()), "connected": connected}
        if self.scheduler is not None:
            ticking, since = self.scheduler.ticking()
            checks["scheduler"] = {"ok": ticking, "seconds_since_last_pass": round(since, 1)}
        healthy = all(check["ok"] for check in checks.values())
        return healthy, {"status": "ok" if healthy else "failing", "checks": checks}

    async def _database(self) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            await asyncio.wait_for(self.store.get_post(0), HEALTH_TIMEOUT)  # a cheap read through the port
        except Exception as exc:
            return {"ok": False, "error": type(exc).__name__}
        return {"ok": True, "seconds": round(time.perf_counter() - started, 4)}

    def _connected(self) -> dict[str, bool]:
        connected = {adapter.name: bool(getattr(adapter, "connected", True)) for adapter in self.adapters}
        for name, up in connected.items():
            self.metrics.adapter_connected.labels(name).set(1 if up else 0)
        return connected

    async def _healthz(self, _: web.Request) -> web.Response:
        healthy, body = await self.health()
        return web.json_response(body, status=200 if healthy else 503)

    async def _metrics(self, _: web.Request) -> web.Response:
        self._connected()
        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _sample_lag(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            expected = loop.time() + LAG_INTERVAL
            await asyncio.sleep(LAG_INTERVAL)
            self.metrics.loop_lag.observe(max(loop.time() - expected, 0.0))
