"""PartyRepo and ReminderQueue against a real SQLite file: guild isolation, caps, exactly-once."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.parties import PartyDraft
from bot.errors import Conflict, InvalidInput, NotFound
from bot.resources import MIGRATIONS_DIR
from bot.store import Store
from bot.store.migrate import MigrationError, discover
from bot.store.parties import PartyRepo
from bot.store.party_reminders import ReminderQueue

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
G1, G2 = 1001, 2002


def migrations_folder(tmp_path: Path) -> Path:
    """Return the shipped migrations, or 0001 + parties alone while siblings are missing."""
    try:
        discover(MIGRATIONS_DIR)
    except MigrationError:
        folder = tmp_path / "migs"
        folder.mkdir()
        shutil.copy(MIGRATIONS_DIR / "0001_initial.sql", folder / "0001_initial.sql")
        shutil.copy(MIGRATIONS_DIR / "0007_parties.sql", folder / "0002_parties.sql")
        return folder
    return MIGRATIONS_DIR


async def open_store(path: Path, folder: Path) -> Store:
    """Open and migrate a store with both test servers registered."""
    store = await Store.open(path)
    await store.migrate(folder)
    for gid in (G1, G2):
        await store.ensure_guild(gid)
    return store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated store in tmp_path."""
    s = await open_store(tmp_path / "db.sqlite", migrations_folder(tmp_path))
    yield s
    await s.close()


def draft(title: str = "MV party", start: datetime | None = None, **kw: object) -> PartyDraft:
    """A party two hours from NOW unless told otherwise."""
    fields: dict[str, object] = {
        "title": title,
        "starts_at": start or NOW + timedelta(hours=2),
        "duration": timedelta(hours=1),
        "channel_id": 10,
        "organiser_id": 20,
        "zone": "Asia/Seoul",
    }
    fields.update(kw)
    return PartyDraft(**fields)  # type: ignore[arg-type]


async def test_create_plans_reminders_and_finish(store: Store) -> None:
    """A new party gets reminders at 15 and 0 minutes before start plus a finish row at its end."""
    repo = store.guild(G1).repo(PartyRepo)
    party = await repo.create_party(draft(), now=NOW)
    rows = await repo.list_reminders(party.id)
    assert [(r.kind, r.due_at, r.lead_minutes) for r in rows] == [
        ("remind", party.starts_at - timedelta(minutes=15), 15),
        ("remind", party.starts_at, 0),
        ("finish", party.ends_at, 0),
    ]
    assert all(r.state == "pending" for r in rows)


async def test_reminders_already_past_at_creation_are_not_planned(store: Store) -> None:
    """A party 5 minutes away gets no "15 minutes before" reminder (it would announce wrongly)."""
    repo = store.guild(G1).repo(PartyRepo)
    party = await repo.create_party(draft(start=NOW + timedelta(minutes=5)), now=NOW)
    kinds = [(r.kind, r.lead_minutes) for r in await repo.list_reminders(party.id)]
    assert kinds == [("remind", 0), ("finish", 0)]


async def test_guild_isolation(store: Store) -> None:
    """One server cannot read, list, cancel or RSVP another server's party."""
    one = store.guild(G1).repo(PartyRepo)
    two = store.guild(G2).repo(PartyRepo)
    party = await one.create_party(draft(), now=NOW)
    with pytest.raises(NotFound):
        await two.get_party(party.id)
    with pytest.raises(NotFound):
        await two.cancel_party(party.id, now=NOW)
    with pytest.raises(NotFound):
        await two.set_rsvp(party.id, 5, "going", now=NOW)
    assert await two.list_upcoming() == []
    assert await two.count_upcoming() == 0
    assert await two.list_reminders(party.id) == []
    assert [p.id for p in await one.list_upcoming()] == [party.id]


