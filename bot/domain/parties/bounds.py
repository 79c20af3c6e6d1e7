"""Size limits for parties, with messages that tell the member what to change."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.text import clean_field, plural
from bot.errors import InvalidInput

TITLE_MAX = 100
NOTES_MAX = 1000
MAX_UPCOMING_PER_GUILD = 100
# Upcoming parties one member may organise at once unless moderators change it (1-100).
DEFAULT_MEMBER_LIMIT = 5
MEMBER_LIMIT_MAX = MAX_UPCOMING_PER_GUILD
# The cooldown: at most this many parties scheduled by one member in any window.
SCHEDULE_BURST = 3
SCHEDULE_WINDOW = timedelta(minutes=10)
MAX_CAPACITY = 10_000
# Discord refuses more than 100 scheduled events per server.
MAX_SCHEDULED_EVENTS = 100


def validate_title(title: str) -> str:
    """Return the cleaned title (one line, no controls or bidi overrides); raise InvalidInput
    when empty or over 100 characters."""
    cleaned = clean_field(title, what="title", limit=TITLE_MAX)
    if cleaned is None:
        raise InvalidInput("The party needs a title, e.g. `MV release party`.")
    return cleaned


def validate_notes(notes: str | None) -> str | None:
    """Return the cleaned notes (line breaks kept, None when blank); raise InvalidInput over
    1000 characters."""
    return clean_field(notes, what="notes", limit=NOTES_MAX, multiline=True)


def validate_capacity(capacity: int | None) -> int | None:
    """Return the capacity (None = unlimited); raise InvalidInput outside 1..10000."""
    if capacity is None:
        return None
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(f"Capacity must be between 1 and {MAX_CAPACITY} members.")
    return capacity


def check_upcoming_room(upcoming: int) -> None:
    """Raise InvalidInput when a server already has the maximum number of upcoming parties."""
    if upcoming >= MAX_UPCOMING_PER_GUILD:
        raise InvalidInput(
            f"This server already has {MAX_UPCOMING_PER_GUILD} upcoming parties. Cancel one "
            "(`/party cancel`) or wait until some have happened."
        )


def check_member_room(upcoming: int, limit: int) -> None:
    """Raise InvalidInput when a member already organises `limit` upcoming parties."""
    if upcoming >= limit:
        raise InvalidInput(
            f"You already organise {plural(upcoming, 'upcoming party', 'upcoming parties')}; this "
            f"server allows {limit} per member. Cancel one (`/party cancel`) or wait until one "
            "has happened."
        )


def check_schedule_cooldown(recent: list[datetime], now: datetime) -> None:
    """Raise InvalidInput when a member scheduled 3 parties in the last 10 minutes.

    `recent` holds when the member's parties were created, oldest first.
    """
    inside = [t for t in recent if t > now - SCHEDULE_WINDOW]
    if len(inside) < SCHEDULE_BURST:
        return
    wait = inside[-SCHEDULE_BURST] + SCHEDULE_WINDOW - now
    minutes = max(round(wait.total_seconds() / 60), 1)
    raise InvalidInput(
        f"You scheduled {len(inside)} parties in the last {SCHEDULE_WINDOW.seconds // 60} "
        f"minutes; wait about {minutes} min before scheduling another."
    )
