"""Spaces storage: per-server isolation, the outbox, and the exactly-once delivery ledger."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.spaces import TrackedSpace, Transition, nonce_for
from bot.store import Store
from bot.store.spaces import Delivery, Follow, SpacesRepo, SpaceTrackingRepo
from bot.store.spaces_restores import list_restores

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(store: Store) -> Store:
    """The shared migrated store, with the servers these tests use."""
    await store.ensure_guild(1)
    await store.ensure_guild(2)
    await store.ensure_guild(3)
    return store


def follow(handle: str, user_id: str | None = "100", **kw: object) -> Follow:
    return Follow(
        handle_key=handle.lower(),
        handle=handle,
        artist_id=kw.pop("artist_id", "bts"),  # type: ignore[arg-type]
        artist_name="BTS",
        x_user_id=user_id,
        **kw,  # type: ignore[arg-type]
    )


def live(space_id: str = "1Live", creator: str = "100") -> Transition:
    return Transition(space_id, creator, "live", "Hi", None, T0, None, 5, 5, True)


def delivery(guild_id: int, space_id: str = "1Live", state: str = "live") -> Delivery:
    return Delivery(
        guild_id=guild_id,
        space_id=space_id,
        state=state,
        event_id=None,  # type: ignore[arg-type]
        channel_id=10 + guild_id,
        role_id=None,
        artist_name="BTS",
        template=None,
        nonce=nonce_for(guild_id, space_id, state),
        status="pending",
        message_id=None,
        attempts=0,
    )


async def test_guild_scopes_are_isolated(store: Store) -> None:
    """One server's config, follows and broken channels are invisible to another."""
    a = store.guild(1).repo(SpacesRepo)
    b = store.guild(2).repo(SpacesRepo)
    await a.set_config(11, 21)
    await a.upsert_follows([follow("BTS_twt")])
    await a.mark_broken(11, "missing permission")
    assert await b.get_config() is None
    assert await b.list_follows() == []
    assert await b.list_broken() == []
    assert await b.remove_follows("bts") == 0
    assert [f.handle for f in await a.list_follows()] == ["BTS_twt"]


async def test_follow_upsert_keeps_resolved_id_and_remove_by_act(store: Store) -> None:
    """Re-following updates overrides without losing the user id; unfollow by act id removes all."""
    repo = store.guild(1).repo(SpacesRepo)
    await repo.upsert_follows([follow("BTS_twt"), follow("bts_bighit", "101")])
    await repo.upsert_follows([follow("BTS_twt", None, keywords=("live",), channel_id=99)])
    got = {f.handle_key: f for f in await repo.list_follows()}
    assert got["bts_twt"].x_user_id == "100"
    assert got["bts_twt"].keywords == ("live",)
    assert await repo.remove_follows("bts") == 2
    assert await repo.count_follows() == 0


async def test_set_config_clears_broken_mark(store: Store) -> None:
    """Running setup again on a broken channel clears its broken mark."""
    repo = store.guild(1).repo(SpacesRepo)
    await repo.mark_broken(11, "channel deleted")
    await repo.set_config(11, None)
    assert await repo.list_broken() == []


async def test_followed_accounts_union_excludes_departed_servers(store: Store) -> None:
    """The poll set is the distinct resolved ids across servers the bot is still in."""
    await store.guild(1).repo(SpacesRepo).upsert_follows([follow("BTS_twt", "100")])
    await store.guild(2).repo(SpacesRepo).upsert_follows([follow("BTS_twt", "100")])
    await store.guild(3).repo(SpacesRepo).upsert_follows([follow("other", "300")])
    await store.guild(2).repo(SpacesRepo).upsert_follows([follow("pending", None)])
    await store.guilds.mark_left(3, T0)
    tracking = SpaceTrackingRepo(store.db)
    assert await tracking.followed_account_ids() == ["100"]
    assert await tracking.unresolved_handles() == ["pending"]
    await tracking.save_account("555", "Pending", "P")
    assert await tracking.cached_account("pending") == ("555", "Pending")
    assert "555" in await tracking.followed_account_ids()


async def test_record_poll_is_idempotent(store: Store) -> None:
    """Recording the same transition twice leaves exactly one outbox event."""
    tracking = SpaceTrackingRepo(store.db)
    space = TrackedSpace("1Live", "100", "live", title="Hi", was_live=True)
    assert await tracking.record_poll([space], [live()]) == 1
    assert await tracking.record_poll([space], [live()]) == 0
    events = await tracking.open_events()
    assert [(e.transition.space_id, e.transition.kind) for e in events] == [("1Live", "live")]
    assert (await tracking.tracked_for(["100"]))["1Live"].state == "live"


