"""The wrong facts named in issue 14, each pinned on the shipped catalog after the fix."""

from __future__ import annotations

import pytest

from bot.domain.catalog import Catalog, load_catalog
from bot.domain.catalog.normalize import fold


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _lineup(catalog: Catalog, act: str, status: str) -> set[str]:
    return {p.name for m, p in catalog.lineup(act) if m.status == status}


def test_lightsum_shows_the_two_members_who_left_in_2022_as_former(catalog: Catalog) -> None:
    """Lightsum: Huiyeon and Jian are former (2021-2022); six current members, as of 2022-10."""
    former = {
        (p.name, m.start, m.end) for m, p in catalog.lineup("lightsum") if m.status == "former"
    }
    assert former == {("Oh Hui-yeon", 2021, 2022), ("Kim Ji-an", 2021, 2022)}
    current = [m for m, _ in catalog.lineup("lightsum") if m.status == "current"]
    assert len(current) == 6
    assert {m.as_of for m in current} == {"2022-10"}
    assert all("koreaboo.com" in m.source for m in current)


def test_wanna_one_disbanded_in_january_2019_with_no_current_member(catalog: Catalog) -> None:
    """Wanna One ended in January 2019: disbanded, sourced, and all eleven former 2017-2019."""
    wanna = catalog.get("wanna-one")
    assert wanna is not None
    assert (wanna.disbanded, wanna.ended_year, wanna.ended_month) == (True, 2019, 1)
    assert "hype.my" in wanna.fact_sources["ended"][0]
    lineup = catalog.lineup("wanna-one")
    assert len(lineup) == 11
    assert {(m.status, m.start, m.end) for m, _ in lineup} == {("former", 2017, 2019)}


def test_no_disbanded_act_has_a_current_member(catalog: Catalog) -> None:
    """Every act marked disbanded lists its people as former members only."""
    for m in catalog.memberships:
        act = catalog.get(m.act)
        assert act is not None
        assert not (act.disbanded and m.status == "current"), m


def test_koyote_is_코요태(catalog: Catalog) -> None:
    """Koyote's Hangul name is 코요태 (the dataset had 고요태), with the page it rests on."""
    koyote = catalog.get("koyote")
    assert koyote is not None
    assert koyote.name_hangul == "코요태"
    assert "고요태" not in koyote.aliases
    assert koyote.fact_sources["name_hangul"][0].startswith("https://pickcon.co.kr/")
    assert catalog.resolve("코요태").entry == koyote


def test_allday_project_official_hangul_name_not_the_fan_abbreviation(catalog: Catalog) -> None:
    """ALLDAY PROJECT is 올데이 프로젝트; the fans' 올데프 stays only as an alias."""
    act = catalog.get("allday-project")
    assert act is not None
    assert act.name_hangul == "올데이 프로젝트"
    assert "올데프" in act.aliases


def test_fromis_9_and_the_boyz_label_moves_are_dated(catalog: Catalog) -> None:
    """fromis_9: Pledis 2021-2024 then ASND since 2025; The Boyz: IST until 2024, One Hundred
    2024-2026 and no label claimed after the April 2026 court ruling."""
    fromis = catalog.get("fromis-9")
    assert fromis is not None
    assert fromis.agency is not None
    assert (fromis.agency.label, fromis.agency.since) == ("ASND", 2025)
    spans = [(s.label, s.since, s.until) for s in fromis.agencies]
    assert ("Pledis Entertainment", 2021, 2024) in spans
    boyz = catalog.get("the-boyz")
    assert boyz is not None
    assert boyz.agency is None
    assert [(s.label, s.until) for s in boyz.agencies] == [
        ("IST Entertainment", 2024),
        ("One Hundred", 2026),
    ]
    assert _lineup(catalog, "the-boyz", "former") >= {"Juhaknyeon", "Hwall"}