async def test_upcoming_cap_is_100_per_server(store: Store) -> None:
    """The 101st upcoming party is refused; another server is unaffected; cancelling frees room."""
    one = store.guild(G1).repo(PartyRepo)
    for i in range(100):
        await one.create_party(draft(f"p{i}"), now=NOW)
    with pytest.raises(InvalidInput, match="100 upcoming"):
        await one.create_party(draft("too many"), now=NOW)
    await store.guild(G2).repo(PartyRepo).create_party(draft("other server"), now=NOW)
    first = (await one.list_upcoming(limit=1))[0]
    await one.cancel_party(first.id, now=NOW)
    await one.create_party(draft("fits again"), now=NOW)
    assert await one.count_upcoming() == 100


async def test_rsvp_counts_capacity_and_targets(store: Store) -> None:
    """RSVPs count per status, capacity blocks extra Going, only opted-in Going are targets."""
    repo = store.guild(G1).repo(PartyRepo)
    party = await repo.create_party(draft(capacity=2), now=NOW)
    await repo.set_rsvp(party.id, 1, "going", now=NOW)
    await repo.set_rsvp(party.id, 2, "going", now=NOW)
    counts = await repo.set_rsvp(party.id, 3, "maybe", now=NOW)
    assert (counts.going, counts.maybe, counts.cant) == (2, 1, 0)
    with pytest.raises(Conflict, match="full"):
        await repo.set_rsvp(party.id, 3, "going", now=NOW)
    # Re-clicking Going when already counted is not blocked by the cap.
    assert (await repo.set_rsvp(party.id, 2, "going", now=NOW)).going == 2
    await repo.set_rsvp(party.id, 4, "cant", now=NOW)
    assert await repo.ping_targets(party.id) == [1, 2]
    await repo.set_reminder_opt_out(party.id, 2, True)
    assert await repo.ping_targets(party.id) == [1]
    with pytest.raises(NotFound):
        await repo.set_reminder_opt_out(party.id, 99, True)


async def test_edit_replans_and_cancel_drops_pending(store: Store) -> None:
    """Moving a party re-plans its reminders; cancelling removes the pending ones."""
    repo = store.guild(G1).repo(PartyRepo)
    party = await repo.create_party(draft(), now=NOW)
    later = party.starts_at + timedelta(hours=1)
    moved = await repo.save_edit(replace(party, starts_at=later, title="Moved"), now=NOW)
    assert moved.title == "Moved"
    rows = await repo.list_reminders(party.id)
    assert [r.due_at for r in rows if r.kind == "remind"] == [
        later - timedelta(minutes=15),
        later,
    ]
    cancelled = await repo.cancel_party(party.id, now=NOW)
    assert cancelled.status == "cancelled"
    assert await repo.list_reminders(party.id) == []
    with pytest.raises(Conflict):
        await repo.cancel_party(party.id, now=NOW)
    with pytest.raises(Conflict):
        await repo.set_rsvp(party.id, 1, "going", now=NOW)


async def test_finish_closes_one_off_and_rolls_weekly(store: Store) -> None:
    """After its end a one-off party is done; a weekly one moves a week on with fresh reminders."""
    repo = store.guild(G1).repo(PartyRepo)
    one_off = await repo.create_party(draft("once"), now=NOW)
    weekly = await repo.create_party(draft("weekly", weekly=True), now=NOW)
    after = NOW + timedelta(hours=3, minutes=1)
    assert (await repo.finish_party(one_off.id, now=after)).status == "done"
    moved = await repo.finish_party(weekly.id, now=after)
    assert moved.status == "scheduled"
    assert moved.starts_at == weekly.starts_at + timedelta(weeks=1)
    pending = [r for r in await repo.list_reminders(weekly.id) if r.state == "pending"]
    assert min(r.due_at for r in pending) == moved.starts_at - timedelta(minutes=15)
    assert await repo.count_upcoming() == 1


