"""Spaces storage for one server: announcement defaults, follows, broken channels, live list.

Cross-server work (polling, the outbox, deliveries) lives in `bot.store.spaces_tracking`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.spaces.model import TrackedSpace
from bot.store.db import Database, Row
from bot.store.spaces_codec import (
    Delivery,
    FanoutTarget,
    SpaceEvent,
    delivery_from_row,
    row_to_tracked,
)
from bot.store.spaces_tracking import SpaceTrackingRepo
from bot.store.times import from_epoch, now_epoch, to_epoch

__all__ = [
    "BrokenChannel",
    "Delivery",
    "FanoutTarget",
    "Follow",
    "SpaceEvent",
    "SpaceTrackingRepo",
    "SpacesConfig",
    "SpacesRepo",
]


@dataclass(frozen=True, slots=True)
class SpacesConfig:
    """A server's announcement defaults."""

    channel_id: int
    role_id: int | None


@dataclass(frozen=True, slots=True)
class Follow:
    """One followed X account in one server, with its per-follow overrides."""

    handle_key: str
    handle: str
    artist_id: str | None
    artist_name: str
    x_user_id: str | None
    channel_id: int | None = None
    role_id: int | None = None
    keywords: tuple[str, ...] = ()
    template: str | None = None


@dataclass(frozen=True, slots=True)
class BrokenChannel:
    """A channel that refused an announcement, and why."""

    channel_id: int
    reason: str
    since: datetime


def _follow(row: Row) -> Follow:
    keywords = tuple(k for k in str(row["keywords"]).split(",") if k)
    return Follow(
        handle_key=str(row["handle_key"]),
        handle=str(row["handle"]),
        artist_id=row["artist_id"],
        artist_name=str(row["artist_name"]),
        x_user_id=row["x_user_id"],
        channel_id=row["channel_id"],
        role_id=row["role_id"],
        keywords=keywords,
        template=row["template"],
    )


