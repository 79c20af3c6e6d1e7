"""Issue 18 review end to end: artist names, the picker, the setup guide, /help and wording."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.store.aliases import AliasRepo
from bot.store.spaces import SpacesRepo
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import running_bot
from bot.testing.loopback.entities import Overwrite
from bot.testing.loopback.interactions import InjectedInteraction
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import SEND_MESSAGES
from bot.testing.loopback.world import GuildFixture
from tests.cogs.test_ux_e2e import spaces_setup
from tests.cogs.test_ux_join_e2e import guide_text, guides_in, wait_for_guides

SPACE_URL = "https://x.com/i/spaces/1ReviewSpace01"


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        for handle in ("GOT7Official", "BLACKPINK", "JYPETWICE", "BTS_twt", "bts_bighit"):
            server.add_user(handle)
        yield server


async def run(
    loopback: LoopbackDiscord,
    guild: GuildFixture,
    command: str,
    options: dict[str, Any] | None = None,
    *,
    user: Any = None,
) -> InjectedInteraction:
    """Run a slash command (as the moderator unless told) and wait for its whole answer."""
    ix = await loopback.slash(guild, command, options=options or {}, user=user or guild.moderator)
    return await ix.settled(timeout=10)


def buttons(ix: InjectedInteraction) -> list[str]:
    """Return the labels of every button under the reply."""
    return [str(c.get("label")) for row in ix.components for c in row["components"]]


# -- item 1: one rule for every command that takes an artist ---------------------------------


async def test_item_1_moderator_commands_ask_did_you_mean_and_never_use_a_near_miss(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """`/spaces follow artist:OT7` (and blakpink, twcie) saves nothing and offers no Save: it
    asks "Did you mean GOT7?"; `/aliases add … artist:OT7` and `/spaces unfollow artist:OT7`
    refuse the same way; exact names, server aliases and @handles still work."""
    async with running_bot(loopback, tmp_path / "bot.db", fake) as (bot, _):
        await spaces_setup(loopback, guild)
        follows = bot.store.guild(guild.id).repo(SpacesRepo)
        for typed, meant in (("OT7", "GOT7"), ("blakpink", "BLACKPINK"), ("twcie", "TWICE")):
            ix = await run(loopback, guild, "spaces follow", {"artist": typed})
            assert ix.ephemeral
            text = ix.all_text()
            assert text.startswith(f"No act is called “{typed}”. Did you mean **{meant}"), text
            assert "again with the exact name" in text
            assert "Save" not in buttons(ix)
            assert await follows.list_follows() == []
        aliases = bot.store.guild(guild.id).repo(AliasRepo)
        ix = await run(loopback, guild, "aliases add", {"alias": "tannies", "artist": "OT7"})
        assert ix.ephemeral
        assert ix.content.startswith("No act is called “OT7”. Did you mean **GOT7"), ix.content
        assert await aliases.list_aliases() == []
        # What is exact is still taken at once: a name, then this server's own alias.
        ix = await run(loopback, guild, "aliases add", {"alias": "ahgase faves", "artist": "GOT7"})
        assert "now finds **GOT7" in ix.content, ix.content
        ix = await run(loopback, guild, "spaces follow", {"artist": "ahgase faves"})
        assert ix.all_text().startswith("Following **GOT7** (@GOT7Official)"), ix.all_text()
        assert [f.artist_id for f in await follows.list_follows()] == ["got7"]
        ix = await run(loopback, guild, "spaces unfollow", {"artist": "OT7"})
        assert "Did you mean **GOT7" in ix.content, ix.content
        assert len(await follows.list_follows()) == 1
        ix = await run(loopback, guild, "spaces follow", {"artist": "@JYPETWICE"})
        assert "Following **TWICE** (@JYPETWICE)" in ix.all_text(), ix.all_text()


async def test_item_1_announce_says_when_the_artist_is_no_known_act(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """`/spaces announce artist:blakpink` previews "blakpink" as typed but says it did not match
    a known act and asks "Did you mean BLACKPINK?"; a name no act is close to is allowed with
    the same warning; an exact name is shown as the catalog writes it, with no warning."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        await spaces_setup(loopback, guild)
        ix = await run(loopback, guild, "spaces announce", {"url": SPACE_URL, "artist": "blakpink"})
        text = ix.all_text()
        assert ix.ephemeral
        assert "“blakpink” did not match a known act. Did you mean **BLACKPINK" in text, text
        assert "**blakpink** is live on X Spaces" in text, text
        ix = await run(
            loopback, guild, "spaces announce", {"url": SPACE_URL, "artist": "Mina Radio Hour"}
        )
        assert "“Mina Radio Hour” did not match a known act" in ix.all_text(), ix.all_text()
        options = {"url": SPACE_URL, "artist": "blackpink"}
        ix = await run(loopback, guild, "spaces announce", options)
        text = ix.all_text()
        assert "**BLACKPINK** is live on X Spaces" in text, text
        assert "known act" not in text
        assert loopback.messages_in(guild.announcements.id) == []


