"""A local stand-in for the MusicBrainz web service (`/ws/2`), speaking its documented JSON.

Lookups are served from `musicbrainz_fixtures/artist_*.json` (MusicBrainz's lookup shape with
`aliases` and `relations`); searches are built from the same documents in the search shape
(`created`, `count`, `offset`, `artists` with `score`, `tags`, search-style aliases), scored the
way MusicBrainz roughly does: an exact name or alias match scores 100, a partial one less.

Like MusicBrainz it answers 403 to a client without a meaningful User-Agent, 404 to an unknown
MBID and 400 to a malformed one. Every request is recorded with its arrival time (monotonic) so a
test can check the client's pacing, and fault switches make it misbehave on demand.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from aiohttp import web

FIXTURES = resources.files("bot.testing") / "musicbrainz_fixtures"
UA_RE = re.compile(r"Lightstick/(?P<version>\S+) \( (?P<contact>.+) \)")
_MBID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_LUCENE_ESCAPE_RE = re.compile(r"\\(.)")

# Acts the shipped catalog does not know (so /artist falls back to MusicBrainz for them).
BOL4 = "74600214-1e66-4773-ab42-a14821f31ac9"  # duo with a former member
HEIZE = "ab16e53f-b5a1-4d98-9bf5-42c12395d1de"  # Korean soloist
HYUKOH = "94e5e4d7-6d14-4f4c-9bdc-e703f311bc36"  # band, four current members
HEIZE_DE = "62b77b5d-4bcd-4044-8fcc-90d68c88b93c"  # a namesake that must rank second
NAEVIS = "8c3565b1-178a-4fd2-8ff4-8ea49a609f74"  # a virtual Character, not Person/Group


def load_artist_fixtures() -> dict[str, dict[str, Any]]:
    """Return every fixture lookup document keyed by MBID."""
    docs = {}
    for path in sorted(FIXTURES.iterdir(), key=lambda p: p.name):
        if not (path.name.startswith("artist_") and path.name.endswith(".json")):
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        docs[doc["id"]] = doc
    return docs


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    path: str
    query: dict[str, str]
    user_agent: str | None
    at: float  # time.monotonic() on arrival


@dataclass
class Faults:
    """Switches that make the server misbehave; each applies to every request while set."""

    unavailable_times: int = 0  # answer 503 this many times, then recover
    retry_after: str | None = "1"  # Retry-After sent with those 503s (None: no header)
    not_found: bool = False  # answer 404 to everything
    status: int | None = None  # answer this HTTP status with an error JSON body
    stall_seconds: float = 0.0  # sleep before answering (longer than the client's timeout)
    malformed_json: bool = False  # 200 with a truncated JSON body
    garbage_html: bool = False  # 200 with an HTML error page


@dataclass
class FakeMusicBrainz:
    """The fake server; use `running_fake_musicbrainz()` to start and stop it."""

    expected_contact: str | None = None
    artists: dict[str, dict[str, Any]] = field(default_factory=load_artist_fixtures)
    faults: Faults = field(default_factory=Faults)
    requests: list[RecordedRequest] = field(default_factory=list)
    base_url: str = ""
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Bind to a random port on 127.0.0.1 and serve."""
        app = web.Application()
        app.router.add_get("/ws/2/artist", self._search)
        app.router.add_get("/ws/2/artist/", self._search)
        app.router.add_get("/ws/2/artist/{mbid}", self._lookup)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}/ws/2"

    async def close(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def spacings(self) -> list[float]:
        """Return the seconds between consecutive request arrivals."""
        times = [r.at for r in self.requests]
        return [b - a for a, b in itertools.pairwise(times)]

    # -- plumbing ---------------------------------------------------------------------------

    async def _gate(self, request: web.Request) -> web.StreamResponse | None:
        """Record the request, then apply the User-Agent rule and the fault switches."""
        ua = request.headers.get("User-Agent")
        self.requests.append(
            RecordedRequest(request.path, dict(request.query), ua, time.monotonic())
        )
        match = UA_RE.fullmatch(ua or "")
        if match is None or (
            self.expected_contact is not None and match["contact"] != self.expected_contact
        ):
            return _error(403, "Your requests are being blocked: send a meaningful User-Agent.")
        if request.query.get("fmt") != "json":
            return web.Response(status=200, text="<metadata/>", content_type="application/xml")
        f = self.faults
        if f.stall_seconds:
            await asyncio.sleep(f.stall_seconds)
        if f.unavailable_times > 0:
            f.unavailable_times -= 1
            headers = {"Retry-After": f.retry_after} if f.retry_after is not None else {}
            return _error(
                503,
                "Your requests are exceeding the allowable rate limit. Please see "
                "http://wiki.musicbrainz.org/XMLWebService for more information.",
                headers,
            )
        if f.not_found:
            return _error(404, "Not Found")
        if f.status is not None:
            return _error(f.status, "Internal server error")
        if f.malformed_json:
            return web.Response(
                status=200,
                text='{"created": "2026-11-22T03:00:00.000Z", "artists": [{"id": ',
                content_type="application/json",
            )
        if f.garbage_html:
            return web.Response(
                status=200,
                text="<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
                content_type="text/html",
            )
        return None

    async def _search(self, request: web.Request) -> web.StreamResponse:
        refused = await self._gate(request)
        if refused is not None:
            return refused
        raw = request.query.get("query", "")
        if not raw.strip():
            return _error(400, "Invalid query.")
        limit = int(request.query.get("limit", "25"))
        wanted = _LUCENE_ESCAPE_RE.sub(r"\1", raw).casefold().strip()
        scored = [(self._score(doc, wanted), doc) for doc in self.artists.values()]
        matches = sorted((p for p in scored if p[0] > 0), key=lambda p: -p[0])
        rows = [_search_row(doc, score) for score, doc in matches[:limit]]
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z"
        return web.json_response(
            {"created": created, "count": len(matches), "offset": 0, "artists": rows}
        )

    async def _lookup(self, request: web.Request) -> web.StreamResponse:
        refused = await self._gate(request)
        if refused is not None:
            return refused
        mbid = request.match_info["mbid"]
        if not _MBID_RE.fullmatch(mbid):
            return _error(400, "Invalid mbid.")
        doc = self.artists.get(mbid)
        if doc is None:
            return _error(404, "Not Found")
        inc = set(re.split(r"[ +]", request.query.get("inc", "")))
        out = copy.deepcopy(doc)
        if "aliases" not in inc:
            out.pop("aliases", None)
        if "tags" not in inc:
            out.pop("tags", None)
        rels = [r for r in out.pop("relations", []) if f"{r['target-type']}-rels" in inc]
        if inc & {"artist-rels", "url-rels"}:
            out["relations"] = rels
        return web.json_response(out)

    @staticmethod
    def _score(doc: dict[str, Any], wanted: str) -> int:
        names = [doc["name"], doc["sort-name"], *(a["name"] for a in doc.get("aliases", []))]
        folded = [n.casefold() for n in names]
        if wanted in folded:
            # A namesake from elsewhere ranks lower, as it does on MusicBrainz once its
            # Lucene score weighs in the aliases and area the Korean act has.
            return 100 if doc.get("type") != "Person" or doc.get("country") == "KR" else 86
        if any(wanted and wanted in n for n in folded):
            return 62
        return 0


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    body = {
        "error": message,
        "help": "For usage, please see: https://musicbrainz.org/development/mmd",
    }
    return web.json_response(body, status=status, headers=headers)


def _search_row(doc: dict[str, Any], score: int) -> dict[str, Any]:
    """Shape a lookup document as a row of `/ws/2/artist?query=` (no relations, with tags)."""
    row: dict[str, Any] = {
        "id": doc["id"],
        "type": doc.get("type"),
        "type-id": doc.get("type-id"),
        "score": score,
        "name": doc["name"],
        "sort-name": doc["sort-name"],
        "country": doc.get("country"),
        "area": doc.get("area"),
        "begin-area": doc.get("begin-area"),
        "disambiguation": doc.get("disambiguation", ""),
        "isnis": doc.get("isnis", []),
        "life-span": {"begin": doc["life-span"].get("begin"), "ended": None},
        "aliases": [
            {
                "sort-name": a["sort-name"],
                "type-id": a.get("type-id"),
                "name": a["name"],
                "locale": a.get("locale"),
                "type": a.get("type"),
                "primary": a.get("primary"),
                "begin-date": None,
                "end-date": None,
            }
            for a in doc.get("aliases", [])
        ],
        "tags": doc.get("tags", []),
    }
    if doc.get("gender"):
        row["gender"] = doc["gender"]
        row["gender-id"] = doc.get("gender-id")
    return {k: v for k, v in row.items() if v is not None}


@asynccontextmanager
async def running_fake_musicbrainz(
    expected_contact: str | None = None,
) -> AsyncIterator[FakeMusicBrainz]:
    """Run a fresh fake MusicBrainz for the duration of the block."""
    server = FakeMusicBrainz(expected_contact=expected_contact)
    await server.start()
    try:
        yield server
    finally:
        await server.close()
