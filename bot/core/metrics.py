"""DeliveryMetrics: the port through which adapters report what the platforms did with the bot's messages.

The core counts nothing itself; adapters report deliveries and rate limits here, and the composition root
plugs in an implementation (Prometheus, bot/adapters/metrics/) or none.
"""

from __future__ import annotations

from typing import Protocol


class DeliveryMetrics(Protocol):
    def reply_sent(self, platform: str) -> None:
        """The platform accepted a message, an edit or a button answer."""

    def reply_failed(self, platform: str) -> None:
        """The platform refused one, or it could not be delivered."""

    def rate_limited(self, platform: str, wait_seconds: float) -> None:
        """The platform answered 429 Too Many Requests and asked the bot to wait."""