async def test_moves_queue_one_notice_that_follows_later_moves(store: Store) -> None:
    """A time edit queues one 'moved' row (old and new start); a second move before it is sent
    updates it, a move back drops it, and one already claimed stays while a new row follows."""
    repo = store.guild(G1).repo(PartyRepo)
    party = await repo.create_party(draft(), now=NOW)
    first, second = party.starts_at + timedelta(hours=1), party.starts_at + timedelta(hours=2)

    async def moved_rows() -> list[tuple[str, datetime | None, datetime | None]]:
        rows = await repo.list_reminders(party.id)
        return [(r.state, r.moved_from, r.moved_to) for r in rows if r.kind == "moved"]

    await repo.save_edit(replace(party, title="Renamed"), now=NOW)
    assert await moved_rows() == []
    await repo.save_edit(replace(party, starts_at=first), now=NOW)
    await repo.save_edit(replace(party, starts_at=second), now=NOW)
    assert await moved_rows() == [("pending", party.starts_at, second)]
    await repo.save_edit(replace(party, starts_at=party.starts_at), now=NOW)
    assert await moved_rows() == []
    await repo.save_edit(replace(party, starts_at=first), now=NOW)
    claimed = await store.shared(ReminderQueue).claim_due(NOW, holder="a")
    assert [r.moved_to for r in claimed if r.kind == "moved"] == [first]
    await repo.save_edit(replace(party, starts_at=second), now=NOW)
    assert sorted(await moved_rows()) == [
        ("pending", first, second),
        ("sending", party.starts_at, first),
    ]


async def test_weekly_roll_over_clears_rsvps_and_keeps_other_parties(store: Store) -> None:
    """RSVPs belong to one week: rolling a weekly party over removes its answers only."""
    repo = store.guild(G1).repo(PartyRepo)
    weekly = await repo.create_party(draft("weekly", weekly=True), now=NOW)
    other = await repo.create_party(draft("other"), now=NOW)
    for party in (weekly, other):
        await repo.set_rsvp(party.id, 1, "going", now=NOW)
    await repo.finish_party(weekly.id, now=NOW + timedelta(hours=3, minutes=1))
    assert await repo.rsvp_of(weekly.id, 1) is None
    assert await repo.ping_targets(weekly.id) == []
    assert await repo.rsvp_of(other.id, 1) == "going"


async def test_announce_role_set_and_cleared(store: Store) -> None:
    """The role new parties ping is off by default, set per server, and cleared with None."""
    repo, other = store.guild(G1).repo(PartyRepo), store.guild(G2).repo(PartyRepo)
    assert await repo.get_announce_role() is None
    await repo.set_announce_role(555, now=NOW)
    assert await repo.get_announce_role() == 555
    assert await other.get_announce_role() is None
    await repo.set_announce_role(None, now=NOW)
    assert await repo.get_announce_role() is None


async def test_server_reminder_leads(store: Store) -> None:
    """Lead minutes default to 15,0 and a server's choice applies to its new parties only."""
    one = store.guild(G1).repo(PartyRepo)
    two = store.guild(G2).repo(PartyRepo)
    assert await one.get_reminder_leads() == (15, 0)
    await one.set_reminder_leads([60, 0], now=NOW)
    assert await one.get_reminder_leads() == (60, 0)
    assert await two.get_reminder_leads() == (15, 0)
    party = await one.create_party(draft(), now=NOW)
    leads = [r.lead_minutes for r in await one.list_reminders(party.id) if r.kind == "remind"]
    assert leads == [60, 0]


async def test_first_notice_only_once(store: Store) -> None:
    """A one-time notice is reported as first exactly once per member and server."""
    one = store.guild(G1).repo(PartyRepo)
    assert await one.first_notice(20, "manage_events", now=NOW) is True
    assert await one.first_notice(20, "manage_events", now=NOW) is False
    assert await store.guild(G2).repo(PartyRepo).first_notice(20, "manage_events", now=NOW)


