"""MeteredRateLimiter: wraps the Telegram rate limiter to count replies sent and failed, 429s and waits.

Every Bot API call passes through PTB's rate limiter, so this is where the platform's answers are seen:
each attempt's 429 (RetryAfter) is counted with its `retry_after` before the inner limiter waits and
retries, and a reply (a send, an edit, a button answer) is counted once, as sent or as failed.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.core.metrics import DeliveryMetrics

PLATFORM = "telegram"
REPLY_PREFIXES = ("send", "edit", "answerCallbackQuery", "copyMessage", "forwardMessage")


class MeteredRateLimiter(BaseRateLimiter[int]):
    def __init__(self, inner: BaseRateLimiter, metrics: DeliveryMetrics) -> None:
        self.inner = inner
        self.metrics = metrics

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        async def attempt(*a: Any, **kw: Any) -> bool | dict[str, Any] | list[dict[str, Any]]:
            try:
                return await callback(*a, **kw)
            except RetryAfter as exc:
                retry_after = getattr(exc, "_retry_after", None) or exc.retry_after
                wait = retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else retry_after
                self.metrics.rate_limited(PLATFORM, float(wait))
                raise

        reply = endpoint.startswith(REPLY_PREFIXES)
        try:
            result = await self.inner.process_request(attempt, args, kwargs, endpoint, data, rate_limit_args)
        except Exception:
            if reply:
                self.metrics.reply_failed(PLATFORM)
            raise
        if reply:
            self.metrics.reply_sent(PLATFORM)
        return result
