"""The catalog generator on a tiny hand-made dataset (the real shared data is never read)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.domain.catalog import load_catalog
from scripts.build_catalog import DBKPOP, KPOPDLE_GROUPS, KPOPDLE_IDOLS, main

DBK_GROUPS = f"{DBKPOP}@abc:asset/girl-group.json (dbkpop.com scrape, 2023-06)"
DBK_IDOLS = f"{DBKPOP}@abc:asset/idol.json (dbkpop.com scrape, 2023-06)"


def act(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "x",
        "name": "X",
        "name_hangul": None,
        "aliases": [],
        "type": "group",
        "gender": "girl",
        "parent_group": None,
        "debut_date": None,
        "debut_date_basis": None,
        "debut_date_evidence": None,
        "debut_date_candidates": {},
        "debut_year": None,
        "agency": None,
        "agency_by_source": {},
        "fandom": None,
        "fandom_source": None,
        "members": [],
        "former_members": [],
        "members_as_of": None,
        "members_wikidata": [],
        "x_handles": [],
        "generation": None,
        "generation_basis": None,
        "generation_disputed": False,
        "status_wikidata": None,
        "wikidata_id": None,
        "sources": [DBK_GROUPS],
        "notes": [],
    }
    return {**base, **kw}


def write_shared(root: Path) -> Path:
    shared = root / "kpop"
    (shared / "wikidata").mkdir(parents=True)
    artists = [
        act(
            id="pinks",
            name="PINKS",
            name_hangul="핑크스",
            debut_year=2016,
            debut_date="2016-08-08",
            debut_date_candidates={"dbkpop": "2016-08-08"},
            members=["Rosa", "Jen"],
            members_as_of="2023-06",
            wikidata_id="Q1",
            agency="YG Entertainment",
            agency_by_source={"dbkpop_2023": "YG"},
            sources=[DBK_GROUPS, KPOPDLE_GROUPS, DBK_IDOLS],
        ),
        act(
            id="rosa",
            name="Rosa",
            type="soloist",
            parent_group="PINKS",
            aliases=["Rose"],
            gender="female",
            sources=[DBK_IDOLS],
            debut_year=2021,
            debut_date="2021-03",
            debut_date_basis="page (solo debut)",
        ),
    ]
    groups = {
        "version": 1,
        "groups": [
            {
                "id": "Q1",
                "name": "PINKS",
                "aliases": [],
                "debut_date": "2016-01-01",
                "debut_year": 2016,
                "generation": 3,
                "company": "YG",
                "company_parent": None,
                "member_count": 2,
                "gender": "girl",
                "status": "active",
                "country": "KR",
            },
            {
                "id": "Q2",
                "name": "Other Band",
                "aliases": ["OB"],
                "debut_date": "2019-01-01",
                "debut_year": 2019,
                "generation": 4,
                "company": "Co",
                "company_parent": "Parent",
                "member_count": 1,
                "gender": "boy",
                "status": "active",
                "country": "KR",
            },
        ],
    }
    idols = {
        "version": 1,
        "idols": [
            {"id": "Q10", "name": "Jen Kim", "aliases": ["김젠"], "group_ids": ["Q1"]},
            {"id": "Q11", "name": "Rosa", "aliases": ["Roseanne"], "group_ids": ["Q1"]},
            {"id": "Q12", "name": "Bo", "aliases": [], "group_ids": ["Q2"]},
        ],
    }
    (shared / "artists.json").write_text(json.dumps(artists), encoding="utf-8")
    (shared / "wikidata" / "groups.json").write_text(json.dumps(groups), encoding="utf-8")
    (shared / "wikidata" / "idols.json").write_text(json.dumps(idols), encoding="utf-8")
    return shared


def test_generator_links_people_and_keeps_only_solid_facts(tmp_path: Path) -> None:
    """Members link to soloists and Wikidata idols; Wikidata-only groups get the year only."""
    out = tmp_path / "catalog.json"
    assert main(["--shared", str(write_shared(tmp_path)), "--out", str(out)]) == 0
    catalog = load_catalog(out)
    pinks = catalog.get("pinks")
    assert pinks is not None
    assert pinks.members == ("rosa", "pinks--jen")
    jen = catalog.get("pinks--jen")
    assert jen is not None
    assert jen.group_id == "pinks"
    assert jen.wikidata_id == "Q10"
    assert "김젠" in jen.aliases
    assert KPOPDLE_IDOLS in jen.sources
    rosa = catalog.get("rosa")
    assert rosa is not None
    assert rosa.debut_month == 3
    assert rosa.debut_date is None
    assert rosa.debut_note == "solo debut"
    other = catalog.get("other-band")
    assert other is not None
    assert other.origin == "wikidata"
    assert other.debut_date is None
    assert other.debut_year == 2019
    assert other.agency == "Co (parent: Parent)"
    assert other.agency_as_of
    assert [m.name for m in catalog.members_of("other-band")] == ["Bo"]
    assert pinks.agency_as_of is not None
    assert "2023-06" in pinks.agency_as_of
    assert set(pinks.fact_sources["debut"]) == {DBK_GROUPS}
