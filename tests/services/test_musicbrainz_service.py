"""MusicBrainzService: cache first (7 days, 1 day for "no result"), then the fake MusicBrainz."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.clients.musicbrainz import MusicBrainzClient
from bot.errors import UpstreamError
from bot.services.musicbrainz import MusicBrainzService, build_musicbrainz_service, normalize_query
from bot.store import Store
from bot.store.musicbrainz_cache import MusicBrainzCacheRepo
from bot.testing.fake_musicbrainz import (
    BOL4,
    HEIZE,
    FakeMusicBrainz,
    running_fake_musicbrainz,
)

CONTACT = "ops@lightstick.example"
START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


class Clock:
    """A hand-moved aware UTC clock."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Rig:
    server: FakeMusicBrainz
    http: httpx.AsyncClient
    cache: MusicBrainzCacheRepo
    clock: Clock
    service: MusicBrainzService


async def open_store(tmp_path: Path) -> Store:
    """Open a Store in tmp_path with every migration applied, as the bot does on start."""
    store = await Store.open(tmp_path / "lightstick.db")
    await store.migrate()
    return store


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    store = await open_store(tmp_path)
    try:
        async with (
            running_fake_musicbrainz(expected_contact=CONTACT) as server,
            httpx.AsyncClient() as http,
        ):
            client = MusicBrainzClient(
                http, server.base_url, CONTACT, "1.0", min_interval=0.01, backoff_base=0.01
            )
            cache = MusicBrainzCacheRepo(store.db)
            clock = Clock()
            yield Rig(server, http, cache, clock, MusicBrainzService(client, cache, clock=clock))
    finally:
        await store.close()


async def test_unknown_name_is_searched_then_looked_up(rig: Rig) -> None:
    """A confident Group hit is looked up and returned with its members."""
    artist = await rig.service.find_artist("BOL4")
    assert artist is not None
    assert artist.mbid == BOL4
    assert artist.members == ("Ahn Ji-young", "Woo Ji-yoon")
    assert [r.path for r in rig.server.requests] == ["/ws/2/artist", f"/ws/2/artist/{BOL4}"]


async def test_cache_hit_within_seven_days_makes_no_request(rig: Rig) -> None:
    """The same name (any case or spacing) within 7 days is served from SQLite."""
    first = await rig.service.find_artist("Heize")
    rig.clock.advance(days=6, hours=23)
    again = await rig.service.find_artist("  HEIZE ")
    assert again == first
    assert len(rig.server.requests) == 2


async def test_entry_older_than_seven_days_is_refetched(rig: Rig) -> None:
    """After 7 days the answer is fetched again and the cache refreshed."""
    await rig.service.find_artist("Heize")
    rig.clock.advance(days=7, seconds=1)
    artist = await rig.service.find_artist("Heize")
    assert artist is not None
    assert artist.mbid == HEIZE
    assert len(rig.server.requests) == 4
    entry = await rig.cache.get_cached("heize", newer_than=rig.clock.now)
    assert entry is not None


async def test_no_result_is_cached_for_one_day(rig: Rig) -> None:
    """ "No match" is remembered for a day, then asked again."""
    assert await rig.service.find_artist("Totally Unknown Act") is None
    rig.clock.advance(hours=23)
    assert await rig.service.find_artist("totally unknown act") is None
    assert len(rig.server.requests) == 1
    rig.clock.advance(hours=2)
    assert await rig.service.find_artist("totally unknown act") is None
    assert len(rig.server.requests) == 2


async def test_weak_match_is_not_accepted(rig: Rig) -> None:
    """A best hit scoring under 90 yields None without a lookup."""
    assert await rig.service.find_artist("bolbbalgan") is None
    assert [r.path for r in rig.server.requests] == ["/ws/2/artist"]


async def test_character_is_not_an_artist_card(rig: Rig) -> None:
    """A confident hit that is neither Person nor Group (a virtual Character) yields None."""
    assert await rig.service.find_artist("naevis") is None
    assert [r.path for r in rig.server.requests] == ["/ws/2/artist"]


async def test_disabled_service_makes_no_request(rig: Rig) -> None:
    """With no client (turned off) every lookup is None and nothing is sent."""
    service = MusicBrainzService(None, rig.cache, clock=rig.clock, disabled_reason="turned off")
    assert not service.enabled
    assert await service.find_artist("BOL4") is None
    assert rig.server.requests == []
    assert service.status_line().startswith("Off")


