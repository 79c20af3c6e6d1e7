"""MusicBrainz web service client: paced to one request a second, typed results, UpstreamError out.

MusicBrainz allows one request per second per IP and answers 503 above that; a client that ignores
it gets its IP blocked for everyone on it. So every request of one client instance (the bot holds
exactly one) goes through a single pacing lock, and a 503's Retry-After pauses all callers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from bot.clients.musicbrainz_models import (
    MBID_RE,
    MBArtist,
    MBFormatError,
    MBSearchHit,
    parse_artist,
    parse_search,
)
from bot.errors import UpstreamError

__all__ = ["MBArtist", "MBSearchHit", "MusicBrainzClient", "lucene_escape"]

log = logging.getLogger(__name__)

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f()]")
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_QUERY_CHARS = 200


def lucene_escape(text: str) -> str:
    """Escape Lucene's special characters so a name is searched as text, not as syntax."""
    return _LUCENE_SPECIAL.sub(r"\\\1", text)


def _retry_after_seconds(value: str | None) -> float | None:
    """Return the wait a Retry-After header asks for (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class MusicBrainzClient:
    """Search and look up artists on the MusicBrainz JSON web service (`/ws/2`)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        contact: str,
        version: str,
        *,
        min_interval: float = 1.0,
        timeout: float = 10.0,
        max_attempts: int = 3,
        backoff_base: float = 1.0,
        max_retry_after: float = 30.0,
    ) -> None:
        contact_clean = _HEADER_UNSAFE.sub("", contact).strip()
        version_clean = _HEADER_UNSAFE.sub("", version).strip().replace(" ", "") or "0"
        if not contact_clean:
            raise ValueError("MusicBrainz asks every client for a contact in its User-Agent")
        if not base_url.strip():
            raise ValueError("base_url must not be empty")
        self._http = http
        self._base = base_url.strip().rstrip("/")
        self.user_agent = f"Lightstick/{version_clean} ( {contact_clean} )"
        self._min_interval = min_interval
        self._timeout = timeout
        self._max_attempts = max(1, max_attempts)
        self._backoff_base = backoff_base
        self._max_retry_after = max_retry_after
        self._lock = asyncio.Lock()
        self._next_slot = 0.0  # time.monotonic() before which no request may start

    async def search_artists(self, query: str, limit: int = 5) -> list[MBSearchHit]:
        """Return the best-scoring artists for a name, best first (empty when none match)."""
        text = " ".join(query.split())[:MAX_QUERY_CHARS]
        if not text:
            return []
        params = {
            "query": lucene_escape(text),
            "limit": str(max(1, min(limit, 100))),
            "fmt": "json",
        }
        payload = await self._get_json("/artist", params)
        if payload is None:
            # A search endpoint never 404s for "no match" (that is count 0), so this is a bad URL.
            raise UpstreamError("MusicBrainz search endpoint not found", status=404)
        try:
            hits = parse_search(payload)
        except MBFormatError as exc:
            raise UpstreamError("MusicBrainz sent an unexpected search response") from exc
        return sorted(hits, key=lambda h: h.score, reverse=True)

    async def lookup_artist(self, mbid: str) -> MBArtist | None:
        """Return an artist's core data with aliases and members, or None if MusicBrainz has no
        such id (404: merged or deleted); raise ValueError for a string that is not an MBID."""
        key = mbid.strip().lower()
        if not MBID_RE.fullmatch(key):
            raise ValueError("not a MusicBrainz id")
        params = {"inc": "aliases+artist-rels+url-rels", "fmt": "json"}
        payload = await self._get_json(f"/artist/{key}", params)
        if payload is None:
            return None
        try:
            return parse_artist(payload)
        except MBFormatError as exc:
            raise UpstreamError("MusicBrainz sent an unexpected artist response") from exc

    async def _get_json(self, path: str, params: dict[str, str]) -> Any:
        """GET a JSON document, retrying 503s; None on 404; UpstreamError on anything else."""
        for attempt in range(1, self._max_attempts + 1):
            status, headers, body = await self._send(path, params)
            if status in (429, 503):
                wait = self._retry_wait(headers.get("retry-after"), attempt)
                if attempt == self._max_attempts or wait > self._max_retry_after:
                    raise UpstreamError(
                        "MusicBrainz is busy right now (rate limited)",
                        status=status,
                        retry_after=wait,
                    )
                log.info("MusicBrainz answered %s; retrying in %.1fs", status, wait)
                self._defer(wait)
                continue
            if status == 404:
                return None
            if status in (401, 403):
                # 403 is how MusicBrainz refuses a missing or blocked User-Agent.
                raise UpstreamError(
                    f"MusicBrainz refused the request ({status})", status=status, fatal=True
                )
            if not 200 <= status < 300:
                raise UpstreamError(f"MusicBrainz answered HTTP {status}", status=status)
            try:
                return json.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise UpstreamError("MusicBrainz sent a response that is not JSON") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _retry_wait(self, header: str | None, attempt: int) -> float:
        backoff = self._backoff_base * float(2 ** (attempt - 1))
        asked = _retry_after_seconds(header)
        return backoff if asked is None else max(asked, backoff)

    def _defer(self, seconds: float) -> None:
        """Hold back every caller of this client, not just the one that saw the 503."""
        self._next_slot = max(self._next_slot, time.monotonic() + seconds)

    async def _send(self, path: str, params: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        async with self._lock:
            wait = self._next_slot - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                async with asyncio.timeout(self._timeout):
                    return await self._exchange(path, params)
            except (TimeoutError, httpx.TimeoutException) as exc:
                raise UpstreamError("MusicBrainz did not answer in time") from exc
            except httpx.HTTPError as exc:
                raise UpstreamError(f"MusicBrainz is unreachable ({type(exc).__name__})") from exc
            finally:
                # Spacing is counted from the end of the previous exchange, so the server sees
                # at least `min_interval` between two arrivals whatever the network latency.
                self._next_slot = max(self._next_slot, time.monotonic() + self._min_interval)

    async def _exchange(
        self, path: str, params: dict[str, str]
    ) -> tuple[int, httpx.Headers, bytes]:
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        url = self._base + path
        # Build the query by hand: MusicBrainz wants `inc=a+b` with literal plus signs.
        query = "&".join(
            f"{k}={v}" if k == "inc" else str(httpx.QueryParams({k: v})) for k, v in params.items()
        )
        async with self._http.stream(
            "GET", f"{url}?{query}", headers=headers, timeout=self._timeout
        ) as response:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise UpstreamError("MusicBrainz sent an oversized response")
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)
