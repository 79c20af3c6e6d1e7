"""The one rule every artist option follows: exact names are taken, near misses only suggested."""

from __future__ import annotations

import pytest

from bot.domain.catalog import Catalog, Entry, load_catalog
from bot.domain.catalog.normalize import search_key
from bot.domain.catalog.pick import choice_labels, pick_artist

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("GOT7", "got7"), ("Bangtan", "bts"), ("블랙핑크", "blackpink"), ("id:got7", "got7")],
)
def test_exact_names_aliases_and_picked_ids_are_found(typed: str, expected: str) -> None:
    """A name, a catalog alias, a Hangul name or an autocomplete id names one entry."""
    pick = pick_artist(CATALOG, typed)
    assert pick.kind == "found"
    assert pick.entry is not None
    assert pick.entry.id == expected


@pytest.mark.parametrize(
    ("typed", "meant"), [("OT7", "got7"), ("blakpink", "blackpink"), ("twcie", "twice")]
)
def test_a_near_miss_is_suggested_never_found(typed: str, meant: str) -> None:
    """ "OT7" is no act's name: it is a near miss whose first suggestion is GOT7, no entry."""
    pick = pick_artist(CATALOG, typed)
    assert pick.kind == "near"
    assert pick.entry is None
    assert pick.entries[0].id == meant
    assert pick.likely == 1


def test_a_server_alias_is_found_and_only_in_its_server() -> None:
    """A server's own nickname names its act there; elsewhere it is not a name."""
    aliases = {search_key("tannies"): "bts"}
    found = pick_artist(CATALOG, "tannies", extra_aliases=aliases).entry
    assert found is not None
    assert found.id == "bts"
    assert pick_artist(CATALOG, "tannies").kind == "none"


def test_shared_names_are_a_choice_told_apart() -> None:
    """ "Jimin" is two entries, labelled by what tells them apart (BTS, AOA)."""
    pick = pick_artist(CATALOG, "jimin")
    assert pick.kind == "choose"
    labels = choice_labels(CATALOG, pick.entries)
    assert len(set(labels)) == len(labels) == 2
    assert any("BTS" in label for label in labels)
    assert any("AOA" in label for label in labels)


def test_keep_filters_suggestions_not_exact_names() -> None:
    """`keep` narrows what is suggested; an exact name is found whatever `keep` says."""
    assert pick_artist(CATALOG, "OT7", keep=lambda e: False).kind == "none"
    assert pick_artist(CATALOG, "GOT7", keep=lambda e: False).kind == "found"


def _act(entry_id: str, year: int) -> Entry:
    return Entry(
        id=entry_id,
        type="group",
        origin="curated",
        name="Twin",
        debut_year=year,
        sources=("https://example.org",),
        fact_sources={"debut": ("https://example.org",)},
    )


def test_labels_that_still_match_add_the_debut_year() -> None:
    """Two acts whose labels read the same are told apart by their debut year."""
    catalog = Catalog([_act("twin", 2016), _act("twin-2", 2021)])
    labels = choice_labels(catalog, catalog.entries)
    assert labels == ["Twin · group · debut 2016", "Twin · group · debut 2021"]
