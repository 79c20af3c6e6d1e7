"""Issue 18, items 8 and 9 end to end: the setup guide a server gets, and /help."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.domain.parties.model import PartyDraft
from bot.domain.trivia.game import Answer
from bot.domain.trivia.selection import Pick
from bot.store.parties import PartyRepo
from bot.store.spaces import Follow, SpacesRepo
from bot.store.trivia import TriviaRepo
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import running_bot
from bot.testing.loopback.entities import Overwrite
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import EMBED_LINKS, MANAGE_GUILD, SEND_MESSAGES
from bot.testing.loopback.world import GuildFixture


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


def guides_in(loopback: LoopbackDiscord, guild: GuildFixture) -> list[tuple[int, dict[str, Any]]]:
    """Return (channel id, message) of every setup guide the bot posted in `guild`."""
    return [
        (channel_id, message)
        for channel_id in guild.channels
        for message in loopback.messages_in(channel_id)
        if any("Lightstick" in (e.get("title") or "") for e in message.get("embeds", []))
    ]


async def wait_for_guides(
    loopback: LoopbackDiscord, guild: GuildFixture, count: int = 1
) -> list[tuple[int, dict[str, Any]]]:
    """Wait (up to 5 s) until `guild` holds `count` guides; return them all."""
    for _ in range(500):
        if len(guides_in(loopback, guild)) >= count:
            break
        await asyncio.sleep(0.01)
    return guides_in(loopback, guild)


def guide_text(message: dict[str, Any]) -> str:
    """The guide's title and text as members read them."""
    [embed] = message["embeds"]
    return f"{embed['title']}\n{embed['description']}"


def shut_out_of_system_and_general(guild: GuildFixture) -> None:
    """The bot may not post in the system channel, nor embed in #general (before it joins)."""
    guild.system.overwrites = [Overwrite(guild.bot.id, 1, deny=SEND_MESSAGES)]
    guild.general.overwrites = [Overwrite(guild.bot.id, 1, deny=EMBED_LINKS)]


async def test_item_08_guide_finds_a_channel_and_reaches_servers_joined_while_offline(
    loopback: LoopbackDiscord, fake: FakeX, tmp_path: Path
) -> None:
    """A server invited while the bot was offline gets the guide once at READY (not again on a
    restart), in the first channel where the bot may post embeds when the system channel is
    closed to it; step 1 follows what the operator enabled; nobody is pinged."""
    db = tmp_path / "bot.db"
    offline = loopback.add_guild("Invited while offline", prepare=shut_out_of_system_and_general)
    async with running_bot(loopback, db, None):
        [(channel_id, post)] = await wait_for_guides(loopback, offline)
        assert channel_id == offline.announcements.id
        text = guide_text(post)
        assert loopback.pings(post).nobody
        assert "<@" not in text
        steps = text.split("\n1. ", 1)[1]
        assert steps.startswith("`/spaces announce`"), steps
        assert "`/trivia start`" in steps.split("\n2. ")[0]
        assert "`/party schedule`" in steps.split("\n2. ")[0]
        assert "/spaces follow" not in text
        assert "operator has not enabled" in text
        # Joined while online, with X access: step 1 is /spaces setup and /spaces follow.
    async with running_bot(loopback, db, fake):
        await asyncio.sleep(0.3)
        assert len(guides_in(loopback, offline)) == 1, "a restart must not post the guide again"
        online = loopback.add_guild("Joined while online", prepare=lambda g: _no_system(g))
        [(channel_id, post)] = await wait_for_guides(loopback, online)
        assert channel_id == online.general.id
        steps = guide_text(post).split("\n1. ", 1)[1]
        assert steps.startswith("`/spaces setup`"), steps
        assert "`/spaces follow`" in steps.split("\n2. ")[0]
        assert loopback.pings(post).nobody
    async with running_bot(loopback, db, fake):
        await asyncio.sleep(0.3)
        assert len(guides_in(loopback, online)) == 1
        assert len(guides_in(loopback, offline)) == 1


def _no_system(guild: GuildFixture) -> None:
    guild.system_channel_id = None


async def seed_kept_data(bot: Any, guild: GuildFixture) -> None:
    """Give `guild` 3 followed artists, 2 upcoming parties and trivia scores."""
    scope = bot.store.guild(guild.id)
    await scope.repo(SpacesRepo).set_config(guild.announcements.id, None)
    await scope.repo(SpacesRepo).upsert_follows(
        [
            Follow(f"{name}_twt", f"{name}_twt", name, name.upper(), f"{i}00")
            for i, name in enumerate(("bts", "twice", "aespa"), 1)
        ]
    )
    now = bot.clock()
    for title in ("MV party", "Comeback watch"):
        draft = PartyDraft(
            title=title,
            starts_at=now + timedelta(days=2),
            duration=timedelta(hours=1),
            channel_id=guild.general.id,
            organiser_id=guild.member.id,
            zone="Asia/Seoul",
        )
        await scope.repo(PartyRepo).create_party(draft, now=now)
    trivia = scope.repo(TriviaRepo)
    game = await trivia.start_game(
        channel_id=guild.general.id,
        starter_id=guild.member.id,
        pick=Pick(("a",), False, ("a",)),
        pool=("a",),
        seed=1,
        seconds=20,
        now=now,
    )
    await trivia.open_question(game, 0, 0, 0)
    await trivia.record_answer(game, 0, guild.member.id, 0, Answer(0, 0, True, 150, 1.0), now)
    await trivia.end_game(game, "finished", now)