def test_no_label_carries_wiki_markup_or_a_parent_note(catalog: Catalog) -> None:
    """Labels are plain names: no [[...]], [http...], '''...''' or "(parent: X)"."""
    for entry in catalog.entries:
        for span in entry.agencies:
            for bad in ("[[", "]]", "[http", "'''", "(parent:", "{{"):
                assert bad not in span.label, (entry.id, span.label)
    bts = catalog.get("bts")
    assert bts is not None
    assert bts.agency is not None
    assert bts.agency.label == "Big Hit Music (HYBE)"


def test_typo_and_other_act_aliases_are_gone(catalog: Catalog) -> None:
    """Girls' Generation loses "So nyeo shsi dae"; Sunny Days no longer answers to FIESTAR."""
    snsd, sunny = catalog.get("girls-generation"), catalog.get("sunny-days")
    assert snsd is not None
    assert sunny is not None
    assert "So nyeo shsi dae" not in snsd.aliases
    assert "FIESTAR" not in sunny.aliases
    found = catalog.resolve("FIESTAR").entry
    assert found is not None
    assert found.id == "fiestar"


def test_one_person_one_record_across_groups_and_units(catalog: Catalog) -> None:
    """Minhyun (NU'EST, Wanna One), Lucas (NCT, WayV, SuperM) and Super Junior-T's Leeteuk are
    each one record holding every membership."""
    minhyun = catalog.resolve("Minhyun").entry
    assert minhyun is not None
    assert {a.id for a in catalog.groups_of(minhyun)} == {"nu-est", "wanna-one"}
    lucas = [e for e in catalog.entries if e.type == "member" and fold(e.name) == "lucas"]
    assert len(lucas) == 1
    assert {a.id for a in catalog.groups_of(lucas[0])} >= {"nct", "wayv", "superm"}
    leeteuk = [e for e in catalog.entries if e.type == "member" and fold(e.name) == "leeteuk"]
    assert len(leeteuk) == 1
    assert {a.id for a in catalog.groups_of(leeteuk[0])} >= {"super-junior", "super-junior-t"}


def test_sub_units_hang_off_their_parent(catalog: Catalog) -> None:
    """Super Junior-T and -M are units of Super Junior; Secret Number is not a unit of Secret."""
    for unit in ("super-junior-t", "super-junior-m"):
        entry = catalog.get(unit)
        assert entry is not None
        assert (entry.type, entry.group_id) == ("unit", "super-junior")
    secret_number = catalog.get("secret-number")
    assert secret_number is not None
    assert secret_number.group_id is None


def test_exid_junghwa_is_current_only(catalog: Catalog) -> None:
    """Junghwa was listed both current and former in EXID; she is current (2022 reunion)."""
    statuses = [m.status for m, p in catalog.lineup("exid") if p.name == "Junghwa"]
    assert statuses == ["current"]


def test_lucas_left_nct_and_wayv_in_2023(catalog: Catalog) -> None:
    """Lucas is a former member of NCT and WayV, ending 2023."""
    for act in ("nct", "wayv"):
        found = [(m.status, m.end) for m, p in catalog.lineup(act) if p.name == "Lucas"]
        assert found == [("former", 2023)], act


def test_a_fact_cites_only_what_backs_it(catalog: Catalog) -> None:
    """Rosé's generation rests on her debut data, not on the label pages added later (the
    generator used to share one list between the entry's sources and each fact's)."""
    rose = catalog.get("rose")
    assert rose is not None
    for fact, sources in rose.fact_sources.items():
        assert not any("philstar.com" in s or "republicworld.com" in s for s in sources), fact


def test_soloists_label_moves_are_dated(catalog: Catalog) -> None:
    """Taeyang: YG until 2022, THE BLACK LABEL since 2022; Rosé: THE BLACK LABEL since 2024."""
    taeyang, rose = catalog.get("taeyang"), catalog.get("rose")
    assert taeyang is not None
    assert rose is not None
    assert [(s.label, s.since, s.until) for s in taeyang.agencies] == [
        ("YG Entertainment", None, 2022),
        ("The Black Label", 2022, None),
    ]
    assert rose.agency is not None
    assert (rose.agency.label, rose.agency.since) == ("The Black Label", 2024)


