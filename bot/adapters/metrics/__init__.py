"""Operability: Prometheus metrics and /healthz for one bot process (on when `metrics.port` is set).

prometheus.py holds the instruments; store.py times every Store call and reads answers and daily posts from
them; scheduler.py remembers the scheduler's last pass; server.py serves /metrics and /healthz and measures
event-loop lag. Platform-specific counting lives with each adapter (Telegram's rate limiter, Discord's HTTP
trace) and reports through the core's DeliveryMetrics port.
"""

from bot.adapters.metrics.prometheus import BotMetrics
from bot.adapters.metrics.scheduler import WatchedScheduler
from bot.adapters.metrics.server import MetricsServer
from bot.adapters.metrics.store import MeteredStore

__all__ = ["BotMetrics", "MeteredStore", "MetricsServer", "WatchedScheduler"]