async def test_queue_next_due_and_state_machine(store: Store) -> None:
    """next_due follows the earliest pending row; sent and skipped rows are never claimed again."""
    repo = store.guild(G1).repo(PartyRepo)
    queue = ReminderQueue(store.db)
    assert await queue.next_due() is None
    party = await repo.create_party(draft(), now=NOW)
    assert await queue.next_due() == party.starts_at - timedelta(minutes=15)
    claimed = await queue.claim_due(party.starts_at, holder="a")
    assert [r.lead_minutes for r in claimed] == [15, 0]
    assert await queue.claim_due(party.starts_at, holder="a") == []
    await queue.mark_sent(claimed[0].id, holder="a", message_id=555, now=party.starts_at)
    await queue.mark_skipped(claimed[1].id, holder="a", now=party.starts_at)
    states = [r.state for r in await repo.list_reminders(party.id)]
    assert states == ["sent", "skipped", "pending"]
    assert await queue.next_due() == party.ends_at
    assert claimed[0].nonce == f"lsrem{claimed[0].id}"


async def test_interrupted_send_is_released_with_same_nonce(store: Store) -> None:
    """A row left 'sending' by a crash returns to pending with the same id, hence the same nonce."""
    repo = store.guild(G1).repo(PartyRepo)
    queue = ReminderQueue(store.db)
    party = await repo.create_party(draft(), now=NOW)
    [first, *_] = await queue.claim_due(party.starts_at - timedelta(minutes=15), holder="a")
    [interrupted] = await queue.list_interrupted()
    assert interrupted.id == first.id
    assert not await queue.release(interrupted.id, holder="b")
    assert await queue.release(interrupted.id, holder="a")
    assert await queue.list_interrupted() == []
    [again] = await queue.claim_due(party.starts_at - timedelta(minutes=15), holder="b")
    assert (again.id, again.nonce) == (first.id, first.nonce)


async def test_claim_once_under_concurrency_same_connection(store: Store) -> None:
    """Twenty concurrent claimers on one Database claim every due row exactly once."""
    repo = store.guild(G1).repo(PartyRepo)
    for i in range(10):
        await repo.create_party(draft(f"p{i}"), now=NOW)
    queue = ReminderQueue(store.db)
    results = await asyncio.gather(
        *(queue.claim_due(NOW + timedelta(hours=2), holder=f"h{i}") for i in range(20))
    )
    ids = [r.id for batch in results for r in batch]
    assert len(ids) == 20
    assert len(set(ids)) == 20


async def test_claim_once_across_two_connections(tmp_path: Path) -> None:
    """Two processes' connections on the same file never claim the same row (BEGIN IMMEDIATE)."""
    folder = migrations_folder(tmp_path)
    path = tmp_path / "shared.sqlite"
    a = await open_store(path, folder)
    b = await open_store(path, folder)
    try:
        repo = a.guild(G1).repo(PartyRepo)
        for i in range(10):
            await repo.create_party(draft(f"p{i}"), now=NOW)
        due = NOW + timedelta(hours=2)
        qa, qb = ReminderQueue(a.db), ReminderQueue(b.db)
        results = await asyncio.gather(
            *(q.claim_due(due, holder=f"h{i}", limit=3) for i, q in enumerate((qa, qb) * 8))
        )
        ids = [r.id for batch in results for r in batch]
        assert sorted(ids) == sorted(set(ids))
        assert len(ids) == 20
    finally:
        await a.close()
        await b.close()


async def test_guild_purge_cascades(store: Store) -> None:
    """Deleting a server's guilds row removes its parties, RSVPs and queue rows."""
    repo = store.guild(G1).repo(PartyRepo)
    party = await repo.create_party(draft(), now=NOW)
    await repo.set_rsvp(party.id, 1, "going", now=NOW)
    await store.db.execute("DELETE FROM guilds WHERE guild_id = :guild_id", {"guild_id": G1})
    for table in ("parties", "party_rsvps", "party_reminders"):
        assert await store.db.fetchval(f"SELECT count(*) FROM {table}") == 0  # noqa: S608