def test_sample_check_fixes(catalog: Catalog) -> None:
    """Faults found in the 30-card sample: miss A (2017), Stellar (2018) and Fiestar (2018)
    disbanded; Jonghoon left FT Island in 2019; T-ara N4 and GD&TOP are units; no alias
    carries wiki markup ("황현진|현진 (2000년 3월)")."""
    for act, year in (("miss-a", 2017), ("stellar", 2018), ("fiestar", 2018)):
        entry = catalog.get(act)
        assert entry is not None
        assert (entry.disbanded, entry.ended_year) == (True, year), act
    jonghoon = [(m.status, m.end) for m, p in catalog.lineup("ft-island") if p.name == "Jonghoon"]
    assert jonghoon == [("former", 2019)]
    for unit, parent in (("t-ara-n4", "t-ara"), ("gd-top", "bigbang")):
        entry = catalog.get(unit)
        assert entry is not None
        assert (entry.type, entry.group_id) == ("unit", parent)
    hyunjin = catalog.get("stray-kids--hyunjin")
    assert hyunjin is not None
    assert not any("|" in a for a in hyunjin.aliases)


def test_kara_reunited_and_unb_ended(catalog: Catalog) -> None:
    """KARA is active again (2022 reunion, five current members; Hara former until 2019),
    though Wikidata says disbanded; UNB, a project group, ended in January 2019."""
    kara = catalog.get("kara")
    assert kara is not None
    assert not kara.disbanded
    assert "ended" not in kara.fact_sources
    assert _lineup(catalog, "kara", "current") == {
        "Gyuri",
        "Seungyeon",
        "Nicole",
        "Jiyoung",
        "Youngji",
    }
    unb = catalog.get("unb")
    assert unb is not None
    assert (unb.disbanded, unb.ended_year, unb.ended_month) == (True, 2019, 1)


def test_bigbang_lists_top_as_a_former_member_who_left_in_2023(catalog: Catalog) -> None:
    """BIGBANG: T.O.P left in 2023 (NME, 2023-05-31); G-Dragon, Taeyang, Daesung stay current."""
    top = [(m, p) for m, p in catalog.lineup("bigbang") if p.id == "bigbang--t-o-p"]
    assert [(m.status, m.start, m.end) for m, _ in top] == [("former", 2006, 2023)]
    assert "nme.com" in top[0][0].source
    assert len(_lineup(catalog, "bigbang", "current")) == 3


def test_2ne1_reunited_in_2024_under_yg_with_all_four_current(catalog: Catalog) -> None:
    """2NE1 came back with YG in 2024: not disbanded, and CL, Bom, Dara, Minzy are current."""
    group = catalog.get("2ne1")
    assert group is not None
    assert (group.disbanded, group.ended_year) == (False, None)
    assert any("filipinotimes.net" in s for s in group.sources)
    current = [m for m, _ in catalog.lineup("2ne1") if m.status == "current"]
    assert len(current) == 4
    assert {m.as_of for m in current} == {"2024-10"}
    assert not _lineup(catalog, "2ne1", "former")


def test_somi_resolves_to_jeon_somi_of_ioi_not_aprils_somin(catalog: Catalog) -> None:
    """Jeon Somi (I.O.I, per its Wikidata members) is built, and "Somi" finds her, not Somin."""
    found = catalog.resolve("Somi")
    assert found.kind == "exact"
    assert [m.entry.name for m in found.matches] == ["Jeon Somi"]
    somi = found.matches[0].entry
    assert somi.wikidata_id == "Q22910214"
    assert [(m.act, m.status) for m, _ in catalog.memberships_of(somi)] == [("i-o-i", "former")]


def test_wonder_girls_former_members_include_sunye_and_sohee(catalog: Catalog) -> None:
    """Wonder Girls: Sunye and Sohee withdrew in 2015 (JYP, per Asian Junkie); both listed."""
    left = {(p.name, m.end) for m, p in catalog.lineup("wonder-girls") if m.status == "former"}
    assert {("Sunye", 2015), ("Sohee", 2015)} <= left
    sohee = catalog.get("wonder-girls--sohee")
    assert sohee is not None
    assert "Ahn So-hee" in sohee.aliases
    assert "asianjunkie.com" in sohee.sources[0]
