"""/aliases end to end: moderators add, list and remove; a server's aliases stay in that server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.client import Lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from tests.cogs.test_artist_e2e import running_bot


@pytest.fixture
async def bot(
    tmp_path: Path, loopback: LoopbackDiscord, guild: GuildFixture
) -> AsyncIterator[Lightstick]:
    async with running_bot(loopback, tmp_path / "db.sqlite") as running:
        yield running


async def test_server_alias_works_in_that_server_only(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A moderator's alias finds the act in their server; another server does not see it."""
    other = loopback.add_guild("Other Fans")
    add = await loopback.slash(
        guild.id,
        "aliases add",
        options={"alias": "tannies", "artist": "id:bts"},
        user=guild.moderator,
    )
    await add.response()
    assert add.ephemeral
    assert "now finds" in add.content

    here = await loopback.slash(guild.id, "artist", options={"name": "Tannies"}, user=guild.member)
    await here.response()
    assert here.embeds[0]["title"] == "BTS · 방탄소년단"
    choices = await loopback.autocomplete(
        guild.id, "artist", options={"name": "tannie"}, focused="name", user=guild.member
    )
    assert choices[0]["value"] == "id:bts"

    there = await loopback.slash(other.id, "artist", options={"name": "Tannies"}, user=other.member)
    await there.response()
    assert there.ephemeral
    assert there.content.startswith("No act matches")


async def test_alias_beats_an_ambiguous_name_in_its_server(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """After "mark" is aliased to GOT7's Mark, /artist Mark shows that card, not a choice."""
    add = await loopback.slash(
        guild.id,
        "aliases add",
        options={"alias": "Mark", "artist": "got7 mark"},
        user=guild.admin,
    )
    await add.response()
    ix = await loopback.slash(guild.id, "artist", options={"name": "mark"}, user=guild.member)
    await ix.response()
    assert "Member of **GOT7**" in ix.embeds[0]["description"]


async def test_members_cannot_add_or_remove(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Without Manage Server, add and remove are refused at run time; nothing is stored."""
    for user in (guild.member, guild.everything_but_manage):
        add = await loopback.slash(
            guild.id,
            "aliases add",
            options={"alias": "x1", "artist": "bts"},
            user=user,
            override_permissions=True,
        )
        await add.response()
        assert add.ephemeral
        assert "Manage Server" in add.content
    listing = await loopback.slash(guild.id, "aliases list", user=guild.member)
    await listing.response()
    assert "no aliases yet" in listing.content


async def test_list_and_remove(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Added aliases are listed with their act; removing one makes the name unknown again."""
    for alias, artist in (("Qwzx Tannies", "bts"), ("@everyone fave", "blackpink")):
        ix = await loopback.slash(
            guild.id,
            "aliases add",
            options={"alias": alias, "artist": artist},
            user=guild.moderator,
        )
        await ix.response()
    listing = await loopback.slash(guild.id, "aliases list", user=guild.member)
    await listing.response()
    text = listing.all_text()
    assert "Qwzx Tannies" in text
    assert "BTS" in text
    assert "BLACKPINK" in text
    assert loopback.pings(listing.original).nobody
    suggestions = await loopback.autocomplete(
        guild.id,
        "aliases remove",
        options={"alias": "tann"},
        focused="alias",
        user=guild.moderator,
    )
    assert [c["value"] for c in suggestions] == ["Qwzx Tannies"]
    removed = await loopback.slash(
        guild.id, "aliases remove", options={"alias": "qwzx-tannies"}, user=guild.moderator
    )
    await removed.response()
    assert "Removed" in removed.content
    again = await loopback.slash(
        guild.id, "artist", options={"name": "Qwzx Tannies"}, user=guild.member
    )
    await again.response()
    assert again.ephemeral
    assert again.content.startswith("No act matches")


async def test_adding_the_same_alias_twice_is_refused(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A second alias that folds to the same text gets a clear Conflict message."""
    for artist in ("bts", "twice"):
        ix = await loopback.slash(
            guild.id,
            "aliases add",
            options={"alias": "Faves!", "artist": artist},
            user=guild.moderator,
        )
        await ix.response()
    assert ix.ephemeral
    assert "already an alias" in ix.content
