"""Plan when a party's reminders fire and decide what to do with one found overdue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

from bot.domain.parties.model import Party, Reminder
from bot.domain.text import join_words
from bot.errors import InvalidInput

DEFAULT_LEAD_MINUTES: tuple[int, ...] = (15, 0)
MAX_LEAD_MINUTES = 24 * 60
MAX_LEADS = 5
# A reminder claimed this soon after its due time counts as on time (timer jitter, slow claim).
ON_TIME_GRACE = timedelta(seconds=60)
# After downtime, a reminder due less than this long ago is still worth sending (late).
LATE_WINDOW = timedelta(minutes=10)

ReminderAction = Literal["send", "late", "skip"]


def plan_reminders(start: datetime, lead_minutes: Iterable[int]) -> list[datetime]:
    """Return the distinct reminder instants for a party starting at `start`, earliest first."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    return sorted({start - timedelta(minutes=lead) for lead in lead_minutes})


def reminder_action(due_at: datetime, now: datetime) -> ReminderAction:
    """Decide whether an overdue reminder is sent on time, sent late, or skipped."""
    lateness = now - due_at
    if lateness <= ON_TIME_GRACE:
        return "send"
    if lateness < LATE_WINDOW:
        return "late"
    return "skip"


def still_planned(reminder: Reminder, party: Party) -> bool:
    """Say whether a claimed reminder row still matches its party's current plan.

    The rule for a party edited while its reminder is in flight: the reminder in flight is
    cancelled (its replacement was planned by the edit). A "remind" row belongs to the plan
    when it is due `lead_minutes` before the current start; a "finish" row when it is due at
    the current end. A "moved" row reports a change that happened, so it always belongs.
    """
    if reminder.kind == "moved":
        return True
    if reminder.kind == "finish":
        return reminder.due_at == party.ends_at
    return reminder.due_at == party.starts_at - timedelta(minutes=reminder.lead_minutes)


def parse_lead_minutes(text: str) -> tuple[int, ...]:
    """Parse "15,0" into distinct lead minutes, largest first; raise InvalidInput."""
    pieces = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not pieces:
        raise InvalidInput("Give at least one lead time in minutes, e.g. `15,0` or `60,15,0`.")
    leads: set[int] = set()
    for piece in pieces:
        if not piece.isdigit():
            raise InvalidInput(
                f"`{piece[:20]}` is not a number of minutes. Example: `15,0` (15 minutes before "
                "and at start)."
            )
        value = int(piece)
        if value > MAX_LEAD_MINUTES:
            raise InvalidInput("A reminder can be at most 1440 minutes (24 hours) before start.")
        leads.add(value)
    if len(leads) > MAX_LEADS:
        raise InvalidInput(f"At most {MAX_LEADS} reminder times per party.")
    return tuple(sorted(leads, reverse=True))


def describe_lead_minutes(leads: Iterable[int]) -> str:
    """Say when reminders fire, as a person would: "60 and 15 minutes before, and at the start".

    Other shapes: "15 minutes before and at the start", "1 minute before", "at the start",
    "never" (no leads).
    """
    ordered = sorted(set(leads), reverse=True)
    before = [m for m in ordered if m]
    parts = []
    if before:
        unit = "minute" if before == [1] else "minutes"
        parts.append(f"{join_words([str(m) for m in before])} {unit} before")
    if 0 in ordered:
        parts.append("at the start")
    if not parts:
        return "never"
    # A list of several minutes gets a comma before "and at the start" so it reads as two parts.
    return (", and " if len(before) > 1 else " and ").join(parts)


def format_lead_minutes(leads: Iterable[int]) -> str:
    """Render lead minutes the way they are typed, e.g. "15,0"."""
    return ",".join(str(m) for m in sorted(set(leads), reverse=True))


MESSAGE_LIMIT = 2000


def batch_mentions(
    header: str, user_ids: Iterable[int], *, limit: int = MESSAGE_LIMIT
) -> list[tuple[str, list[int]]]:
    """Split a header plus `<@id>` mentions into messages of at most `limit` characters each.

    Returns (content, ids mentioned in it) pairs; the header opens the first message only.
    """
    if len(header) > limit:
        raise ValueError("header longer than one message")
    batches: list[tuple[str, list[int]]] = []
    content = header
    ids: list[int] = []
    for user_id in dict.fromkeys(user_ids):
        mention = f"<@{user_id}>"
        sep = "\n" if content == header and header else " "
        if content and len(content) + len(sep) + len(mention) > limit:
            batches.append((content, ids))
            content, ids = mention, [user_id]
            continue
        content = f"{content}{sep}{mention}" if content else mention
        ids.append(user_id)
    if content:
        batches.append((content, ids))
    return batches
