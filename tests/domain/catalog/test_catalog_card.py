"""The artist card's content: names, debut wording, as-of notes, relations and sources."""

from __future__ import annotations

import datetime as dt

from bot.clients.musicbrainz_models import MBArtist
from bot.domain.catalog import load_catalog
from bot.domain.catalog.card import (
    artist_card,
    debut_text,
    discord_date,
    musicbrainz_card,
    source_link,
)

CATALOG = load_catalog()
TODAY = dt.date(2026, 6, 1)


def _fields(card: object) -> dict[str, str]:
    return {name: value for name, value, _ in card.fields}  # type: ignore[attr-defined]


def test_group_card_has_names_debut_members_and_handles() -> None:
    """BTS: Latin + Hangul title, Discord debut date, 12 years ago, members as of, X links."""
    bts = CATALOG.get("bts")
    assert bts is not None
    card = artist_card(CATALOG, bts, TODAY)
    fields = _fields(card)
    assert card.title == "BTS · 방탄소년단"
    assert fields["Debut"].startswith(f"{discord_date(dt.date(2013, 6, 13))} (12 years ago) [")
    members = next(v for k, v in fields.items() if k == "Members (per dbkpop, as of 2023-06)")
    assert "Jin" in members
    assert "Jung Kook" in members
    assert "[@BTS\\_twt](https://x.com/BTS_twt)" in fields["Official X"]
    assert "fan convention" in fields["Generation"]
    assert "per Wikipedia via Wikidata as of 2026-05-18" in fields["Agency"]
    assert "ARMY" in fields["Fandom"]
    assert "github.com/Thunder-API/kpopapi/blob/" in fields["Sources"]
    assert "· data of 2023-06" in fields["Sources"]


def test_discord_date_is_noon_utc_of_the_day() -> None:
    """The timestamp is 12:00 UTC, so readers from UTC-11 to UTC+11 see the same day."""
    stamp = discord_date(dt.date(2013, 6, 13))
    seconds = int(stamp.removeprefix("<t:").removesuffix(":D>"))
    assert dt.datetime.fromtimestamp(seconds, dt.UTC) == dt.datetime(2013, 6, 13, 12, tzinfo=dt.UTC)


def test_year_only_debut_says_the_date_is_not_verified() -> None:
    """An act without a verified day shows the year and 'about N years ago'."""
    hot = CATALOG.get("h-o-t")
    assert hot is not None
    assert hot.debut_date is None
    assert debut_text(hot, TODAY) == "1996 (about 30 years ago; exact date not verified)"


def test_month_precision_debut_shows_the_month() -> None:
    """BoA's debut is known to the month only: "August 2000"."""
    boa = CATALOG.get("boa")
    assert boa is not None
    assert (debut_text(boa, TODAY) or "").startswith("August 2000")


def test_member_card_names_the_group() -> None:
    """A member's card says which group they belong to."""
    v = CATALOG.get("bts--v")
    assert v is not None
    card = artist_card(CATALOG, v, TODAY)
    assert "Member of **BTS**" in card.description
    assert "Taehyung" in card.description


def test_soloist_card_names_parent_and_solo_debut() -> None:
    """Rosé: soloist of BLACKPINK; Jung Kook's debut is labelled a solo debut."""
    rose = CATALOG.get("rose")
    assert rose is not None
    card = artist_card(CATALOG, rose, TODAY)
    assert "member of **BLACKPINK**" in card.description
    jk = CATALOG.get("jung-kook")
    assert jk is not None
    assert "Solo debut" in _fields(artist_card(CATALOG, jk, TODAY))


def test_group_card_lists_units() -> None:
    """NCT's card lists its units."""
    nct = CATALOG.get("nct")
    assert nct is not None
    units = _fields(artist_card(CATALOG, nct, TODAY))["Units"]
    assert "NCT 127" in units
    assert "NCT DREAM" in units.upper()


def test_every_card_fits_discord_embed_limits() -> None:
    """Every entry's card respects title 256, field 1024, 25 fields and a 6000 total."""
    for entry in CATALOG.entries:
        card = artist_card(CATALOG, entry, TODAY)
        assert len(card.title) <= 256
        assert len(card.fields) <= 25
        total = len(card.title) + len(card.description) + len(card.footer)
        for name, value, _ in card.fields:
            assert 1 <= len(name) <= 256, (entry.id, name)
            assert 1 <= len(value) <= 1024, (entry.id, name)
            total += len(name) + len(value)
        assert total <= 6000, entry.id


def test_source_links() -> None:
    """Dataset sources link to their commit; pages link by host; markdown is escaped."""
    link = source_link("github:a/b@0123456789abcdef:data/x_y.json (note, 2023-06)")
    url = "https://github.com/a/b/blob/0123456789abcdef/data/x_y.json"
    assert link == f"[a/b x\\_y.json]({url}) · data of 2023-06"
    read = source_link("https://example.com/news/1 (read 2026-11-30)")
    assert read == "[example.com](https://example.com/news/1) · read 2026-11-30"
    assert (
        source_link("https://www.example.com/a_(b)")
        == "[example.com](https://www.example.com/a_(b%29)"
    )


