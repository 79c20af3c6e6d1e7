"""Servers: membership lifecycle (join, leave, 30-day purge) and the shared per-server settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.store.db import Database
from bot.store.times import from_epoch, to_epoch

PURGE_GRACE = timedelta(days=30)
# The zone party times are read in until a moderator picks the server's own.
DEFAULT_TIMEZONE = "Asia/Seoul"


@dataclass(frozen=True)
class Reconciliation:
    """What one READY reconciliation found, as server ids.

    `joined`: servers the database had never seen (invited while the bot was offline);
    `rejoined`: servers that were marked left and are back (their data kept within the grace);
    `gone`: servers newly marked left (removed while the bot was offline).
    """

    gone: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    rejoined: list[int] = field(default_factory=list)


class GuildLifecycleRepo:
    """Cross-guild bookkeeping of which servers the bot is in; used by the client, not by cogs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def ensure_guild(self, guild_id: int, name: str | None = None) -> None:
        """Create the server's rows if missing (idempotent); never clears a pending purge."""
        now = to_epoch(datetime.now(UTC))
        async with self._db.transaction():
            await self._db.execute(
                "INSERT INTO guilds (guild_id, name, joined_at) VALUES (:guild_id, :name, :now) "
                "ON CONFLICT(guild_id) DO UPDATE SET name = COALESCE(excluded.name, guilds.name)",
                {"guild_id": guild_id, "name": name, "now": now},
            )
            await self._db.execute(
                "INSERT INTO guild_settings (guild_id, updated_at) VALUES (:guild_id, :now) "
                "ON CONFLICT DO NOTHING",
                {"guild_id": guild_id, "now": now},
            )

    async def mark_joined(self, guild_id: int, name: str | None, now: datetime) -> bool:
        """Record a join (or rejoin, cancelling a pending purge); return True if it is new."""
        async with self._db.transaction():
            existed = await self._db.fetchval(
                "SELECT 1 FROM guilds WHERE guild_id = :guild_id", {"guild_id": guild_id}
            )
            params = {"guild_id": guild_id, "name": name, "now": to_epoch(now)}
            await self._db.execute(
                "INSERT INTO guilds (guild_id, name, joined_at) VALUES (:guild_id, :name, :now) "
                "ON CONFLICT(guild_id) DO UPDATE SET "
                "name = COALESCE(excluded.name, guilds.name), left_at = NULL",
                params,
            )
            await self._db.execute(
                "INSERT INTO guild_settings (guild_id, updated_at) VALUES (:guild_id, :now) "
                "ON CONFLICT DO NOTHING",
                params,
            )
        return existed is None

    async def reconcile_present(
        self,
        present: Sequence[tuple[int, str | None]],
        now: datetime,
        *,
        owned: Callable[[int], bool] | None = None,
    ) -> Reconciliation:
        """Record every server the gateway reports (one transaction) and mark the others left.

        Idempotent: a second call with the same list finds nothing joined, rejoined or gone, so
        a restart never reports a server as new twice. `present` must be the complete list of
        the servers this process serves; `owned` says which servers those are (its shards:
        servers of other processes' shards are never marked left). None: every server.
        """
        stamp = to_epoch(now)
        async with self._db.transaction():
            known = {
                int(r[0]): r[1] is not None
                for r in await self._db.fetchall("SELECT guild_id, left_at FROM guilds")
            }
            joined = [gid for gid, _ in present if gid not in known]
            rejoined = [gid for gid, _ in present if known.get(gid, False)]
            await self._db.execute_many(
                "INSERT INTO guilds (guild_id, name, joined_at) VALUES (:guild_id, :name, :now) "
                "ON CONFLICT(guild_id) DO UPDATE SET name = excluded.name, left_at = NULL",
                [{"guild_id": gid, "name": name, "now": stamp} for gid, name in present],
            )
            await self._db.execute_many(
                "INSERT INTO guild_settings (guild_id, updated_at) VALUES (:guild_id, :now) "
                "ON CONFLICT DO NOTHING",
                [{"guild_id": gid, "now": stamp} for gid, _ in present],
            )
            ids = {gid for gid, _ in present}
            rows = await self._db.fetchall(
                "SELECT guild_id FROM guilds WHERE left_at IS NULL ORDER BY guild_id"
            )
            gone = [
                int(r[0])
                for r in rows
                if int(r[0]) not in ids and (owned is None or owned(int(r[0])))
            ]
            await self._db.execute_many(
                "UPDATE guilds SET left_at = :now WHERE guild_id = :guild_id",
                [{"now": stamp, "guild_id": gid} for gid in gone],
            )
        return Reconciliation(gone=gone, joined=joined, rejoined=rejoined)

    async def mark_left(self, guild_id: int, now: datetime) -> None:
        """Start the 30-day grace period for a server the bot left (idempotent)."""
        await self._db.execute(
            "UPDATE guilds SET left_at = COALESCE(left_at, :now) WHERE guild_id = :guild_id",
            {"now": to_epoch(now), "guild_id": guild_id},
        )

    async def purge_departed(self, now: datetime) -> list[int]:
        """Delete every server gone 30+ days (its rows go by cascade); return their ids."""
        cutoff = to_epoch(now - PURGE_GRACE)
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT guild_id FROM guilds WHERE left_at IS NOT NULL AND left_at <= :cutoff "
                "ORDER BY guild_id",
                {"cutoff": cutoff},
            )
            ids = [int(r[0]) for r in rows]
            if ids:
                await self._db.execute_many(
                    "DELETE FROM guilds WHERE guild_id = :guild_id", [{"guild_id": i} for i in ids]
                )
        return ids

    async def left_at(self, guild_id: int) -> datetime | None:
        """Return when the bot left the server, or None if it is a current member."""
        value = await self._db.fetchval(
            "SELECT left_at FROM guilds WHERE guild_id = :guild_id", {"guild_id": guild_id}
        )
        return None if value is None else from_epoch(value)


class GuildSettingsRepo:
    """The settings row of one server."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id

    async def get_timezone(self) -> str:
        """Return the server's default IANA zone (Asia/Seoul when unset)."""
        value = await self._db.fetchval(
            "SELECT timezone FROM guild_settings WHERE guild_id = :guild_id",
            {"guild_id": self.guild_id},
        )
        return str(value) if value else DEFAULT_TIMEZONE

    async def set_timezone(self, zone: str) -> None:
        """Set the server's default IANA zone (idempotent; the zone must already be validated)."""
        await self._db.execute(
            "UPDATE guild_settings SET timezone = :zone, updated_at = :now "
            "WHERE guild_id = :guild_id",
            {"zone": zone, "now": to_epoch(datetime.now(UTC)), "guild_id": self.guild_id},
        )


class MetaRepo:
    """Process-level key/value facts such as the last synced command-schema hash."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        """Return the value stored under `key`, or None."""
        value = await self._db.fetchval("SELECT value FROM bot_meta WHERE key = :key", {"key": key})
        return None if value is None else str(value)

    async def put(self, key: str, value: str) -> None:
        """Store `value` under `key` (idempotent upsert)."""
        await self._db.execute(
            "INSERT INTO bot_meta (key, value, updated_at) VALUES (:key, :value, :now) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            {"key": key, "value": value, "now": to_epoch(datetime.now(UTC))},
        )
