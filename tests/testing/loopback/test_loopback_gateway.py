"""Gateway behaviour: RESUME with replay, guild joins/leaves and live world changes."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.testing.echo_bot import build_echo_bot
from bot.testing.loopback.harness import run_client_in_loop
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


async def test_resume_replays_missed_events(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """Events dispatched while the socket is down arrive after RESUME, without a new IDENTIFY."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        loopback.gateway.resume_gate.clear()
        await loopback.drop_connection()
        guild.update_role(guild.fans, name="Fans (renamed)")
        new = guild.add_channel("missed-while-down")
        loopback.gateway.resume_gate.set()
        await loopback.gateway.wait_for(lambda: loopback.gateway.resume_count == 1)
        await loopback.gateway.wait_for(lambda: bot.get_channel(new.id) is not None)
        cached = bot.get_guild(guild.id)
        assert cached is not None
        role = cached.get_role(guild.fans.id)
        assert role is not None
        assert role.name == "Fans (renamed)"
        assert loopback.gateway.identify_count == 1
        ix = await loopback.slash(guild, "echo", {"text": "still here"})
        await ix.response()
        assert ix.content == "still here"


async def test_guild_join_leave_and_channel_delete(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """add_guild dispatches a join, remove_guild a leave, remove_channel a CHANNEL_DELETE."""
    joined: list[int] = []
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:

        async def on_join(g: discord.Guild) -> None:
            joined.append(g.id)

        bot.add_listener(on_join, "on_guild_join")
        second = loopback.add_guild("Second")
        await loopback.gateway.wait_for(lambda: bool(joined))
        assert joined == [second.id]
        guild.remove_channel(guild.system)
        await loopback.gateway.wait_for(lambda: bot.get_channel(guild.system.id) is None)
        loopback.remove_guild(second)
        await loopback.gateway.wait_for(lambda: bot.get_guild(second.id) is None)
        cached = bot.get_guild(guild.id)
        assert cached is not None
        await cached.leave()
        await loopback.gateway.wait_for(lambda: bot.get_guild(guild.id) is None)
        assert loopback.requests_to("DELETE", r"^/users/@me/guilds/\d+$")


async def test_bot_permissions_follow_role_updates(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """set_bot_permissions updates the managed role; the client's cache sees the change."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        cached = bot.get_guild(guild.id)
        assert cached is not None
        assert cached.me.guild_permissions.manage_events
        guild.set_bot_permissions(manage_events=False)
        await loopback.gateway.wait_for(lambda: not cached.me.guild_permissions.manage_events)
        channel = cached.get_channel(guild.locked.id)
        assert isinstance(channel, discord.TextChannel)
        assert not channel.permissions_for(cached.me).send_messages


async def test_autosharded_bot_connects(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """AutoShardedBot asks GET /gateway/bot and identifies shard [0, 1]; READY carries `shard`."""
    bot = commands.AutoShardedBot(
        command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.05
    )
    async with run_client_in_loop(loopback, bot):
        assert bot.get_guild(guild.id) is not None
        assert bot.shard_count == 1
    assert loopback.requests_to("GET", r"^/gateway/bot$")
    identify = next(f for f in loopback.gateway.received if f["op"] == 2)
    assert identify["d"]["shard"] == [0, 1]
