"""Leases and heartbeats on both backends: one holder per chore, taken over once it expires,
and the count of live processes that splits Discord's request budget."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.shards import ShardSpec
from bot.services.cluster import Cluster, share_of
from bot.services.spaces.pacing import SlidingWindowPacer
from bot.store import Store
from bot.store.cluster import ClusterRepo, LeaseRepo, ProcessRepo
from bot.store.db import SqliteDatabase
from bot.store.pg_admin import scratch_schema
from bot.store.postgres import PostgresDatabase

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=90)


@contextlib.asynccontextmanager
async def second_connection(store: Store) -> AsyncIterator[Store]:
    """Open the same database again, as another process would (its own connection or pool)."""
    db = store.db
    if isinstance(db, SqliteDatabase):
        other = await Store.open(db.path)
    else:
        assert isinstance(db, PostgresDatabase)
        schema = await db.fetchval("SELECT current_schema()")
        other = await Store.open(db.url, schema=str(schema))
    try:
        yield other
    finally:
        await other.close()


async def test_a_lease_is_taken_renewed_and_refused_to_others_until_it_expires(
    store: Store,
) -> None:
    """Free: taken. Held: renewed by its holder, refused to another. Expired: taken by another."""
    leases = LeaseRepo(store.db)
    assert await leases.get("spaces-poller") is None
    assert await leases.take("spaces-poller", "a", NOW, NOW + LEASE)
    assert await leases.take("spaces-poller", "a", NOW + timedelta(seconds=60), NOW + 2 * LEASE)
    lease = await leases.get("spaces-poller")
    assert lease is not None
    assert (lease.holder, lease.taken_at, lease.expires_at) == ("a", NOW, NOW + 2 * LEASE)

    later = NOW + 2 * LEASE
    assert not await leases.take("spaces-poller", "b", later, later + LEASE)
    assert (await leases.get("spaces-poller")).holder == "a"  # type: ignore[union-attr]
    # "a" stopped renewing: one second past the expiry, "b" takes it over.
    after = later + timedelta(seconds=1)
    assert await leases.take("spaces-poller", "b", after, after + LEASE)
    lease = await leases.get("spaces-poller")
    assert lease is not None
    assert (lease.holder, lease.taken_at) == ("b", after)
    assert not await leases.take("spaces-poller", "a", after, after + LEASE)
    # Another chore is another lease.
    assert await leases.take("housekeeping", "a", after, after + LEASE)


async def test_a_released_lease_is_free_at_once(store: Store) -> None:
    """release() by the holder frees the lease; by anybody else it changes nothing."""
    leases = LeaseRepo(store.db)
    assert await leases.take("spaces-poller", "a", NOW, NOW + LEASE)
    assert not await leases.release("spaces-poller", "b")
    assert not await leases.take("spaces-poller", "b", NOW, NOW + LEASE)
    assert await leases.release("spaces-poller", "a")
    assert await leases.take("spaces-poller", "b", NOW, NOW + LEASE)


async def test_two_processes_racing_for_a_free_lease_get_one_winner(store: Store) -> None:
    """Two connections take the same free (then expired) lease at once: exactly one wins."""
    async with second_connection(store) as other:
        for round_, start in enumerate((NOW, NOW + 2 * LEASE)):
            results = await asyncio.gather(
                LeaseRepo(store.db).take("spaces-poller", f"a{round_}", start, start + LEASE),
                LeaseRepo(other.db).take("spaces-poller", f"b{round_}", start, start + LEASE),
            )
            assert sorted(results) == [False, True], (round_, results)
            lease = await LeaseRepo(other.db).get("spaces-poller")
            assert lease is not None
            winner = f"a{round_}" if results[0] else f"b{round_}"
            assert lease.holder == winner


async def test_heartbeats_count_the_live_processes(store: Store) -> None:
    """Processes seen within the window count; one silent for longer does not; leave() forgets."""
    processes = ProcessRepo(store.db)
    await processes.heartbeat("a", "0", NOW - timedelta(seconds=60))
    await processes.heartbeat("b", "1", NOW - timedelta(seconds=60))
    await processes.heartbeat("c", "", NOW - timedelta(seconds=60))
    assert await processes.live_count(NOW - timedelta(seconds=15)) == 0
    await processes.heartbeat("a", "0", NOW)
    await processes.heartbeat("b", "1", NOW - timedelta(seconds=10))
    assert await processes.live_count(NOW - timedelta(seconds=15)) == 2
    await processes.leave("b")
    assert await processes.live_count(NOW - timedelta(seconds=15)) == 1
    assert await processes.forget_before(NOW - timedelta(seconds=30)) == 1  # "c"
    assert await processes.live_count(NOW - timedelta(days=1)) == 1


async def test_a_lease_can_be_stolen_from_a_holder_known_to_be_dead(store: Store) -> None:
    """take(steal=True) wins over a lease still in force (an SQLite file's earlier run)."""
    leases = LeaseRepo(store.db)
    assert await leases.take("spaces-poller", "old-run", NOW, NOW + LEASE)
    assert await leases.take("spaces-poller", "new-run", NOW, NOW + LEASE, steal=True)
    assert (await leases.get("spaces-poller")).holder == "new-run"  # type: ignore[union-attr]


async def test_on_sqlite_a_restart_polls_at_once_and_alone(tmp_path: Path) -> None:
    """One process per SQLite file: a crashed run's lease and heartbeat are not waited for."""
    store = await Store.open(tmp_path / "db.sqlite")
    try:
        await store.migrate()
        crashed = Cluster(ClusterRepo(store.db), clock=lambda: NOW, name="crashed")
        assert await crashed.hold("spaces-poller", 90)
        await crashed.heartbeat()
        restarted = Cluster(ClusterRepo(store.db), clock=lambda: NOW, name="restarted")
        assert await restarted.hold("spaces-poller", 90)
        assert await restarted.heartbeat() == 1
        assert restarted.share == 45
    finally:
        await store.close()


async def test_the_request_share_follows_the_number_of_live_processes(store: Store) -> None:
    """Two live processes: each paces its fan-out to 22 requests a second; alone again: 45.

    PostgreSQL only: an SQLite file serves one process, which always has the whole budget.
    """
    if store.db.dialect == "sqlite":
        pytest.skip("one process per SQLite file: covered by the test above")
    clock = [NOW]
    one = Cluster(ClusterRepo(store.db), clock=lambda: clock[0], name="one")
    pacer = SlidingWindowPacer()
    one.on_share(pacer.set_rate)
    assert await one.heartbeat() == 1
    assert pacer.rate == 45
    async with second_connection(store) as other:
        two = Cluster(ClusterRepo(other.db), clock=lambda: clock[0], name="two")
        await two.heartbeat()
        assert await one.heartbeat() == 2
        assert pacer.rate == 22
        # "two" died: after three missed heartbeats "one" has the whole budget again.
        clock[0] = NOW + timedelta(seconds=16)
        assert await one.heartbeat() == 1
        assert pacer.rate == 45
        unshared = Cluster(
            ClusterRepo(store.db), clock=lambda: clock[0], shared_budget=False, name="p"
        )
        await two.heartbeat()
        await unshared.heartbeat()
        assert unshared.live_processes == 3
        assert unshared.share == 45


@pytest.mark.parametrize(
    ("live", "share"), [(1, 45), (2, 22), (3, 15), (4, 11), (45, 1), (46, 1), (80, 1)]
)
def test_the_share_is_forty_five_a_second_divided_rounded_down_at_least_one(
    live: int, share: int
) -> None:
    """One process's 45 a second split evenly, never below 1: the sum stays under Discord's 50."""
    assert share_of(live) == share


async def test_a_start_warns_of_another_live_process_on_its_shards(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL: the first heartbeat logs a WARNING naming each other live process that serves
    one of this process's shards; processes on other shards, and dead ones, are not named."""
    async with scratch_schema(pg_url, "test") as schema:
        store = await Store.open(pg_url, schema=schema)
        try:
            await store.migrate()
            processes = ProcessRepo(store.db)
            await processes.heartbeat("old:1:aa", "0,1", NOW - timedelta(seconds=2))
            await processes.heartbeat("other:2:bb", "2", NOW - timedelta(seconds=2))
            await processes.heartbeat("dead:3:cc", "1", NOW - timedelta(minutes=5))
            await processes.heartbeat("everything:4:dd", "", NOW - timedelta(seconds=1))
            cluster = Cluster(
                ClusterRepo(store.db),
                shards=ShardSpec.of(4, (1,)),
                clock=lambda: NOW,
                name="new:5:ee",
            )
            with caplog.at_level(logging.WARNING, logger="bot.services.cluster"):
                assert await cluster.heartbeat() == 4
                await cluster.heartbeat()  # only the first heartbeat looks
            warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
            assert len(warned) == 2, warned
            assert "everything:4:dd, shards all" in warned[0]  # ordered by holder
            assert "old:1:aa, shards 0,1" in warned[1]
            assert "this one (shards 1)" in warned[1]
        finally:
            await store.close()
