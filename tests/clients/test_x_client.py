"""XClient against the local fake X API: batching, tolerance, rate limits, failures, secrecy."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.clients.x import XClient, XSpace
from bot.errors import UpstreamError
from bot.testing.fake_x import FakeX


class FakeTime:
    """A clock and sleep pair: sleeping advances the clock instantly and is recorded."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.sleeps: list[float] = []

    def clock(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)
        await asyncio.sleep(0)


@pytest.fixture
def ftime() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def fake(ftime: FakeTime) -> AsyncIterator[FakeX]:
    async with FakeX(clock=ftime.clock) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def make_client(http: httpx.AsyncClient, fake: FakeX, ftime: FakeTime, **kwargs: Any) -> XClient:
    options: dict[str, Any] = {"min_interval": 0.0, "clock": ftime.clock, "sleep": ftime.sleep}
    options.update(kwargs)
    return XClient(http, fake.base_url, SecretStr(fake.token), **options)


def user_ids(fake: FakeX, n: int) -> list[str]:
    return [fake.add_user(f"idol_{i:03d}") for i in range(n)]


async def test_usernames_are_batched_100_per_request(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """250 handles resolve in 3 users/by requests, none carrying more than 100 names."""
    ids = user_ids(fake, 250)
    client = make_client(http, fake, ftime)
    users, problems = await client.users_by_usernames([f"@idol_{i:03d}" for i in range(250)])
    assert [u.id for u in users] == ids
    assert problems == []
    assert fake.count("/2/users/by") == 3
    sizes = [len(r.query["usernames"].split(",")) for r in fake.requests]
    assert sizes == [100, 100, 50]


async def test_handles_are_validated_deduped_and_cached(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """Bad handles never reach X, case variants are asked once, a repeat is served from cache."""
    fake.add_user("BLACKPINK", id="111", name="BLACKPINK")
    client = make_client(http, fake, ftime)
    users, problems = await client.users_by_usernames(
        ["@BLACKPINK", "blackpink", "has space", "x" * 16, "ghost_user"]
    )
    assert [(u.id, u.username, u.name) for u in users] == [("111", "BLACKPINK", "BLACKPINK")]
    assert fake.requests[0].query["usernames"] == "BLACKPINK,ghost_user"
    assert [p.value for p in problems] == ["has space", "x" * 16, "ghost_user"]
    assert problems[2].type == "https://api.twitter.com/2/problems/resource-not-found"
    again, _ = await client.users_by_usernames(["blackpink"])
    assert again == users
    assert fake.count("/2/users/by") == 1
    assert client.cached_user("111") == users[0]


async def test_spaces_are_batched_by_distinct_creator(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """250 distinct creators (plus duplicates) cost exactly ceil(250/100) = 3 requests."""
    ids = user_ids(fake, 250)
    fake.set_space(ids[0], "1DXxyRYNejbKM", "live", title="Live now")
    fake.set_space(ids[150], "1YqJDqWYNQDGW", "scheduled", scheduled_start=ftime.now)
    fake.set_space(ids[249], "1eaKbrPAqbwKX", "ended")
    client = make_client(http, fake, ftime)
    spaces, problems = await client.spaces_by_creator_ids(ids + ids[:60])
    assert fake.count("/2/spaces/by/creator_ids") == 3
    assert client.requests_made == 3
    assert problems == []
    assert {(s.id, s.state) for s in spaces} == {
        ("1DXxyRYNejbKM", "live"),
        ("1YqJDqWYNQDGW", "scheduled"),
    }
    query = fake.requests[0].query
    assert query["expansions"] == "creator_id,host_ids"
    assert set(query["space.fields"].split(",")) >= {
        "title",
        "state",
        "started_at",
        "scheduled_start",
        "ended_at",
        "participant_count",
        "subscriber_count",
        "lang",
        "is_ticketed",
    }
    assert client.cached_user(ids[0]) is not None


async def test_space_fields_arrive_typed(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """Fields the fake serves in X's wire format come back as aware datetimes, ints and bools."""
    creator = fake.add_user("ive_official")
    started = datetime(2024, 6, 1, 12, 30, tzinfo=UTC)
    fake.set_space(
        creator,
        "1DXxyRYNejbKM",
        "live",
        title="IVE radio",
        started_at=started,
        participant_count=1234,
        subscriber_count=55,
        lang="ja",
        is_ticketed=True,
        host_ids=[creator, "999"],
    )
    client = make_client(http, fake, ftime)
    spaces, _ = await client.spaces_by_creator_ids([creator])
    assert spaces == [
        XSpace(
            id="1DXxyRYNejbKM",
            state="live",
            title="IVE radio",
            creator_id=creator,
            host_ids=(creator, "999"),
            started_at=started,
            scheduled_start=None,
            ended_at=None,
            participant_count=1234,
            subscriber_count=55,
            lang="ja",
            is_ticketed=True,
        )
    ]


async def test_string_bools_and_null_titles_are_tolerated(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """`is_ticketed` as "true"/"false" becomes a bool and a null title becomes None."""
    creator = fake.add_user("nct127")
    fake.set_space(creator, "1DXxyRYNejbKM", "live", is_ticketed=False)
    client = make_client(http, fake, ftime)
    fake.fail_next("/2/spaces/by", "string_bools")
    spaces, _ = await client.spaces_by_creator_ids([creator])
    assert spaces[0].is_ticketed is False
    fake.fail_next("/2/spaces/by", "null_titles")
    spaces, _ = await client.spaces_by_creator_ids([creator])
    assert spaces[0].title is None
    assert spaces[0].state == "live"


async def test_missing_data_means_no_spaces(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """A 200 with only meta.result_count 0 is an empty result, not an error."""
    creator = fake.add_user("aespa")
    fake.set_space(creator, "1DXxyRYNejbKM", "live")
    fake.fail_next("/2/spaces/by", "no_data")
    client = make_client(http, fake, ftime)
    assert await client.spaces_by_creator_ids([creator]) == ([], [])
    assert client.last_error is None


async def test_partial_errors_keep_the_good_results(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """A 200 carrying data and errors[] returns both: Spaces of the others, a problem for one."""
    first = fake.add_user("twice")
    second = fake.add_user("itzy")
    fake.set_space(first, "1DXxyRYNejbKM", "live")
    fake.set_space(second, "1YqJDqWYNQDGW", "live")
    fake.fail_next("/2/spaces/by", "partial_errors")
    client = make_client(http, fake, ftime)
    spaces, problems = await client.spaces_by_creator_ids([first, second])
    assert [s.id for s in spaces] == ["1YqJDqWYNQDGW"]
    assert [(p.value, p.type) for p in problems] == [
        (first, "https://api.twitter.com/2/problems/resource-not-found")
    ]


async def test_space_by_id_finds_any_state(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """Lookup by id sees ended Spaces, returns None for unknown ids and skips invalid ids."""
    fake.set_space("seventeen", "1DXxyRYNejbKM", "live", title="Going Seventeen")
    fake.end_space("1DXxyRYNejbKM")
    client = make_client(http, fake, ftime)
    space = await client.space_by_id("1DXxyRYNejbKM")
    assert space is not None
    assert space.state == "ended"
    assert space.ended_at == ftime.now
    assert await client.space_by_id("1zzzzzzzzzzzz") is None
    assert await client.space_by_id("../users/by") is None
    assert fake.count("/2/spaces/") == 2


async def test_429_waits_until_reset_then_succeeds(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """A 429 makes the client sleep until x-rate-limit-reset (plus 1s) and then retry once."""
    creator = fake.add_user("stayc")
    fake.reset_in_429 = 30
    fake.fail_next("/2/spaces/by", "429")
    client = make_client(http, fake, ftime, max_wait=120)
    spaces, _ = await client.spaces_by_creator_ids([creator])
    assert spaces == []
    assert ftime.sleeps == [31.0]
    assert [r.status for r in fake.requests] == [429, 200]


async def test_429_beyond_max_wait_raises_with_retry_after(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """A reset further away than max_wait is not slept on: UpstreamError carries retry_after."""
    creator = fake.add_user("le_sserafim")
    fake.reset_in_429 = 900
    fake.fail_next("/2/spaces/by", "429")
    client = make_client(http, fake, ftime, max_wait=60)
    with pytest.raises(UpstreamError) as caught:
        await client.spaces_by_creator_ids([creator])
    assert caught.value.status == 429
    assert caught.value.retry_after == pytest.approx(901)
    assert ftime.sleeps == []
    assert fake.count() == 1
    assert client.last_error is caught.value


async def test_exhausted_window_is_waited_out_before_asking(
    http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """When x-rate-limit-remaining hits 0 the client waits for the reset instead of eating a 429."""
    async with FakeX(clock=ftime.clock, rate_limit=2, rate_window=60) as fake:
        creator = fake.add_user("enhypen")
        client = make_client(http, fake, ftime, max_wait=120)
        for _ in range(3):
            await client.spaces_by_creator_ids([creator])
        assert [r.status for r in fake.requests] == [200, 200, 200]
        assert ftime.sleeps == [61.0]
        limit = client.rate_limits["/2/spaces/by/creator_ids"]
        assert (limit.limit, limit.remaining) == (2, 1)


async def test_5xx_backs_off_then_recovers(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """Two server errors are retried with growing backoff and the third attempt succeeds."""
    creator = fake.add_user("txt_bighit")
    fake.fail_next("/2/spaces/by", "500")
    fake.fail_next("/2/spaces/by", "503")
    client = make_client(http, fake, ftime, backoff_base=1.0)
    assert await client.spaces_by_creator_ids([creator]) == ([], [])
    assert [r.status for r in fake.requests] == [500, 503, 200]
    assert len(ftime.sleeps) == 2
    assert 1.0 <= ftime.sleeps[0] <= 1.5
    assert 2.0 <= ftime.sleeps[1] <= 3.0


async def test_5xx_gives_up_after_max_retries(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """Persistent 503s cost 1 + max_retries requests and end in a non-fatal UpstreamError."""
    creator = fake.add_user("zerobaseone")
    fake.fail_next("/2/spaces/by", "503", count=10)
    client = make_client(http, fake, ftime, max_retries=3)
    with pytest.raises(UpstreamError) as caught:
        await client.spaces_by_creator_ids([creator])
    assert caught.value.status == 503
    assert not caught.value.fatal
    assert fake.count() == 4
    assert len(ftime.sleeps) == 3
    assert client.auth_failed is None


async def test_timeouts_are_retried_then_raise(http: httpx.AsyncClient, ftime: FakeTime) -> None:
    """A hanging server trips the client timeout; it retries, and raises once retries run out."""
    async with FakeX(clock=ftime.clock, hang_seconds=30) as fake:
        creator = fake.add_user("newjeans")
        fake.fail_next("/2/spaces/by", "timeout")
        client = make_client(http, fake, ftime, timeout=0.2, max_retries=1)
        assert await client.spaces_by_creator_ids([creator]) == ([], [])
        assert len(ftime.sleeps) == 1
        fake.fail_next("/2/spaces/by", "timeout", count=2)
        with pytest.raises(UpstreamError, match="ReadTimeout"):
            await client.spaces_by_creator_ids([creator])
        assert fake.count() == 4


async def test_malformed_json_raises(fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime) -> None:
    """A truncated JSON body is an UpstreamError after one request, not a crash."""
    creator = fake.add_user("kep1er")
    fake.fail_next("/2/spaces/by", "malformed_json")
    client = make_client(http, fake, ftime)
    with pytest.raises(UpstreamError, match="malformed JSON"):
        await client.spaces_by_creator_ids([creator])
    assert fake.count() == 1
    assert await client.spaces_by_creator_ids([creator]) == ([], [])
    assert client.last_error is None


async def test_401_stops_all_requests_until_reset(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime
) -> None:
    """A rejected token sets auth_failed; later calls raise it without touching the network."""
    creator = fake.add_user("gidle")
    client = XClient(
        http, fake.base_url, SecretStr("wrong-token"), min_interval=0, sleep=ftime.sleep
    )
    with pytest.raises(UpstreamError) as caught:
        await client.spaces_by_creator_ids([creator])
    assert caught.value.fatal
    assert caught.value.status == 401
    assert client.auth_failed is caught.value
    for call in (
        client.spaces_by_creator_ids([creator]),
        client.users_by_usernames(["gidle"]),
        client.space_by_id("1DXxyRYNejbKM"),
    ):
        with pytest.raises(UpstreamError) as again:
            await call
        assert again.value is caught.value
    assert fake.count() == 1
    client.reset_auth()
    with pytest.raises(UpstreamError):
        await client.users_by_usernames(["gidle"])
    assert fake.count() == 2


async def test_403_is_fatal_too(fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime) -> None:
    """A 403 (app not enrolled) stops polling like a 401 and quotes X's title."""
    creator = fake.add_user("riize")
    fake.fail_next("/2/spaces/by", "403")
    client = make_client(http, fake, ftime)
    with pytest.raises(UpstreamError, match="Client Forbidden") as caught:
        await client.spaces_by_creator_ids([creator])
    assert caught.value.fatal
    assert client.auth_failed is caught.value
    with pytest.raises(UpstreamError):
        await client.spaces_by_creator_ids([creator])
    assert fake.count() == 1
    assert ftime.sleeps == []


async def test_requests_are_paced_across_concurrent_callers(http: httpx.AsyncClient) -> None:
    """Concurrent calls on one client start at least min_interval apart (real clock, real sleep)."""
    async with FakeX() as fake:
        ids = user_ids(fake, 5)
        client = XClient(http, fake.base_url, SecretStr(fake.token), min_interval=0.05)
        await asyncio.gather(*(client.spaces_by_creator_ids([i]) for i in ids))
    times = sorted(r.time for r in fake.requests)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert len(gaps) == 4
    # Server-side arrival times carry a little network jitter on top of the client's spacing.
    assert min(gaps) >= 0.04
    assert (times[-1] - times[0]).total_seconds() >= 0.19


async def test_token_never_leaks(
    fake: FakeX, http: httpx.AsyncClient, ftime: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    """The bearer token is absent from repr, every raised error and every log line."""
    caplog.set_level(logging.DEBUG)
    creator = fake.add_user("kiss_of_life")
    client = make_client(http, fake, ftime, timeout=0.2, max_retries=1, max_wait=10)
    errors: list[UpstreamError] = []
    fake.reset_in_429 = 600
    faults = {"500": 2, "timeout": 2, "malformed_json": 1, "429": 1, "403": 1}
    for kind, count in faults.items():
        fake.fail_next("/2/spaces/by", kind, count=count)
        try:
            await client.spaces_by_creator_ids([creator])
        except UpstreamError as exc:
            errors.append(exc)
    wrong = XClient(http, fake.base_url, SecretStr(fake.token + "x"), min_interval=0)
    try:
        await wrong.users_by_usernames(["kiss_of_life"])
    except UpstreamError as exc:
        errors.append(exc)
    assert len(errors) == 6
    for text in [repr(client), repr(wrong), caplog.text, *(str(e) for e in errors)]:
        assert fake.token not in text
    assert fake.token not in " ".join(repr(e.args) for e in errors)
    assert "kiss_of_life" not in repr(client)
