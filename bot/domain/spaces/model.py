"""Space records shared by the diff, the store and the fan-out; no Discord, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

SpaceState = Literal["scheduled", "live", "ended"]
SPACE_STATES: tuple[SpaceState, ...] = ("scheduled", "live", "ended")


class FetchedSpace(Protocol):
    """What the diff reads from one Space returned by X (bot.clients.x.XSpace fits this)."""

    @property
    def id(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def creator_id(self) -> str | None: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def scheduled_start(self) -> datetime | None: ...
    @property
    def ended_at(self) -> datetime | None: ...
    @property
    def participant_count(self) -> int | None: ...


def normalise_state(raw: str) -> SpaceState:
    """Map X's state string to ours; anything unknown (e.g. "canceled") counts as ended."""
    value = raw.strip().lower()
    if value == "live":
        return "live"
    if value == "scheduled":
        return "scheduled"
    return "ended"


def is_cancelled(raw: str) -> bool:
    """Say whether X's state string says the Space was cancelled (X API v2 spells "canceled")."""
    return raw.strip().lower() in ("canceled", "cancelled")


@dataclass(frozen=True, slots=True)
class TrackedSpace:
    """What we remember about one Space between polls."""

    space_id: str
    creator_id: str
    state: SpaceState
    title: str | None = None
    scheduled_start: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    participant_count: int | None = None
    peak_listeners: int = 0
    was_live: bool = False
    missing_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    """One announceable change of a Space: `kind` is the state it moved to.

    For kind "ended", `was_live` says whether the live post or (a cancelled Space) the scheduled
    post is the one to edit, and `cancelled` whether X said the Space was cancelled.
    """

    space_id: str
    creator_id: str
    kind: SpaceState
    title: str | None
    scheduled_start: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    participant_count: int | None
    peak_listeners: int
    was_live: bool
    # A live Space that had been ended because X left it out of its answers: the end was wrong,
    # so its post is edited back to live (never posted, never pinged again).
    restored: bool = False
    # X said "canceled": the scheduled post says the Space was cancelled, not that it ended.
    cancelled: bool = False
    # A scheduled Space X moved or retitled: its scheduled posts are edited to the new time
    # and title (never posted, never pinged again).
    rescheduled: bool = False


@dataclass(frozen=True, slots=True)
class DiffResult:
    """The diff's output: announceable transitions and the new tracked rows to store."""

    transitions: list[Transition]
    upserts: list[TrackedSpace]
