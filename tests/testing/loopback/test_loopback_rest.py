"""REST behaviour: rate limits and 429s, faults, files, scheduled events, DMs, permissions."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import aiohttp
import discord
import pytest

from bot.testing.echo_bot import build_echo_bot
from bot.testing.loopback.harness import run_client_in_loop
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import ADMINISTRATOR, MANAGE_GUILD, SEND_MESSAGES, VIEW_CHANNEL
from bot.testing.loopback.world import GuildFixture


async def _general(bot: discord.Client, guild: GuildFixture) -> discord.TextChannel:
    channel = bot.get_channel(guild.general.id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_bucket_headers_make_discord_py_wait(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """With 3 sends per 0.5 s, the client waits on the headers and never sees a 429."""
    loopback.rate_limits.set_route_limit("channel-send", 3, 0.5)
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        channel = await _general(bot, guild)
        started = time.monotonic()
        for i in range(5):
            await channel.send(f"m{i}")
        assert time.monotonic() - started >= 0.4
    sends = loopback.requests_to("POST", r"^/channels/\d+/messages$")
    assert len(sends) == 5
    assert loopback.rate_limits.hits == 0
    assert sends[0].status == 200


async def test_429_with_via_is_retried(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """A scripted 429 (Via + retry_after) is retried by discord.py; one message results."""
    loopback.fail_next("POST", r"^/channels/\d+/messages$", 429)
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        await (await _general(bot, guild)).send("after a 429")
    statuses = [r.status for r in loopback.requests_to("POST", r"^/channels/\d+/messages$")]
    assert statuses == [429, 200]
    assert loopback.rate_limits.hits == 1
    assert [m["content"] for m in loopback.messages_in(guild.general)] == ["after a 429"]


async def test_exceeding_a_bucket_answers_429(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A client ignoring the headers gets Discord's 429 body, Via and bucket headers."""
    loopback.rate_limits.set_route_limit("channel-send", 2, 5.0)
    url = f"{loopback.api_base}/channels/{guild.general.id}/messages"
    headers = {"Authorization": f"Bot {loopback.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        answers = [await http.post(url, json={"content": str(i)}) for i in range(3)]
        assert [a.status for a in answers] == [200, 200, 429]
        assert answers[1].headers["X-RateLimit-Remaining"] == "0"
        assert answers[2].headers["Via"]
        body = await answers[2].json()
        assert body["global"] is False
        assert 0 < body["retry_after"] <= 5.0
    assert loopback.rate_limits.hits == 1


async def test_files_are_recorded_and_served(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A multipart send records file name and bytes and stores a fetchable attachment."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        import io

        await (await _general(bot, guild)).send(
            "cal", file=discord.File(io.BytesIO(b"BEGIN:VCALENDAR"), "x.ics")
        )
    (req,) = loopback.requests_to("POST", r"^/channels/\d+/messages$")
    assert [(f.filename, f.data) for f in req.files] == [("x.ics", b"BEGIN:VCALENDAR")]
    (msg,) = loopback.messages_in(guild.general)
    assert msg["attachments"][0]["filename"] == "x.ics"
    async with aiohttp.ClientSession() as http, http.get(msg["attachments"][0]["url"]) as r:
        assert await r.read() == b"BEGIN:VCALENDAR"


async def test_scheduled_events_need_manage_events_and_cap_at_100(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Events are created with MANAGE_EVENTS, refused with 50013 without it and 30038 past 100."""
    start = datetime.now(UTC) + timedelta(days=1)
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        g = bot.get_guild(guild.id)
        assert g is not None
        kwargs = {
            "name": "Comeback",
            "start_time": start,
            "end_time": start + timedelta(hours=1),
            "entity_type": discord.EntityType.external,
            "location": "Online",
            "privacy_level": discord.PrivacyLevel.guild_only,
        }
        event = await g.create_scheduled_event(**kwargs)  # type: ignore[arg-type]
        assert [e["name"] for e in loopback.scheduled_events(guild)] == ["Comeback"]
        await event.edit(name="Comeback live")
        assert loopback.scheduled_events(guild)[0]["name"] == "Comeback live"
        for i in range(99):
            guild.scheduled_events[i] = {**loopback.scheduled_events(guild)[0], "id": str(i)}
        with pytest.raises(discord.HTTPException) as caught:
            await g.create_scheduled_event(**kwargs)  # type: ignore[arg-type]
        assert caught.value.code == 30038
        guild.set_bot_permissions(manage_events=False)
        with pytest.raises(discord.Forbidden):
            await g.create_scheduled_event(**kwargs)  # type: ignore[arg-type]


async def test_dm_round_trip(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """Opening a DM and sending to it stores the message in the DM channel."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        user = await bot.fetch_user(guild.member.id)
        msg = await user.send("psst")
        assert [m["content"] for m in loopback.messages_in(msg.channel.id)] == ["psst"]
        guild.member.user.accepts_dms = False
        with pytest.raises(discord.Forbidden):
            await user.send("again")


def test_permission_algorithm(loopback: LoopbackDiscord) -> None:
    """Owner/admin get everything; overwrites deny the bot in #locked; members cannot post news."""
    g = loopback.add_guild()
    assert g.permissions_in(g.owner, g.locked) & ADMINISTRATOR
    assert g.permissions_in(g.admin, g.announcements) & SEND_MESSAGES
    assert not g.bot_permissions_in(g.locked) & SEND_MESSAGES
    assert g.bot_permissions_in(g.locked) & VIEW_CHANNEL
    assert g.bot_permissions_in(g.announcements) & SEND_MESSAGES
    assert not g.permissions_in(g.member, g.announcements) & SEND_MESSAGES
    assert g.base_permissions(g.moderator) & MANAGE_GUILD
    everything = g.base_permissions(g.everything_but_manage)
    assert not everything & (MANAGE_GUILD | ADMINISTRATOR)
    assert everything & SEND_MESSAGES
