"""Search, autocomplete and resolution over the shipped catalog."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.catalog import Catalog, load_catalog
from bot.domain.catalog.normalize import search_key
from bot.domain.catalog.search import ID_PREFIX, lookup

CATALOG = load_catalog()


@pytest.fixture
def catalog() -> Catalog:
    return CATALOG


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("BTS", "bts"),
        ("bts", "bts"),
        ("Bangtan", "bts"),
        ("방탄소년단", "bts"),
        ("방탄", "bts"),
        ("Rosé", "rose"),
        ("rose", "rose"),
        ("ROSÉ", "rose"),
        ("로제", "rose"),
        ("le sserafim", "le-sserafim"),
        ("svt", "seventeen"),
        ("got7 mark", "got7--mark"),
        ("mark got7", "got7--mark"),
    ],
)
def test_exact_names_aliases_and_hangul_resolve(
    catalog: Catalog, query: str, expected: str
) -> None:
    """Names, aliases, Hangul names and "group member" phrases resolve exactly."""
    res = catalog.resolve(query)
    assert res.kind == "exact"
    assert res.entry is not None
    assert res.entry.id == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("blakpink", "blackpink"),
        ("stray kidz", "stray-kids"),
        ("방탄소년닫", "bts"),
        ("twcie", "twice"),
    ],
)
def test_typos_resolve_confidently(catalog: Catalog, query: str, expected: str) -> None:
    """Latin and jamo-level typos find the right act as a fuzzy match: the best guess, never
    the answer (`entry` is for exact names only; commands ask "Did you mean …?")."""
    res = catalog.resolve(query)
    assert res.kind == "fuzzy", res
    assert res.entry is None
    assert res.best is not None
    assert res.best.id == expected


def test_shared_names_give_a_choice_not_a_guess(catalog: Catalog) -> None:
    """ "Mark" (GOT7, NCT) and "Jisoo" (BLACKPINK, Lovelyz) are ambiguous."""
    mark = catalog.resolve("Mark")
    assert mark.kind == "ambiguous"
    assert {"got7--mark", "nct--mark"} <= {m.entry.id for m in mark.matches}
    assert mark.entry is None
    jisoo = catalog.resolve("jisoo")
    assert jisoo.kind == "ambiguous"
    assert {"jisoo", "lovelyz--jisoo"} <= {m.entry.id for m in jisoo.matches}


def test_half_typed_prefix_with_several_candidates_is_ambiguous(catalog: Catalog) -> None:
    """ "black" could be BLACKPINK or Blackswan: a choice."""
    res = catalog.resolve("black")
    assert res.kind == "ambiguous"
    assert "blackpink" in {m.entry.id for m in res.matches}


def test_junk_resolves_to_none_with_suggestions_at_most_five(catalog: Catalog) -> None:
    """Text matching nothing well gives 'none' and at most five suggestions."""
    res = catalog.resolve("@everyone")
    assert res.kind == "none"
    assert res.entry is None
    assert len(res.matches) <= 5


@pytest.mark.parametrize("query", ["", "   ", "***", "<@&123>", "\u202e\u200b", "x" * 1000])
def test_empty_and_garbage_never_match_exactly(catalog: Catalog, query: str) -> None:
    """Empty, punctuation-only, mention and control text resolve to none."""
    assert catalog.resolve(query).kind == "none"


def test_exact_match_is_always_first(catalog: Catalog) -> None:
    """An exact name outranks prefixes and near misses (TWICE before anything like it)."""
    found = catalog.search("twice")
    assert found[0].entry.id == "twice"
    assert found[0].kind == "exact"
    assert all(m.score < found[0].score for m in found[1:])


def test_autocomplete_offers_blackpink_first_for_a_typo(catalog: Catalog) -> None:
    """Autocomplete for "blakpink" lists BLACKPINK first."""
    choices = catalog.autocomplete("blakpink")
    assert choices[0][1] == "blackpink"
    assert choices[0][0].startswith("BLACKPINK")


def test_autocomplete_while_typing_hangul(catalog: Catalog) -> None:
    """A half-typed Hangul name (블랙ㅍ) already offers BLACKPINK."""
    assert catalog.autocomplete("블랙ㅍ")[0][1] == "blackpink"


def test_autocomplete_empty_query_offers_acts(catalog: Catalog) -> None:
    """With nothing typed, 25 acts are offered (no members)."""
    choices = catalog.autocomplete("")
    assert len(choices) == 25
    assert all(catalog.get(v) is not None and catalog.get(v).is_act for _, v in choices)  # type: ignore[union-attr]


def test_member_labels_name_their_group(catalog: Catalog) -> None:
    """A member's choice label names the group, so two Marks are told apart."""
    labels = {v: n for n, v in catalog.autocomplete("Mark")}
    assert "GOT7" in labels["got7--mark"]
    assert "NCT" in labels["nct--mark"]


