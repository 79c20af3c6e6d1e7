"""The party record shared by the store, the ICS builder and the cog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

PartyStatus = Literal["scheduled", "cancelled", "done"]
RsvpStatus = Literal["going", "maybe", "cant"]
RSVP_STATUSES: tuple[RsvpStatus, ...] = ("going", "maybe", "cant")


@dataclass(frozen=True, slots=True)
class Party:
    """One streaming party as stored; times are aware UTC."""

    id: int
    guild_id: int
    title: str
    starts_at: datetime
    duration: timedelta
    channel_id: int
    organiser_id: int
    zone: str
    artist_id: str | None = None
    link: str | None = None
    platform: str | None = None
    message_id: int | None = None
    notes: str | None = None
    capacity: int | None = None
    weekly: bool = False
    status: PartyStatus = "scheduled"
    event_id: int | None = None

    @property
    def ends_at(self) -> datetime:
        """Return when the party ends (start + duration)."""
        return self.starts_at + self.duration


@dataclass(frozen=True, slots=True)
class RsvpCounts:
    """How many members answered each way."""

    going: int = 0
    maybe: int = 0
    cant: int = 0


ReminderKind = Literal["remind", "finish", "moved"]
ReminderState = Literal["pending", "sending", "sent", "skipped"]


def reminder_nonce(reminder_id: int) -> str:
    """Return the deterministic Discord message nonce for one reminder (at most 25 chars)."""
    return f"lsrem{reminder_id}"


@dataclass(frozen=True, slots=True)
class Reminder:
    """One row of the durable reminder queue; `finish` rows close or repeat the party, `moved`
    rows tell the members going that its time changed from `moved_from` to `moved_to`."""

    id: int
    party_id: int
    guild_id: int
    kind: ReminderKind
    due_at: datetime
    lead_minutes: int
    state: ReminderState
    moved_from: datetime | None = None
    moved_to: datetime | None = None

    @property
    def nonce(self) -> str:
        """Return the nonce that makes a re-send of this reminder a no-op on Discord."""
        return reminder_nonce(self.id)


@dataclass(frozen=True, slots=True)
class PartyDraft:
    """What an organiser chose for a new party, validated, before it has an id."""

    title: str
    starts_at: datetime
    duration: timedelta
    channel_id: int
    organiser_id: int
    zone: str
    artist_id: str | None = None
    link: str | None = None
    platform: str | None = None
    notes: str | None = None
    capacity: int | None = None
    weekly: bool = False
