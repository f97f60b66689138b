"""BotMetrics: every Prometheus instrument of one process, in its own registry (names in the README)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

SECONDS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class BotMetrics:
    """Implements the core's DeliveryMetrics port; the store and scheduler wrappers feed the rest."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.answers = Counter(
            "study_bot_answers_recorded", "Answers committed to the database, by mode (quiz, daily, study) "
            "and whether they were right", ["mode", "correct"], registry=r,
        )  # fmt: skip
        self.replies_sent = Counter(
            "study_bot_replies_sent", "Messages, edits and button answers the platform accepted",
            ["platform"], registry=r,
        )  # fmt: skip
        self.replies_failed = Counter(
            "study_bot_replies_failed", "Messages, edits and button answers the platform refused or that "
            "could not be delivered", ["platform"], registry=r,
        )  # fmt: skip
        self.rate_limits = Counter(
            "study_bot_rate_limited",
            "429 Too Many Requests answers from the platform",
            ["platform"],
            registry=r,
        )
        self.retry_wait = Histogram(
            "study_bot_retry_wait_seconds", "How long a 429 told the bot to wait", ["platform"], registry=r,
            buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300),
        )  # fmt: skip
        self.daily_claimed = Counter(
            "study_bot_daily_posts_claimed",
            "Daily questions claimed in the database (before sending)",
            registry=r,
        )
        self.daily_sent = Counter("study_bot_daily_posts_sent", "Daily questions sent", registry=r)
        self.daily_late = Counter(
            "study_bot_daily_posts_late",
            "Daily questions sent more than a minute after their time",
            registry=r,
        )
        self.daily_delay = Histogram(
            "study_bot_daily_post_delay_seconds", "From a daily question's time to its send", registry=r,
            buckets=(1, 5, 15, 60, 300, 900, 3600, 4 * 3600),
        )  # fmt: skip
        self.loop_lag = Histogram(
            "study_bot_event_loop_lag_seconds", "How late the event loop ran a timer (blocking work shows here)",
            registry=r, buckets=SECONDS,
        )  # fmt: skip
        self.store_latency = Histogram(
            "study_bot_store_latency_seconds", "Store (database) calls by operation", ["operation"],
            registry=r, buckets=SECONDS,
        )  # fmt: skip
        self.scheduler_tick = Gauge(
            "study_bot_scheduler_last_tick_timestamp_seconds", "When the daily scheduler last finished a pass",
            registry=r,
        )  # fmt: skip
        self.adapter_connected = Gauge(
            "study_bot_adapter_connected", "1 while the adapter is connected to its platform", ["adapter"],
            registry=r,
        )  # fmt: skip

    # --- DeliveryMetrics --------------------------------------------------------------------------------

    def reply_sent(self, platform: str) -> None:
        self.replies_sent.labels(platform).inc()

    def reply_failed(self, platform: str) -> None:
        self.replies_failed.labels(platform).inc()

    def rate_limited(self, platform: str, wait_seconds: float) -> None:
        self.rate_limits.labels(platform).inc()
        self.retry_wait.labels(platform).observe(max(wait_seconds, 0.0))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
