"""Cross-server Spaces storage: tracked Spaces, the transition outbox, deliveries, caches.

Delivery rows are the exactly-once ledger: one per (server, Space, state), written `pending`
before anything is sent, `sending` while the request is in flight and `sent` with the message
id afterwards. A row found `sending` after a crash is resent with the same Discord nonce.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from bot.domain.shards import ShardSpec
from bot.domain.spaces.model import TrackedSpace, Transition
from bot.store.db import Database
from bot.store.shards import shard_condition
from bot.store.spaces_codec import (
    Delivery,
    DeliveryStatus,
    FanoutTarget,
    SpaceEvent,
    delivery_from_row,
    epoch,
    row_to_tracked,
    transition_from_json,
    transition_to_json,
)
from bot.store.spaces_restores import queue_restore
from bot.store.times import now_epoch, to_epoch

DEDUP_KEEP = timedelta(days=7)


class SpaceTrackingRepo:
    """Global Spaces state shared by the poller and the fan-out (not bound to one server)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def db(self) -> Database:
        """The database, for the Spaces storage modules that share this repo's rows."""
        return self._db

    # -- accounts --------------------------------------------------------------------------

    async def followed_account_ids(self) -> list[str]:
        """Return every resolved X user id followed by a server the bot is still in."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT f.x_user_id FROM spaces_follows f JOIN guilds g USING (guild_id) "
            "WHERE f.x_user_id IS NOT NULL AND g.left_at IS NULL"
        )
        return [str(r[0]) for r in rows]

    async def unresolved_handles(self) -> list[str]:
        """Return followed handles (as X spells them) that have no user id yet."""
        rows = await self._db.fetchall(
            "SELECT handle_key, min(handle) FROM spaces_follows WHERE x_user_id IS NULL "
            "GROUP BY handle_key"
        )
        return [str(r[1]) for r in rows]

    async def cached_account(self, handle_key: str) -> tuple[str, str] | None:
        """Return the cached (user id, username) of a handle key, if resolved before."""
        row = await self._db.fetchone(
            "SELECT x_user_id, username FROM x_accounts WHERE handle_key = ?", (handle_key,)
        )
        return None if row is None else (str(row[0]), str(row[1]))

    async def save_account(self, user_id: str, username: str, name: str | None) -> None:
        """Cache a resolved handle and fill it into every follow waiting for it (idempotent)."""
        key = username.lower()
        async with self._db.transaction():
            await self._db.execute(
                "INSERT INTO x_accounts (handle_key, x_user_id, username, name, resolved_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(handle_key) DO UPDATE SET "
                "x_user_id = excluded.x_user_id, username = excluded.username, "
                "name = excluded.name, resolved_at = excluded.resolved_at",
                (key, user_id, username, name, now_epoch()),
            )
            await self._db.execute(
                "UPDATE spaces_follows SET x_user_id = ? WHERE handle_key = ?", (user_id, key)
            )

    # -- polling ---------------------------------------------------------------------------

    async def tracked_for(self, creator_ids: Iterable[str]) -> dict[str, TrackedSpace]:
        """Return the tracked Spaces (any state, not purged) of these creators by Space id."""
        ids = list(dict.fromkeys(creator_ids))
        out: dict[str, TrackedSpace] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self._db.fetchall(
                f"SELECT * FROM spaces_tracked WHERE creator_id IN ({marks})",  # noqa: S608
                chunk,
            )
            out.update((str(r["space_id"]), row_to_tracked(r)) for r in rows)
        return out

    async def record_poll(
        self, upserts: Sequence[TrackedSpace], transitions: Sequence[Transition]
    ) -> int:
        """Store a poll's tracked rows and outbox events in one transaction; return events added.

        Idempotent: an event already in the outbox for the same (Space, state) is ignored. A
        restored Space queues edits of its "ended" posts back to live instead of an event.
        """

        now = now_epoch()
        added = 0
        async with self._db.transaction():
            for s in upserts:
                await self._db.execute(
                    "INSERT INTO spaces_tracked (space_id, creator_id, state, title, "
                    "scheduled_start, started_at, ended_at, participant_count, peak_listeners, "
                    "was_live, missing_since, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(space_id) DO UPDATE SET state = excluded.state, "
                    "title = excluded.title, scheduled_start = excluded.scheduled_start, "
                    "started_at = excluded.started_at, ended_at = excluded.ended_at, "
                    "participant_count = excluded.participant_count, "
                    "peak_listeners = max(spaces_tracked.peak_listeners, excluded.peak_listeners), "
                    "was_live = excluded.was_live, missing_since = excluded.missing_since, "
                    "updated_at = excluded.updated_at",
                    (
                        s.space_id,
                        s.creator_id,
                        s.state,
                        s.title,
                        epoch(s.scheduled_start),
                        epoch(s.started_at),
                        epoch(s.ended_at),
                        s.participant_count,
                        s.peak_listeners,
                        int(s.was_live),
                        epoch(s.missing_since),
                        now,
                    ),
                )
            for t in transitions:
                if t.restored:
                    added += await queue_restore(self._db, t)
                    continue
                added += await self._db.execute(
                    "INSERT OR IGNORE INTO space_events (space_id, kind, scope, payload, "
                    "created_at) VALUES (?, ?, 0, ?, ?)",
                    (t.space_id, t.kind, transition_to_json(t), now),
                )
        return added

    async def queue_manual(self, transition: Transition, delivery: Delivery) -> int | None:
        """Queue a hand-made announcement for one server with its delivery, atomically.

        Returns the event id, or None if that server already has this Space in this state
        (announced by hand or by the poller): never a second post.
        """
        now = now_epoch()
        async with self._db.transaction():
            exists = await self._db.fetchval(
                "SELECT 1 FROM space_deliveries WHERE guild_id = ? AND space_id = ? AND state = ?",
                (delivery.guild_id, delivery.space_id, delivery.state),
            )
            if exists:
                return None
            event_id = await self._db.execute_returning_id(
                "INSERT INTO space_events (space_id, kind, scope, payload, status, created_at) "
                "VALUES (?, ?, ?, ?, 'new', ?)",
                (
                    transition.space_id,
                    transition.kind,
                    delivery.guild_id,
                    transition_to_json(transition),
                    now,
                ),
            )
            await self.expand_event(event_id, [delivery])
        return event_id

    # -- outbox and deliveries ---------------------------------------------------------------

    async def open_events(self, limit: int = 100) -> list[SpaceEvent]:
        """Return outbox events not yet done, oldest first."""
        rows = await self._db.fetchall(
            "SELECT event_id, scope, status, payload FROM space_events WHERE status != 'done' "
            "ORDER BY event_id LIMIT ?",
            (limit,),
        )
        return [
            SpaceEvent(
                event_id=int(r["event_id"]),
                scope=int(r["scope"]),
                status=str(r["status"]),
                transition=transition_from_json(str(r["payload"])),
            )
            for r in rows
        ]

    async def get_event(self, event_id: int) -> SpaceEvent | None:
        """Return one outbox event by id."""
        row = await self._db.fetchone(
            "SELECT event_id, scope, status, payload FROM space_events WHERE event_id = ?",
            (event_id,),
        )
        if row is None:
            return None
        return SpaceEvent(int(row[0]), int(row[1]), str(row[2]), transition_from_json(row[3]))

    async def fanout_targets(
        self, creator_id: str, only_guild: int | None = None
    ) -> list[FanoutTarget]:
        """Return every server following `creator_id` with its resolved channel and role."""
        rows = await self._db.fetchall(
            "SELECT f.guild_id, COALESCE(f.channel_id, c.channel_id) AS channel_id, "
            "COALESCE(f.role_id, c.role_id) AS role_id, f.artist_name, f.keywords, f.template "
            "FROM spaces_follows f JOIN guilds g ON g.guild_id = f.guild_id "
            "LEFT JOIN spaces_config c ON c.guild_id = f.guild_id "
            "WHERE f.x_user_id = ? AND g.left_at IS NULL AND (? IS NULL OR f.guild_id = ?) "
            "ORDER BY f.guild_id, f.handle_key",
            (creator_id, only_guild, only_guild),
        )
        return [
            FanoutTarget(
                guild_id=int(r["guild_id"]),
                channel_id=int(r["channel_id"]),
                role_id=r["role_id"],
                artist_name=str(r["artist_name"]),
                keywords=tuple(k for k in str(r["keywords"]).split(",") if k),
                template=r["template"],
            )
            for r in rows
            if r["channel_id"] is not None
        ]

    async def expand_event(self, event_id: int, deliveries: Sequence[Delivery]) -> None:
        """Write an event's pending deliveries and mark it expanded, atomically (idempotent)."""
        now = now_epoch()
        async with self._db.transaction():
            await self._db.execute_many(
                "INSERT OR IGNORE INTO space_deliveries (guild_id, space_id, state, event_id, "
                "channel_id, role_id, artist_name, template, nonce, status, message_id, "
                "attempts, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?,?)",
                [
                    (
                        d.guild_id,
                        d.space_id,
                        d.state,
                        event_id,
                        d.channel_id,
                        d.role_id,
                        d.artist_name,
                        d.template,
                        d.nonce,
                        d.status,
                        d.message_id,
                        now,
                        now,
                    )
                    for d in deliveries
                ],
            )
            await self._db.execute(
                "UPDATE space_events SET status = 'expanded' WHERE event_id = ? AND status = 'new'",
                (event_id,),
            )

    async def get_delivery(self, guild_id: int, space_id: str, state: str) -> Delivery | None:
        """Return one delivery row, if any."""
        row = await self._db.fetchone(
            "SELECT * FROM space_deliveries WHERE guild_id = ? AND space_id = ? AND state = ?",
            (guild_id, space_id, state),
        )
        return None if row is None else delivery_from_row(row)

    async def deliveries_of_space(self, space_id: str) -> list[Delivery]:
        """Return every delivery row of one Space (all servers, all states)."""
        rows = await self._db.fetchall(
            "SELECT * FROM space_deliveries WHERE space_id = ? ORDER BY guild_id, state",
            (space_id,),
        )
        return [delivery_from_row(r) for r in rows]

    async def open_deliveries(
        self, event_id: int, *, shards: ShardSpec | None = None
    ) -> list[Delivery]:
        """Return an event's deliveries still pending or interrupted while sending.

        `shards`: only deliveries to servers on those shards (None: every server).
        """
        ours, params = shard_condition(shards, "guild_id")
        rows = await self._db.fetchall(
            "SELECT * FROM space_deliveries WHERE event_id = :event_id AND status IN ("  # noqa: S608
            f"'pending', 'sending') AND {ours} ORDER BY guild_id",
            {"event_id": event_id, **params},
        )
        return [delivery_from_row(r) for r in rows]

    async def claim_delivery(self, d: Delivery) -> bool:
        """Move a pending (or crash-interrupted sending) row to sending; False if already done."""
        changed = await self._db.execute(
            "UPDATE space_deliveries SET status = 'sending', attempts = attempts + 1, "
            "updated_at = ? WHERE guild_id = ? AND space_id = ? AND state = ? "
            "AND status IN ('pending', 'sending')",
            (now_epoch(), d.guild_id, d.space_id, d.state),
        )
        return changed == 1

    async def finish_delivery(
        self,
        d: Delivery,
        status: DeliveryStatus,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        """Record a delivery's outcome (idempotent); keeps an earlier message id."""
        await self._db.execute(
            "UPDATE space_deliveries SET status = ?, message_id = COALESCE(?, message_id), "
            "error = ?, updated_at = ? WHERE guild_id = ? AND space_id = ? AND state = ?",
            (status, message_id, error, now_epoch(), d.guild_id, d.space_id, d.state),
        )

    async def mark_event_done(self, event_id: int) -> bool:
        """Mark an event done unless any server's delivery is open; say if it did (idempotent)."""
        changed = await self._db.execute(
            "UPDATE space_events SET status = 'done', done_at = :now WHERE event_id = :event_id "
            "AND NOT EXISTS (SELECT 1 FROM space_deliveries WHERE event_id = :event_id "
            "AND status IN ('pending', 'sending'))",
            {"now": now_epoch(), "event_id": event_id},
        )
        return changed == 1

    async def mark_broken(self, guild_id: int, channel_id: int, reason: str) -> None:
        """Mark a server's channel broken so the fan-out skips it (idempotent)."""
        await self._db.execute(
            "INSERT OR IGNORE INTO spaces_broken_channels (guild_id, channel_id, reason, since) "
            "VALUES (?, ?, ?, ?)",
            (guild_id, channel_id, reason[:200], now_epoch()),
        )

    async def broken_channels(self) -> set[tuple[int, int]]:
        """Return every (guild id, channel id) marked broken."""
        rows = await self._db.fetchall("SELECT guild_id, channel_id FROM spaces_broken_channels")
        return {(int(r[0]), int(r[1])) for r in rows}

    # -- hygiene and status ----------------------------------------------------------------

    async def purge_ended(self, now: datetime, keep: timedelta = DEDUP_KEEP) -> int:
        """Drop X data of ended Spaces whose end was delivered; forget dedup keys after `keep`.

        Returns how many Spaces were stripped. Idempotent.
        """
        cutoff = to_epoch(now - keep)
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT t.space_id FROM spaces_tracked t WHERE t.state = 'ended' "
                "AND t.purged_at IS NULL AND NOT EXISTS (SELECT 1 FROM space_events e "
                "WHERE e.space_id = t.space_id AND e.status != 'done') AND NOT EXISTS "
                "(SELECT 1 FROM space_deliveries d WHERE d.space_id = t.space_id "
                "AND d.status IN ('pending', 'sending'))"
            )
            ids = [(str(r[0]),) for r in rows]
            await self._db.execute_many(
                "UPDATE spaces_tracked SET title = NULL, scheduled_start = NULL, "
                "started_at = NULL, participant_count = NULL, peak_listeners = 0, "
                "purged_at = ? WHERE space_id = ?",
                [(to_epoch(now), space_id) for (space_id,) in ids],
            )
            await self._db.execute_many("DELETE FROM space_events WHERE space_id = ?", ids)
            await self._db.execute(
                "DELETE FROM space_deliveries WHERE space_id IN (SELECT space_id FROM "
                "spaces_tracked WHERE purged_at IS NOT NULL AND purged_at < ?)",
                (cutoff,),
            )
            await self._db.execute(
                "DELETE FROM spaces_tracked WHERE purged_at IS NOT NULL AND purged_at < ?",
                (cutoff,),
            )
            # Nobody follows the creator any more: nothing will be announced, so keep nothing.
            await self._db.execute(
                "DELETE FROM spaces_tracked WHERE state != 'ended' AND creator_id NOT IN "
                "(SELECT x_user_id FROM spaces_follows WHERE x_user_id IS NOT NULL) "
                "AND NOT EXISTS (SELECT 1 FROM space_events e WHERE "
                "e.space_id = spaces_tracked.space_id AND e.status != 'done')"
            )
        return len(ids)

    async def set_status(self, values: dict[str, str]) -> None:
        """Store poller facts (last poll, API state, ...) by key (idempotent upsert)."""
        now = now_epoch()
        await self._db.execute_many(
            "INSERT INTO spaces_poller_status (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            [(k, v, now) for k, v in values.items()],
        )

    async def get_status(self) -> dict[str, str]:
        """Return every stored poller fact."""
        rows = await self._db.fetchall("SELECT key, value FROM spaces_poller_status")
        return {str(r[0]): str(r[1]) for r in rows}
