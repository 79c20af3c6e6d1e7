"""Servers the bot joins and leaves: rows per guild, 30-day purge, and isolation between guilds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store

T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def test_guild_scopes_cannot_touch_each_other(store: Store) -> None:
    """Guild A's scope reads and writes only A's settings, whatever B does."""
    await store.ensure_guild(1)
    await store.ensure_guild(2)
    a, b = store.guild(1), store.guild(2)
    await a.settings.set_timezone("Europe/Paris")
    assert await a.settings.get_timezone() == "Europe/Paris"
    assert await b.settings.get_timezone() == "Asia/Seoul"
    await b.settings.set_timezone("America/Sao_Paulo")
    assert await a.settings.get_timezone() == "Europe/Paris"


async def test_purge_waits_thirty_days_and_cascades(store: Store) -> None:
    """A left server keeps its data for 30 days, then every row of it is deleted."""
    await store.guilds.mark_joined(1, "A", T0)
    await store.guilds.mark_joined(2, "B", T0)
    await store.guild(1).settings.set_timezone("Asia/Tokyo")
    await store.guilds.mark_left(1, T0)
    assert await store.guilds.purge_departed(T0 + timedelta(days=29)) == []
    assert await store.guild(1).settings.get_timezone() == "Asia/Tokyo"
    assert await store.guilds.purge_departed(T0 + timedelta(days=30)) == [1]
    assert await store.db.fetchval("SELECT count(*) FROM guild_settings WHERE guild_id = 1") == 0
    assert await store.db.fetchval("SELECT count(*) FROM guilds WHERE guild_id = 2") == 1


async def test_rejoin_within_grace_keeps_everything(store: Store) -> None:
    """Rejoining before the purge cancels it and keeps the server's settings."""
    await store.guilds.mark_joined(1, "A", T0)
    await store.guild(1).settings.set_timezone("Asia/Manila")
    await store.guilds.mark_left(1, T0)
    is_new = await store.guilds.mark_joined(1, "A", T0 + timedelta(days=10))
    assert is_new is False
    assert await store.guilds.left_at(1) is None
    assert await store.guilds.purge_departed(T0 + timedelta(days=60)) == []
    assert await store.guild(1).settings.get_timezone() == "Asia/Manila"


async def test_leaving_twice_keeps_the_first_date(store: Store) -> None:
    """A repeated leave event does not push the purge date back."""
    await store.guilds.mark_joined(1, "A", T0)
    await store.guilds.mark_left(1, T0)
    await store.guilds.mark_left(1, T0 + timedelta(days=20))
    assert await store.guilds.left_at(1) == T0


async def test_reconcile_records_present_and_marks_missing_left(store: Store) -> None:
    """On READY, present servers are recorded in one go and absent ones start their grace."""
    await store.guilds.mark_joined(1, "A", T0)
    await store.guilds.mark_joined(2, "B", T0)
    await store.guild(2).settings.set_timezone("Asia/Tokyo")
    found = await store.guilds.reconcile_present([(1, "A"), (3, "C")], T0 + timedelta(days=1))
    assert (found.gone, found.joined, found.rejoined) == ([2], [3], [])
    assert await store.guilds.left_at(1) is None
    assert await store.guilds.left_at(2) == T0 + timedelta(days=1)
    assert await store.guilds.left_at(3) is None
    assert await store.guild(3).settings.get_timezone() == "Asia/Seoul"
    # Idempotent: a second READY changes nothing, and B keeps its data for the grace period.
    again = await store.guilds.reconcile_present([(1, "A"), (3, "C")], T0 + timedelta(days=2))
    assert (again.gone, again.joined, again.rejoined) == ([], [], [])
    assert await store.guilds.left_at(2) == T0 + timedelta(days=1)
    assert await store.guild(2).settings.get_timezone() == "Asia/Tokyo"


async def test_reconcile_tells_a_server_back_within_its_grace(store: Store) -> None:
    """A server marked left and present at READY is reported rejoined, once."""
    await store.guilds.mark_joined(1, "A", T0)
    await store.guilds.mark_left(1, T0)
    found = await store.guilds.reconcile_present([(1, "A")], T0 + timedelta(days=3))
    assert (found.gone, found.joined, found.rejoined) == ([], [], [1])
    assert await store.guilds.left_at(1) is None
    again = await store.guilds.reconcile_present([(1, "A")], T0 + timedelta(days=4))
    assert again.rejoined == []