async def test_blank_name_makes_no_request(rig: Rig) -> None:
    """A name that normalizes to nothing is None without a request."""
    assert await rig.service.find_artist(" \t ") is None
    assert rig.server.requests == []


async def test_failure_raises_and_shows_in_status(rig: Rig) -> None:
    """A MusicBrainz failure raises UpstreamError and is reported until a success clears it."""
    assert rig.service.status_line().startswith("On:")
    rig.server.faults.status = 500
    with pytest.raises(UpstreamError):
        await rig.service.find_artist("BOL4")
    assert rig.service.last_error is not None
    assert rig.service.last_error_at == START
    assert "failed" in rig.service.status_line()
    assert "2026-11-22 12:00 UTC" in rig.service.status_line()
    rig.server.faults.status = None
    rig.clock.advance(minutes=5)
    assert await rig.service.find_artist("BOL4") is not None
    assert rig.service.status_line().startswith("On:")


async def test_unreachable_musicbrainz_raises_upstream_error(rig: Rig) -> None:
    """A closed port raises UpstreamError (never an httpx error) and nothing is cached."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = MusicBrainzClient(rig.http, f"http://127.0.0.1:{port}/ws/2", CONTACT, "1.0")
    service = MusicBrainzService(client, rig.cache, clock=rig.clock)
    with pytest.raises(UpstreamError):
        await service.find_artist("BOL4")
    assert "unreachable" in service.status_line()
    assert await rig.cache.get_cached("bol4", newer_than=START - timedelta(days=365)) is None


async def test_expired_answer_is_served_while_musicbrainz_is_down(rig: Rig) -> None:
    """Past 7 days, a failing MusicBrainz falls back to the expired cached answer."""
    cached = await rig.service.find_artist("BOL4")
    rig.clock.advance(days=10)
    rig.server.faults.status = 502
    assert await rig.service.find_artist("BOL4") == cached
    assert rig.service.last_error is not None


async def test_concurrent_same_name_fetches_once(rig: Rig) -> None:
    """Two people asking for the same name at once cause one search and one lookup."""
    first, second = await asyncio.gather(
        rig.service.find_artist("HYUKOH"), rig.service.find_artist("hyukoh")
    )
    assert first == second
    assert first is not None
    assert len(rig.server.requests) == 2


async def test_corrupt_cache_row_is_refetched(rig: Rig) -> None:
    """An unreadable cached payload counts as a miss, not a crash."""
    await rig.cache.put_cached("heize", HEIZE, "{broken", START)
    artist = await rig.service.find_artist("Heize")
    assert artist is not None
    assert artist.mbid == HEIZE
    assert len(rig.server.requests) == 2


async def test_purge_expired_keeps_rows_for_thirty_days(rig: Rig) -> None:
    """Purging drops rows older than 30 days (kept until then as an outage fallback)."""
    await rig.cache.put_cached("old", None, None, START - timedelta(days=31))
    await rig.cache.put_cached("stale", None, None, START - timedelta(days=10))
    assert await rig.service.purge_expired() == 1


async def test_build_turns_off_without_contact_or_base(rig: Rig) -> None:
    """The factory leaves the fallback off, with a reason, without a contact or an API base."""
    no_contact = build_musicbrainz_service(
        rig.http, rig.cache, api_base=rig.server.base_url, contact=" ", version="1.0"
    )
    no_base = build_musicbrainz_service(
        rig.http, rig.cache, api_base="", contact=CONTACT, version="1"
    )
    assert not no_contact.enabled
    assert "MUSICBRAINZ_CONTACT" in no_contact.status_line()
    assert not no_base.enabled
    on = build_musicbrainz_service(
        rig.http, rig.cache, api_base=rig.server.base_url, contact=CONTACT, version="1.0"
    )
    assert on.enabled
    assert await on.find_artist("Heize") is not None
    assert rig.server.requests[-1].user_agent == f"Lightstick/1.0 ( {CONTACT} )"


def test_normalize_query_folds_case_width_and_spaces() -> None:
    """Case, full-width forms and runs of spaces do not make different cache keys."""
    assert normalize_query("  ＢＯＬ４   Blushing\tPuberty ") == "bol4 blushing puberty"
    assert normalize_query("볼빨간사춘기") == "볼빨간사춘기"
    assert len(normalize_query("x" * 500)) == 100
