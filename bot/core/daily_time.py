"""Local-time rules for daily questions: when "09:00 in Europe/Berlin" happens, once per local date.

A post time that does not exist on a spring-forward day (02:30 when clocks jump 02:00 -> 03:00) is
taken with the offset from before the jump, which lands after the gap (03:30). A post time that
happens twice on a fall-back day is taken at its first occurrence. Either way each local date has
exactly one post instant, and the next one is always computed for the following local date.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
PERIODS = ("today", "week", "month", "all")


def parse_clock(text: str) -> time | None:
    match = _CLOCK.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def parse_zone(name: str) -> ZoneInfo | None:
    """An IANA zone by its name, in any case (`utc`, `asia/shanghai`); None for anything else."""
    if not name or "." in name or name.startswith("/"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        canonical = _zone_names().get(name.casefold())
        return ZoneInfo(canonical) if canonical else None


@functools.cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name by its case-folded form (read once: it lists the zone database)."""
    return {zone.casefold(): zone for zone in zoneinfo.available_timezones()}


def post_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of `at` on local date `day` (gap: after the jump; repeated hour: the first)."""
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def next_post(after: datetime, at: time, zone: ZoneInfo) -> tuple[date, datetime]:
    """The first local date whose post instant is later than `after`, with that instant."""
    day = local_date(after, zone)
    while True:
        instant = post_instant(day, at, zone)
        if instant > after:
            return day, instant
        day += timedelta(days=1)


def period_start(period: str, now: datetime, zone: ZoneInfo) -> date | None:
    """First local date of `period` (weeks start on Monday); None for all time."""
    today = local_date(now, zone)
    if period == "today":
        return today
    if period == "week":
        return today - timedelta(days=today.weekday())
    if period == "month":
        return today.replace(day=1)
    return None