def test_musicbrainz_card_is_attributed_and_minimal() -> None:
    """A MusicBrainz card says CC0, and shows names, type, dates, members and the link."""
    artist = MBArtist(
        mbid="m1",
        name="Some*Band",
        sort_name=None,
        type="Group",
        country="KR",
        begin="2019",
        end=None,
        disambiguation=None,
        aliases=("SB",),
        members=("A", "B"),
        url="https://musicbrainz.org/artist/m1",
    )
    card = musicbrainz_card(artist)
    fields = _fields(card)
    assert "From MusicBrainz (CC0)" in card.description
    assert fields["Type"] == "Group"
    assert fields["Began"] == "2019"
    assert fields["Members"] == "A, B"
    assert card.url == "https://musicbrainz.org/artist/m1"


def test_every_fact_line_carries_a_footnote_that_the_sources_field_resolves() -> None:
    """Each fact field ends with [n] marks, and every mark is a numbered line under Sources."""
    import re

    for entry_id in ("bts", "wanna-one", "lightsum", "fromis-9", "superm--lucas", "exid--junghwa"):
        entry = CATALOG.get(entry_id)
        assert entry is not None, entry_id
        card = artist_card(CATALOG, entry, TODAY)
        fields = _fields(card)
        numbered = set(re.findall(r"^\[(\d+)\]", fields["Sources"], re.M))
        cited = set(re.findall(r"\[(\d+)\]", card.description))
        for name, value in fields.items():
            if name in ("Sources", "Units"):
                continue
            marks = set(re.findall(r"\[(\d+)\](?!\()", value))
            assert marks, (entry_id, name)
            cited |= marks
        assert cited == numbered, entry_id


def test_disbanded_group_card_says_so_with_its_source() -> None:
    """Wanna One: "disbanded in January 2019" with a footnote; no current members, all former
    with their years."""
    card = artist_card(CATALOG, CATALOG.get("wanna-one"), TODAY)  # type: ignore[arg-type]
    fields = _fields(card)
    assert "disbanded in January 2019 [1]" in card.description
    assert "hype.my" in fields["Sources"].splitlines()[0]
    assert not any(name.startswith("Members") for name in fields)
    assert (
        "Kang Daniel" in fields["Former members"]
        or "Daniel (2017–2019)" in fields["Former members"]
    )


def test_wikidata_lineups_say_they_may_include_former_members() -> None:
    """A group known only from Wikidata's member list never calls those members current."""
    card = artist_card(CATALOG, CATALOG.get("super-junior-t"), TODAY)  # type: ignore[arg-type]
    names = [name for name, _, _ in card.fields]
    assert "Members per Wikidata, may include former members" in names
    assert not any(name.startswith("Members (") for name in names)


def test_agency_spans_read_since_year_or_per_source_as_of_date() -> None:
    """fromis_9's label moves show with years; a snapshot label says whose snapshot and when."""
    fromis = _fields(artist_card(CATALOG, CATALOG.get("fromis-9"), TODAY))  # type: ignore[arg-type]
    assert "ASND (since 2025)" in fromis["Agency"]
    assert "earlier: Pledis Entertainment (2021–2024)" in fromis["Agency"]
    assert "as of" not in fromis["Agency"]
    koyote = _fields(artist_card(CATALOG, CATALOG.get("koyote"), TODAY))  # type: ignore[arg-type]
    assert koyote["Agency"].startswith(
        "Trifecta Entertainment per Wikipedia via Wikidata as of 2026-05-18 ["
    )


def test_person_card_lists_every_group_with_years() -> None:
    """Minhyun (one record): NU'EST per the 2023 list, and Wanna One 2017–2019."""
    minhyun = CATALOG.resolve("Minhyun").entry
    assert minhyun is not None
    groups = _fields(artist_card(CATALOG, minhyun, TODAY))["Groups and units"]
    assert "**NU'EST** — member (as of 2023-06)" in groups
    assert "**Wanna One** — former member, 2017–2019" in groups


def test_a_project_unit_is_never_called_a_current_group() -> None:
    """Karina's card says "Member of aespa" only; GOT the beat (a Wikidata-listed project unit)
    appears under her groups as "current or former not stated"."""
    karina = CATALOG.resolve("aespa karina").entry
    assert karina is not None
    card = artist_card(CATALOG, karina, TODAY)
    assert card.description.splitlines()[0] == "Member of **aespa**"
    groups = _fields(card)["Groups and units"]
    assert "current or former not stated" in next(
        line for line in groups.splitlines() if "GOT" in line.upper()
    )


def test_a_person_known_only_from_a_wikidata_list_is_not_called_a_member() -> None:
    """A person whose only source is Wikidata's mixed list is "Listed in X", not "Member of X";
    a person with only former memberships is "Former member of X"."""
    vvup = CATALOG.get("vvup--paan")
    jonghoon = CATALOG.get("ft-island--jonghoon")
    assert vvup is not None
    assert jonghoon is not None
    assert artist_card(CATALOG, vvup, TODAY).description.startswith(
        "Listed in **VVUP** (current or former not stated)"
    )
    assert artist_card(CATALOG, jonghoon, TODAY).description.startswith(
        "Former member of **FT Island**"
    )


def test_a_soloist_who_left_her_group_is_called_a_former_member_of_it() -> None:
    """HyunA left 4Minute: her header says "former member of", matching her list of groups."""
    hyuna = CATALOG.get("hyuna")
    assert hyuna is not None
    card = artist_card(CATALOG, hyuna, TODAY)
    assert "former member of **4Minute**" in card.description
    assert "· member of **4Minute**" not in card.description
