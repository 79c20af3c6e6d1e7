"""Row leases across processes (issue 16 part 4): two stores on one database claim every due
reminder and every delivery exactly once; a lease that ran out is taken over, a running one is
not, and a holder that lost its claim cannot record an outcome. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.parties import PartyDraft
from bot.domain.shards import ShardSpec
from bot.domain.spaces import Transition, nonce_for
from bot.store import Store
from bot.store.parties import PartyRepo
from bot.store.party_reminders import ReminderQueue
from bot.store.pg_admin import scratch_schema
from bot.store.spaces import Delivery, SpaceTrackingRepo
from bot.store.times import to_epoch

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
T = to_epoch(NOW)
# Real-sized snowflakes on shards 0 and 1 of 2.
ZERO = (500_000_000_000 << 22) | 4321
ONE = (500_000_000_001 << 22) | 1234
SERVERS = [ZERO + (i << 23) for i in range(6)] + [ONE + (i << 23) for i in range(6)]


@pytest.fixture(params=["sqlite", "postgresql"])
async def two(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[Store, Store]]:
    """Two stores (two connections, or two pools) on one migrated database, as two processes
    have; every test server registered."""
    async with contextlib.AsyncExitStack() as stack:
        if request.param == "sqlite":
            target: Path | str = tmp_path / "shared.sqlite"
            schema = None
        else:
            target = request.getfixturevalue("postgres_database")
            schema = await stack.enter_async_context(scratch_schema(str(target), prefix="test"))
        a = await Store.open(target, schema=schema)
        stack.push_async_callback(a.close)
        await a.migrate()
        b = await Store.open(target, schema=schema)
        stack.push_async_callback(b.close)
        for gid in SERVERS:
            await a.ensure_guild(gid)
        yield a, b


def draft(title: str) -> PartyDraft:
    """A party two hours from NOW (reminders 15 minutes before, at the start, and a finish)."""
    return PartyDraft(
        title=title,
        starts_at=NOW + timedelta(hours=2),
        duration=timedelta(hours=1),
        channel_id=10,
        organiser_id=20,
        zone="Asia/Seoul",
    )


async def parties(store: Store, count: int = 4) -> None:
    """Schedule one party in each of the first `count` test servers."""
    for gid in SERVERS[:count]:
        await store.ensure_guild(gid)
        await store.guild(gid).repo(PartyRepo).create_party(draft(f"p{gid}"), now=NOW)


def delivery(guild_id: int) -> Delivery:
    return Delivery(
        guild_id=guild_id,
        space_id="1Lease",
        state="live",
        event_id=None,
        channel_id=10,
        role_id=None,
        artist_name="BTS",
        template=None,
        nonce=nonce_for(guild_id, "1Lease", "live"),
        status="pending",
        message_id=None,
        attempts=0,
    )


async def deliveries(store: Store) -> SpaceTrackingRepo:
    """Queue one live Space's delivery to every test server; return the ledger."""
    tracking = SpaceTrackingRepo(store.db)
    t = Transition("1Lease", "100", "live", "Hi", None, NOW, None, 5, 5, True)
    await tracking.record_poll([], [t])
    [event] = await tracking.open_events()
    await tracking.expand_event(event.event_id, [delivery(g) for g in SERVERS])
    return tracking


async def holders(store: Store, table: str) -> dict[int, str]:
    rows = await store.db.fetchall(
        f"SELECT guild_id, claimed_by FROM {table} WHERE claimed_by IS NOT NULL"  # noqa: S608
    )
    return {int(r[0]): str(r[1]) for r in rows}


async def test_two_processes_racing_claim_every_due_reminder_once(
    two: tuple[Store, Store],
) -> None:
    """Claimers of two processes, many at once, claim each due reminder exactly once."""
    a, b = two
    await parties(a, 8)
    due = NOW + timedelta(hours=2)  # the 15-minute and the start reminders: 16 rows
    queues = [ReminderQueue(a.db), ReminderQueue(b.db)]
    results = await asyncio.gather(
        *(queues[i % 2].claim_due(due, holder=f"p{i % 2}:{i}", limit=3) for i in range(16))
    )
    ids = [r.id for batch in results for r in batch]
    assert len(ids) == 16
    assert len(set(ids)) == 16
    assert await queues[0].claim_due(due, holder="late") == []


async def test_two_processes_racing_claim_every_delivery_once(two: tuple[Store, Store]) -> None:
    """Both processes try every delivery of one Space at once: each row goes to one of them,
    and the row names that one."""
    a, b = two
    await deliveries(a)
    ledgers = {"a": SpaceTrackingRepo(a.db), "b": SpaceTrackingRepo(b.db)}
    attempts = [(name, g) for g in SERVERS for name in ("a", "b")]
    results = await asyncio.gather(
        *(ledgers[name].claim_delivery(delivery(g), name) for name, g in attempts)
    )
    won = {g: name for (name, g), got in zip(attempts, results, strict=True) if got is not None}
    assert sorted(won) == sorted(SERVERS)
    assert sum(got is not None for got in results) == len(SERVERS)
    assert await holders(a, "space_deliveries") == won


