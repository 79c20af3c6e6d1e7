"""/artist end to end through the loopback Discord: cards, autocomplete, choices, bad input."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.client import Lightstick
from bot.testing.fake_musicbrainz import BOL4, running_fake_musicbrainz
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture

FIXED_NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@contextlib.asynccontextmanager
async def running_bot(lb: LoopbackDiscord, db_path: Path) -> AsyncIterator[Lightstick]:
    """Run Lightstick against the loopback with a fresh database and a fixed clock."""

    def fix_clock(bot: Lightstick) -> None:
        bot.clock = lambda: FIXED_NOW  # type: ignore[method-assign]

    async with start_lightstick(lb, db_path, configure=fix_clock) as bot:
        yield bot


@pytest.fixture
async def bot(
    tmp_path: Path, loopback: LoopbackDiscord, guild: GuildFixture
) -> AsyncIterator[Lightstick]:
    async with running_bot(loopback, tmp_path / "db.sqlite") as running:
        yield running


def field(embed: dict[str, Any], prefix: str) -> str:
    """Return the value of the first embed field whose name starts with `prefix`."""
    return next(f["value"] for f in embed.get("fields", []) if f["name"].startswith(prefix))


async def test_hangul_name_shows_bts_card(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/artist name:방탄소년단 posts BTS's public card: Hangul name, 2013 debut, members."""
    ix = await loopback.slash(guild.id, "artist", options={"name": "방탄소년단"}, user=guild.member)
    await ix.response()
    assert not ix.ephemeral
    (embed,) = ix.embeds
    assert embed["title"] == "BTS · 방탄소년단"
    debut = field(embed, "Debut")
    assert debut.startswith("<t:1371124800:D>")
    assert "(12 years ago)" in debut
    members = field(embed, "Members (per dbkpop, as of 2023-06)")
    for name in ("Jin", "Suga", "RM", "Jimin", "V", "Jung Kook"):
        assert name in members
    assert "x.com/BTS_twt" in field(embed, "Official X")
    assert "· data of 2023-06" in field(embed, "Sources")
    assert "artist:follow:bts" in str(ix.components)
    assert loopback.pings(ix.original).nobody


def footnotes(embed: dict[str, Any]) -> dict[str, str]:
    """Return the card's numbered sources: {"1": "[host](url) · read 2026-11-30", ...}."""
    lines = field(embed, "Sources").splitlines()
    return {line[1 : line.index("]")]: line for line in lines}


def cites(value: str, notes: dict[str, str], host: str) -> bool:
    """Return whether `value` carries a footnote number that points at a source on `host`."""
    return any(f"[{n}]" in value and host in line for n, line in notes.items())


