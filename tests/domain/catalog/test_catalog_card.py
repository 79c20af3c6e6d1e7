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
    assert fields["Debut"] == f"{discord_date(dt.date(2013, 6, 13))} (12 years ago)"
    members = next(v for k, v in fields.items() if k.startswith("Members (as of 2023-06"))
    assert "Jin" in members
    assert "Jung Kook" in members
    assert "[@BTS\\_twt](https://x.com/BTS_twt)" in fields["Official X"]
    assert "fan convention" in fields["Generation"]
    assert "as of" in fields["Agency"]
    assert "ARMY" in fields["Fandom"]
    assert "github.com/Thunder-API/kpopapi/blob/" in fields["Sources"]


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
    link = source_link("github:a/b@0123456789abcdef:data/x_y.json (note)")
    assert link == "[a/b x\\_y.json](https://github.com/a/b/blob/0123456789abcdef/data/x_y.json)"
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


def test_split_as_of_separates_date_and_remark() -> None:
    """Split "as of" notes: the date goes in the heading, the remark becomes a footnote."""
    from bot.domain.catalog.card import split_as_of

    assert split_as_of("2023-06 (dbkpop snapshot; may be incomplete or outdated)") == (
        "2023-06",
        "dbkpop snapshot; may be incomplete or outdated",
    )
    assert split_as_of("2026-05") == ("2026-05", None)
    assert split_as_of("as seen on the cited page") == (None, "as seen on the cited page")
    assert split_as_of(None) == (None, None)
