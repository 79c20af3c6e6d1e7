"""Parse how long a party lasts ("90m", "2h", "1h30m", "1시간 30분")."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.errors import InvalidInput

DEFAULT_DURATION = timedelta(hours=1)
MIN_DURATION = timedelta(minutes=5)
MAX_DURATION = timedelta(hours=12)

_PATTERN = re.compile(
    r"""^\s*
    (?:(?P<hours>\d{1,3})\s*(?:h|hr|hrs|hour|hours|시간)\s*)?
    (?:(?P<minutes>\d{1,4})\s*(?:m|min|mins|minute|minutes|분)?\s*)?
    $""",
    re.IGNORECASE | re.VERBOSE,
)
_EXAMPLES = "Try `90m`, `2h` or `1h30m` (between 5 minutes and 12 hours)."


def parse_duration(text: str | None) -> timedelta:
    """Parse a duration (bare numbers are minutes); default one hour; raise InvalidInput."""
    if text is None or not text.strip():
        return DEFAULT_DURATION
    match = _PATTERN.match(text)
    if match is None or (match["hours"] is None and match["minutes"] is None):
        raise InvalidInput(f"I could not read the duration `{text.strip()[:40]}`. {_EXAMPLES}")
    duration = timedelta(hours=int(match["hours"] or 0), minutes=int(match["minutes"] or 0))
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise InvalidInput(f"A party lasts between 5 minutes and 12 hours. {_EXAMPLES}")
    return duration


def format_duration(duration: timedelta) -> str:
    """Render a duration compactly, e.g. "1h30m"."""
    minutes = int(duration.total_seconds()) // 60
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"