async def test_delivery_state_machine_is_exactly_once(store: Store) -> None:
    """pending → sending → sent; a second expansion or claim after sent does nothing."""
    tracking = SpaceTrackingRepo(store.db)
    await tracking.record_poll([], [live()])
    event = (await tracking.open_events())[0]
    await tracking.expand_event(event.event_id, [delivery(1), delivery(2)])
    await tracking.expand_event(event.event_id, [delivery(1)])
    rows = await tracking.open_deliveries(event.event_id)
    assert [(d.guild_id, d.status) for d in rows] == [(1, "pending"), (2, "pending")]
    d1 = rows[0]
    assert await tracking.claim_delivery(d1, "first") == d1
    # A crash here leaves "sending": a restart may claim it again and resend with the same nonce.
    assert [d.status for d in await tracking.open_deliveries(event.event_id)] == [
        "sending",
        "pending",
    ]
    # Not while the first claim's lease runs; at once after the restart adopts its shards' rows.
    assert await tracking.claim_delivery(d1, "restart") is None
    assert await tracking.expire_foreign_claims("restart") == 1
    resumed = await tracking.claim_delivery(d1, "restart")
    assert resumed is not None
    assert resumed.status == "sending"  # what tells the sender to look for its post first
    assert await tracking.finish_delivery(d1, "sent", "restart", message_id=777)
    assert await tracking.claim_delivery(d1, "later") is None
    got = await tracking.get_delivery(1, "1Live", "live")
    assert got is not None
    assert (got.status, got.message_id, got.attempts, got.nonce) == (
        "sent",
        777,
        2,
        nonce_for(1, "1Live", "live"),
    )


async def test_manual_announcement_blocks_duplicates(store: Store) -> None:
    """A pasted link is announced once per server, and the poller cannot add a second post."""
    tracking = SpaceTrackingRepo(store.db)
    assert await tracking.queue_manual(live(), delivery(1)) is not None
    assert await tracking.queue_manual(live(), delivery(1)) is None
    await tracking.record_poll([], [live()])
    poll_event = next(e for e in await tracking.open_events() if e.scope == 0)
    await tracking.expand_event(poll_event.event_id, [delivery(1), delivery(2)])
    rows = await tracking.deliveries_of_space("1Live")
    assert [(d.guild_id, d.event_id) for d in rows] == [
        (1, rows[0].event_id),
        (2, poll_event.event_id),
    ]
    assert rows[0].event_id != poll_event.event_id


async def test_purge_strips_ended_spaces_and_forgets_after_a_week(store: Store) -> None:
    """Ended Spaces lose their X data once delivered; dedup keys go after seven days."""
    tracking = SpaceTrackingRepo(store.db)
    ended = TrackedSpace("1Live", "100", "ended", title="Secret title", was_live=True)
    await tracking.record_poll([ended], [live()])
    event = (await tracking.open_events())[0]
    await tracking.expand_event(event.event_id, [delivery(1)])
    assert await tracking.purge_ended(T0) == 0  # a delivery is still pending
    assert await tracking.claim_delivery(delivery(1), "a") is not None
    await tracking.finish_delivery(delivery(1), "sent", "a", message_id=5)
    await tracking.mark_event_done(event.event_id)
    now = datetime.now(UTC)
    assert await tracking.purge_ended(now) == 1
    row = await store.db.fetchone(
        "SELECT title, state FROM spaces_tracked WHERE space_id = '1Live'"
    )
    assert row is not None
    assert (row["title"], row["state"]) == (None, "ended")
    assert await store.db.fetchval("SELECT count(*) FROM space_events") == 0
    assert await tracking.get_delivery(1, "1Live", "live") is not None
    await tracking.purge_ended(now + timedelta(days=8))
    assert await tracking.get_delivery(1, "1Live", "live") is None
    assert await tracking.tracked_for(["100"]) == {}


async def test_guild_purge_cascades_to_spaces_rows(store: Store) -> None:
    """Deleting a server's row removes its config, follows, broken marks and deliveries."""
    repo = store.guild(1).repo(SpacesRepo)
    await repo.set_config(11, None)
    await repo.upsert_follows([follow("BTS_twt")])
    await repo.mark_broken(12, "gone")
    tracking = SpaceTrackingRepo(store.db)
    await tracking.queue_manual(live(), delivery(1))
    await store.db.execute("DELETE FROM guilds WHERE guild_id = 1")
    for table in ("spaces_config", "spaces_follows", "spaces_broken_channels", "space_deliveries"):
        assert await store.db.fetchval(f"SELECT count(*) FROM {table}") == 0  # noqa: S608


