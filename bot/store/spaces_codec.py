"""Spaces storage records and codecs: epoch seconds in SQLite, aware UTC in Python."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from bot.domain.spaces.model import SpaceState, TrackedSpace, Transition
from bot.store.db import Row
from bot.store.times import from_epoch, to_epoch


def epoch(moment: datetime | None) -> int | None:
    """Return epoch seconds of an aware datetime, None passing through."""
    return None if moment is None else to_epoch(moment)


def _dt(value: Any) -> datetime | None:
    return None if value is None else from_epoch(value)


def row_to_tracked(row: Row) -> TrackedSpace:
    """Build a TrackedSpace from a `spaces_tracked` row."""
    return TrackedSpace(
        space_id=str(row["space_id"]),
        creator_id=str(row["creator_id"]),
        state=cast(SpaceState, row["state"]),
        title=row["title"],
        scheduled_start=_dt(row["scheduled_start"]),
        started_at=_dt(row["started_at"]),
        ended_at=_dt(row["ended_at"]),
        participant_count=row["participant_count"],
        peak_listeners=int(row["peak_listeners"] or 0),
        was_live=bool(row["was_live"]),
        missing_since=_dt(row["missing_since"]),
    )


def transition_to_json(t: Transition) -> str:
    """Serialise a transition for the outbox."""
    return json.dumps(
        {
            "space_id": t.space_id,
            "creator_id": t.creator_id,
            "kind": t.kind,
            "title": t.title,
            "scheduled_start": epoch(t.scheduled_start),
            "started_at": epoch(t.started_at),
            "ended_at": epoch(t.ended_at),
            "participant_count": t.participant_count,
            "peak_listeners": t.peak_listeners,
            "was_live": t.was_live,
            "restored": t.restored,
            "cancelled": t.cancelled,
        },
        ensure_ascii=False,
    )


def transition_from_json(text: str) -> Transition:
    """Rebuild a transition from its outbox JSON."""
    d = json.loads(text)
    return Transition(
        space_id=str(d["space_id"]),
        creator_id=str(d["creator_id"]),
        kind=cast(SpaceState, d["kind"]),
        title=d.get("title"),
        scheduled_start=_dt(d.get("scheduled_start")),
        started_at=_dt(d.get("started_at")),
        ended_at=_dt(d.get("ended_at")),
        participant_count=d.get("participant_count"),
        peak_listeners=int(d.get("peak_listeners") or 0),
        was_live=bool(d.get("was_live")),
        restored=bool(d.get("restored")),
        cancelled=bool(d.get("cancelled")),
    )


DeliveryStatus = Literal["pending", "sending", "sent", "failed", "broken", "skipped"]


@dataclass(frozen=True, slots=True)
class Delivery:
    """One (server, Space, state) announcement and how far it got."""

    guild_id: int
    space_id: str
    state: SpaceState
    event_id: int | None
    channel_id: int
    role_id: int | None
    artist_name: str
    template: str | None
    nonce: str
    status: DeliveryStatus
    message_id: int | None
    attempts: int


def delivery_from_row(row: Row) -> Delivery:
    """Build a Delivery from a `space_deliveries` row."""
    return Delivery(
        guild_id=int(row["guild_id"]),
        space_id=str(row["space_id"]),
        state=cast(SpaceState, row["state"]),
        event_id=row["event_id"],
        channel_id=int(row["channel_id"]),
        role_id=row["role_id"],
        artist_name=str(row["artist_name"]),
        template=row["template"],
        nonce=str(row["nonce"]),
        status=cast(DeliveryStatus, row["status"]),
        message_id=row["message_id"],
        attempts=int(row["attempts"]),
    )


@dataclass(frozen=True, slots=True)
class SpaceEvent:
    """One outbox row: a transition to fan out to every follower (scope 0) or one server."""

    event_id: int
    scope: int
    status: str
    transition: Transition


@dataclass(frozen=True, slots=True)
class FanoutTarget:
    """Where one server wants one account's Spaces: overrides already applied."""

    guild_id: int
    channel_id: int
    role_id: int | None
    artist_name: str
    keywords: tuple[str, ...]
    template: str | None
