"""GatedRateLimiter: runs the scheduler's "send started" hook (bot/core/send_gate.py) inside PTB's rate
limiter, after the flood limits have let a request through and just before its HTTP call. A daily question
that waits its turn in the limiter is then not yet marked as begun, so if this process dies while it
waits, another process takes the claim over and sends it; once marked, it is never sent twice."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import BaseRateLimiter

from bot.core.send_gate import BEFORE_SEND


class GatedRateLimiter(BaseRateLimiter[int]):
    def __init__(self, inner: BaseRateLimiter) -> None:
        self.inner = inner

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
        hook = BEFORE_SEND.get()
        if hook is None:
            return await self.inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)

        async def gated(*a: Any, **kw: Any) -> bool | dict[str, Any] | list[dict[str, Any]]:
            await hook()  # raises SendTaken when the claim is no longer this process's
            return await callback(*a, **kw)

        return await self.inner.process_request(gated, args, kwargs, endpoint, data, rate_limit_args)
