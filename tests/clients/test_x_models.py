"""Pure parsing of X API v2 objects and Space links."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clients.x_models import (
    XProblem,
    normalize_handle,
    parse_problems,
    parse_rate_limit,
    parse_space,
    parse_space_url,
    parse_user,
)


def test_parse_space_reads_documented_fields() -> None:
    """A documented Space object becomes an XSpace with aware UTC datetimes and typed counts."""
    space = parse_space(
        {
            "id": "1DXxyRYNejbKM",
            "state": "live",
            "title": "Comeback talk",
            "creator_id": "2244994945",
            "host_ids": ["2244994945", "783214"],
            "started_at": "2024-01-15T09:00:00.000Z",
            "scheduled_start": "2024-01-15T08:55:00Z",
            "participant_count": 245,
            "subscriber_count": 12,
            "lang": "ko",
            "is_ticketed": False,
        }
    )
    assert space is not None
    assert space.started_at == datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
    assert space.scheduled_start == datetime(2024, 1, 15, 8, 55, tzinfo=UTC)
    assert space.started_at.tzinfo is not None
    assert space.host_ids == ("2244994945", "783214")
    assert (space.participant_count, space.subscriber_count) == (245, 12)
    assert space.is_ticketed is False
    assert space.ended_at is None
    assert space.url == "https://x.com/i/spaces/1DXxyRYNejbKM"


def test_parse_space_tolerates_garbage_per_field() -> None:
    """Each malformed field becomes None (or a safe default) without losing the others."""
    space = parse_space(
        {
            "id": "1YqJDqWYNQDGW",
            "state": None,
            "title": None,
            "creator_id": 783214,
            "host_ids": "783214",
            "started_at": "yesterday-ish",
            "scheduled_start": 12345,
            "ended_at": "2024-13-45T99:00:00Z",
            "participant_count": "17",
            "subscriber_count": -3,
            "lang": ["ko"],
            "is_ticketed": "TRUE",
        }
    )
    assert space is not None
    assert space.state == "unknown"
    assert space.title is None
    assert space.creator_id == "783214"
    assert space.host_ids == ("783214",)
    assert (space.started_at, space.scheduled_start, space.ended_at) == (None, None, None)
    assert space.participant_count == 17
    assert space.subscriber_count is None
    assert space.lang is None
    assert space.is_ticketed is True


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("false", False), (" False ", False), (True, True), ("yes", None), (1, None)],
)
def test_is_ticketed_accepts_bools_and_bool_strings(raw: object, expected: bool | None) -> None:
    """`is_ticketed` arrives as a bool or as "true"/"false"; anything else is unknown."""
    space = parse_space({"id": "abc", "state": "live", "is_ticketed": raw})
    assert space is not None
    assert space.is_ticketed is expected


def test_naive_timestamp_is_taken_as_utc() -> None:
    """A timestamp without an offset is read as UTC, never as local time."""
    space = parse_space({"id": "abc", "state": "scheduled", "scheduled_start": "2024-05-01T10:00"})
    assert space is not None
    assert space.scheduled_start == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("raw", [None, "x", [], {"state": "live"}, {"id": None}, {"id": ""}])
def test_parse_space_without_id_is_none(raw: object) -> None:
    """An item with no usable id cannot be tracked, so it is dropped."""
    assert parse_space(raw) is None


def test_parse_user_requires_id_and_username() -> None:
    """Users need id and username; name is optional."""
    assert parse_user({"id": "1", "username": "bts_bighit"}) is not None
    assert parse_user({"id": "1", "username": "a", "name": 5}) is not None
    assert parse_user({"id": "1"}) is None
    assert parse_user({"username": "a"}) is None


def test_parse_problems_reads_v2_and_v1_shapes() -> None:
    """Both v2 partial errors and v1-style code/message errors become XProblems."""
    body = {
        "errors": [
            {
                "value": "nobody_here",
                "detail": "Could not find user with usernames: [nobody_here].",
                "title": "Not Found Error",
                "resource_type": "user",
                "parameter": "usernames",
                "resource_id": "nobody_here",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            },
            {"code": 88, "message": "Rate limit exceeded"},
            "garbage",
        ]
    }
    assert parse_problems(body) == [
        XProblem(
            "nobody_here",
            "Could not find user with usernames: [nobody_here].",
            "https://api.twitter.com/2/problems/resource-not-found",
        ),
        XProblem(None, "Rate limit exceeded", None),
    ]
    assert parse_problems({"errors": "nope"}) == []


def test_parse_rate_limit_headers() -> None:
    """The three x-rate-limit headers become a RateLimit with an aware reset time."""
    limit = parse_rate_limit(
        {
            "x-rate-limit-limit": "300",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": "1705420800",
        }
    )
    assert limit is not None
    assert (limit.limit, limit.remaining) == (300, 0)
    assert limit.reset_at == datetime.fromtimestamp(1705420800, UTC)
    assert parse_rate_limit({}) is None
    bad = parse_rate_limit({"x-rate-limit-remaining": "lots"})
    assert bad is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("@BTS_twt", "BTS_twt"), (" blackpink ", "blackpink"), ("a" * 15, "a" * 15)],
)
def test_normalize_handle_accepts_valid(raw: str, expected: str) -> None:
    """Handles lose "@" and whitespace and keep their case."""
    assert normalize_handle(raw) == expected


@pytest.mark.parametrize("raw", ["", "@", "a" * 16, "has space", "bts.twt", "@@x", "한글"])
def test_normalize_handle_rejects_invalid(raw: str) -> None:
    """Anything X would reject with 400 is refused before a request."""
    assert normalize_handle(raw) is None


@pytest.mark.parametrize(
    "text",
    [
        "https://x.com/i/spaces/1DXxyRYNejbKM",
        "https://x.com/i/spaces/1DXxyRYNejbKM/",
        "http://twitter.com/i/spaces/1DXxyRYNejbKM?s=20",
        "https://www.x.com/i/spaces/1DXxyRYNejbKM",
        "mobile.twitter.com/i/spaces/1DXxyRYNejbKM",
        "x.com/i/spaces/1DXxyRYNejbKM/peek",
        "  <https://x.com/i/spaces/1DXxyRYNejbKM?t=abc&s=09>  ",
        "HTTPS://X.COM/i/spaces/1DXxyRYNejbKM#top",
    ],
)
def test_parse_space_url_accepts_link_forms(text: str) -> None:
    """Every common way of sharing a Space link yields its id."""
    assert parse_space_url(text) == "1DXxyRYNejbKM"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1DXxyRYNejbKM",
        "https://x.com/i/spaces/",
        "https://x.com/i/spaces/1DXx-yRYNejbKM",
        "https://x.com/i/spaces/" + "a" * 21,
        "https://evilx.com/i/spaces/1DXxyRYNejbKM",
        "https://x.com.evil.test/i/spaces/1DXxyRYNejbKM",
        "https://x.com/i/broadcasts/1DXxyRYNejbKM",
        "https://x.com/i/spaces/1DXxyRYNejbKM/extra/path",
        "see https://x.com/i/spaces/1DXxyRYNejbKM",
    ],
)
def test_parse_space_url_rejects_other_text(text: str) -> None:
    """Anything that is not exactly one Space link is None."""
    assert parse_space_url(text) is None


@given(st.text())
def test_parse_space_url_never_raises(text: str) -> None:
    """Arbitrary text never raises and yields either None or a valid id."""
    result = parse_space_url(text)
    assert result is None or (result.isascii() and result.isalnum() and 1 <= len(result) <= 20)


@given(
    space_id=st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        min_size=1,
        max_size=20,
    ),
    scheme=st.sampled_from(["", "http://", "https://"]),
    sub=st.sampled_from(["", "www.", "mobile."]),
    host=st.sampled_from(["x.com", "twitter.com"]),
    tail=st.sampled_from(["", "/", "?s=20", "/?s=20&t=x"]),
)
def test_parse_space_url_round_trips(
    space_id: str, scheme: str, sub: str, host: str, tail: str
) -> None:
    """Any valid id survives being wrapped in any accepted link form."""
    assert parse_space_url(f"{scheme}{sub}{host}/i/spaces/{space_id}{tail}") == space_id


@pytest.mark.parametrize("bad_id", ['1Bad id"', "../evil", "1" * 21, "1AbC?x=1", "ok\u0000"])
def test_parse_space_refuses_ids_a_link_could_not_hold(bad_id: str) -> None:
    """Space ids from X follow the pasted-link rule (letters and digits, at most 20)."""
    assert parse_space({"id": bad_id, "state": "live"}) is None
    assert parse_space({"id": "1AbC", "state": "live"}) is not None
