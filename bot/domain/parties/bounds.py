"""Size limits for parties, with messages that tell the member what to change."""

from __future__ import annotations

from bot.errors import InvalidInput

TITLE_MAX = 100
NOTES_MAX = 1000
MAX_UPCOMING_PER_GUILD = 100
MAX_CAPACITY = 10_000
# Discord refuses more than 100 scheduled events per server.
MAX_SCHEDULED_EVENTS = 100


def validate_title(title: str) -> str:
    """Return the stripped title; raise InvalidInput when empty or over 100 characters."""
    cleaned = " ".join(title.split())
    if not cleaned:
        raise InvalidInput("The party needs a title, e.g. `MV release party`.")
    if len(cleaned) > TITLE_MAX:
        raise InvalidInput(
            f"The title is {len(cleaned)} characters; keep it to {TITLE_MAX} or fewer."
        )
    return cleaned


def validate_notes(notes: str | None) -> str | None:
    """Return stripped notes (None when blank); raise InvalidInput over 1000 characters."""
    if notes is None or not notes.strip():
        return None
    cleaned = notes.strip()
    if len(cleaned) > NOTES_MAX:
        raise InvalidInput(
            f"The notes are {len(cleaned)} characters; keep them to {NOTES_MAX} or fewer."
        )
    return cleaned


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
