"""The poller against the fake X API and a real SQLite: batching, transitions, failures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from pydantic import SecretStr

from bot.clients.x import XClient
from bot.services.spaces import SpacesPoller
from bot.store import Store
from bot.store.spaces import Follow, SpacesRepo, SpaceTrackingRepo
from bot.testing.fake_x import FakeX


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def make_poller(store: Store, http: httpx.AsyncClient, fake: FakeX, **kw: object) -> SpacesPoller:
    client = XClient(http, fake.base_url, SecretStr(fake.token), min_interval=0.0, max_retries=0)
    return SpacesPoller(SpaceTrackingRepo(store.db), client, interval=60, **kw)  # type: ignore[arg-type]


async def follow_accounts(store: Store, guilds: int, accounts: list[tuple[str, str]]) -> None:
    for gid in range(1, guilds + 1):
        await store.ensure_guild(gid)
        handle, uid = accounts[gid % len(accounts)]
        await store.guild(gid).repo(SpacesRepo).set_config(10_000 + gid, None)
        await (
            store.guild(gid)
            .repo(SpacesRepo)
            .upsert_follows([Follow(handle.lower(), handle, None, "@" + handle, uid)])
        )


async def test_one_poll_of_250_accounts_for_1000_servers_is_3_requests(
    store: Store, http: httpx.AsyncClient, fake: FakeX
) -> None:
    """1,000 servers following 250 distinct accounts cost exactly 3 Spaces requests per poll."""
    accounts = [(f"artist{i}", fake.add_user(f"artist{i}")) for i in range(250)]
    await follow_accounts(store, 1000, accounts)
    report = await make_poller(store, http, fake).poll_once()
    assert (report.state, report.accounts, report.batches) == ("ok", 250, 3)
    assert fake.count("/2/spaces") == 3
    assert fake.count("/2/users") == 0


async def test_scheduled_live_ended_each_written_once(
    store: Store, http: httpx.AsyncClient, fake: FakeX
) -> None:
    """A Space going scheduled → live → (gone) produces three outbox events, no repeats."""
    uid = fake.add_user("BTS_twt")
    await follow_accounts(store, 2, [("BTS_twt", uid)])
    poller = make_poller(store, http, fake, grace=timedelta(0))
    tracking = SpaceTrackingRepo(store.db)
    fake.set_space("BTS_twt", "1Sp", "scheduled", title="Soon")
    await poller.poll_once()
    await poller.poll_once()
    fake.set_space("BTS_twt", "1Sp", "live", title="Now", participant_count=900)
    await poller.poll_once()
    await poller.poll_once()
    fake.end_space("1Sp")
    await poller.poll_once()
    await poller.poll_once()
    kinds = [e.transition.kind for e in await tracking.open_events()]
    assert kinds == ["scheduled", "live", "ended"]
    ended = (await tracking.open_events())[-1].transition
    assert (ended.peak_listeners, ended.was_live) == (900, True)


async def test_missing_once_is_not_ended_within_grace(
    store: Store, http: httpx.AsyncClient, fake: FakeX
) -> None:
    """A live Space absent from one answer stays live while within the grace period."""
    uid = fake.add_user("BTS_twt")
    await follow_accounts(store, 1, [("BTS_twt", uid)])
    poller = make_poller(store, http, fake, grace=timedelta(minutes=3))
    fake.set_space("BTS_twt", "1Sp", "live")
    await poller.poll_once()
    fake.remove_space("1Sp")
    await poller.poll_once()
    kinds = [e.transition.kind for e in await SpaceTrackingRepo(store.db).open_events()]
    assert kinds == ["live"]


async def test_auth_failure_stops_polling_and_is_recorded(
    store: Store, http: httpx.AsyncClient, fake: FakeX
) -> None:
    """A 401 stops the poller: the state is stored and later cycles send no request."""
    uid = fake.add_user("BTS_twt")
    await follow_accounts(store, 1, [("BTS_twt", uid)])
    poller = make_poller(store, http, fake)
    fake.fail_next("/2/spaces", "401")
    assert (await poller.poll_once()).state == "auth_failed"
    before = fake.count()
    assert (await poller.poll_once()).state == "auth_failed"
    assert fake.count() == before
    status = await SpaceTrackingRepo(store.db).get_status()
    assert status["api_state"] == "auth_failed"
    assert fake.token not in status["api_detail"]


async def test_rate_limit_skips_the_cycle(
    store: Store, http: httpx.AsyncClient, fake: FakeX
) -> None:
    """A 429 ends the cycle without touching tracked Spaces; the next cycle polls again."""
    accounts = [(f"a{i}", fake.add_user(f"a{i}")) for i in range(150)]
    await follow_accounts(store, 150, accounts)
    fake.set_space("a1", "1Sp", "live")
    poller = make_poller(store, http, fake, grace=timedelta(0))
    await poller.poll_once()
    fake.fail_next("/2/spaces", "429")
    report = await poller.poll_once()
    assert report.state == "rate_limited"
    assert fake.count("/2/spaces") == 3
    kinds = [e.transition.kind for e in await SpaceTrackingRepo(store.db).open_events()]
    assert kinds == ["live"]


async def test_partial_error_does_not_end_that_creators_space(
    store: Store, http: httpx.AsyncClient, fake: FakeX
) -> None:
    """When X reports a problem for one creator, its live Space is not treated as ended."""
    uid = fake.add_user("BTS_twt")
    await follow_accounts(store, 1, [("BTS_twt", uid)])
    poller = make_poller(store, http, fake, grace=timedelta(0))
    fake.set_space("BTS_twt", "1Sp", "live")
    await poller.poll_once()
    fake.fail_next("/2/spaces", "partial_errors")
    await poller.poll_once()
    kinds = [e.transition.kind for e in await SpaceTrackingRepo(store.db).open_events()]
    assert kinds == ["live"]


async def test_unresolved_handles_are_resolved_before_polling(
    store: Store, http: httpx.AsyncClient, fake: FakeX
) -> None:
    """A follow saved without a user id is resolved (one lookup) and then polled."""
    fake.add_user("NewJeans_ADOR")
    await store.ensure_guild(1)
    await (
        store.guild(1)
        .repo(SpacesRepo)
        .upsert_follows([Follow("newjeans_ador", "NewJeans_ADOR", None, "NewJeans", None)])
    )
    report = await make_poller(store, http, fake).poll_once()
    assert report.accounts == 1
    assert fake.count("/2/users") == 1


async def test_vanished_space_is_looked_up_by_id_and_ended_in_the_same_poll(
    store: Store, http: httpx.AsyncClient, fake: FakeX
) -> None:
    """A Space missing from the creators' answer is looked up by id: ended (with X's end time)
    or cancelled in that poll, however long the grace; a Space X no longer knows keeps it."""
    uid = fake.add_user("BTS_twt")
    await follow_accounts(store, 1, [("BTS_twt", uid)])
    poller = make_poller(store, http, fake, grace=timedelta(hours=1))
    tracking = SpaceTrackingRepo(store.db)
    fake.set_space("BTS_twt", "1Live", "live", participant_count=30)
    fake.set_space("BTS_twt", "1Soon", "scheduled")
    fake.set_space("BTS_twt", "1Gone", "live")
    await poller.poll_once()
    fake.end_space("1Live")
    fake.cancel_space("1Soon")
    fake.remove_space("1Gone")
    await poller.poll_once()
    ended = {
        e.transition.space_id: e.transition
        for e in await tracking.open_events()
        if e.transition.kind == "ended"
    }
    assert sorted(ended) == ["1Live", "1Soon"]
    assert (ended["1Live"].was_live, ended["1Live"].cancelled) == (True, False)
    assert ended["1Live"].ended_at is not None
    assert (ended["1Soon"].was_live, ended["1Soon"].cancelled) == (False, True)
    assert (await tracking.tracked_for([uid]))["1Gone"].state == "live"


async def test_failed_lookup_keeps_the_grace(
    store: Store, http: httpx.AsyncClient, fake: FakeX
) -> None:
    """When the lookup by id fails (a timeout), the vanished Space stays live within the grace
    and is ended by the next poll whose lookup works."""
    uid = fake.add_user("BTS_twt")
    await follow_accounts(store, 1, [("BTS_twt", uid)])
    client = XClient(
        http, fake.base_url, SecretStr(fake.token), min_interval=0.0, max_retries=0, timeout=0.2
    )
    poller = SpacesPoller(SpaceTrackingRepo(store.db), client, interval=60)
    fake.set_space("BTS_twt", "1Sp", "live")
    await poller.poll_once()
    fake.end_space("1Sp")
    fake.fail_next("/2/spaces$", "timeout")
    report = await poller.poll_once()
    assert report.state == "ok"
    kinds = [e.transition.kind for e in await SpaceTrackingRepo(store.db).open_events()]
    assert kinds == ["live"]
    await poller.poll_once()
    kinds = [e.transition.kind for e in await SpaceTrackingRepo(store.db).open_events()]
    assert kinds == ["live", "ended"]
