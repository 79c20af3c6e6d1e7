"""The catalog generator on a tiny hand-made dataset (the real shared data is never read)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.domain.catalog import load_catalog
from scripts.build_catalog import main
from scripts.catalog.corrections import load_corrections
from scripts.catalog.fixes import clean_label, split_label
from scripts.catalog.sources import DBKPOP, KPOPDLE_GROUPS, KPOPDLE_IDOLS

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
                "status": "disbanded",
                "country": "KR",
            },
            {
                "id": "Q3",
                "name": "PINKS-Duo",
                "aliases": [],
                "debut_date": "2020-01-01",
                "debut_year": 2020,
                "generation": 4,
                "company": "[http://yg.example YG] (2020–present)",
                "company_parent": None,
                "member_count": 2,
                "gender": "girl",
                "status": "active",
                "country": "KR",
            },
        ],
    }
    idols = {
        "version": 1,
        "idols": [
            {"id": "Q10", "name": "Jen Kim", "aliases": ["김젠"], "group_ids": ["Q1", "Q3"]},
            {"id": "Q12", "name": "Bo", "aliases": [], "group_ids": ["Q2"]},
            {"id": "Q13", "name": "Rosa Park", "aliases": [], "group_ids": ["Q3"]},
        ],
    }
    (shared / "artists.json").write_text(json.dumps(artists), encoding="utf-8")
    (shared / "wikidata" / "groups.json").write_text(json.dumps(groups), encoding="utf-8")
    (shared / "wikidata" / "idols.json").write_text(json.dumps(idols), encoding="utf-8")
    return shared


def build(tmp_path: Path, corrections: str = "") -> tuple[int, Path]:
    """Run the generator on the tiny dataset; return its exit code and the output path."""
    out = tmp_path / "catalog.json"
    fixes = tmp_path / "corrections.yaml"
    fixes.write_text(corrections, encoding="utf-8")
    shared = write_shared(tmp_path)
    code = main(["--shared", str(shared), "--out", str(out), "--corrections", str(fixes)])
    return code, out


def test_generator_links_people_and_keeps_only_solid_facts(tmp_path: Path) -> None:
    """Members link to soloists and Wikidata idols; labels and line-ups carry their snapshot."""
    code, out = build(tmp_path)
    assert code == 0
    catalog = load_catalog(out)
    pinks = catalog.get("pinks")
    assert pinks is not None
    assert [p.id for p in catalog.members_of("pinks")] == ["rosa", "pinks--jen"]
    jen = catalog.get("pinks--jen")
    assert jen is not None
    assert jen.wikidata_id == "Q10"
    assert "김젠" in jen.aliases
    assert KPOPDLE_IDOLS in jen.sources
    rosa = catalog.get("rosa")
    assert rosa is not None
    assert rosa.debut_month == 3
    assert rosa.debut_date is None
    assert rosa.debut_note == "solo debut"
    assert pinks.agency is not None
    assert (pinks.agency.label, pinks.agency.as_of) == ("YG Entertainment", "2023-06")
    assert set(pinks.fact_sources["debut"]) == {DBK_GROUPS}
    membership = next(m for m, p in catalog.lineup("pinks") if p.id == "pinks--jen")
    assert (membership.status, membership.as_of, membership.source) == (
        "current",
        "2023-06",
        DBK_IDOLS,
    )


def test_wikidata_groups_get_clean_labels_and_unstated_lineups(tmp_path: Path) -> None:
    """A Wikidata-only group: "Co (Parent)" per the 2026-05-18 snapshot, and its "disbanded"
    status turns its line-up former."""
    code, out = build(tmp_path)
    assert code == 0
    catalog = load_catalog(out)
    other = catalog.get("other-band")
    assert other is not None
    assert (other.origin, other.debut_date, other.debut_year) == ("wikidata", None, 2019)
    assert [(s.label, s.as_of) for s in other.agencies] == [("Co (Parent)", "2026-05-18")]
    assert other.disbanded
    assert other.fact_sources["ended"] == (KPOPDLE_GROUPS,)
    assert [(m.status, p.name) for m, p in catalog.lineup("other-band")] == [("former", "Bo")]


def test_sub_unit_is_linked_to_its_parent_and_its_people_merged(tmp_path: Path) -> None:
    """PINKS-Duo (Wikidata) becomes a unit of PINKS; its Jen (same Wikidata id) and "Rosa Park"
    (Rosa's full name) are PINKS's own records, "unstated" there; its glued label
    "[http://... YG] (2020–present)" reads "YG" since 2020."""
    code, out = build(tmp_path)
    assert code == 0
    catalog = load_catalog(out)
    duo = catalog.get("pinks-duo")
    assert duo is not None
    assert (duo.type, duo.group_id) == ("unit", "pinks")
    lineup = {(m.status, p.id) for m, p in catalog.lineup("pinks-duo")}
    assert lineup == {("unstated", "rosa"), ("unstated", "pinks--jen")}
    assert duo.agency is not None
    assert (duo.agency.label, duo.agency.since) == ("YG", 2020)


def test_corrections_apply_with_their_source_and_date(tmp_path: Path) -> None:
    """A membership correction replaces the snapshot's status and cites "URL (read DATE)"."""
    code, out = build(
        tmp_path,
        "- {fact: membership, act: pinks, person: pinks--jen, "
        "value: {status: former, start: 2016, end: 2020}, "
        "source: 'https://news.example/jen-leaves', read: 2026-11-30}\n",
    )
    assert code == 0
    catalog = load_catalog(out)
    (membership,) = [m for m, p in catalog.lineup("pinks") if p.id == "pinks--jen"]
    assert (membership.status, membership.start, membership.end) == ("former", 2016, 2020)
    assert membership.source == "https://news.example/jen-leaves (read 2026-11-30)"


def test_a_correction_without_a_source_is_refused(tmp_path: Path) -> None:
    """Only a removal the data itself proves may go without a source URL and reading date."""
    path = tmp_path / "c.yaml"
    path.write_text("- {fact: name_hangul, act: pinks, value: {name: 핑크}}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="needs a source"):
        load_corrections(path)
    path.write_text(
        "- {fact: disbanded, act: pinks, value: {year: 2020}, source: 'https://x.example'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="date it was read"):
        load_corrections(path)


def test_build_refuses_a_contradiction_and_reports_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A person listed current and former in one act stops the build: report, exit 1, no file."""
    shared = write_shared(tmp_path)
    artists = json.loads((shared / "artists.json").read_text(encoding="utf-8"))
    artists[0]["former_members"] = ["Jen"]
    (shared / "artists.json").write_text(json.dumps(artists), encoding="utf-8")
    out = tmp_path / "never.json"
    code = main(["--shared", str(shared), "--out", str(out), "--corrections", "/nonexistent"])
    assert code == 1
    assert not out.exists()
    report = capsys.readouterr().out
    line = next(x for x in report.splitlines() if x.startswith("person current and former"))
    assert line.split()[-2:] == ["1", "1"]
    assert "still: pinks--jen in pinks" in report


def test_clean_label_strips_markup_and_redundant_parents() -> None:
    """Wiki links and markup go; "(parent: X)" is dropped when it repeats the label."""
    assert clean_label("[[HYBE Labels|Big Hit Music]] (parent: HYBE)") == "Big Hit Music (HYBE)"
    assert clean_label("Cube Entertainment (parent: Cube Entertainment)") == "Cube Entertainment"
    assert clean_label("'''SM''' <br/>") == "SM"


def test_split_label_reads_glued_infobox_lists() -> None:
    """ "GM Agency (1995–2001)The Turbo Co." is a dated past label and an undated current one."""
    assert split_label("GM Agency (1995–2001)The Turbo Co.") == [
        ("GM Agency", 1995, 2001, False),
        ("The Turbo Co.", None, None, False),
    ]
    assert split_label("Donuts Culture (2016–present)") == [("Donuts Culture", 2016, None, True)]


def test_a_curated_group_without_a_lineup_gets_its_wikidata_members_as_unstated(
    tmp_path: Path,
) -> None:
    """A curated act with no dbkpop line-up takes its Wikidata members (status unstated); an
    act that has a line-up is not padded with Wikidata names that may spell the same people."""
    shared = write_shared(tmp_path)
    artists = json.loads((shared / "artists.json").read_text(encoding="utf-8"))
    artists.append(act(id="quiet", name="QUIET", wikidata_id="Q4", debut_year=2016))
    (shared / "artists.json").write_text(json.dumps(artists), encoding="utf-8")
    idols = json.loads((shared / "wikidata" / "idols.json").read_text(encoding="utf-8"))
    idols["idols"] += [
        {"id": "Q14", "name": "Somi Jeon", "aliases": ["Somi"], "group_ids": ["Q4"]},
        {"id": "Q15", "name": "Jennie Kim", "aliases": [], "group_ids": ["Q1"]},
    ]
    (shared / "wikidata" / "idols.json").write_text(json.dumps(idols), encoding="utf-8")
    out = tmp_path / "catalog.json"
    fixes = tmp_path / "corrections.yaml"
    fixes.write_text("", encoding="utf-8")
    assert main(["--shared", str(shared), "--out", str(out), "--corrections", str(fixes)]) == 0
    catalog = load_catalog(out)
    lineup = [(m.status, m.source, p.name, p.wikidata_id) for m, p in catalog.lineup("quiet")]
    assert lineup == [("unstated", KPOPDLE_IDOLS, "Somi Jeon", "Q14")]
    assert catalog.resolve("Somi").matches[0].entry.name == "Somi Jeon"
    assert [p.name for p in catalog.members_of("pinks")] == ["Rosa", "Jen"]


def test_a_membership_correction_can_add_a_person_no_list_had(tmp_path: Path) -> None:
    """A membership correction for an unknown person creates them from value.name, sourced;
    without a name the build refuses it."""
    code, out = build(
        tmp_path,
        "- {fact: membership, act: pinks, person: pinks--lisa, "
        "value: {status: former, end: 2019, name: Lisa, aliases: [Lalisa]}, "
        "source: 'https://news.example/lisa-left', read: 2026-11-30}\n",
    )
    assert code == 0
    catalog = load_catalog(out)
    (membership,) = [m for m, p in catalog.lineup("pinks") if p.id == "pinks--lisa"]
    assert (membership.status, membership.end) == ("former", 2019)
    lisa = catalog.get("pinks--lisa")
    assert lisa is not None
    assert (lisa.name, lisa.aliases) == ("Lisa", ("Lalisa",))
    assert lisa.sources == ("https://news.example/lisa-left (read 2026-11-30)",)
    nameless = tmp_path / "nameless"
    nameless.mkdir()
    with pytest.raises(ValueError, match=r"give value\.name"):
        build(
            nameless,
            "- {fact: membership, act: pinks, person: pinks--nobody, value: {status: former}, "
            "source: 'https://news.example/x', read: 2026-11-30}\n",
        )
