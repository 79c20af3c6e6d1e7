"""Issue 18 end to end: what moderators and fans take for granted, through the loopback Discord."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.aliases import AliasRepo
from bot.store.spaces import SpacesRepo
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import running_bot
from bot.testing.loopback.interactions import InjectedInteraction
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


async def spaces_setup(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """Run `/spaces setup` as the moderator with the announcements channel and the fan role."""
    ix = await loopback.slash(
        guild,
        "spaces setup",
        options={"channel": guild.announcements.id, "ping_role": guild.stans.id},
        user=guild.moderator,
    )
    await ix.settled()


async def press(
    loopback: LoopbackDiscord, ix: InjectedInteraction, label: str, guild: GuildFixture
) -> None:
    """Press, as the moderator, the button labelled `label` under a reply; wait for the answer."""
    [button] = [b for row in ix.components for b in row["components"] if b.get("label") == label]
    click = await loopback.click(ix, button["custom_id"], user=guild.moderator)
    await click.response()


async def test_item_01_template_typo_is_refused_with_a_preview(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """A template with an unknown placeholder or an open brace is refused, showing what fans
    would have read; nothing is saved; a sound template is saved and previewed rendered."""
    fake.add_user("BTS_twt")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (bot, _):
        await spaces_setup(loopback, guild)
        ix = await loopback.slash(
            guild,
            "spaces follow",
            options={"artist": "@BTS_twt", "template": "{artist} {oops} {title"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        text = ix.all_text()
        assert "`{oops}` is not a placeholder" in text, text
        assert "Nothing was saved" in text
        assert "> BTS {oops} {title" in text
        assert ix.ephemeral
        ix = await loopback.slash(
            guild,
            "spaces follow",
            options={"artist": "@BTS_twt", "template": "{artist} live: {title"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        assert "`{` without its `}`" in ix.all_text(), ix.all_text()
        assert await bot.store.guild(guild.id).repo(SpacesRepo).list_follows() == []
        ix = await loopback.slash(
            guild,
            "spaces follow",
            options={"artist": "@BTS_twt", "template": "{artist} is on air: {title} {url}"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        text = ix.all_text()
        assert ix.ephemeral
        assert "nothing is saved until then" in text, text
        assert (
            "> BTS is on air: Sample Space: this is what fans will see "
            "https://x.com/i/spaces/1SampleSpace" in text
        )
        repo = bot.store.guild(guild.id).repo(SpacesRepo)
        assert await repo.list_follows() == []
        await press(loopback, ix, "Save", guild)
        assert ix.content.startswith("Saved. Following **BTS**"), ix.content
        assert [f.template for f in await repo.list_follows()] == [
            "{artist} is on air: {title} {url}"
        ]
    assert loopback.messages_in(guild.announcements.id) == []


async def test_item_13_alias_equal_to_another_act_is_refused(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """`/aliases add alias:TWICE artist:BTS` is refused and /artist TWICE still finds TWICE;
    an alias naming the same act, or no act, is still accepted."""
    async with running_bot(loopback, tmp_path / "bot.db", None) as (bot, _):
        ix = await loopback.slash(
            guild,
            "aliases add",
            options={"alias": "TWICE", "artist": "id:bts"},
            user=guild.moderator,
        )
        await ix.settled()
        assert ix.ephemeral
        assert "“TWICE” already finds **TWICE" in ix.content, ix.content
        assert await bot.store.guild(guild.id).repo(AliasRepo).list_aliases() == []
        ix = await loopback.slash(guild, "artist", options={"name": "TWICE"}, user=guild.member)
        await ix.settled()
        assert ix.embeds[0]["title"].startswith("TWICE"), ix.embeds
        ix = await loopback.slash(
            guild,
            "aliases add",
            options={"alias": "Bangtan", "artist": "id:bts"},
            user=guild.moderator,
        )
        await ix.settled()
        assert "now finds" in ix.content, ix.content
        ix = await loopback.slash(
            guild,
            "aliases add",
            options={"alias": "tannies", "artist": "id:bts"},
            user=guild.moderator,
        )
        await ix.settled()
        assert "now finds" in ix.content, ix.content
        ix = await loopback.slash(
            guild,
            "aliases add",
            options={"alias": "Mark", "artist": "id:bts"},
            user=guild.moderator,
        )
        await ix.settled()
        assert "already finds" in ix.content, ix.content


async def test_item_12_near_miss_asks_did_you_mean_before_posting(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """`/artist OT7` posts nothing publicly: an ephemeral "Did you mean GOT7?" with a picker;
    the card is posted publicly once the member picks it."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        ix = await loopback.slash(guild, "artist", options={"name": "OT7"}, user=guild.member)
        await ix.settled()
        assert ix.ephemeral
        assert ix.embeds == []
        assert "Did you mean **GOT7" in ix.content, ix.content
        options = ix.components[0]["components"][0]["options"]
        assert options[0]["value"] == "got7"
        pick = await loopback.click(ix, "artist:pick", user=guild.member, values=["got7"])
        card = await pick.wait_followup()
        assert not int(card.get("flags") or 0) & 64
        assert card["embeds"][0]["title"].startswith("GOT7")