class SpacesRepo:
    """One server's Spaces settings and follows; every query is bound to its guild id."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id

    async def get_config(self) -> SpacesConfig | None:
        """Return the server's defaults, or None before `/spaces setup`."""
        row = await self._db.fetchone(
            "SELECT channel_id, role_id FROM spaces_config WHERE guild_id = :guild_id",
            {"guild_id": self.guild_id},
        )
        if row is None:
            return None
        return SpacesConfig(channel_id=int(row["channel_id"]), role_id=row["role_id"])

    async def set_config(self, channel_id: int, role_id: int | None) -> None:
        """Set the default channel and role, clearing that channel's broken mark (idempotent)."""
        async with self._db.transaction():
            await self._db.execute(
                "INSERT INTO spaces_config (guild_id, channel_id, role_id, updated_at) "
                "VALUES (:guild_id, :channel_id, :role_id, :now) ON CONFLICT(guild_id) DO UPDATE "
                "SET channel_id = excluded.channel_id, role_id = excluded.role_id, "
                "updated_at = excluded.updated_at",
                {
                    "guild_id": self.guild_id,
                    "channel_id": channel_id,
                    "role_id": role_id,
                    "now": now_epoch(),
                },
            )
            await self.clear_broken(channel_id)

    async def upsert_follows(self, follows: Sequence[Follow]) -> None:
        """Add or replace follows (keyed by handle) in one transaction (idempotent)."""
        now = now_epoch()
        async with self._db.transaction():
            for f in follows:
                await self._db.execute(
                    "INSERT INTO spaces_follows (guild_id, handle_key, handle, artist_id, "
                    "artist_name, x_user_id, channel_id, role_id, keywords, template, created_at) "
                    "VALUES (:guild_id, :handle_key, :handle, :artist_id, :artist_name, "
                    ":x_user_id, :channel_id, :role_id, :keywords, :template, :now) "
                    "ON CONFLICT(guild_id, handle_key) DO UPDATE SET handle = excluded.handle, "
                    "artist_id = excluded.artist_id, artist_name = excluded.artist_name, "
                    "x_user_id = COALESCE(excluded.x_user_id, spaces_follows.x_user_id), "
                    "channel_id = excluded.channel_id, role_id = excluded.role_id, "
                    "keywords = excluded.keywords, template = excluded.template",
                    {
                        "guild_id": self.guild_id,
                        "handle_key": f.handle_key,
                        "handle": f.handle,
                        "artist_id": f.artist_id,
                        "artist_name": f.artist_name,
                        "x_user_id": f.x_user_id,
                        "channel_id": f.channel_id,
                        "role_id": f.role_id,
                        "keywords": ",".join(f.keywords),
                        "template": f.template,
                        "now": now,
                    },
                )
                if f.channel_id is not None:
                    await self.clear_broken(f.channel_id)

    async def remove_follows(self, key: str) -> int:
        """Remove the follows of an act id or a handle key; return how many went (idempotent)."""
        return await self._db.execute(
            "DELETE FROM spaces_follows "
            "WHERE guild_id = :guild_id AND (artist_id = :key OR handle_key = :key)",
            {"guild_id": self.guild_id, "key": key},
        )

    async def list_follows(self) -> list[Follow]:
        """Return the server's follows, ordered by artist name."""
        rows = await self._db.fetchall(
            "SELECT * FROM spaces_follows WHERE guild_id = :guild_id "
            "ORDER BY artist_name, handle_key",
            {"guild_id": self.guild_id},
        )
        return [_follow(r) for r in rows]

    async def count_follows(self) -> int:
        """Return how many X accounts the server follows."""
        value = await self._db.fetchval(
            "SELECT count(*) FROM spaces_follows WHERE guild_id = :guild_id",
            {"guild_id": self.guild_id},
        )
        return int(value or 0)

    async def mark_broken(self, channel_id: int, reason: str) -> None:
        """Mark a channel broken so announcements skip it (idempotent; keeps the first time)."""
        await SpaceTrackingRepo(self._db).mark_broken(self.guild_id, channel_id, reason)

    async def clear_broken(self, channel_id: int) -> None:
        """Forget a channel's broken mark after a moderator fixed it (idempotent)."""
        await self._db.execute(
            "DELETE FROM spaces_broken_channels "
            "WHERE guild_id = :guild_id AND channel_id = :channel_id",
            {"guild_id": self.guild_id, "channel_id": channel_id},
        )

    async def list_broken(self) -> list[BrokenChannel]:
        """Return the server's broken channels, oldest first."""
        rows = await self._db.fetchall(
            "SELECT channel_id, reason, since FROM spaces_broken_channels "
            "WHERE guild_id = :guild_id ORDER BY since, channel_id",
            {"guild_id": self.guild_id},
        )
        return [
            BrokenChannel(
                channel_id=int(r["channel_id"]),
                reason=str(r["reason"]),
                since=from_epoch(r["since"]),
            )
            for r in rows
        ]

    async def active_spaces(self) -> list[tuple[Follow, TrackedSpace]]:
        """Return live and scheduled Spaces of accounts this server follows, live first."""
        rows = await self._db.fetchall(
            "SELECT f.*, t.space_id, t.creator_id, t.state, t.title, t.scheduled_start, "
            "t.started_at, t.ended_at, t.participant_count, t.peak_listeners, t.was_live, "
            "t.missing_since FROM spaces_tracked t JOIN spaces_follows f "
            "ON f.x_user_id = t.creator_id AND f.guild_id = :guild_id "
            "WHERE t.state IN ('live', 'scheduled') "
            "ORDER BY CASE WHEN t.state = 'scheduled' THEN 1 ELSE 0 END, "
            "COALESCE(t.started_at, t.scheduled_start), t.space_id, f.handle_key",
            {"guild_id": self.guild_id},
        )
        return [(_follow(r), row_to_tracked(r)) for r in rows]

    async def announced_posts(self, since: datetime, limit: int = 20) -> list[Delivery]:
        """Return this server's sent live and scheduled posts made since `since` (aware UTC)
        whose Space has no "ended" edit here yet, newest first, at most `limit`."""
        rows = await self._db.fetchall(
            "SELECT d.* FROM space_deliveries d WHERE d.guild_id = :guild_id "
            "AND d.state != 'ended' AND d.status = 'sent' AND d.message_id IS NOT NULL "
            "AND d.created_at >= :since AND NOT EXISTS (SELECT 1 FROM space_deliveries e "
            "WHERE e.guild_id = d.guild_id AND e.space_id = d.space_id AND e.state = 'ended' "
            "AND e.status = 'sent') ORDER BY d.created_at DESC, d.space_id, d.state LIMIT :limit",
            {"guild_id": self.guild_id, "since": to_epoch(since), "limit": limit},
        )
        return [delivery_from_row(r) for r in rows]

    async def delivery(self, space_id: str, state: str) -> Delivery | None:
        """Return this server's delivery row for one Space state, if any."""
        return await SpaceTrackingRepo(self._db).get_delivery(self.guild_id, space_id, state)