async def test_fanout_targets_apply_overrides_and_skip_unconfigured(store: Store) -> None:
    """Targets use per-follow channel/role over defaults; a server with no channel is skipped."""
    await store.guild(1).repo(SpacesRepo).set_config(11, 21)
    await store.guild(1).repo(SpacesRepo).upsert_follows([follow("BTS_twt", role_id=99)])
    await store.guild(2).repo(SpacesRepo).upsert_follows([follow("BTS_twt", channel_id=42)])
    await store.guild(3).repo(SpacesRepo).upsert_follows([follow("BTS_twt")])
    targets = await SpaceTrackingRepo(store.db).fanout_targets("100")
    assert [(t.guild_id, t.channel_id, t.role_id) for t in targets] == [(1, 11, 99), (2, 42, None)]
    only = await SpaceTrackingRepo(store.db).fanout_targets("100", only_guild=2)
    assert [t.guild_id for t in only] == [2]


async def test_purge_forgets_spaces_of_unfollowed_creators(store: Store) -> None:
    """A live Space of an account no server follows any more is dropped on the next purge."""
    tracking = SpaceTrackingRepo(store.db)
    await store.guild(1).repo(SpacesRepo).upsert_follows([follow("BTS_twt", "100")])
    await tracking.record_poll([TrackedSpace("1Live", "100", "live", title="Hi")], [])
    await tracking.purge_ended(T0)
    assert "1Live" in await tracking.tracked_for(["100"])
    await store.guild(1).repo(SpacesRepo).remove_follows("bts")
    await tracking.purge_ended(T0)
    assert await tracking.tracked_for(["100"]) == {}


async def test_a_rescheduled_space_queues_edits_of_scheduled_posts_until_it_moves_on(
    store: Store,
) -> None:
    """A rescheduled transition queues one edit per server's sent scheduled post (the newest
    schedule wins, servers already live are left alone); going live drops edits not yet made."""
    tracking = SpaceTrackingRepo(store.db)
    first = Transition("1Sched", "100", "scheduled", "Festa", T0, None, None, None, 0, False)
    await tracking.record_poll([], [first])
    event = (await tracking.open_events())[0]
    await tracking.expand_event(
        event.event_id, [delivery(g, "1Sched", "scheduled") for g in (1, 2)]
    )
    for n, d in enumerate(await tracking.open_deliveries(event.event_id)):
        assert await tracking.claim_delivery(d, "me") is not None
        assert await tracking.finish_delivery(d, "sent", "me", message_id=500 + n)
    await tracking.queue_manual(replace(first, kind="live"), delivery(2, "1Sched", "live"))
    for hours in (1, 3):
        moved = replace(first, scheduled_start=T0 + timedelta(hours=hours), rescheduled=True)
        assert await tracking.record_poll([], [moved]) == 1
    [edit] = await list_restores(store.db)
    assert (edit.delivery.guild_id, edit.delivery.message_id) == (1, 500)
    assert (edit.transition.kind, edit.transition.title) == ("scheduled", "Festa")
    assert edit.transition.scheduled_start == T0 + timedelta(hours=3)
    await tracking.record_poll([], [replace(first, kind="live")])
    assert await list_restores(store.db) == []


async def test_spaces_with_posts_stay_tracked_for_lookup_by_id(store: Store) -> None:
    """A hand-announced Space of a creator nobody follows is tracked, and a Space whose artist
    was unfollowed keeps its row while its live post stands; both are listed for lookup by id,
    a followed creator's Space is left to the poll."""
    tracking = SpaceTrackingRepo(store.db)
    repo = store.guild(1).repo(SpacesRepo)
    await repo.upsert_follows([follow("BTS_twt", "100")])
    await tracking.record_poll([TrackedSpace("1Unfollowed", "100", "live", title="Hi")], [])
    d = delivery(1, "1Unfollowed")
    await tracking.expand_event(0, [d])
    assert await tracking.claim_delivery(d, "me") is not None
    assert await tracking.finish_delivery(d, "sent", "me", message_id=900)
    await tracking.queue_manual(live("1ByHand", creator="200"), delivery(1, "1ByHand"))
    assert await tracking.claim_delivery(delivery(1, "1ByHand"), "me") is not None
    assert await tracking.finish_delivery(delivery(1, "1ByHand"), "sent", "me", message_id=901)
    await tracking.queue_manual(live("1Followed"), delivery(2, "1Followed"))
    await repo.remove_follows("bts")
    await tracking.purge_ended(T0)
    assert set(await tracking.tracked_with_posts(skip_creators=[])) == {"1Unfollowed", "1ByHand"}
    assert set(await tracking.tracked_with_posts(skip_creators=["200"])) == {"1Unfollowed"}
