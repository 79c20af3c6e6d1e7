"""The fan-out: planning per-server deliveries, ordering, broken channels and resuming.

The Discord side is a small in-memory channel table that honours nonces like Discord's
enforce_nonce; the loopback E2E tests cover the real discord.py path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

from bot.domain.shards import ShardSpec
from bot.domain.spaces import Transition
from bot.services.spaces import Announcer, DeliveryBroken, plan_deliveries
from bot.store import Store
from bot.store.spaces import Delivery, FanoutTarget, Follow, SpacesRepo, SpaceTrackingRepo
from bot.store.spaces_codec import SpaceEvent

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


class Channels:
    """Messages per channel; a repeated nonce returns the first message, as Discord does."""

    def __init__(self, locked: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.posts: dict[int, list[tuple[int, str]]] = {}
        self.edits: list[int] = []
        self.went_live: list[tuple[int, int | None]] = []
        self.locked = set(locked)
        self._nonces: dict[tuple[int, str], int] = {}
        self._next = 1

    async def send(self, delivery: Delivery, transition: Transition) -> int:
        if delivery.channel_id in self.locked:
            raise DeliveryBroken("missing permission")
        key = (delivery.channel_id, delivery.nonce)
        if key not in self._nonces:
            self._next += 1
            self._nonces[key] = self._next
            self.posts.setdefault(delivery.channel_id, []).append((self._next, transition.kind))
        return self._nonces[key]

    async def edit_ended(self, delivery: Delivery, transition: Transition) -> None:
        assert delivery.message_id is not None
        self.edits.append(delivery.message_id)

    async def edit_went_live(self, scheduled: Delivery, live: Delivery, t: Transition) -> None:
        assert scheduled.message_id is not None
        self.went_live.append((scheduled.message_id, live.message_id))


def t(kind: str, title: str = "Hello") -> Transition:
    return Transition(
        "1Sp",
        "100",
        kind,
        title,
        None,
        T0,
        T0 if kind == "ended" else None,  # type: ignore[arg-type]
        10,
        10,
        kind != "scheduled",
    )


async def setup_servers(store: Store, n: int, keywords: tuple[str, ...] = ()) -> None:
    for gid in range(1, n + 1):
        await store.ensure_guild(gid)
        repo = store.guild(gid).repo(SpacesRepo)
        await repo.set_config(1000 + gid, 2000 + gid)
        await repo.upsert_follows(
            [Follow("bts_twt", "BTS_twt", "bts", "BTS", "100", keywords=keywords)]
        )


def test_plan_skips_filtered_and_duplicate_servers() -> None:
    """Keyword misses are skipped, a server appears once, broken channels are pre-marked."""
    event = SpaceEvent(1, 0, "new", t("live", "Q&A time"))
    targets = [
        FanoutTarget(1, 11, None, "BTS", (), None),
        FanoutTarget(1, 12, None, "BTS", (), None),
        FanoutTarget(2, 21, None, "BTS", ("live",), None),
        FanoutTarget(3, 31, None, "BTS", ("q&a",), None),
    ]
    planned = plan_deliveries(event, targets, broken={(3, 31)})
    assert [(d.guild_id, d.channel_id, d.status) for d in planned] == [
        (1, 11, "pending"),
        (3, 31, "broken"),
    ]


async def test_story_posts_once_per_server_and_edits_the_live_post(store: Store) -> None:
    """scheduled, live, ended: one post per state per server; the scheduled post is pointed at
    the live one once, and the live post is edited to ended."""
    await setup_servers(store, 3)
    tracking = SpaceTrackingRepo(store.db)
    channels = Channels()
    announcer = Announcer(tracking, channels, holder="test", rate_per_second=1000)
    for kind in ("scheduled", "live", "ended"):
        await tracking.record_poll([], [t(kind)])
        await announcer.drain()
        await announcer.drain()
    for gid in (1, 2, 3):
        assert [k for _, k in channels.posts[1000 + gid]] == ["scheduled", "live"]
    live_ids = {channels.posts[1000 + g][1][0] for g in (1, 2, 3)}
    assert set(channels.edits) == live_ids
    scheduled_ids = {channels.posts[1000 + g][0][0] for g in (1, 2, 3)}
    assert set(channels.went_live) == {
        (channels.posts[1000 + g][0][0], channels.posts[1000 + g][1][0]) for g in (1, 2, 3)
    }
    assert len(channels.went_live) == len(scheduled_ids)


async def test_locked_channel_is_marked_broken_and_others_still_get_posts(store: Store) -> None:
    """A refused channel is marked broken and skipped; every other server gets its post."""
    await setup_servers(store, 4)
    tracking = SpaceTrackingRepo(store.db)
    channels = Channels(locked={1002})
    await tracking.record_poll([], [t("live")])
    await Announcer(tracking, channels, holder="test", rate_per_second=1000).drain()
    assert sorted(channels.posts) == [1001, 1003, 1004]
    broken = await store.guild(2).repo(SpacesRepo).list_broken()
    assert [b.channel_id for b in broken] == [1002]
    assert await tracking.open_events() == []


async def test_interrupted_fanout_resumes_without_duplicates(store: Store) -> None:
    """Rows left "sending" by a crash are resent with their nonce: one post per server."""
    await setup_servers(store, 5)
    tracking = SpaceTrackingRepo(store.db)
    channels = Channels()
    await tracking.record_poll([], [t("live")])
    event = (await tracking.open_events())[0]
    # Simulate a crash after expansion: two rows were sent (one without its id being saved).
    targets = await tracking.fanout_targets("100")
    await tracking.expand_event(event.event_id, plan_deliveries(event, targets, set()))
    rows = await tracking.open_deliveries(event.event_id)
    await tracking.claim_delivery(rows[0], "crashed")
    await channels.send(rows[0], event.transition)
    await tracking.claim_delivery(rows[1], "crashed")
    msg = await channels.send(rows[1], event.transition)
    await tracking.finish_delivery(rows[1], "sent", "crashed", message_id=msg)
    await Announcer(tracking, channels, holder="test", rate_per_second=1000).drain()
    assert {c: len(p) for c, p in channels.posts.items()} == {1001 + i: 1 for i in range(5)}
    assert all(d.status == "sent" for d in await tracking.deliveries_of_space("1Sp"))


async def test_keyword_filter_limits_which_servers_hear(store: Store) -> None:
    """A follow with keywords only announces Spaces whose title contains one of them."""
    await setup_servers(store, 2, keywords=("comeback",))
    tracking = SpaceTrackingRepo(store.db)
    channels = Channels()
    await tracking.record_poll([], [t("live", "Just chatting")])
    await Announcer(tracking, channels, holder="test", rate_per_second=1000).drain()
    assert channels.posts == {}


class SendsThen(Channels):
    """Channels whose next post, once `then` is set, runs it (another process draining)."""

    then: Callable[[], Awaitable[object]] | None = None

    async def send(self, delivery: Delivery, transition: Transition) -> int:
        message_id = await super().send(delivery, transition)
        then, self.then = self.then, None
        if then is not None:
            await then()
        return message_id


async def test_an_end_planned_by_another_process_meanwhile_is_sent_at_once(store: Store) -> None:
    """Two processes (shards 0 and 1 of 2). Process 0 read the "ended" event while it was new;
    before it got to it, process 1 planned it (its rows now pending). Process 0 still sends its
    server's edit in the same drain: the event's own rows are no live post it must wait for."""
    guilds = (1, (1 << 22) | 1)  # shard 0, shard 1
    for i, gid in enumerate(guilds):
        await store.ensure_guild(gid)
        repo = store.guild(gid).repo(SpacesRepo)
        await repo.set_config(1000 + i, 2000 + i)
        await repo.upsert_follows([Follow("bts_twt", "BTS_twt", "bts", "BTS", "100")])
    tracking = SpaceTrackingRepo(store.db)
    other = Announcer(
        tracking, Channels(), holder="p1", rate_per_second=1000, shards=ShardSpec(2, (1,))
    )
    channels = SendsThen()
    this = Announcer(
        tracking, channels, holder="p0", rate_per_second=1000, shards=ShardSpec(2, (0,))
    )
    await tracking.record_poll([], [t("live")])
    await this.drain()
    await other.drain()
    second = replace(t("live", "Second"), space_id="2Sp")
    await tracking.record_poll([], [second, t("ended")])
    # This drain reads both events; while it posts "2Sp" the other process plans "1Sp ended".
    channels.then = other.drain
    await this.drain()
    live_id, kind = channels.posts[1000][0]
    assert kind == "live"
    assert channels.edits == [live_id]
