"""The MusicBrainz fallback for names the catalog does not know: cache first, then the web service.

Answers are cached by normalized query for 7 days ("no usable match" for 1 day, so a new act
shows up soon). If MusicBrainz is down, an expired entry is still better than nothing and is
served; otherwise UpstreamError reaches the cog, and the failure is kept for `/settings`.
"""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx

from bot.clients.musicbrainz import MusicBrainzClient
from bot.clients.musicbrainz_models import MBArtist, MBSearchHit, artist_from_json, artist_to_json
from bot.errors import UpstreamError
from bot.store.musicbrainz_cache import CachedEntry, MusicBrainzCacheRepo

__all__ = [
    "ATTRIBUTION",
    "MBArtist",
    "MusicBrainzService",
    "build_musicbrainz_service",
    "normalize_query",
]

log = logging.getLogger(__name__)

ATTRIBUTION = "Data from MusicBrainz (CC0)"
ACCEPTED_TYPES = frozenset({"Person", "Group"})
MAX_QUERY_CHARS = 100


def _utcnow() -> datetime:
    return datetime.now(UTC)


def normalize_query(name: str) -> str:
    """Return the cache key for a name: NFKC, case-folded, single spaces, at most 100 chars."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(folded.split())[:MAX_QUERY_CHARS]


def _format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


class MusicBrainzService:
    """Find an artist on MusicBrainz by name, through the SQLite cache."""

    def __init__(
        self,
        client: MusicBrainzClient | None,
        cache: MusicBrainzCacheRepo,
        *,
        ttl_days: int = 7,
        negative_ttl_days: int = 1,
        keep_days: int = 30,
        min_score: int = 90,
        clock: Callable[[], datetime] = _utcnow,
        disabled_reason: str = "turned off",
    ) -> None:
        self._client = client
        self._cache = cache
        self._ttl = timedelta(days=ttl_days)
        self._negative_ttl = timedelta(days=min(negative_ttl_days, ttl_days))
        self._keep = timedelta(days=max(keep_days, ttl_days))
        self._min_score = min_score
        self._clock = clock
        self.disabled_reason = disabled_reason
        self.last_error: str | None = None
        self.last_error_at: datetime | None = None
        self.last_success_at: datetime | None = None
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @property
    def enabled(self) -> bool:
        """Say whether lookups may reach MusicBrainz at all."""
        return self._client is not None

    async def find_artist(self, name: str) -> MBArtist | None:
        """Return the artist MusicBrainz confidently matches to a name, or None.

        Raises UpstreamError when MusicBrainz cannot be reached and nothing is cached.
        """
        query = normalize_query(name)
        if not query or self._client is None:
            return None
        hit, artist = await self._from_cache(query)
        if hit:
            return artist
        # One fetch per query: a second caller waits and then reads what the first one cached.
        async with self._query_lock(query):
            hit, artist = await self._from_cache(query)
            if hit:
                return artist
            try:
                artist = await self._fetch(self._client, " ".join(name.split()))
            except UpstreamError as exc:
                self.last_error = exc.message
                self.last_error_at = self._clock()
                log.warning("MusicBrainz lookup failed: %s", exc.message)
                stale = await self._stale(query)
                if stale is not None:
                    return stale
                raise
            now = self._clock()
            self.last_success_at = now
            await self._cache.put_cached(
                query,
                None if artist is None else artist.mbid,
                None if artist is None else artist_to_json(artist),
                now,
            )
            return artist

    async def purge_expired(self) -> int:
        """Delete cache rows too old even to serve while MusicBrainz is down; return the count."""
        return await self._cache.purge_older_than(self._clock() - self._keep)

    def status_line(self) -> str:
        """Describe the fallback's state in one line for the settings screen."""
        if self._client is None:
            return f"Off: {self.disabled_reason}."
        ttl_days = self._ttl.days
        if self.last_error_at is not None and (
            self.last_success_at is None or self.last_error_at >= self.last_success_at
        ):
            return (
                f"On, but the last request failed at {_format_time(self.last_error_at)}: "
                f"{self.last_error}. Cached answers are still used."
            )
        return f"On: unknown names are looked up on MusicBrainz (answers cached {ttl_days} days)."

    async def _from_cache(self, query: str) -> tuple[bool, MBArtist | None]:
        now = self._clock()
        entry = await self._cache.get_cached(query, newer_than=now - self._ttl)
        if entry is None:
            return False, None
        if entry.is_negative:
            return (entry.fetched_at >= now - self._negative_ttl), None
        artist = _decode(entry)
        return artist is not None, artist

    async def _stale(self, query: str) -> MBArtist | None:
        entry = await self._cache.get_cached(query, newer_than=self._clock() - self._keep)
        artist = None if entry is None else _decode(entry)
        if artist is not None:
            log.info("serving an expired MusicBrainz answer while the service is failing")
        return artist

    async def _fetch(self, client: MusicBrainzClient, name: str) -> MBArtist | None:
        hits = await client.search_artists(name, limit=5)
        best = self._pick(hits)
        if best is None:
            return None
        # None here means the id was merged or deleted since the search index was built.
        return await client.lookup_artist(best.mbid)

    def _pick(self, hits: list[MBSearchHit]) -> MBSearchHit | None:
        for hit in sorted(hits, key=lambda h: h.score, reverse=True):
            if hit.score < self._min_score:
                return None
            if hit.type in ACCEPTED_TYPES:
                return hit
        return None

    @asynccontextmanager
    async def _query_lock(self, query: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(query, (asyncio.Lock(), 0))
        self._locks[query] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[query]
            if users <= 1:
                del self._locks[query]
            else:
                self._locks[query] = (lock, users - 1)


def _decode(entry: CachedEntry) -> MBArtist | None:
    if entry.payload is None:
        return None
    artist = artist_from_json(entry.payload)
    if artist is None:
        log.warning("ignoring an unreadable MusicBrainz cache row")
    return artist


def build_musicbrainz_service(
    http: httpx.AsyncClient,
    cache: MusicBrainzCacheRepo,
    *,
    api_base: str,
    contact: str,
    version: str,
    clock: Callable[[], datetime] = _utcnow,
) -> MusicBrainzService:
    """Build the service from settings; off (no client) without an API base or a contact."""
    if not api_base.strip():
        return MusicBrainzService(
            None, cache, clock=clock, disabled_reason="turned off (MUSICBRAINZ_API_BASE is empty)"
        )
    if not contact.strip():
        return MusicBrainzService(
            None,
            cache,
            clock=clock,
            disabled_reason="set MUSICBRAINZ_CONTACT (an e-mail or URL) to turn it on",
        )
    try:
        client = MusicBrainzClient(http, api_base, contact, version)
    except ValueError:
        return MusicBrainzService(
            None, cache, clock=clock, disabled_reason="MUSICBRAINZ_CONTACT is not usable"
        )
    return MusicBrainzService(client, cache, clock=clock)
