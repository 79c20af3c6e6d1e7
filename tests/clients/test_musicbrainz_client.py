"""MusicBrainzClient against the local fake MusicBrainz (documented JSON, 503/404/timeouts)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from bot.clients.musicbrainz import MusicBrainzClient
from bot.errors import UpstreamError
from bot.testing.fake_musicbrainz import (
    BOL4,
    HEIZE,
    HEIZE_DE,
    HYUKOH,
    FakeMusicBrainz,
    running_fake_musicbrainz,
)

CONTACT = "ops@lightstick.example"
MakeClient = Callable[..., MusicBrainzClient]


@pytest.fixture
async def server() -> AsyncIterator[FakeMusicBrainz]:
    async with running_fake_musicbrainz(expected_contact=CONTACT) as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def make_client(server: FakeMusicBrainz, http: httpx.AsyncClient) -> MakeClient:
    def make(**overrides: object) -> MusicBrainzClient:
        options: dict[str, object] = {
            "min_interval": 0.02,
            "timeout": 2.0,
            "backoff_base": 0.05,
        }
        options.update(overrides)
        contact = str(options.pop("contact", CONTACT))
        base = str(options.pop("base_url", server.base_url))
        return MusicBrainzClient(http, base, contact, "1.2.3", **options)  # type: ignore[arg-type]

    return make


async def test_search_returns_scored_hits_best_first(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """A search maps MusicBrainz's `artists` rows to typed hits, best score first."""
    hits = await make_client().search_artists("Heize")
    assert [h.mbid for h in hits] == [HEIZE, HEIZE_DE]
    top = hits[0]
    assert (top.name, top.score, top.type, top.country) == ("Heize", 100, "Person", "KR")
    assert top.disambiguation == "South Korean singer-songwriter"
    assert hits[1].score < 90
    assert not hasattr(top, "tags")
    request = server.requests[-1]
    assert request.path == "/ws/2/artist"
    assert request.query["fmt"] == "json"
    assert request.query["limit"] == "5"


