"""Logging for the command line: one stderr handler, chatty HTTP libraries quieted, and no secret in any line.

httpx logs every request URL at INFO, and a Bot API URL carries the Telegram token
(`…/bot<token>/getMe`); python-telegram-bot logs its base URL at DEBUG. So httpx and httpcore are
held at WARNING, and a filter on the handler replaces every secret (the bot tokens, the grader key,
the webhook secret) in the message, its arguments and any traceback, whichever library logged it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

QUIET_LOGGERS = ("httpx", "httpcore")
REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 6  # shorter values would blank out ordinary words; real tokens are far longer
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    """Replaces each secret (and its URL-encoded form) in a record before any handler formats it."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        forms = set()
        for secret in secrets:
            if secret and len(secret) >= MIN_SECRET_LENGTH:
                forms.update({secret, quote(secret, safe=""), quote(secret)})
        self._secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: let the handler report it, with the raw parts redacted
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(level: str, secrets: Iterable[str | None], stream: TextIO | None = None) -> None:
    """Log to stderr at `level` through one handler that never prints a secret."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter(secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
