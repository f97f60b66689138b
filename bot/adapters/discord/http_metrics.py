"""An aiohttp trace for discord.py's HTTP client: replies sent and failed, 429s and their waits.

discord.py handles rate limits itself (it waits and retries inside its HTTP client), so its requests are
observed through aiohttp's tracing hooks (`Client(http_trace=…)`): a 429 is counted with the wait
Discord asked for, and a reply (an interaction response, a follow-up, a channel message or an edit) as
sent or failed by its final status.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import aiohttp

from bot.core.metrics import DeliveryMetrics

PLATFORM = "discord"
_REPLY = re.compile(
    r"/interactions/\d+/[^/]+/callback$|/webhooks/\d+/[^/]+(/messages/[^/]+)?$|/channels/\d+/messages(/\d+)?$"
)


def _is_reply(method: str, path: str) -> bool:
    return method in ("POST", "PATCH") and _REPLY.search(path) is not None


async def _retry_after(response: aiohttp.ClientResponse) -> float:
    for header in ("Retry-After", "X-RateLimit-Reset-After"):
        with contextlib.suppress(KeyError, TypeError, ValueError):
            return float(response.headers[header])
    with contextlib.suppress(Exception):
        return float((await response.json(content_type=None))["retry_after"])
    return 0.0


def delivery_trace(metrics: DeliveryMetrics) -> aiohttp.TraceConfig:
    trace = aiohttp.TraceConfig()

    async def on_end(_: Any, __: Any, params: aiohttp.TraceRequestEndParams) -> None:
        status = params.response.status
        if status == 429:
            metrics.rate_limited(PLATFORM, await _retry_after(params.response))
        elif _is_reply(params.method, params.url.path):
            if status < 400:
                metrics.reply_sent(PLATFORM)
            else:
                metrics.reply_failed(PLATFORM)

    async def on_error(_: Any, __: Any, params: aiohttp.TraceRequestExceptionParams) -> None:
        if _is_reply(params.method, params.url.path):
            metrics.reply_failed(PLATFORM)

    trace.on_request_end.append(on_end)
    trace.on_request_exception.append(on_error)
    return trace
