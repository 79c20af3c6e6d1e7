"""TimezoneRepo: member zones per server, the server default, and the fallback between them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.store import Store
from bot.store.timezones import TimezoneRepo

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def store(store: Store) -> Store:
    """The shared migrated store, with the servers these tests use."""
    await store.ensure_guild(1)
    await store.ensure_guild(2)
    return store


async def test_member_zone_round_trips_and_replaces(store: Store) -> None:
    """Setting a zone twice keeps only the latest; reading it back returns that name."""
    repo = store.guild(1).repo(TimezoneRepo)
    assert await repo.get_member_timezone(10) is None
    await repo.set_member_timezone(10, "Asia/Manila")
    await repo.set_member_timezone(10, "Europe/Paris")
    assert await repo.get_member_timezone(10) == "Europe/Paris"
    assert await repo.count_member_timezones() == 1


async def test_effective_zone_prefers_the_member_then_the_server(store: Store) -> None:
    """A member's own zone wins; without one the server default (Asia/Seoul) applies."""
    repo = store.guild(1).repo(TimezoneRepo)
    zone, source = await repo.effective_timezone(10)
    assert (zone.key, source) == ("Asia/Seoul", "server")
    await repo.set_guild_timezone("Europe/London")
    zone, source = await repo.effective_timezone(10)
    assert (zone.key, source) == ("Europe/London", "server")
    await repo.set_member_timezone(10, "America/Sao_Paulo")
    zone, source = await repo.effective_timezone(10)
    assert (zone.key, source) == ("America/Sao_Paulo", "member")


async def test_clear_forgets_the_zone_and_is_idempotent(store: Store) -> None:
    """Clearing reports whether a zone was set and falls back to the server default."""
    repo = store.guild(1).repo(TimezoneRepo)
    await repo.set_member_timezone(10, "Asia/Tokyo")
    assert await repo.clear_member_timezone(10) is True
    assert await repo.clear_member_timezone(10) is False
    assert await repo.get_member_timezone(10) is None
    assert (await repo.effective_timezone(10))[1] == "server"


async def test_servers_do_not_see_each_others_zones(store: Store) -> None:
    """The same member may have different zones in two servers; neither leaks into the other."""
    one = store.guild(1).repo(TimezoneRepo)
    two = store.guild(2).repo(TimezoneRepo)
    await one.set_member_timezone(10, "Asia/Jakarta")
    assert await two.get_member_timezone(10) is None
    await two.set_member_timezone(10, "Europe/Paris")
    await two.set_guild_timezone("America/New_York")
    assert await one.get_member_timezone(10) == "Asia/Jakarta"
    assert await one.get_guild_timezone() == "Asia/Seoul"
    assert await two.clear_member_timezone(10) is True
    assert await one.get_member_timezone(10) == "Asia/Jakarta"


async def test_purging_a_server_deletes_its_member_zones(store: Store) -> None:
    """Member zones go with the server's row when the 30-day purge deletes it."""
    one = store.guild(1).repo(TimezoneRepo)
    await one.set_member_timezone(10, "Asia/Bangkok")
    await store.guild(2).repo(TimezoneRepo).set_member_timezone(10, "Asia/Tokyo")
    await store.guilds.mark_left(1, T0)
    assert await store.guilds.purge_departed(datetime.now(UTC)) == [1]
    rows = await store.db.fetchall("SELECT guild_id, user_id FROM member_timezones")
    assert [(r[0], r[1]) for r in rows] == [(2, 10)]


async def test_a_zone_tzdata_no_longer_knows_falls_back(store: Store) -> None:
    """A stored name that no longer loads does not break commands: the server default applies."""
    repo = store.guild(1).repo(TimezoneRepo)
    await repo.set_member_timezone(10, "Mars/Olympus_Mons")
    zone, source = await repo.effective_timezone(10)
    assert (zone.key, source) == ("Asia/Seoul", "server")


async def test_member_zone_needs_an_existing_server(store: Store) -> None:
    """A row for a server the bot never registered is refused by the foreign key."""
    repo = store.guild(99).repo(TimezoneRepo)
    with pytest.raises(store.db.integrity_errors):
        await repo.set_member_timezone(10, "Asia/Seoul")