async def test_a_reminder_lease_is_taken_over_only_once_it_ran_out(store: Store) -> None:
    """An unexpired claim stays with its holder; an expired one passes to another holder, and
    the first holder can then neither mark nor release it."""
    await parties(store, 1)
    queue = ReminderQueue(store.db)
    at = NOW + timedelta(hours=1, minutes=45)
    [first] = await queue.claim_due(at, holder="a")
    assert await queue.reclaim_interrupted(at + timedelta(seconds=59), holder="b") == []
    [taken] = await queue.reclaim_interrupted(at + timedelta(seconds=61), holder="b")
    assert taken.id == first.id
    assert not await queue.mark_sent(first.id, holder="a", message_id=1, now=NOW)
    assert not await queue.mark_skipped(first.id, holder="a", now=NOW)
    assert not await queue.release(first.id, holder="a")
    assert await queue.mark_sent(first.id, holder="b", message_id=2, now=NOW)
    assert await holders(store, "party_reminders") == {SERVERS[0]: "b"}


async def test_a_renewed_reminder_lease_is_not_taken_over(store: Store) -> None:
    """A holder that renews keeps its rows past the first lease."""
    await parties(store, 1)
    queue = ReminderQueue(store.db)
    at = NOW + timedelta(hours=1, minutes=45)
    [first] = await queue.claim_due(at, holder="a")
    assert await queue.renew("a", now=at + timedelta(seconds=50)) == 1
    assert await queue.reclaim_interrupted(at + timedelta(seconds=100), holder="b") == []
    taken = await queue.reclaim_interrupted(at + timedelta(seconds=111), holder="b")
    assert [r.id for r in taken] == [first.id]


async def test_a_delivery_lease_is_taken_over_only_once_it_ran_out(store: Store) -> None:
    """An unexpired delivery claim is refused to others; an expired one is re-claimed (its
    'sending' status says the post may exist); the stale holder's outcome is ignored."""
    for gid in SERVERS:
        await store.ensure_guild(gid)
    tracking = await deliveries(store)
    d = delivery(SERVERS[0])
    claimed = await tracking.claim_delivery(d, "a", now=T)
    assert claimed is not None
    assert claimed.status == "pending"
    assert await tracking.claim_delivery(d, "b", now=T + 59) is None
    taken = await tracking.claim_delivery(d, "b", now=T + 61)
    assert taken is not None
    assert taken.status == "sending"
    assert not await tracking.finish_delivery(d, "sent", "a", message_id=111)
    row = await tracking.get_delivery(d.guild_id, d.space_id, d.state)
    assert row is not None
    assert (row.status, row.message_id) == ("sending", None)
    assert await tracking.finish_delivery(d, "sent", "b", message_id=222)
    row = await tracking.get_delivery(d.guild_id, d.space_id, d.state)
    assert row is not None
    assert (row.status, row.message_id, row.attempts) == ("sent", 222, 2)
    # Renewal keeps a long fan-out's rows: b's renewed claim on another row holds past 60 s.
    other = delivery(SERVERS[1])
    assert await tracking.claim_delivery(other, "b", now=T) is not None
    assert await tracking.renew_deliveries("b", now=T + 50) == 1
    assert await tracking.claim_delivery(other, "c", now=T + 100) is None


async def test_start_up_adopts_only_its_own_shards_rows(store: Store) -> None:
    """A process starting on shard 0 ends the leases left there by others, at once; shard 1's
    rows and its own claims keep theirs."""
    for gid in SERVERS:
        await store.ensure_guild(gid)
    tracking = await deliveries(store)
    for g in SERVERS:
        assert await tracking.claim_delivery(delivery(g), "dead", now=T) is not None
    mine = delivery(SERVERS[1])
    await tracking.finish_delivery(mine, "pending", "dead")
    assert await tracking.claim_delivery(mine, "zero", now=T) is not None
    shard_0 = ShardSpec.of(2, [0])
    assert await tracking.expire_foreign_claims("zero", shards=shard_0) == 5
    taken = [g for g in SERVERS if await tracking.claim_delivery(delivery(g), "zero", now=T)]
    assert taken == [g for g in SERVERS[:6] if g != mine.guild_id]

    await parties(store, 12)
    queue = ReminderQueue(store.db)
    due = NOW + timedelta(hours=1, minutes=45)
    assert len(await queue.claim_due(due, holder="dead")) == 12
    assert await queue.expire_foreign_claims("zero", shards=shard_0) == 6
    again = await queue.reclaim_interrupted(NOW, holder="zero")
    assert sorted(r.guild_id for r in again) == sorted(SERVERS[:6])
