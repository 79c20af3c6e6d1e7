"""The Spaces delivery ledger: one row per (server, Space, state), the exactly-once record.

`SpaceTrackingRepo` (bot/store/spaces_tracking.py) inherits these methods; they live here to keep
each module small.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.shards import ShardSpec
from bot.store.db import Database
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
        """Return an event's deliveries still pending or interrupted while sending.

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

    async def claim_delivery(self, d: Delivery) -> bool:
        """Move a pending (or crash-interrupted sending) row to sending; False if already done."""
        changed = await self._db.execute(
            "UPDATE space_deliveries SET status = 'sending', attempts = attempts + 1, "
            "updated_at = :now WHERE guild_id = :guild_id AND space_id = :space_id "
            "AND state = :state AND status IN ('pending', 'sending')",
            {**_key(d), "now": now_epoch()},
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
            "UPDATE space_deliveries SET status = :status, "
            "message_id = COALESCE(:message_id, message_id), error = :error, updated_at = :now "
            "WHERE guild_id = :guild_id AND space_id = :space_id AND state = :state",
            {
                **_key(d),
                "status": status,
                "message_id": message_id,
                "error": error,
                "now": now_epoch(),
            },
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