def test_server_aliases_are_honoured_only_when_given(catalog: Catalog) -> None:
    """A server alias finds its act exactly, and only when that server's map is passed."""
    aliases = {search_key("bangtan boyz"): "bts", search_key("Mark"): "got7--mark"}
    res = catalog.resolve("Bangtan Boyz", extra_aliases=aliases)
    assert res.kind == "exact"
    assert res.entry is not None
    assert res.entry.id == "bts"
    assert res.matches[0].kind == "server-alias"
    assert catalog.resolve("Mark", extra_aliases=aliases).entry.id == "got7--mark"  # type: ignore[union-attr]
    assert catalog.resolve("Mark").kind == "ambiguous"
    assert catalog.autocomplete("bangtan boy", aliases)[0][1] == "bts"


def test_server_alias_to_unknown_id_is_ignored(catalog: Catalog) -> None:
    """An alias whose act left the catalog does not crash or match."""
    assert catalog.search("zzqq", extra_aliases={"zzqq": "no-such-act"}) == []


def test_lookup_takes_an_autocomplete_value_literally(catalog: Catalog) -> None:
    """An id: value picked from autocomplete resolves to exactly that entry, even for Jisoo."""
    res = lookup(catalog, f"{ID_PREFIX}lovelyz--jisoo")
    assert res.kind == "exact"
    assert res.entry is not None
    assert res.entry.id == "lovelyz--jisoo"
    assert lookup(catalog, "jisoo").kind == "ambiguous"


def test_relations(catalog: Catalog) -> None:
    """members_of, units_of and groups_of follow the catalog's links."""
    assert [m.name for m in catalog.members_of("blackpink")] == ["Jisoo", "Jennie", "Rosé", "Lisa"]
    rose = catalog.get("rose")
    assert rose is not None
    assert [g.id for g in catalog.groups_of(rose)] == ["blackpink"]
    assert catalog.members_of("no-such-group") == []
    assert catalog.units_of("bts") == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=1200))
def test_search_never_raises_and_autocomplete_stays_in_discord_limits(text: str) -> None:
    """For any text: no exception, at most 25 choices, names within 100 chars, valid values."""
    choices = CATALOG.autocomplete(text)
    assert len(choices) <= 25
    for name, value in choices:
        assert 1 <= len(name) <= 100
        assert CATALOG.get(value) is not None
    assert len(CATALOG.search(text)) <= 25
    res = CATALOG.resolve(text)
    assert res.kind in ("exact", "fuzzy", "ambiguous", "none")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CATALOG.entries))
def test_every_entry_is_found_by_its_own_name(entry: object) -> None:
    """Searching any entry's name returns that entry among the exact matches."""
    from bot.domain.catalog.model import Entry

    assert isinstance(entry, Entry)
    found = CATALOG.search(entry.name, limit=25)
    assert entry.id in {m.entry.id for m in found if m.kind in ("exact", "alias")}