async def test_item_08_a_server_back_within_its_grace_hears_what_was_kept(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Re-invited within the 30-day grace, online or while the bot was offline, a server is
    welcomed back with what was kept: its followed artists, parties and trivia scores."""
    db = tmp_path / "bot.db"
    async with running_bot(loopback, db, None) as (bot, _):
        await wait_for_guides(loopback, guild)
        await seed_kept_data(bot, guild)
        loopback.remove_guild(guild.id)
        for _ in range(200):
            if await bot.store.guilds.left_at(guild.id) is not None:
                break
            await asyncio.sleep(0.01)
        loopback.readd_guild(guild)
        guides = await wait_for_guides(loopback, guild, 2)
        assert len(guides) == 2, guides
        text = guide_text(guides[1][1])
        assert text.startswith("Lightstick is back!"), text
        assert (
            "Welcome back! I kept your 3 followed artists, 2 upcoming parties and trivia "
            "scores." in text
        ), text
        assert loopback.pings(guides[1][1]).nobody
        loopback.remove_guild(guild.id)
        for _ in range(200):
            if await bot.store.guilds.left_at(guild.id) is not None:
                break
            await asyncio.sleep(0.01)
    loopback.readd_guild(guild)  # while the bot is offline
    async with running_bot(loopback, db, None):
        guides = await wait_for_guides(loopback, guild, 3)
        assert len(guides) == 3, guides
        assert "Welcome back! I kept your 3 followed artists" in guide_text(guides[2][1])


async def test_item_09_help_shows_members_theirs_and_moderators_theirs_apart(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """/help gives members their commands with a "start here" line, an example per area and a
    link to the guide; people with Manage Server, read when they run it, also get their own
    section, and "(moderators)" is never repeated line after line."""
    async with running_bot(loopback, tmp_path / "bot.db", None) as (bot, _):
        # DOCS_URL is where the operator publishes the README; unset, no link is shown.
        bare = await loopback.slash(guild, "help", user=guild.member)
        await bare.settled()
        assert "guide]" not in bare.all_text()
        docs = "https://docs.example.org/lightstick#readme"
        bot.settings = bot.settings.model_copy(update={"docs_url": docs})
        ix = await loopback.slash(guild, "help", user=guild.member)
        await ix.settled()
        assert ix.ephemeral
        [members] = ix.embeds
        text = ix.all_text()
        assert members["description"].startswith("**Start here:** `/artist"), members
        assert f"]({docs})" in members["description"]
        for area, example in (
            ("Artists", "`/artist name:"),
            ("Live Spaces", "`/spaces live`"),
            ("Trivia", "`/trivia start questions:"),
            ("Streaming parties", "`/party schedule title:"),
            ("Timezones", "`/timezone set zone:"),
        ):
            [field] = [f for f in members["fields"] if f["name"] == area]
            [line] = [x for x in field["value"].splitlines() if x.startswith("Example: ")]
            assert line.startswith(f"Example: {example}"), line
        for command in ("/artist", "/trivia start", "/party schedule", "/timezone set", "/help"):
            assert f"`{command}" in text, command
        for command in ("/spaces setup", "/settings", "/aliases add", "/trivia settings"):
            assert command not in text, command
        assert "moderators)" not in text.casefold()
        ix = await loopback.slash(
            guild, "help", user=guild.everything_but_manage, override_permissions=True
        )
        await ix.settled()
        assert len(ix.embeds) == 1
        guild.update_role(
            guild.everything_role, permissions=guild.everything_role.permissions | MANAGE_GUILD
        )
        await asyncio.sleep(0.1)
        for person in (guild.moderator, guild.everything_but_manage):
            ix = await loopback.slash(guild, "help", user=person)
            await ix.settled()
            first, staff = ix.embeds
            assert first["description"].startswith("**Start here:** `/settings`"), first
            assert staff["title"] == "For moderators"
            staff_text = "\n".join(f["value"] for f in staff["fields"])
            for command in ("/spaces setup channel", "/settings", "/aliases add alias artist"):
                assert f"`{command}" in staff_text, command
            assert "/spaces setup" not in str(first)
            whole = ix.all_text()
            assert "moderators)" not in whole.casefold()
            assert "Moderators:" not in whole
            assert sum(len(f["value"]) for e in ix.embeds for f in e["fields"]) < 6000
