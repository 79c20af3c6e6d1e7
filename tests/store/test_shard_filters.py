"""Cross-server queries restricted to one process's shards: reminders and READY reconciliation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.parties import PartyDraft
from bot.domain.shards import ShardSpec, shard_of
from bot.store import Store
from bot.store.parties import PartyRepo
from bot.store.party_reminders import ReminderQueue

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
# Real-sized snowflakes (2026): (id >> 22) is even for ZERO, odd for ONE, so shards 0 and 1 of 2.
ZERO = (500_000_000_000 << 22) | 4321
ONE = (500_000_000_001 << 22) | 1234
SHARD_0, SHARD_1 = ShardSpec.of(2, [0]), ShardSpec.of(2, [1])


def draft(title: str) -> PartyDraft:
    """A party two hours from NOW."""
    return PartyDraft(
        title=title,
        starts_at=NOW + timedelta(hours=2),
        duration=timedelta(hours=1),
        channel_id=10,
        organiser_id=20,
        zone="Asia/Seoul",
    )


def test_the_test_ids_sit_on_two_shards() -> None:
    """The fixtures' ids are on shards 0 and 1 of 2 (Discord's formula)."""
    assert (shard_of(ZERO, 2), shard_of(ONE, 2)) == (0, 1)


async def test_reminders_are_claimed_only_by_the_owner_of_the_server(store: Store) -> None:
    """next_due, claim_due and list_interrupted see only rows of servers on the given shards."""
    for gid in (ZERO, ONE):
        await store.ensure_guild(gid)
    party_zero = await store.guild(ZERO).repo(PartyRepo).create_party(draft("zero"), now=NOW)
    party_one = await store.guild(ONE).repo(PartyRepo).create_party(draft("one"), now=NOW)
    # One server's reminder is due earlier, so "the earliest" differs per shard.
    queue = ReminderQueue(store.db)
    due = party_zero.starts_at
    assert await queue.next_due(shards=SHARD_1) == party_one.starts_at - timedelta(minutes=15)

    claimed_one = await queue.claim_due(due, holder="one", shards=SHARD_1)
    assert {r.guild_id for r in claimed_one} == {ONE}
    assert {r.party_id for r in claimed_one} == {party_one.id}
    assert [r.guild_id for r in await queue.list_interrupted(shards=SHARD_0)] == []
    assert {r.guild_id for r in await queue.list_interrupted(shards=SHARD_1)} == {ONE}

    claimed_zero = await queue.claim_due(due, holder="zero", shards=SHARD_0)
    assert {r.guild_id for r in claimed_zero} == {ZERO}
    # Every row once: both shards together claimed what one process owning all would.
    assert len(claimed_zero) + len(claimed_one) == 4
    assert await queue.claim_due(due, holder="all") == []
    assert await queue.next_due(shards=ShardSpec.of(2)) == party_zero.ends_at


async def test_reconcile_marks_left_only_servers_of_its_own_shards(store: Store) -> None:
    """A process owning shard 0 that does not see a shard-1 server leaves it alone."""
    other_zero = ZERO + (2 << 22)
    for gid in (ZERO, ONE, other_zero):
        await store.guilds.mark_joined(gid, None, NOW)
    found = await store.guilds.reconcile_present([(ZERO, "Zero")], NOW, owned=SHARD_0.owns)
    assert found.gone == [other_zero]
    assert await store.guilds.left_at(ONE) is None
    assert await store.guilds.left_at(other_zero) == NOW
