"""MeteredStore: the Store port with every call timed, and answers and daily posts counted from the calls.

It wraps any Store (SQLite today) without the core knowing: each coroutine method is timed into
`study_bot_store_latency_seconds{operation}`, and the results of a few calls are read for the counters
(an answer recorded, a daily post claimed, sent, and how long after its time).
"""

from __future__ import annotations

import inspect
import time
from datetime import datetime, timedelta
from typing import Any

from bot.adapters.metrics.prometheus import BotMetrics

LATE_AFTER = timedelta(minutes=1)


class MeteredStore:
    def __init__(self, store: Any, metrics: BotMetrics) -> None:
        self._store = store
        self._metrics = metrics
        self._due: dict[int, datetime] = {}  # chat id -> when its daily question was due
        self._claimed: dict[int, datetime] = {}  # daily post id -> when it was due

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not inspect.iscoroutinefunction(value):
            return value
        observe = self._metrics.store_latency.labels(name).observe
        after = getattr(self, f"_after_{name}", None)

        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                result = await value(*args, **kwargs)
            finally:
                observe(time.perf_counter() - started)
            if after is not None:
                after(result, *args, **kwargs)
            return result

        self.__dict__[name] = timed  # looked up once
        return timed

    def _after_record_answer(self, result: Any, answer: Any) -> None:
        if result.recorded:
            self._metrics.answers.labels(answer.mode, str(answer.correct).lower()).inc()

    def _after_due_subscriptions(self, result: Any, *_: Any, **__: Any) -> None:
        for subscription, chat in result:
            if subscription.next_due_at is not None:
                self._due[chat.id] = subscription.next_due_at

    def _after_claim_daily(self, result: Any, *_: Any, **__: Any) -> None:
        for claimed in result:
            if claimed is None:
                continue
            claim, daily_id, _post = claimed
            self._metrics.daily_claimed.inc()
            due = self._due.pop(claim.chat_id, None)
            if due is not None:
                self._claimed[daily_id] = due

    def _after_mark_daily(self, result: Any, daily_id: int, state: str, at: datetime, **_: Any) -> None:
        due = self._claimed.pop(daily_id, None) if state in ("sent", "failed") else None
        if state != "sent":
            return
        self._metrics.daily_sent.inc()
        if due is not None:
            delay = at - due
            self._metrics.daily_delay.observe(max(delay.total_seconds(), 0.0))
            if delay > LATE_AFTER:
                self._metrics.daily_late.inc()
