"""Cross-server Spaces storage: tracked Spaces, the transition outbox, deliveries, caches.

Delivery rows are the exactly-once ledger: one per (server, Space, state), written `pending`
before anything is sent, `sending` while the request is in flight and `sent` with the message
id afterwards. A row found `sending` after a crash is resent with the same Discord nonce.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from bot.domain.spaces.model import TrackedSpace, Transition
from bot.store.cluster import OUTBOX_CHANNEL
from bot.store.db import Database
from bot.store.spaces_codec import (
    Delivery,
    FanoutTarget,
    SpaceEvent,
    epoch,
    row_to_tracked,
    transition_from_json,
    transition_to_json,
)
from bot.store.spaces_deliveries import SpaceDeliveryLedger
from bot.store.spaces_restores import drop_pending_edits, queue_refresh, queue_restore
from bot.store.times import now_epoch, to_epoch

DEDUP_KEEP = timedelta(days=7)


class SpaceTrackingRepo(SpaceDeliveryLedger):
    """Global Spaces state shared by the poller and the fan-out (not bound to one server).

    The delivery-row methods come from SpaceDeliveryLedger (bot/store/spaces_deliveries.py).
    """

    @property
    def db(self) -> Database:
        """The database, for the Spaces storage modules that share this repo's rows."""
        return self._db

    # -- accounts --------------------------------------------------------------------------

    async def followed_account_ids(self) -> list[str]:
        """Return every resolved X user id followed by a server the bot is still in."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT f.x_user_id FROM spaces_follows f JOIN guilds g USING (guild_id) "
            "WHERE f.x_user_id IS NOT NULL AND g.left_at IS NULL ORDER BY f.x_user_id"
        )
        return [str(r[0]) for r in rows]

    async def unresolved_handles(self) -> list[str]:
        """Return followed handles (as X spells them) that have no user id yet."""
        rows = await self._db.fetchall(
            "SELECT handle_key, min(handle) FROM spaces_follows WHERE x_user_id IS NULL "
            "GROUP BY handle_key ORDER BY handle_key"
        )
        return [str(r[1]) for r in rows]

    async def cached_account(self, handle_key: str) -> tuple[str, str] | None:
        """Return the cached (user id, username) of a handle key, if resolved before."""
        row = await self._db.fetchone(
            "SELECT x_user_id, username FROM x_accounts WHERE handle_key = :handle_key",
            {"handle_key": handle_key},
        )
        return None if row is None else (str(row[0]), str(row[1]))

    async def save_account(self, user_id: str, username: str, name: str | None) -> None:
        """Cache a resolved handle and fill it into every follow waiting for it (idempotent)."""
        key = username.lower()
        async with self._db.transaction():
            await self._db.execute(
                "INSERT INTO x_accounts (handle_key, x_user_id, username, name, resolved_at) "
                "VALUES (:handle_key, :user_id, :username, :name, :now) "
                "ON CONFLICT(handle_key) DO UPDATE SET "
                "x_user_id = excluded.x_user_id, username = excluded.username, "
                "name = excluded.name, resolved_at = excluded.resolved_at",
                {
                    "handle_key": key,
                    "user_id": user_id,
                    "username": username,
                    "name": name,
                    "now": now_epoch(),
                },
            )
            await self._db.execute(
                "UPDATE spaces_follows SET x_user_id = :user_id WHERE handle_key = :handle_key",
                {"user_id": user_id, "handle_key": key},
            )

    # -- polling ---------------------------------------------------------------------------

    async def tracked_for(self, creator_ids: Iterable[str]) -> dict[str, TrackedSpace]:
        """Return the tracked Spaces (any state, not purged) of these creators by Space id."""
        ids = list(dict.fromkeys(creator_ids))
        out: dict[str, TrackedSpace] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            params = {f"c{n}": creator_id for n, creator_id in enumerate(chunk)}
            marks = ", ".join(f":{name}" for name in params)
            rows = await self._db.fetchall(
                f"SELECT * FROM spaces_tracked WHERE creator_id IN ({marks})",  # noqa: S608
                params,
            )
            out.update((str(r["space_id"]), row_to_tracked(r)) for r in rows)
        return out

    async def record_poll(
        self, upserts: Sequence[TrackedSpace], transitions: Sequence[Transition]
    ) -> int:
        """Store a poll's tracked rows and outbox events in one transaction; return events added.

        Idempotent: an event already in the outbox for the same (Space, state) is ignored. A
        restored Space queues edits of its "ended" posts back to live instead of an event, a
        rescheduled one edits of its scheduled posts; any other change drops such queued edits.
        """

        now = now_epoch()
        added = 0
        async with self._db.transaction():
            for s in upserts:
                await self._db.execute(
                    "INSERT INTO spaces_tracked (space_id, creator_id, state, title, "
                    "scheduled_start, started_at, ended_at, participant_count, peak_listeners, "
                    "was_live, missing_since, updated_at) VALUES (:space_id, :creator_id, :state, "
                    ":title, :scheduled_start, :started_at, :ended_at, :participant_count, "
                    ":peak_listeners, :was_live, :missing_since, :now) "
                    "ON CONFLICT(space_id) DO UPDATE SET state = excluded.state, "
                    "title = excluded.title, scheduled_start = excluded.scheduled_start, "
                    "started_at = excluded.started_at, ended_at = excluded.ended_at, "
                    "participant_count = excluded.participant_count, "
                    # The larger of the two (both NOT NULL): SQLite's max(a, b) is GREATEST
                    # in PostgreSQL, so a CASE says it in words both accept.
                    "peak_listeners = CASE WHEN spaces_tracked.peak_listeners > "
                    "excluded.peak_listeners THEN spaces_tracked.peak_listeners "
                    "ELSE excluded.peak_listeners END, "
                    "was_live = excluded.was_live, missing_since = excluded.missing_since, "
                    "updated_at = excluded.updated_at",
                    {
                        "space_id": s.space_id,
                        "creator_id": s.creator_id,
                        "state": s.state,
                        "title": s.title,
                        "scheduled_start": epoch(s.scheduled_start),
                        "started_at": epoch(s.started_at),
                        "ended_at": epoch(s.ended_at),
                        "participant_count": s.participant_count,
                        "peak_listeners": s.peak_listeners,
                        "was_live": int(s.was_live),
                        "missing_since": epoch(s.missing_since),
                        "now": now,
                    },
                )
            for t in transitions:
                if t.restored:
                    added += await queue_restore(self._db, t)
                    continue
                if t.rescheduled:
                    added += await queue_refresh(self._db, t)
                    continue
                await drop_pending_edits(self._db, t.space_id)
                added += await self._db.execute(
                    "INSERT INTO space_events (space_id, kind, scope, payload, created_at) "
                    "VALUES (:space_id, :kind, 0, :payload, :now) ON CONFLICT DO NOTHING",
                    {
                        "space_id": t.space_id,
                        "kind": t.kind,
                        "payload": transition_to_json(t),
                        "now": now,
                    },
                )
            if added:
                # Delivered at commit: every process's fan-out wakes now, not at its next tick.
                await self._db.notify(OUTBOX_CHANNEL)
        return added

    async def queue_manual(self, transition: Transition, delivery: Delivery) -> int | None:
        """Queue a hand-made announcement for one server with its delivery, atomically.

        Returns the event id, or None if that server already has this Space in this state
        (announced by hand or by the poller): never a second post.
        """
        now = now_epoch()
        async with self._db.transaction():
            exists = await self._db.fetchval(
                "SELECT 1 FROM space_deliveries "
                "WHERE guild_id = :guild_id AND space_id = :space_id AND state = :state",
                {
                    "guild_id": delivery.guild_id,
                    "space_id": delivery.space_id,
                    "state": delivery.state,
                },
            )
            if exists:
                return None
            await self._track_manual(transition, now)
            event_id = int(
                await self._db.fetchval(
                    "INSERT INTO space_events (space_id, kind, scope, payload, status, created_at) "
                    "VALUES (:space_id, :kind, :scope, :payload, 'new', :now) RETURNING event_id",
                    {
                        "space_id": transition.space_id,
                        "kind": transition.kind,
                        "scope": delivery.guild_id,
                        "payload": transition_to_json(transition),
                        "now": now,
                    },
                )
            )
            await self.expand_event(event_id, [delivery])
        return event_id

    async def _track_manual(self, t: Transition, now: int) -> None:
        """Track a hand-announced Space of a creator nobody follows, so the poller looks it up
        by id until it ends; a followed creator's Space is tracked (and announced to the other
        servers) by the poll itself. Runs inside the caller's transaction."""
        followed = await self._db.fetchval(
            "SELECT 1 FROM spaces_follows WHERE x_user_id = :creator_id",
            {"creator_id": t.creator_id},
        )
        if followed:
            return
        await self._db.execute(
            "INSERT INTO spaces_tracked (space_id, creator_id, state, title, scheduled_start, "
            "started_at, participant_count, peak_listeners, was_live, updated_at) VALUES "
            "(:space_id, :creator_id, :state, :title, :scheduled_start, :started_at, "
            ":participant_count, :peak_listeners, :was_live, :now) "
            "ON CONFLICT(space_id) DO NOTHING",
            {
                "space_id": t.space_id,
                "creator_id": t.creator_id,
                "state": t.kind,
                "title": t.title,
                "scheduled_start": epoch(t.scheduled_start),
                "started_at": epoch(t.started_at),
                "participant_count": t.participant_count,
                "peak_listeners": t.peak_listeners,
                "was_live": int(t.was_live),
                "now": now,
            },
        )

    async def tracked_with_posts(self, skip_creators: Iterable[str]) -> dict[str, TrackedSpace]:
        """Return Spaces not ended that have a live or scheduled post somewhere, by Space id,
        leaving out those of `skip_creators` (the creators a poll asks about anyway).

        These are Spaces announced by hand, or whose artist was unfollowed after the post: the
        poller looks them up by id until X says they ended.
        """
        rows = await self._db.fetchall(
            "SELECT t.* FROM spaces_tracked t WHERE t.state != 'ended' AND EXISTS "
            "(SELECT 1 FROM space_deliveries d WHERE d.space_id = t.space_id "
            "AND d.state != 'ended' AND d.status = 'sent') ORDER BY t.space_id"
        )
        skip = set(skip_creators)
        spaces = (row_to_tracked(r) for r in rows)
        return {s.space_id: s for s in spaces if s.creator_id not in skip}

    # -- outbox and deliveries ---------------------------------------------------------------

    async def open_events(self, limit: int = 100) -> list[SpaceEvent]:
        """Return outbox events not yet done, oldest first."""
        rows = await self._db.fetchall(
            "SELECT event_id, scope, status, payload FROM space_events WHERE status != 'done' "
            "ORDER BY event_id LIMIT :limit",
            {"limit": limit},
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
            "SELECT event_id, scope, status, payload FROM space_events WHERE event_id = :event_id",
            {"event_id": event_id},
        )
        if row is None:
            return None
        return SpaceEvent(int(row[0]), int(row[1]), str(row[2]), transition_from_json(row[3]))

    async def fanout_targets(
        self, creator_id: str, only_guild: int | None = None
    ) -> list[FanoutTarget]:
        """Return every server following `creator_id` with its resolved channel and role."""
        # One server or all: PostgreSQL cannot type a `:only_guild IS NULL` test, so the
        # condition is left out instead.
        params: dict[str, object] = {"creator_id": creator_id}
        one_guild = ""
        if only_guild is not None:
            params["only_guild"] = only_guild
            one_guild = "AND f.guild_id = :only_guild "
        rows = await self._db.fetchall(
            "SELECT f.guild_id, COALESCE(f.channel_id, c.channel_id) AS channel_id, "  # noqa: S608
            "COALESCE(f.role_id, c.role_id) AS role_id, f.artist_name, f.keywords, f.template "
            "FROM spaces_follows f JOIN guilds g ON g.guild_id = f.guild_id "
            "LEFT JOIN spaces_config c ON c.guild_id = f.guild_id "
            f"WHERE f.x_user_id = :creator_id AND g.left_at IS NULL {one_guild}"
            "ORDER BY f.guild_id, f.handle_key",
            params,
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
                "AND d.status IN ('pending', 'sending')) ORDER BY t.space_id"
            )
            ids = [str(r[0]) for r in rows]
            await self._db.execute_many(
                "UPDATE spaces_tracked SET title = NULL, scheduled_start = NULL, "
                "started_at = NULL, participant_count = NULL, peak_listeners = 0, "
                "purged_at = :now WHERE space_id = :space_id",
                [{"now": to_epoch(now), "space_id": space_id} for space_id in ids],
            )
            await self._db.execute_many(
                "DELETE FROM space_events WHERE space_id = :space_id",
                [{"space_id": space_id} for space_id in ids],
            )
            await self._db.execute(
                "DELETE FROM space_deliveries WHERE space_id IN (SELECT space_id FROM "
                "spaces_tracked WHERE purged_at IS NOT NULL AND purged_at < :cutoff)",
                {"cutoff": cutoff},
            )
            await self._db.execute(
                "DELETE FROM spaces_tracked WHERE purged_at IS NOT NULL AND purged_at < :cutoff",
                {"cutoff": cutoff},
            )
            # Nobody follows the creator any more: nothing will be announced, so keep nothing,
            # except Spaces with a post still saying live or scheduled (looked up until they end).
            await self._db.execute(
                "DELETE FROM spaces_tracked WHERE state != 'ended' AND creator_id NOT IN "
                "(SELECT x_user_id FROM spaces_follows WHERE x_user_id IS NOT NULL) "
                "AND NOT EXISTS (SELECT 1 FROM space_events e WHERE "
                "e.space_id = spaces_tracked.space_id AND e.status != 'done') "
                "AND NOT EXISTS (SELECT 1 FROM space_deliveries d WHERE "
                "d.space_id = spaces_tracked.space_id AND d.state != 'ended' "
                "AND d.status = 'sent')"
            )
        return len(ids)

    async def set_status(self, values: dict[str, str]) -> None:
        """Store poller facts (last poll, API state, ...) by key (idempotent upsert)."""
        now = now_epoch()
        await self._db.execute_many(
            "INSERT INTO spaces_poller_status (key, value, updated_at) VALUES (:key, :value, :now) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            [{"key": k, "value": v, "now": now} for k, v in values.items()],
        )

    async def get_status(self) -> dict[str, str]:
        """Return every stored poller fact."""
        rows = await self._db.fetchall("SELECT key, value FROM spaces_poller_status")
        return {str(r[0]): str(r[1]) for r in rows}
