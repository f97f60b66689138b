"""SharedFloodLimiter: Telegram's flood limits for one bot token, shared by every process through Redis.

Telegram counts messages per token, not per process, so two processes each keeping 30 messages/s would
together send 60 and be told to wait. With `redis_url` set, each outgoing request to a chat takes a slot
from moving windows kept in Redis by the `limits` library (30/s for the token, 20/min per group, as
PTB's AIORateLimiter does in one process). A 429 seen by any process pauses all of them for its
`retry_after` (one Redis key with that expiry), then the request is retried up to `max_retries` times.
Redis must answer at start; if it stops answering later, sends fall back to this process's own limits
(PTB's AIORateLimiter, logged once) until it is back, rather than failing.
Keys carry the bot's numeric id (the part of the token before `:`), never the token itself.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

log = logging.getLogger(__name__)
KEY_PREFIX = "study-bot"


class RedisUnavailableError(RuntimeError):
    """The Redis server holding the shared flood limits cannot be reached."""


def redacted(url: str) -> str:
    """A Redis URL fit for a log line or an error: the password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


def storage_uri(url: str) -> str:
    """`redis://…` as the `limits` library's asyncio storage spells it (`async+redis://…`)."""
    return url if url.startswith("async+") else f"async+{url}"


class SharedFloodLimiter(BaseRateLimiter[int]):
    def __init__(
        self,
        redis_url: str,
        bot_id: str,
        *,
        overall_per_second: int = 30,
        group_per_minute: int = 20,
        max_retries: int = 3,
        key_prefix: str = KEY_PREFIX,
    ) -> None:
        self._url = redis_url
        self._storage = RedisStorage(storage_uri(redis_url), key_prefix=key_prefix, wrap_exceptions=True)
        self._windows = MovingWindowRateLimiter(self._storage)
        self._overall = RateLimitItemPerSecond(overall_per_second)
        self._group = RateLimitItemPerMinute(group_per_minute)
        self._max_retries = max_retries
        self._namespace = f"telegram:{bot_id}"
        self._pause_key = f"{self._namespace}:paused"
        self._local = AIORateLimiter(
            overall_max_rate=overall_per_second, group_max_rate=group_per_minute, max_retries=max_retries
        )
        self._redis_down = False

    async def initialize(self) -> None:
        if not await self._storage.check():
            raise RedisUnavailableError(
                f"Redis at {redacted(self._url)} (redis_url) cannot be reached: start it, "
                "or remove redis_url and let one process own Telegram"
            )
        await self._local.initialize()

    async def shutdown(self) -> None:
        await self._local.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        try:
            result = await self._shared(callback, args, kwargs, endpoint, data, rate_limit_args)
        except StorageError as exc:  # only Redis calls raise it, never a send that went out
            if not self._redis_down:
                log.warning(
                    "telegram: Redis at %s stopped answering (%s); flood limits kept in this process until it is back",
                    redacted(self._url), type(exc.storage_error).__name__,
                )  # fmt: skip
                self._redis_down = True
            return await self._local.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        if self._redis_down:
            log.info("telegram: Redis answers again; flood limits shared again")
            self._redis_down = False
        return result

    async def _shared(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        group = None
        if chat_id is not None:
            try:
                group = str(chat_id) if int(chat_id) < 0 else None
            except (TypeError, ValueError):
                group = str(chat_id)  # an @channel name: channels and supergroups only
        retries = rate_limit_args or self._max_retries
        for attempt in range(retries + 1):
            if chat_id is not None:
                await self._wait_for_pause()
                if group is not None:
                    await self._take(self._group, "group", group)
                await self._take(self._overall, "overall")
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                wait = _seconds(exc)
                log.info("telegram: flood limit on %s; every process pauses %.0fs", endpoint, wait)
                await self._storage.incr(self._pause_key, max(1, math.ceil(wait)))
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def _take(self, item: RateLimitItem, *identifiers: str) -> None:
        """Wait until the shared window has room, then take one slot in it."""
        while not await self._windows.hit(item, self._namespace, *identifiers):
            stats = await self._windows.get_window_stats(item, self._namespace, *identifiers)
            await asyncio.sleep(min(max(stats.reset_time - time.time(), 0.01), item.get_expiry()))

    async def _wait_for_pause(self) -> None:
        while await self._storage.get(self._pause_key):
            await asyncio.sleep(max(await self._storage.get_expiry(self._pause_key) - time.time(), 0.05))


def _seconds(exc: RetryAfter) -> float:
    retry_after = getattr(exc, "_retry_after", None) or exc.retry_after  # PTB 22 warns on the public one
    return float(retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else retry_after)
