"""How the store keeps time: integer epoch seconds in SQLite, aware UTC datetimes in Python."""

from __future__ import annotations

from datetime import UTC, datetime


def to_epoch(moment: datetime) -> int:
    """Return the epoch seconds of an aware datetime; refuse a naive one."""
    if moment.tzinfo is None:
        raise ValueError("store times must be aware UTC datetimes")
    return int(moment.timestamp())


def from_epoch(value: int | float | str) -> datetime:
    """Return the aware UTC datetime of stored epoch seconds."""
    return datetime.fromtimestamp(int(value), UTC)


def now_epoch() -> int:
    """Return the current time as epoch seconds."""
    return int(datetime.now(UTC).timestamp())