async def test_search_sends_meaningful_user_agent(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """Every request carries `Lightstick/<version> ( <contact> )`, as MusicBrainz asks."""
    await make_client().search_artists("Heize")
    assert server.requests[-1].user_agent == f"Lightstick/1.2.3 ( {CONTACT} )"


async def test_wrong_user_agent_is_refused_as_fatal(make_client: MakeClient) -> None:
    """A 403 (MusicBrainz's answer to a bad User-Agent) becomes a fatal UpstreamError."""
    client = make_client(contact="someone-else@example.com")
    with pytest.raises(UpstreamError) as info:
        await client.search_artists("Heize")
    assert info.value.status == 403
    assert info.value.fatal


async def test_blank_contact_is_rejected() -> None:
    """A client cannot be built without a contact for the User-Agent."""
    async with httpx.AsyncClient() as http:
        with pytest.raises(ValueError, match="contact"):
            MusicBrainzClient(http, "http://127.0.0.1:9/ws/2", "  ", "1.0")


async def test_search_escapes_lucene_syntax(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """Lucene operators in a name are escaped, so `(G)I-DLE` is searched as text."""
    hits = await make_client().search_artists("(G)I-DLE: AC/DC")
    assert hits == []
    assert server.requests[-1].query["query"] == r"\(G\)I\-DLE\: AC\/DC"


async def test_search_without_match_is_empty(make_client: MakeClient) -> None:
    """`count: 0` from MusicBrainz is an empty list, not an error."""
    assert await make_client().search_artists("zzzz no such act") == []


async def test_blank_search_sends_nothing(server: FakeMusicBrainz, make_client: MakeClient) -> None:
    """A blank name returns no hits without a request."""
    assert await make_client().search_artists("   ") == []
    assert server.requests == []


async def test_lookup_group_has_aliases_and_members(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """A group lookup yields core data, primary aliases first, current members before former."""
    artist = await make_client().lookup_artist(BOL4)
    assert artist is not None
    assert (artist.mbid, artist.name, artist.type, artist.country) == (
        BOL4,
        "Bolbbalgan4",
        "Group",
        "KR",
    )
    assert (artist.begin, artist.end) == ("2016-04-22", None)
    assert artist.url == f"https://musicbrainz.org/artist/{BOL4}"
    # Primary aliases first; the misspelling kept as a search hint is left out.
    assert artist.aliases == ("볼빨간사춘기", "BOL4", "Blushing Puberty")
    # The former member is listed first by MusicBrainz but comes after the current one here,
    # and the current member's two relation rows give one entry.
    assert artist.members == ("Ahn Ji-young", "Woo Ji-yoon")
    request = server.requests[-1]
    assert request.path == f"/ws/2/artist/{BOL4}"
    assert set(request.query["inc"].replace("+", " ").split()) == {
        "aliases",
        "artist-rels",
        "url-rels",
    }


async def test_lookup_band_lists_all_current_members(make_client: MakeClient) -> None:
    """A band whose members are all current lists them in MusicBrainz's order."""
    artist = await make_client().lookup_artist(HYUKOH)
    assert artist is not None
    assert artist.members == ("Oh Hyuk", "Lim Hyun-je", "Lee In-woo", "Im Dong-geon")
    assert artist.begin == "2014-05"
    assert artist.aliases == ("혁오",)  # "Hyukoh" differs from the name only by case


async def test_lookup_soloist(make_client: MakeClient) -> None:
    """A soloist has no members; her Hangul and legal names are aliases."""
    artist = await make_client().lookup_artist(HEIZE)
    assert artist is not None
    assert artist.type == "Person"
    assert artist.members == ()
    assert artist.aliases == ("헤이즈", "장다혜", "Jang Da-hye")
    assert artist.begin == "1991-08-09"


async def test_lookup_unknown_id_is_none(make_client: MakeClient) -> None:
    """A 404 (id merged or deleted) returns None."""
    assert await make_client().lookup_artist("00000000-0000-4000-8000-000000000000") is None


async def test_lookup_rejects_non_mbid(server: FakeMusicBrainz, make_client: MakeClient) -> None:
    """A string that is not an MBID is refused before any request."""
    with pytest.raises(ValueError, match="MusicBrainz id"):
        await make_client().lookup_artist("../artist?query=x")
    assert server.requests == []


async def test_requests_are_paced_across_concurrent_callers(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """Concurrent callers of one client reach MusicBrainz at least one second apart."""
    client = make_client(min_interval=1.0)
    await asyncio.gather(
        client.search_artists("Heize"),
        client.lookup_artist(BOL4),
        client.search_artists("HYUKOH"),
    )
    assert len(server.requests) == 3
    assert all(gap >= 1.0 for gap in server.spacings()), server.spacings()


async def test_503_is_retried_after_retry_after(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """Two 503s with `Retry-After: 1` are waited out and the third attempt succeeds."""
    server.faults.unavailable_times = 2
    hits = await make_client().search_artists("Heize")
    assert hits[0].mbid == HEIZE
    assert len(server.requests) == 3
    assert all(gap >= 1.0 for gap in server.spacings()), server.spacings()


async def test_503_pauses_every_caller(server: FakeMusicBrainz, make_client: MakeClient) -> None:
    """A 503's Retry-After holds back other callers of the same client too."""
    server.faults.unavailable_times = 1
    client = make_client()
    await asyncio.gather(client.search_artists("Heize"), client.search_artists("HYUKOH"))
    assert len(server.requests) == 3
    assert server.spacings()[0] >= 1.0


async def test_503_backs_off_exponentially_without_retry_after(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """Without Retry-After the waits double (base 0.2 s: 0.2 then 0.4)."""
    server.faults.unavailable_times = 2
    server.faults.retry_after = None
    await make_client(backoff_base=0.2).search_artists("Heize")
    first, second = server.spacings()
    assert first >= 0.2
    assert second >= 0.4


async def test_503_honours_http_date_retry_after(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """A Retry-After given as an HTTP date is honoured too."""
    server.faults.unavailable_times = 1
    server.faults.retry_after = format_datetime(datetime.now(UTC) + timedelta(seconds=2), True)
    await make_client().search_artists("Heize")
    assert server.spacings()[0] >= 1.0


async def test_persistent_503_gives_up_after_three_tries(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """After three 503s the client raises UpstreamError carrying status and retry_after."""
    server.faults.unavailable_times = 10
    server.faults.retry_after = "0"
    with pytest.raises(UpstreamError) as info:
        await make_client().search_artists("Heize")
    assert len(server.requests) == 3
    assert info.value.status == 503
    assert info.value.retry_after is not None
    assert not info.value.fatal


async def test_long_retry_after_fails_fast(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """A Retry-After beyond the client's patience fails at once instead of hanging a command."""
    server.faults.unavailable_times = 1
    server.faults.retry_after = "120"
    started = time.monotonic()
    with pytest.raises(UpstreamError) as info:
        await make_client().search_artists("Heize")
    assert time.monotonic() - started < 1.0
    assert info.value.retry_after == 120
    assert len(server.requests) == 1


async def test_timeout_becomes_upstream_error(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """A server slower than the timeout yields UpstreamError, not an httpx exception."""
    server.faults.stall_seconds = 3.0
    started = time.monotonic()
    with pytest.raises(UpstreamError, match="in time"):
        await make_client(timeout=0.3).lookup_artist(BOL4)
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("switch", "value"),
    [("malformed_json", True), ("garbage_html", True), ("status", 500), ("status", 400)],
)
async def test_bad_responses_become_upstream_errors(
    server: FakeMusicBrainz, make_client: MakeClient, switch: str, value: object
) -> None:
    """Truncated JSON, an HTML error page and HTTP errors all become UpstreamError."""
    setattr(server.faults, switch, value)
    client = make_client()
    with pytest.raises(UpstreamError):
        await client.search_artists("Heize")
    with pytest.raises(UpstreamError):
        await client.lookup_artist(BOL4)


async def test_search_404_is_an_error_but_lookup_404_is_none(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """A 404 on the search endpoint means a wrong base URL; on a lookup, a missing artist."""
    server.faults.not_found = True
    client = make_client()
    with pytest.raises(UpstreamError) as info:
        await client.search_artists("Heize")
    assert info.value.status == 404
    assert await client.lookup_artist(BOL4) is None


async def test_unreachable_server_becomes_upstream_error(make_client: MakeClient) -> None:
    """A refused connection yields UpstreamError."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}/ws/2")
    with pytest.raises(UpstreamError, match="unreachable"):
        await client.search_artists("Heize")


async def test_unexpected_json_shape_becomes_upstream_error(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """Valid JSON without an artist's id and name is an UpstreamError, not a KeyError."""
    server.artists[BOL4] = {"id": BOL4, "name": None, "life-span": "soon"}
    with pytest.raises(UpstreamError, match="unexpected"):
        await make_client().lookup_artist(BOL4)


async def test_long_text_and_long_lists_are_capped(
    server: FakeMusicBrainz, make_client: MakeClient
) -> None:
    """Names are capped at 200 characters and alias lists at 25 entries."""
    doc = server.artists[HEIZE]
    doc["name"] = "H" * 500
    doc["aliases"] = [
        {"name": f"alias {i}", "sort-name": f"alias {i}", "primary": None, "type": None}
        for i in range(60)
    ]
    artist = await make_client().lookup_artist(HEIZE)
    assert artist is not None
    assert len(artist.name) == 200
    assert artist.name.endswith("…")
    assert len(artist.aliases) == 25
