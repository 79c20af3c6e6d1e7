"""Time-change notices on both backends: the member who made a change is not pinged about it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.store import Store
from bot.store.parties import PartyRepo
from tests.store.test_parties_repo import G1, G2, NOW, draft


async def test_a_time_change_notice_leaves_out_its_latest_editor(store: Store) -> None:
    """The member who moved a party is neither pinged nor counted by its 'moved' notice; when
    another edit changes a pending notice, only the latest editor is left out; handled, the
    record is dropped."""
    for gid in (G1, G2):
        await store.ensure_guild(gid)
    repo = store.guild(G1).repo(PartyRepo)
    party = await repo.create_party(draft(), now=NOW)
    for user in (1, 2, 3):
        await repo.set_rsvp(party.id, user, "going", now=NOW)
    first, second = party.starts_at + timedelta(hours=1), party.starts_at + timedelta(hours=2)
    await repo.save_edit(replace(party, starts_at=first), now=NOW, editor_id=1)
    [notice] = [r for r in await repo.list_reminders(party.id) if r.kind == "moved"]
    assert await repo.ping_targets(party.id, move_notice=notice.id) == [2, 3]
    assert await repo.count_going(party.id, move_notice=notice.id) == 2
    assert await repo.ping_targets(party.id) == [1, 2, 3]
    await repo.save_edit(replace(party, starts_at=second), now=NOW, editor_id=2)
    assert await repo.ping_targets(party.id, move_notice=notice.id) == [1, 3]
    await repo.forget_move_notice(notice.id)
    assert await repo.ping_targets(party.id, move_notice=notice.id) == [1, 2, 3]
    # Another server's records never leave anyone out here.
    other = store.guild(G2).repo(PartyRepo)
    assert await other.count_going(party.id, move_notice=notice.id) == 0
