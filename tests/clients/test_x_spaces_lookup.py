"""XClient.spaces_by_ids against the fake X: `GET /2/spaces?ids=`, partial errors, failures."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from bot.clients.x import XClient
from bot.errors import UpstreamError
from bot.testing.fake_x import FakeX

NOT_FOUND = "https://api.twitter.com/2/problems/resource-not-found"


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX(hang_seconds=30) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def client_for(http: httpx.AsyncClient, fake: FakeX, **kwargs: float) -> XClient:
    return XClient(
        http, fake.base_url, SecretStr(fake.token), min_interval=0.0, max_retries=0, **kwargs
    )


async def test_lookup_by_ids_returns_any_state_and_names_unknown_ids(
    fake: FakeX, http: httpx.AsyncClient
) -> None:
    """Ended, canceled and live Spaces come back typed; an id X does not know is a partial
    "Not Found Error" problem carrying the id; bad and repeated ids are never sent."""
    fake.set_space("ive", "1Ended", "live", title="Done")
    fake.end_space("1Ended")
    fake.set_space("ive", "1Called", "scheduled")
    fake.cancel_space("1Called")
    fake.set_space("ive", "1OnAir", "live")
    spaces, problems = await client_for(http, fake).spaces_by_ids(
        ["1Ended", "1Called", "1OnAir", "1Unknown", "1Ended", "bad id!"]
    )
    assert {s.id: s.state for s in spaces} == {
        "1Ended": "ended",
        "1Called": "canceled",
        "1OnAir": "live",
    }
    ended = next(s for s in spaces if s.id == "1Ended")
    assert ended.ended_at is not None
    assert ended.title == "Done"
    assert [(p.value, p.type) for p in problems] == [
        ("bad id!", "invalid-id"),
        ("1Unknown", NOT_FOUND),
    ]
    assert problems[1].detail == "Could not find space with ids: [1Unknown]."
    [request] = fake.requests
    assert request.path == "/2/spaces"
    assert request.query["ids"] == "1Ended,1Called,1OnAir,1Unknown"


async def test_lookup_by_ids_sends_100_ids_a_request(fake: FakeX, http: httpx.AsyncClient) -> None:
    """150 ids cost two requests, as X takes at most 100 ids in one."""
    ids = [f"1Sp{i}" for i in range(150)]
    spaces, problems = await client_for(http, fake).spaces_by_ids(ids)
    assert spaces == []
    assert sorted(p.value or "" for p in problems) == sorted(ids)
    assert [len(r.query["ids"].split(",")) for r in fake.requests] == [100, 50]


async def test_lookup_failures_raise_and_leave_the_creator_lookup_alone(
    fake: FakeX, http: httpx.AsyncClient
) -> None:
    """A timeout or a 503 on the lookup by ids raises UpstreamError; a fault aimed at
    "/2/spaces$" does not touch `/2/spaces/by/creator_ids`."""
    creator = fake.add_user("ive")
    fake.set_space(creator, "1OnAir", "live")
    client = client_for(http, fake, timeout=0.2)
    fake.fail_next("/2/spaces$", "timeout")
    spaces, _ = await client.spaces_by_creator_ids([creator])
    assert [s.id for s in spaces] == ["1OnAir"]
    with pytest.raises(UpstreamError, match="ReadTimeout"):
        await client.spaces_by_ids(["1OnAir"])
    fake.fail_next("/2/spaces$", "503")
    with pytest.raises(UpstreamError, match="503"):
        await client.spaces_by_ids(["1OnAir"])
    spaces, _ = await client.spaces_by_ids(["1OnAir"])
    assert [s.state for s in spaces] == ["live"]
