"""Weekly repeats that keep the party's local wall-clock time across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

WEEK = timedelta(weeks=1)


def weekly_occurrence(start: datetime, zone: ZoneInfo, weeks: int) -> datetime:
    """Return the occurrence `weeks` weeks after `start` at the same local time in `zone` (UTC)."""
    # Arithmetic on the naive wall time keeps "20:00 in Paris" at 20:00 when the offset changes.
    wall = start.astimezone(zone).replace(tzinfo=None) + weeks * WEEK
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_weekly(start: datetime, zone: ZoneInfo) -> datetime:
    """Return the occurrence one week after `start`, keeping the local wall time (UTC)."""
    return weekly_occurrence(start, zone, 1)


def roll_forward(start: datetime, zone: ZoneInfo, after: datetime) -> datetime:
    """Return the first weekly occurrence of `start` strictly later than `after` (UTC)."""
    weeks = 0
    current = start.astimezone(UTC)
    while current <= after:
        weeks += 1
        current = weekly_occurrence(start, zone, weeks)
    return current