async def test_item_03_spaces_test_previews_the_chosen_artist_privately(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """`/spaces test artist:` shows that follow's template only to the moderator and posts
    nothing; with `channel` it posts the sample there, pinging nobody."""
    fake.add_user("BTS_twt")
    fake.add_user("TWICE")
    async with running_bot(loopback, tmp_path / "bot.db", fake):
        await spaces_setup(loopback, guild)
        for handle, template in (("@BTS_twt", "BTS air: {title}"), ("@TWICE", "ONCE! {title}")):
            ix = await loopback.slash(
                guild,
                "spaces follow",
                options={"artist": handle, "template": template},
                user=guild.moderator,
            )
            await ix.settled(timeout=10)
            await press(loopback, ix, "Save", guild)
            assert "Saved. Following" in ix.content, ix.content
        choices = await loopback.autocomplete(
            guild,
            "spaces test",
            options={"artist": "twice"},
            focused="artist",
            user=guild.moderator,
        )
        ix = await loopback.slash(
            guild,
            "spaces test",
            options={"artist": choices[0]["value"]},
            user=guild.moderator,
        )
        await ix.settled()
        assert ix.ephemeral
        assert "ONCE! Sample Space" in ix.content, ix.content
        assert "BTS air" not in ix.content
        assert loopback.messages_in(guild.announcements.id) == []
        ix = await loopback.slash(
            guild,
            "spaces test",
            options={"artist": choices[0]["value"], "channel": guild.general.id},
            user=guild.moderator,
        )
        await ix.settled()
        assert "Sample posted in" in ix.content
        [post] = loopback.messages_in(guild.general.id)
        assert "ONCE! Sample Space" in post["content"]
        assert loopback.pings(post).nobody
        assert loopback.messages_in(guild.announcements.id) == []


async def test_item_02_edit_and_refollow_change_only_what_is_given(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """Following again with only a template keeps the channel and keywords and says what
    changed; `/spaces edit` changes only its given options."""
    fake.add_user("BTS_twt")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (bot, _):
        await spaces_setup(loopback, guild)
        repo = bot.store.guild(guild.id).repo(SpacesRepo)
        ix = await loopback.slash(
            guild,
            "spaces follow",
            options={"artist": "@BTS_twt", "channel": guild.general.id, "keywords": "comeback"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        assert "Already followed" not in ix.all_text()
        ix = await loopback.slash(
            guild,
            "spaces follow",
            options={"artist": "@BTS_twt", "template": "{artist}: {title} {url}"},
            user=guild.moderator,
        )
        await ix.settled(timeout=10)
        text = ix.all_text()
        assert "Already followed: this changes the template; everything else is kept." in text
        [follow] = await repo.list_follows()
        assert follow.template is None
        await press(loopback, ix, "Save", guild)
        [follow] = await repo.list_follows()
        assert follow.channel_id == guild.general.id
        assert follow.keywords == ("comeback",)
        assert follow.template == "{artist}: {title} {url}"
        choices = await loopback.autocomplete(
            guild, "spaces edit", options={"artist": "bts"}, focused="artist", user=guild.moderator
        )
        ix = await loopback.slash(
            guild,
            "spaces edit",
            options={"artist": choices[0]["value"], "keywords": "none"},
            user=guild.moderator,
        )
        await ix.settled()
        assert ix.ephemeral
        assert "changed the keywords to none; everything else is kept" in ix.content, ix.content
        [follow] = await repo.list_follows()
        assert follow.keywords == ()
        assert follow.channel_id == guild.general.id
        assert follow.template == "{artist}: {title} {url}"
        ix = await loopback.slash(
            guild,
            "spaces edit",
            options={"artist": choices[0]["value"], "template": "{oops}"},
            user=guild.moderator,
        )
        await ix.settled()
        assert "`{oops}` is not a placeholder" in ix.content
        [follow] = await repo.list_follows()
        assert follow.template == "{artist}: {title} {url}"


async def test_item_10_moderator_replies_use_words_not_settings_names(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Without X access, setup, status and /settings say the operator has not enabled it (no
    environment variable names, no raw state codes) and count with the right plural."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        ix = await loopback.slash(
            guild, "spaces setup", options={"channel": guild.announcements.id}, user=guild.moderator
        )
        await ix.settled()
        replies = [ix.all_text()]
        assert "X API access, which the bot's operator has not enabled" in replies[0]
        ix = await loopback.slash(guild, "spaces status", user=guild.moderator)
        await ix.settled()
        replies.append(ix.all_text())
        assert "off: the bot's operator has not enabled X API access" in replies[1], replies[1]
        ix = await loopback.slash(guild, "settings", user=guild.moderator)
        await ix.settled()
        replies.append(ix.all_text())
        assert "· 0 follows" in replies[2], replies[2]
        assert "0 server packs." in replies[2]
        assert "X API: the bot's operator has not enabled it" in replies[2]
        assert "MusicBrainz fallback: Off: the bot's operator has not enabled it." in replies[2]
        for text in replies:
            assert not re.search(r"\b[A-Z]+_[A-Z_]+\b", text), text
            assert "disabled" not in text


async def test_item_14_empty_autocomplete_shows_favourites_and_cards_hide_ids(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """An empty /artist search lists this server's most looked-up acts first, then acts with
    official X accounts (not the oldest acts); card footers show no catalog id."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        empty = await loopback.autocomplete(
            guild, "artist", options={"name": ""}, focused="name", user=guild.member
        )
        assert len(empty) == 25
        assert not any("Seo Taiji" in c["name"] for c in empty)
        defaults = [c["value"] for c in empty]
        for name in ("TWICE", "TWICE", "aespa"):
            ix = await loopback.slash(guild, "artist", options={"name": name}, user=guild.member)
            await ix.settled()
            footer = ix.embeds[0]["footer"]["text"]
            assert "Catalog entry" not in footer
            assert name.lower() not in footer.lower()
        empty = await loopback.autocomplete(
            guild, "artist", options={"name": ""}, focused="name", user=guild.member
        )
        assert [c["value"] for c in empty[:2]] == ["id:twice", "id:aespa"], empty[:3]
        assert len(empty) == 25
        assert len({c["value"] for c in empty}) == 25
        other = loopback.add_guild("Other Fans")
        there = await loopback.autocomplete(
            other.id, "artist", options={"name": ""}, focused="name", user=other.member
        )
        assert [c["value"] for c in there] == defaults


async def test_followed_artists_are_found_by_the_names_follow_accepts(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """`/spaces edit`, `test` and `unfollow` take "BTS" or "방탄소년단" as `/spaces follow` did."""
    fake.add_user("BTS_twt")
    fake.add_user("bts_bighit")
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (bot, _):
        await spaces_setup(loopback, guild)
        repo = bot.store.guild(guild.id).repo(SpacesRepo)
        ix = await loopback.slash(guild, "spaces follow", {"artist": "BTS"}, user=guild.moderator)
        await ix.settled(timeout=10)
        followed = await repo.list_follows()
        assert followed
        assert {f.artist_id for f in followed} == {"bts"}
        ix = await loopback.slash(
            guild, "spaces edit", {"artist": "BTS", "keywords": "concert"}, user=guild.moderator
        )
        await ix.settled(timeout=10)
        assert "doesn't follow" not in ix.all_text()
        assert all(f.keywords == ("concert",) for f in await repo.list_follows())
        ix = await loopback.slash(guild, "spaces test", {"artist": "BTS"}, user=guild.moderator)
        await ix.settled(timeout=10)
        assert "doesn't follow" not in ix.all_text()
        ix = await loopback.slash(
            guild, "spaces unfollow", {"artist": "방탄소년단"}, user=guild.moderator
        )
        await ix.settled(timeout=10)
        assert "Unfollowed" in ix.all_text()
        assert await repo.list_follows() == []
