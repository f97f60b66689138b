"""The last moment before a daily question leaves: how a send is marked as started in the database right
before the platform request, after any rate limiter has let it through.

A daily question claimed by a process that dies before sending it must be sent by another process, and
one whose send may have reached the platform must never be sent again. So the scheduler records "send
started" (a conditional write: only the claim's holder, only once) at the last moment: an adapter whose
poster sets `gates_sends` calls BEFORE_SEND's hook from inside its rate limiter, just before the HTTP
request; for any other poster the scheduler opens the gate itself before calling it. A claim whose gate
was never opened is taken over by another process after the claim lease (DailySettings.claim_lease).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar

BEFORE_SEND: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar("before_send", default=None)


class SendTaken(Exception):
    """Another process took this claim over (its lease expired): this one must not send it."""


class SendGate:
    """Opens once: the first call records the start through `start` (False: the claim is no longer ours,
    raise SendTaken); later calls (the next part of a long message, a retry after a 429) pass."""

    def __init__(self, start: Callable[[], Awaitable[bool]]) -> None:
        self._start = start
        self.opened = False

    async def open(self) -> None:
        if self.opened:
            return
        if not await self._start():
            raise SendTaken()
        self.opened = True
