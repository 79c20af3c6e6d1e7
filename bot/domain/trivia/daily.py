"""When the daily question is due: a local HH:MM in the server's zone, once per local day."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
DAILY_SECONDS = 24 * 3600


def parse_daily_time(text: str) -> str:
    """Return a canonical 'HH:MM' from text like '9:05' or '21:30'; raise InvalidInput."""
    m = _HHMM.match(text.strip())
    if not m:
        raise InvalidInput("Give the daily time as HH:MM on a 24-hour clock, e.g. `20:00`.")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def local_date(now: datetime, zone: str) -> str:
    """Return the server-local date of an aware instant as 'YYYY-MM-DD'."""
    return now.astimezone(ZoneInfo(zone)).date().isoformat()


def daily_due(now: datetime, zone: str, daily_time: str, last_posted_for: str | None) -> bool:
    """Say whether today's daily question should be posted now (time reached, not yet posted)."""
    local = now.astimezone(ZoneInfo(zone))
    hh, mm = (int(p) for p in daily_time.split(":"))
    if local.time() < time(hh, mm):
        return False
    return last_posted_for != local.date().isoformat()
