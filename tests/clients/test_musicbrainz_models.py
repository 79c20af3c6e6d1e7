"""The MusicBrainz parsers: tolerant of any JSON, CC0 fields only, cache round trip."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clients.musicbrainz_models import (
    MBArtist,
    MBFormatError,
    artist_from_json,
    artist_to_json,
    parse_artist,
    parse_search,
)
from bot.testing.fake_musicbrainz import BOL4, load_artist_fixtures

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
artist_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from([BOL4, "not-an-id", 7]),
        "name": json_values,
        "life-span": json_values,
        "aliases": json_values,
        "relations": json_values,
        "country": json_values,
    },
)


@given(json_values | artist_like)
def test_parse_artist_never_crashes(payload: Any) -> None:
    """Any JSON value parses to an MBArtist or raises MBFormatError, nothing else."""
    try:
        artist = parse_artist(payload)
    except MBFormatError:
        return
    assert artist.mbid == BOL4
    assert len(artist.aliases) <= 25
    assert len(artist.members) <= 25


@given(json_values | st.fixed_dictionaries({"artists": st.lists(artist_like, max_size=5)}))
def test_parse_search_never_crashes(payload: Any) -> None:
    """Any JSON value parses to hits (bad rows skipped) or raises MBFormatError."""
    try:
        hits = parse_search(payload)
    except MBFormatError:
        return
    assert all(0 <= h.score <= 100 for h in hits)


def test_artist_carries_only_cc0_core_fields() -> None:
    """Tags, ratings and genres (not CC0) have no field to land in."""
    names = {f.name for f in dataclasses.fields(MBArtist)}
    assert names == {
        "mbid",
        "name",
        "sort_name",
        "type",
        "country",
        "begin",
        "end",
        "disambiguation",
        "aliases",
        "members",
        "url",
    }
    doc = load_artist_fixtures()[BOL4]
    assert doc["tags"]
    assert "k-indie" not in artist_to_json(parse_artist(doc))


def test_member_who_rejoined_counts_as_current() -> None:
    """A member with an ended and an open stint is listed among current members."""
    person = {"id": "11111111-1111-4111-8111-111111111111", "name": "Returner"}
    other = {"id": "22222222-2222-4222-8222-222222222222", "name": "Stayer"}
    rel = {"type": "member of band", "direction": "backward"}
    doc = {
        "id": BOL4,
        "name": "Group",
        "relations": [
            {**rel, "artist": person, "ended": True, "end": "2019"},
            {**rel, "artist": other, "ended": False},
            {**rel, "artist": person, "ended": False, "begin": "2022"},
            {"type": "member of band", "direction": "forward", "artist": other},
            {"type": "subgroup", "direction": "backward", "artist": other},
        ],
    }
    assert parse_artist(doc).members == ("Stayer", "Returner")


def test_cache_round_trip_is_lossless() -> None:
    """An artist serialized for the cache comes back equal."""
    artist = parse_artist(load_artist_fixtures()[BOL4])
    assert artist_from_json(artist_to_json(artist)) == artist


@pytest.mark.parametrize(
    "text",
    ["", "not json", "[]", json.dumps({"mbid": "x", "name": "y"}), json.dumps({"mbid": BOL4})],
)
def test_unreadable_cache_payload_is_a_miss(text: str) -> None:
    """A corrupt cache row decodes to None instead of raising."""
    assert artist_from_json(text) is None
