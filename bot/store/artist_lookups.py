"""How often each act's card was shown in a server: the favourites an empty /artist suggests."""

from __future__ import annotations

from datetime import datetime

from bot.store.db import Database
from bot.store.times import to_epoch


class ArtistLookupRepo:
    """One server's per-act count of posted artist cards."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id

    async def record(self, artist_id: str, *, now: datetime) -> None:
        """Count one card posted for `artist_id` (nothing when the server has no row yet)."""
        await self._db.execute(
            # The CASTs give PostgreSQL the parameters' types, which a SELECT list cannot infer.
            "INSERT INTO artist_lookups (guild_id, artist_id, lookups, last_at) "
            "SELECT CAST(:guild_id AS BIGINT), CAST(:artist_id AS TEXT), 1, CAST(:now AS BIGINT) "
            "WHERE EXISTS (SELECT 1 FROM guilds WHERE guild_id = :guild_id) "
            "ON CONFLICT(guild_id, artist_id) DO UPDATE SET "
            "lookups = artist_lookups.lookups + 1, last_at = excluded.last_at",
            {"guild_id": self.guild_id, "artist_id": artist_id, "now": to_epoch(now)},
        )

    async def most_looked_up(self, limit: int) -> list[str]:
        """Return up to `limit` artist ids, most posted first (latest first among equals)."""
        rows = await self._db.fetchall(
            "SELECT artist_id FROM artist_lookups WHERE guild_id = :guild_id "
            "ORDER BY lookups DESC, last_at DESC, artist_id LIMIT :limit",
            {"guild_id": self.guild_id, "limit": limit},
        )
        return [str(r[0]) for r in rows]
