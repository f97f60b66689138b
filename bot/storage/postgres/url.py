"""PostgreSQL URLs: which values select PostgreSQL, and the form fit for a log line or an error (the
password, in the user part or as a `password=` parameter, replaced by ***)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from bot.storage.errors import DatabaseUnusableError

SCHEMES = ("postgresql://", "postgres://")
_PASSWORD_PARAMETER = re.compile(r"(?i)(password=)[^&]*")


def is_postgres_url(value: str) -> bool:
    return value.strip().lower().startswith(SCHEMES)


def redacted(url: str) -> str:
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not parseable: show the scheme only
        return url.split("://", 1)[0] + "://***"
    netloc = parts.netloc
    if password is not None:
        host = netloc.rsplit("@", 1)[1]
        netloc = (f"{parts.username}:***@" if parts.username else ":***@") + host
    query = _PASSWORD_PARAMETER.sub(r"\1***", parts.query)
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def password_of(url: str) -> str | None:
    """The password in `url` (user part or parameter), so the log filter can hide it anywhere it appears."""
    try:
        password = urlsplit(url).password
    except ValueError:
        return None
    if password:
        return password
    found = _PASSWORD_PARAMETER.search(url)
    return found.group(0).split("=", 1)[1] if found else None


def unusable(url: str, error: BaseException) -> DatabaseUnusableError:
    """The error for a server that cannot be reached or refused us: the URL without its password, and the
    driver's reason (which never holds the password either)."""
    reason = str(error) or type(error).__name__
    password = password_of(url)
    if password:
        reason = reason.replace(password, "***")
    return DatabaseUnusableError(
        f"cannot use the PostgreSQL database {redacted(url)} ({reason}): check that the server is running and "
        f"the URL (`database` in config.yaml, or DATABASE_URL) is right"
    )
