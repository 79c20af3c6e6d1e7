"""The shipped catalog file: it validates, references resolve, and every fact names a source."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from bot.domain.catalog import Catalog, load_catalog
from bot.domain.catalog.model import DEFAULT_CATALOG_PATH, FACT_FIELDS, GROUP_TYPES, CatalogFile
from scripts.catalog.checks import Document, run_checks


@pytest.fixture(scope="module")
def raw() -> dict[str, object]:
    return json.loads(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_file_validates_with_version_and_provenance(raw: dict[str, object]) -> None:
    """The shipped file parses under the schema, with schema_version and generated_from."""
    parsed = CatalogFile.model_validate(raw)
    assert parsed.schema_version == 2
    assert any("artists.json" in s for s in parsed.generated_from)
    assert any("catalog_corrections.yaml" in s for s in parsed.generated_from)


def test_the_shipped_file_holds_no_contradiction(raw: dict[str, object]) -> None:
    """Every build-time check passes on the shipped file (the build refuses otherwise)."""
    found = run_checks(Document.from_file(raw))
    assert {kind: lines[:3] for kind, lines in found.items() if lines} == {}


def test_ids_are_unique(catalog: Catalog) -> None:
    """No two entries share an id."""
    counts = Counter(e.id for e in catalog.entries)
    assert [k for k, n in counts.items() if n > 1] == []


def test_every_membership_joins_a_person_to_a_group(catalog: Catalog) -> None:
    """Each membership's person is a person and its act a group or unit of the catalog."""
    assert len(catalog.memberships) > 1000
    for m in catalog.memberships:
        person, act = catalog.get(m.person), catalog.get(m.act)
        assert person is not None, m
        assert person.type in ("member", "soloist"), m
        assert act is not None, m
        assert act.type in GROUP_TYPES, m


def test_every_member_belongs_to_some_act(catalog: Catalog) -> None:
    """No member entry is left without a group or unit (merges moved every membership)."""
    people = {m.person for m in catalog.memberships}
    assert [e.id for e in catalog.entries if e.type == "member" and e.id not in people] == []


def test_every_fact_has_a_source(catalog: Catalog) -> None:
    """Every set fact names sources in fact_sources, and those sources are the entry's own."""
    checked = 0
    for entry in catalog.entries:
        assert entry.sources, entry.id
        for fact in FACT_FIELDS:
            if entry.fact_value(fact):
                assert entry.fact_sources.get(fact), (entry.id, fact)
                assert set(entry.fact_sources[fact]) <= set(entry.sources)
                checked += 1
        for span in entry.agencies:
            assert span.source in entry.sources
        for handle in entry.x_handles:
            assert handle.sources
            assert set(handle.sources) <= set(entry.sources)
    assert checked > 1000


def test_at_least_the_169_curated_acts(catalog: Catalog) -> None:
    """The 169 curated acts (142 groups, 5 units, 22 soloists) are all present."""
    curated = Counter(e.type for e in catalog.entries if e.origin == "curated" and e.is_act)
    assert curated == {"group": 142, "unit": 5, "soloist": 22}


def test_only_verified_debut_dates_are_exact(catalog: Catalog) -> None:
    """68 acts carry a debut day or month; everything else shows the year only."""
    exact = [e for e in catalog.entries if e.debut_date or e.debut_month]
    assert len(exact) == 68
    assert all(e.origin == "curated" for e in exact)


def test_snapshot_labels_carry_the_snapshot_date_never_the_build_date(
    catalog: Catalog, raw: dict[str, object]
) -> None:
    """A label without a `since` year is dated by its source's snapshot, never by the build."""
    for entry in catalog.entries:
        for span in entry.agencies:
            if span.since is None and span.as_of is not None:
                assert span.as_of in ("2026-05-18", "2023-06"), (entry.id, span)
                assert span.as_of != raw["generated_at"]


def test_bts_facts(catalog: Catalog) -> None:
    """BTS: Hangul name, 2013-06-13 debut, ARMY, seven members incl. soloist entries."""
    bts = catalog.get("bts")
    assert bts is not None
    assert bts.name_hangul == "방탄소년단"
    assert bts.debut_date == dt.date(2013, 6, 13)
    assert bts.fandom == "ARMY"
    names = [m.name for m in catalog.members_of("bts")]
    assert names == ["Jin", "Suga", "j-hope", "RM", "Jimin", "V", "Jung Kook"]
    assert catalog.get("jung-kook") in catalog.members_of("bts")


def test_units_hang_off_their_parent(catalog: Catalog) -> None:
    """NCT's units are found from NCT, and NCT's Mark is the same entry in NCT 127 and Dream."""
    units = {u.id for u in catalog.units_of("nct")}
    assert {"nct-127", "nct-dream", "nct-u", "wayv"} <= units
    mark_127 = next(m for m in catalog.members_of("nct-127") if m.name == "Mark")
    mark_dream = next(m for m in catalog.members_of("nct-dream") if m.name == "Mark")
    assert mark_127.id == mark_dream.id == "nct--mark"


def test_with_x_handles_lists_acts_with_handles(catalog: Catalog) -> None:
    """with_x_handles returns exactly the entries that have handles, BTS among them."""
    found = catalog.with_x_handles()
    assert all(e.x_handles for e in found)
    assert "bts" in {e.id for e in found}
    assert len(found) == sum(1 for e in catalog.entries if e.x_handles)