async def test_item_1_party_artist_asks_did_you_mean(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """`/party schedule artist:blakpink` is refused with "Did you mean BLACKPINK?", not taken."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        options = {"title": "MV party", "when": "friday 8pm", "artist": "blakpink"}
        ix = await run(loopback, guild, "party schedule", options, user=guild.member)
        assert ix.ephemeral
        assert "No act is called “blakpink”. Did you mean **BLACKPINK" in ix.content, ix.content


# -- item 2: the picker -----------------------------------------------------------------------


async def test_item_2_picker_selects_nothing_and_closes_after_one_pick(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """The "Did you mean" picker has no option selected (the likeliest one can be clicked on a
    real client); after a pick the question loses its picker, so one picker posts one card."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        ix = await run(loopback, guild, "artist", {"name": "OT7"}, user=guild.member)
        [select] = ix.components[0]["components"]
        assert not any(o.get("default") for o in select["options"]), select["options"]
        assert select["options"][0]["value"] == "got7"
        pick = await loopback.click(ix, "artist:pick", user=guild.member, values=["got7"])
        card = await pick.wait_followup()
        assert card["embeds"][0]["title"].startswith("GOT7")
        assert ix.components == []
        assert "GOT7" in ix.content
        with pytest.raises(AssertionError, match="no component"):
            await loopback.click(ix, "artist:pick", user=guild.member, values=["got7"])
        assert len(pick.followups) == 1


# /help's examples, and what each one promises, checked on the reply it gets.
EXAMPLE_CHECKS = {
    "Artists": lambda ix: (
        not ix.ephemeral and ix.embeds[0]["title"].startswith("BLACKPINK"),
        "a public BLACKPINK card",
    ),
    "Live Spaces": lambda ix: (ix.ephemeral and "live" in ix.all_text().casefold(), "live list"),
    "Trivia": lambda ix: ("5 questions" in ix.content, "a five-question game"),
    "Streaming parties": lambda ix: ("MV party" in ix.all_text(), "a party preview"),
    "Timezones": lambda ix: ("Your timezone is now **Europe/Paris**" in ix.content, "zone"),
}


def parse_example(line: str) -> tuple[str, dict[str, Any]]:
    """Read "Example: `/party schedule title:MV party when:friday 8pm` …" into a command."""
    [typed] = re.findall(r"`(/[^`]+)`", line)[:1]
    words = re.split(r" (?=\w+:)", typed.removeprefix("/"))
    command = [w for w in words if ":" not in w]
    options: dict[str, Any] = {}
    for word in words[len(command) :]:
        key, value = word.split(":", 1)
        options[key] = int(value) if value.isdigit() else value
    return " ".join(command), options


async def test_item_2_every_help_example_does_what_help_says(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Each "Example:" line of /help, run as a member, gets the answer /help promises
    (`/artist name:블랙핑크` posts BLACKPINK's card), and none is refused."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        help_ix = await run(loopback, guild, "help", user=guild.member)
        examples = {
            field["name"]: line
            for field in help_ix.embeds[0]["fields"]
            for line in field["value"].splitlines()
            if line.startswith("Example: ")
        }
        assert set(examples) == set(EXAMPLE_CHECKS), examples
        for area, line in examples.items():
            command, options = parse_example(line)
            ix = await run(loopback, guild, command, options, user=guild.member)
            ok, promise = EXAMPLE_CHECKS[area](ix)
            assert ok, f"{line!r} should give {promise}; it answered {ix.all_text()!r}"
        await run(loopback, guild, "trivia stop", user=guild.member)
        # The Artists example also promises nicknames and any capitals.
        for typed, title in (("Bangtan", "BTS"), ("bLACKpINK", "BLACKPINK")):
            ix = await run(loopback, guild, "artist", {"name": typed}, user=guild.member)
            assert not ix.ephemeral
            assert ix.embeds[0]["title"].startswith(title), ix.all_text()


# -- item 3: the setup guide ------------------------------------------------------------------


async def test_item_3_rejoin_guide_reads_right_and_names_the_real_timezone(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """A server back with its own zone hears "I kept your server timezone Asia/Tokyo." (no
    "were kept" for one thing) and step 2 says the zone is Asia/Tokyo, not Asia/Seoul."""
    async with running_bot(loopback, tmp_path / "bot.db", None) as (bot, _):
        await wait_for_guides(loopback, guild)
        await run(loopback, guild, "timezone server", {"zone": "Asia/Tokyo"})
        loopback.remove_guild(guild.id)
        for _ in range(200):
            if await bot.store.guilds.left_at(guild.id) is not None:
                break
            await asyncio.sleep(0.01)
        loopback.readd_guild(guild)
        guides = await wait_for_guides(loopback, guild, 2)
        text = guide_text(guides[1][1])
        assert "Welcome back! I kept your server timezone Asia/Tokyo." in text, text
        assert "were kept" not in text
        assert "it is Asia/Tokyo until you change it" in text, text
        assert "Asia/Seoul" not in text


async def test_item_3_guide_without_x_names_each_command_once(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Without X access, step 1 names `/trivia start` and `/party schedule`; the "Everyone"
    line does not name them again: no command is introduced twice."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        [(_, post)] = await wait_for_guides(loopback, guild)
        text = guide_text(post)
        commands = re.findall(r"`(/[a-z ]+)`", text)
        assert "/trivia start" in commands
        assert "/party schedule" in commands
        repeated = {c for c in commands if commands.count(c) > 1}
        assert not repeated, text
        assert "Everyone: `/artist` shows any act's card and `/help` lists the rest." in text


def no_channel_for_the_bot(guild: GuildFixture) -> None:
    """The bot may send messages in no channel of the server."""
    for channel in guild.channels.values():
        channel.overwrites = [Overwrite(guild.bot.id, 1, deny=SEND_MESSAGES)]


async def test_item_3_settings_says_when_no_channel_takes_the_guide(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Joined where no channel lets it post, the bot posts no guide, and /settings tells
    moderators so, also after a restart; a server with a channel for it hears nothing of it."""
    db = tmp_path / "bot.db"
    closed = loopback.add_guild("Closed", prepare=no_channel_for_the_bot)
    async with running_bot(loopback, db, None):
        await wait_for_guides(loopback, guild)
        assert guides_in(loopback, closed) == []
        ix = await run(loopback, closed, "settings")
        assert "I cannot post the setup guide: no channel lets me send messages" in (
            ix.all_text()
        ), ix.all_text()
        ix = await run(loopback, guild, "settings")
        assert "setup guide" not in ix.all_text()
    async with running_bot(loopback, db, None):
        ix = await run(loopback, closed, "settings")
        assert "I cannot post the setup guide" in ix.all_text()


# -- item 4: wording --------------------------------------------------------------------------


async def test_item_4_shared_names_are_told_apart(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """`/spaces follow artist:Jimin` names both Jimins by what tells them apart (BTS, AOA),
    not "(Jimin, Jimin)"."""
    async with running_bot(loopback, tmp_path / "bot.db", fake):
        await spaces_setup(loopback, guild)
        ix = await run(loopback, guild, "spaces follow", {"artist": "Jimin"})
        text = ix.all_text()
        assert ix.ephemeral
        assert text.startswith("“Jimin” could be several acts: **Jimin"), text
        assert "(BTS)" in text
        assert "AOA" in text
        assert "Jimin, Jimin" not in text


async def test_item_4_a_taken_alias_names_its_act(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Adding "army" again says which act it already finds, and how to point it elsewhere."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        await run(loopback, guild, "aliases add", {"alias": "army", "artist": "BTS"})
        ix = await run(loopback, guild, "aliases add", {"alias": "ARMY", "artist": "TWICE"})
        assert ix.ephemeral
        assert "“army” is already an alias here: it finds **BTS" in ix.content, ix.content
        assert "`/aliases remove alias:army`" in ix.content


async def test_item_4_double_braces_are_explained_with_what_was_written(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, tmp_path: Path
) -> None:
    """`{{artist}}` is refused naming `{{artist}}` and the one-pair form, not as "a `{`
    without its `}`"; an open brace is shown in the moderator's own words."""
    async with running_bot(loopback, tmp_path / "bot.db", fake):
        await spaces_setup(loopback, guild)
        options = {"artist": "@JYPETWICE", "template": "{{artist}} is live"}
        ix = await run(loopback, guild, "spaces follow", options)
        text = ix.all_text()
        assert "`{{artist}}` has two pairs of braces; a placeholder takes one pair: `{artist}`" in (
            text
        ), text
        assert "without its" not in text
        options = {"artist": "@JYPETWICE", "template": "{artist} live: {title"}
        ix = await run(loopback, guild, "spaces follow", options)
        assert "a `{` without its `}` in `{artist} live: {title`" in ix.all_text(), ix.all_text()


# -- item 5: /help ----------------------------------------------------------------------------


async def test_item_5_pack_template_is_in_the_moderators_section_only(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Members' /help does not offer `/trivia pack template` (they cannot import a pack);
    moderators find it in their section, and a member who runs it is told it is theirs."""
    async with running_bot(loopback, tmp_path / "bot.db", None):
        ix = await run(loopback, guild, "help", user=guild.member)
        assert "/trivia pack template" not in ix.all_text()
        ix = await run(loopback, guild, "help")
        first, staff = ix.embeds
        assert "/trivia pack template" not in str(first)
        assert "`/trivia pack template`" in str(staff)
        ix = await run(loopback, guild, "trivia pack template", user=guild.member)
        assert ix.ephemeral
        assert "Only moderators can do this" in ix.content
