"""MusicBrainz lookup cache: a global table (CC0 data shared by every server, not guild data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.db import Database
from bot.store.times import from_epoch, to_epoch

__all__ = ["CachedEntry", "MusicBrainzCacheRepo"]


@dataclass(frozen=True, slots=True)
class CachedEntry:
    """One cached answer; `mbid` and `payload` are None when MusicBrainz had no usable match."""

    query_norm: str
    mbid: str | None
    payload: str | None
    fetched_at: datetime

    @property
    def is_negative(self) -> bool:
        """Say whether this entry records "no result"."""
        return self.payload is None


class MusicBrainzCacheRepo:
    """Cached MusicBrainz answers keyed by the normalized query (cross-guild by design)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_cached(self, query_norm: str, newer_than: datetime) -> CachedEntry | None:
        """Return the query's entry if fetched at or after `newer_than`, else None (read-only)."""
        row = await self._db.fetchone(
            "SELECT query_norm, mbid, payload, fetched_at FROM musicbrainz_cache "
            "WHERE query_norm = :query_norm AND fetched_at >= :newer_than",
            {"query_norm": query_norm, "newer_than": to_epoch(newer_than)},
        )
        if row is None:
            return None
        return CachedEntry(
            query_norm=str(row["query_norm"]),
            mbid=None if row["mbid"] is None else str(row["mbid"]),
            payload=None if row["payload"] is None else str(row["payload"]),
            fetched_at=from_epoch(row["fetched_at"]),
        )

    async def put_cached(
        self, query_norm: str, mbid: str | None, payload: str | None, fetched_at: datetime
    ) -> None:
        """Store the answer for a query, replacing any older one (idempotent upsert)."""
        await self._db.execute(
            "INSERT INTO musicbrainz_cache (query_norm, mbid, payload, fetched_at) "
            "VALUES (:query_norm, :mbid, :payload, :fetched_at) ON CONFLICT(query_norm) DO UPDATE "
            "SET mbid = excluded.mbid, payload = excluded.payload, "
            "fetched_at = excluded.fetched_at",
            {
                "query_norm": query_norm,
                "mbid": mbid,
                "payload": payload,
                "fetched_at": to_epoch(fetched_at),
            },
        )

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Delete entries fetched before `cutoff` and return how many (idempotent)."""
        return await self._db.execute(
            "DELETE FROM musicbrainz_cache WHERE fetched_at < :cutoff",
            {"cutoff": to_epoch(cutoff)},
        )
