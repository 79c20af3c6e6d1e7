"""resolve_zone and search_zones: zone names, cities and abbreviations for /timezone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeparse import COMMON_ZONES, ZONE_ALIASES, resolve_zone, search_zones
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("sao", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("seoul", "Asia/Seoul"),
        ("KST", "Asia/Seoul"),
        ("kst", "Asia/Seoul"),
        ("PHT", "Asia/Manila"),
        ("PHST", "Asia/Manila"),
        ("manila", "Asia/Manila"),
        ("WIB", "Asia/Jakarta"),
        ("ICT", "Asia/Bangkok"),
        ("CEST", "Europe/Paris"),
        ("BST", "Europe/London"),
        ("BRT", "America/Sao_Paulo"),
        ("EDT", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("new york", "America/New_York"),
        ("los_angeles", "America/Los_Angeles"),
        ("paris", "Europe/Paris"),
        ("mexico", "America/Mexico_City"),
        ("asia/", "Asia/Seoul"),
        ("seol", "Asia/Seoul"),
        ("manilla", "Asia/Manila"),
    ],
)
def test_search_ranks_the_expected_zone_first(query: str, first: str) -> None:
    """Cities with spaces or accents, abbreviations and typos find the fan's zone first."""
    assert search_zones(query)[0] == first


def test_empty_query_lists_common_fan_zones_first() -> None:
    """With nothing typed, the common fan zones are offered, Seoul first."""
    assert search_zones("") == list(COMMON_ZONES[:25])
    assert search_zones("", limit=3) == ["Asia/Seoul", "Asia/Manila", "Asia/Tokyo"]


def test_common_zones_outrank_others_on_a_shared_prefix() -> None:
    """ "america" puts São Paulo, New York, Los Angeles and Mexico City before the alphabet."""
    found = search_zones("america", limit=25)
    assert found[:4] == [
        "America/Sao_Paulo",
        "America/New_York",
        "America/Chicago",
        "America/Los_Angeles",
    ]


@pytest.mark.parametrize("query", ["", "a", "america", "x" * 300, "🎉", "/", "etc"])
def test_results_are_bounded_and_loadable(query: str) -> None:
    """At most `limit` results, each a loadable zone name of at most 100 characters."""
    found = search_zones(query, limit=25)
    assert len(found) <= 25
    assert len(set(found)) == len(found)
    for name in found:
        assert len(name) <= 100
        ZoneInfo(name)


def test_every_alias_and_common_zone_exists() -> None:
    """No alias or common zone points at a name tzdata does not have."""
    for name in (*ZONE_ALIASES.values(), *COMMON_ZONES):
        assert resolve_zone(name).key == name


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Asia/Seoul", "Asia/Seoul"),
        ("asia/seoul", "Asia/Seoul"),
        ("  Europe/Paris ", "Europe/Paris"),
        ("KST", "Asia/Seoul"),
        ("sao paulo", "America/Sao_Paulo"),
        ("UTC", "UTC"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_resolve_accepts_names_cities_and_aliases(name: str, key: str) -> None:
    """IANA names in any case, unique city names and aliases resolve to the canonical zone."""
    assert resolve_zone(name).key == key


@pytest.mark.parametrize(
    "name", ["", "Nowhere/Land", "../../etc/passwd", "localtime", "Factory", "x" * 65, "CST"]
)
def test_resolve_refuses_unknown_names(name: str) -> None:
    """Unknown, unsafe, ambiguous or placeholder names are refused with examples."""
    with pytest.raises(InvalidInput, match="Asia/Seoul"):
        resolve_zone(name)
