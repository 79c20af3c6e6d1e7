"""The Spaces delivery ledger: one row per (server, Space, state), the exactly-once record.

`SpaceTrackingRepo` (bot/store/spaces_tracking.py) inherits these methods; they live here to keep
each module small.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.shards import ShardSpec
from bot.store.db import Database
from bot.store.leases import LEASE_EXPIRED, LEASE_SECONDS, lock_rows
from bot.store.shards import shard_condition
from bot.store.spaces_codec import Delivery, DeliveryStatus, delivery_from_row
from bot.store.times import now_epoch


def _key(d: Delivery) -> dict[str, object]:
    """Return the parameters naming one delivery row: (server, Space, state)."""
    return {"guild_id": d.guild_id, "space_id": d.space_id, "state": d.state}


class SpaceDeliveryLedger:
    """Delivery rows and broken channels across servers (not bound to one server)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def expand_event(self, event_id: int, deliveries: Sequence[Delivery]) -> None:
        """Write an event's pending deliveries and mark it expanded, atomically (idempotent)."""
        now = now_epoch()
        async with self._db.transaction():
            await self._db.execute_many(
                "INSERT INTO space_deliveries (guild_id, space_id, state, event_id, "
                "channel_id, role_id, artist_name, template, nonce, status, message_id, "
                "attempts, created_at, updated_at) VALUES (:guild_id, :space_id, :state, "
                ":event_id, :channel_id, :role_id, :artist_name, :template, :nonce, :status, "
                ":message_id, 0, :now, :now) ON CONFLICT DO NOTHING",
                [
                    {
                        "guild_id": d.guild_id,
                        "space_id": d.space_id,
                        "state": d.state,
                        "event_id": event_id,
                        "channel_id": d.channel_id,
                        "role_id": d.role_id,
                        "artist_name": d.artist_name,
                        "template": d.template,
                        "nonce": d.nonce,
                        "status": d.status,
                        "message_id": d.message_id,
                        "now": now,
                    }
                    for d in deliveries
                ],
            )
            await self._db.execute(
                "UPDATE space_events SET status = 'expanded' "
                "WHERE event_id = :event_id AND status = 'new'",
                {"event_id": event_id},
            )

    async def get_delivery(self, guild_id: int, space_id: str, state: str) -> Delivery | None:
        """Return one delivery row, if any."""
        row = await self._db.fetchone(
            "SELECT * FROM space_deliveries "
            "WHERE guild_id = :guild_id AND space_id = :space_id AND state = :state",
            {"guild_id": guild_id, "space_id": space_id, "state": state},
        )
        return None if row is None else delivery_from_row(row)

    async def deliveries_of_space(self, space_id: str) -> list[Delivery]:
        """Return every delivery row of one Space (all servers, all states)."""
        rows = await self._db.fetchall(
            "SELECT * FROM space_deliveries WHERE space_id = :space_id ORDER BY guild_id, state",
            {"space_id": space_id},
        )
        return [delivery_from_row(r) for r in rows]

    async def open_deliveries(
        self, event_id: int, *, shards: ShardSpec | None = None
    ) -> list[Delivery]:
        """Return an event's deliveries still pending or in flight ('sending': interrupted, or
        being sent under another holder's lease).

        `shards`: only deliveries to servers on those shards (None: every server).
        """
        ours, params = shard_condition(shards, "guild_id")
        rows = await self._db.fetchall(
            "SELECT * FROM space_deliveries WHERE event_id = :event_id "  # noqa: S608
            f"AND status IN ('pending', 'sending') AND {ours} "
            "ORDER BY guild_id, space_id, state",
            {"event_id": event_id, **params},
        )
        return [delivery_from_row(r) for r in rows]

    async def claim_delivery(
        self,
        d: Delivery,
        holder: str,
        *,
        lease_seconds: int = LEASE_SECONDS,
        now: int | None = None,
    ) -> Delivery | None:
        """Claim one delivery for `holder` (status 'sending', leased `lease_seconds`).

        Returns the row as it was just before the claim (status 'sending' there means an
        earlier claim was interrupted: its post may exist), or None when the row is done or
        another holder's lease on it still runs. `now`: epoch seconds (default: the clock).
        """
        at = now_epoch() if now is None else now
        params = {**_key(d), "holder": holder, "now": at, "until": at + lease_seconds}
        async with self._db.transaction():
            row = await self._db.fetchone(
                "SELECT * FROM space_deliveries WHERE guild_id = :guild_id "  # noqa: S608
                "AND space_id = :space_id AND state = :state AND (status = 'pending' "
                f"OR (status = 'sending' AND {LEASE_EXPIRED})){lock_rows(self._db)}",
                params,
            )
            if row is None:
                return None
            await self._db.execute(
                "UPDATE space_deliveries SET status = 'sending', attempts = attempts + 1, "
                "claimed_by = :holder, lease_until = :until, updated_at = :now "
                "WHERE guild_id = :guild_id AND space_id = :space_id AND state = :state",
                params,
            )
            return delivery_from_row(row)

    async def renew_deliveries(
        self, holder: str, *, lease_seconds: int = LEASE_SECONDS, now: int | None = None
    ) -> int:
        """Extend the lease of every delivery `holder` is sending; return how many."""
        at = now_epoch() if now is None else now
        return await self._db.execute(
            "UPDATE space_deliveries SET lease_until = :until "
            "WHERE status = 'sending' AND claimed_by = :holder",
            {"holder": holder, "until": at + lease_seconds},
        )

    async def expire_foreign_claims(self, holder: str, *, shards: ShardSpec | None = None) -> int:
        """End the leases of deliveries left 'sending' by any holder but `holder`, on `shards`.

        For a process starting up: it is the only owner of its shards, so what an earlier
        process left in flight there is interrupted, not in progress. Returns how many.
        """
        ours, params = shard_condition(shards, "guild_id")
        return await self._db.execute(
            "UPDATE space_deliveries SET lease_until = NULL "  # noqa: S608
            "WHERE status = 'sending' AND (claimed_by IS NULL OR claimed_by <> :holder) "
            f"AND {ours}",
            {"holder": holder, **params},
        )

    async def finish_delivery(
        self,
        d: Delivery,
        status: DeliveryStatus,
        holder: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> bool:
        """Record the outcome of a delivery `holder` claimed; keeps an earlier message id.

        Returns False (and changes nothing) when `holder` no longer holds the row: another
        process took it over after this one's lease ran out. Idempotent.
        """
        changed = await self._db.execute(
            "UPDATE space_deliveries SET status = :status, "
            "message_id = COALESCE(:message_id, message_id), error = :error, updated_at = :now "
            "WHERE guild_id = :guild_id AND space_id = :space_id AND state = :state "
            "AND claimed_by = :holder",
            {
                **_key(d),
                "status": status,
                "message_id": message_id,
                "error": error,
                "holder": holder,
                "now": now_epoch(),
            },
        )
        return changed == 1

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
            "INSERT INTO spaces_broken_channels (guild_id, channel_id, reason, since) "
            "VALUES (:guild_id, :channel_id, :reason, :now) ON CONFLICT DO NOTHING",
            {
                "guild_id": guild_id,
                "channel_id": channel_id,
                "reason": reason[:200],
                "now": now_epoch(),
            },
        )

    async def broken_channels(self) -> set[tuple[int, int]]:
        """Return every (guild id, channel id) marked broken."""
        rows = await self._db.fetchall("SELECT guild_id, channel_id FROM spaces_broken_channels")
        return {(int(r[0]), int(r[1])) for r in rows}