async def test_disbanded_group_card_shows_no_current_member(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/artist Wanna One: "disbanded in January 2019" with its source; all eleven former
    members with 2017–2019; no "Members" field."""
    ix = await loopback.slash(guild.id, "artist", options={"name": "Wanna One"}, user=guild.member)
    await ix.response()
    (embed,) = ix.embeds
    notes = footnotes(embed)
    assert "disbanded in January 2019" in embed["description"]
    assert cites(embed["description"], notes, "hype.my")
    assert "read 2026-11-30" in next(v for v in notes.values() if "hype.my" in v)
    assert not any(f["name"].startswith("Members") for f in embed["fields"])
    former = field(embed, "Former members")
    assert former.count("(2017–2019)") == 11
    assert cites(former, notes, "hype.my")


async def test_member_of_two_groups_lists_both_with_years(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/artist Minhyun: one card, NU'EST as of the 2023 list and Wanna One 2017–2019, each
    line with its own source."""
    ix = await loopback.slash(guild.id, "artist", options={"name": "황민현"}, user=guild.member)
    await ix.response()
    (embed,) = ix.embeds
    assert embed["description"].startswith("Member of **NU'EST**")
    groups = field(embed, "Groups and units").splitlines()
    notes = footnotes(embed)
    nuest = next(line for line in groups if "NU'EST" in line)
    wanna = next(line for line in groups if "Wanna One" in line)
    assert "member (as of 2023-06)" in nuest
    assert cites(nuest, notes, "kpopapi")
    assert "former member, 2017–2019" in wanna
    assert cites(wanna, notes, "hype.my")


async def test_sub_unit_card_names_its_parent_and_hedges_its_lineup(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/artist Super Junior-T: a unit of Super Junior; its Wikidata line-up "may include former
    members"; Leeteuk there is Super Junior's own Leeteuk."""
    ix = await loopback.slash(
        guild.id, "artist", options={"name": "Super Junior-T"}, user=guild.member
    )
    await ix.response()
    (embed,) = ix.embeds
    assert "unit of **Super Junior**" in embed["description"]
    lineup = field(embed, "Members per Wikidata, may include former members")
    assert "Leeteuk" in lineup
    assert cites(lineup, footnotes(embed), "idols.json")
    assert bot.catalog is not None
    leeteuk = [e for e in bot.catalog.entries if e.name == "Leeteuk"]
    assert len(leeteuk) == 1
    assert {g.id for g in bot.catalog.groups_of(leeteuk[0])} >= {"super-junior", "super-junior-t"}


async def test_label_moves_show_with_years_and_sources(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/artist fromis_9: ASND since 2025 and the earlier labels with years, each sourced;
    never a dataset's "as of" for a label that moved."""
    ix = await loopback.slash(guild.id, "artist", options={"name": "fromis_9"}, user=guild.member)
    await ix.response()
    (embed,) = ix.embeds
    agency = field(embed, "Agency").splitlines()
    notes = footnotes(embed)
    assert agency[-1].startswith("ASND (since 2025)")
    assert cites(agency[-1], notes, "k-hallyunews.com")
    pledis = next(line for line in agency if "Pledis" in line)
    assert pledis.startswith("earlier: Pledis Entertainment (2021–2024)")
    assert cites(pledis, notes, "koreajoongangdaily")
    assert "as of" not in field(embed, "Agency")


async def test_soloist_who_changed_labels_shows_dated_spans(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/artist 태양: THE BLACK LABEL since 2022 and YG until 2022, both sourced; still BIGBANG."""
    ix = await loopback.slash(guild.id, "artist", options={"name": "태양"}, user=guild.member)
    await ix.response()
    (embed,) = ix.embeds
    assert "member of **BIGBANG**" in embed["description"]
    agency = field(embed, "Agency").splitlines()
    notes = footnotes(embed)
    assert agency[0].startswith("earlier: YG Entertainment (until 2022)")
    assert agency[1].startswith("The Black Label (since 2022)")
    assert all(cites(line, notes, "koreatimesus.com") for line in agency)


async def test_member_who_left_two_groups_shows_when(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/artist Lucas (NCT, WayV, SuperM): one card, NCT and WayV former until 2023, sourced."""
    ix = await loopback.slash(guild.id, "artist", options={"name": "Lucas Wong"}, user=guild.member)
    await ix.response()
    (embed,) = ix.embeds
    groups = field(embed, "Groups and units")
    notes = footnotes(embed)
    for act in ("NCT", "WayV"):
        line = next(x for x in groups.splitlines() if x.startswith(f"**{act}**"))
        assert "former member, until 2023" in line
        assert cites(line, notes, "freepressjournal.in")


async def test_autocomplete_puts_blackpink_first_for_a_typo(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Autocomplete for "blakpink" offers BLACKPINK first, 25 choices at most."""
    choices = await loopback.autocomplete(
        guild.id, "artist", options={"name": "blakpink"}, focused="name", user=guild.member
    )
    assert choices[0]["name"].startswith("BLACKPINK")
    assert choices[0]["value"] == "id:blackpink"
    assert len(choices) <= 25
    assert all(len(c["name"]) <= 100 for c in choices)


@pytest.mark.parametrize("typed", ["Rosé", "rose"])
async def test_rose_finds_the_blackpink_member(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture, typed: str
) -> None:
    """ "Rosé" and "rose" both show Rosé's card, which names BLACKPINK."""
    ix = await loopback.slash(guild.id, "artist", options={"name": typed}, user=guild.member)
    await ix.response()
    (embed,) = ix.embeds
    assert embed["title"] == "Rosé · 로제"
    assert "BLACKPINK" in embed["description"]


async def test_picked_autocomplete_value_shows_that_card(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A value picked from autocomplete (id:...) shows exactly that entry's card."""
    choices = await loopback.autocomplete(
        guild.id, "artist", options={"name": "mark"}, focused="name", user=guild.member
    )
    got7_mark = next(c for c in choices if "GOT7" in c["name"])
    ix = await loopback.slash(
        guild.id, "artist", options={"name": got7_mark["value"]}, user=guild.member
    )
    await ix.response()
    assert "Member of **GOT7**" in ix.embeds[0]["description"]


async def test_ambiguous_name_offers_a_choice_then_posts_the_pick(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """ "Mark" gets an ephemeral choice (GOT7's, NCT's...); choosing posts that card."""
    ix = await loopback.slash(guild.id, "artist", options={"name": "Mark"}, user=guild.member)
    await ix.response()
    assert ix.ephemeral
    assert "Several entries match" in ix.content
    options = ix.components[0]["components"][0]["options"]
    assert {"got7--mark", "nct--mark"} <= {o["value"] for o in options}
    pick = await loopback.click(ix, "artist:pick", user=guild.member, values=["nct--mark"])
    card = await pick.wait_followup()
    assert not int(card.get("flags") or 0) & 64
    assert "Member of **NCT**" in card["embeds"][0]["description"]


@pytest.mark.parametrize(
    "text",
    ["   ", "@everyone", "<@&123>", "**bold** _x_", "\u202eabc\u200b", "\x00\x07", "ⓧ" * 100],
)
async def test_bad_input_gets_a_clear_ephemeral_answer_and_never_pings(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture, text: str
) -> None:
    """Junk, mentions, markdown and control text: an ephemeral "No act matches", no ping."""
    ix = await loopback.slash(guild.id, "artist", options={"name": text}, user=guild.member)
    await ix.response()
    assert ix.ephemeral
    assert ix.content.startswith("No act matches")
    assert "Something went wrong" not in ix.content
    assert "@everyone" not in ix.content.replace("@\u200beveryone", "")
    assert loopback.pings(ix.original).nobody


async def test_autocomplete_survives_a_1000_character_paste(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Typing 1000 characters into autocomplete answers (possibly nothing) within limits."""
    choices = await loopback.autocomplete(
        guild.id, "artist", options={"name": "블랙" * 500}, focused="name", user=guild.member
    )
    assert len(choices) <= 25


async def test_follow_button_is_for_moderators(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A member pressing "Follow live Spaces" is told it is for moderators, ephemerally."""
    ix = await loopback.slash(guild.id, "artist", options={"name": "BTS"}, user=guild.member)
    await ix.response()
    click = await loopback.click(ix, "artist:follow:bts", user=guild.member)
    await click.response()
    assert click.ephemeral
    assert "for moderators" in click.content


async def test_follow_button_hands_a_moderator_to_spaces(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A moderator's press reaches the Spaces feature (which asks for /spaces setup first)."""
    ix = await loopback.slash(guild.id, "artist", options={"name": "BTS"}, user=guild.member)
    await ix.response()
    click = await loopback.click(ix, "artist:follow:bts", user=guild.moderator)
    await click.response()
    assert click.ephemeral
    if bot.get_cog("Spaces") is None:
        assert "not available" in click.content
    else:
        assert "/spaces setup" in click.all_text()


async def test_follow_button_works_after_a_restart(
    tmp_path: Path, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A card posted before a restart still answers its button afterwards."""
    db = tmp_path / "db.sqlite"
    async with running_bot(loopback, db):
        ix = await loopback.slash(guild.id, "artist", options={"name": "BTS"}, user=guild.member)
        await ix.response()
    async with running_bot(loopback, db):
        click = await loopback.click(ix, "artist:follow:bts", user=guild.member)
        await click.response()
        assert "for moderators" in click.content


@contextlib.asynccontextmanager
async def bot_with_musicbrainz(
    lb: LoopbackDiscord, db_path: Path, api_base: str
) -> AsyncIterator[Lightstick]:
    """Run Lightstick with the MusicBrainz fallback pointed at a local fake."""
    async with start_lightstick(
        lb, db_path, musicbrainz_api_base=api_base, musicbrainz_contact=MB_CONTACT
    ) as bot:
        yield bot


MB_CONTACT = "ops@lightstick.example"


async def test_unknown_act_falls_back_to_musicbrainz(
    tmp_path: Path, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A name the catalog lacks (BOL4) is answered from MusicBrainz, attributed CC0."""
    async with (
        running_fake_musicbrainz(expected_contact=MB_CONTACT) as mb,
        bot_with_musicbrainz(loopback, tmp_path / "db.sqlite", mb.base_url),
    ):
        ix = await loopback.slash(guild.id, "artist", options={"name": "BOL4"}, user=guild.member)
        await ix.wait_until(lambda: not ix.loading and bool(ix.embeds), timeout=15)
        (embed,) = ix.embeds
        assert "From MusicBrainz (CC0)" in embed["description"]
        assert embed["url"] == f"https://musicbrainz.org/artist/{BOL4}"
        assert loopback.pings(ix.original).nobody


async def test_musicbrainz_down_still_answers_with_suggestions(
    tmp_path: Path, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """If MusicBrainz is unreachable, the person gets "No act matches" and a note saying so."""
    async with (
        running_fake_musicbrainz(expected_contact=MB_CONTACT) as mb,
        bot_with_musicbrainz(loopback, tmp_path / "db.sqlite", mb.base_url),
    ):
        mb.faults.status = 500
        ix = await loopback.slash(guild.id, "artist", options={"name": "Hyukoh"}, user=guild.member)
        await ix.wait_until(lambda: not ix.loading and bool(ix.content), timeout=30)
        assert ix.ephemeral
        assert ix.content.startswith("No act matches")
        assert "MusicBrainz could not be reached" in ix.content
