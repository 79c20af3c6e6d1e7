"""Broken announcement channels: tell moderators when Spaces stop, re-check, say when they resume.

A 403 marks a channel broken (the fan-out skips it). It is checked again when the bot rejoins
the server, when the channel's (or the bot's role's) permissions change, and every
RECHECK_MINUTES; a channel the bot can announce in again is cleared and moderators are told.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.core.checks import missing_channel_permissions, safe_text
from bot.core.loops import BackgroundLoop
from bot.store.spaces import SpacesRepo
from bot.store.spaces_tracking import SpaceTrackingRepo
from cogs.spaces.helpers import NEEDED

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)

RECHECK_MINUTES = 15.0


class ChannelHealth:
    """Re-check broken channels of a server and tell its moderators about changes."""

    def __init__(self, bot: Lightstick, tracking: SpaceTrackingRepo) -> None:
        self.bot = bot
        self._tracking = tracking

    def _repo(self, guild_id: int) -> SpacesRepo:
        return self.bot.store.guild(guild_id).repo(SpacesRepo)

    async def recheck(self, guild: discord.Guild) -> list[int]:
        """Clear the broken mark of every channel the bot can announce in again; return them."""
        repo = self._repo(guild.id)
        me = guild.me
        restored: list[int] = []
        for broken in await repo.list_broken():
            channel = guild.get_channel(broken.channel_id)
            if not isinstance(channel, discord.TextChannel):
                continue
            if missing_channel_permissions(channel, me, NEEDED):
                continue
            await repo.clear_broken(channel.id)
            restored.append(channel.id)
            log.info("Spaces channel %s in server %s works again", channel.id, guild.id)
            await self.tell(
                guild,
                f"✅ X Space announcements in {channel.mention} resumed: I can post there again.",
            )
        return restored

    async def recheck_all(self) -> None:
        """Re-check every server that has a broken channel (the periodic pass)."""
        guild_ids = {g for g, _ in await self._tracking.broken_channels()}
        for guild_id in sorted(guild_ids):
            guild = self.bot.get_guild(guild_id)
            if guild is not None:
                await self.recheck(guild)

    async def tell_stopped(self, guild_id: int, channel_id: int, reason: str) -> None:
        """Tell moderators that announcements in a channel stopped, and how to fix it."""
        guild = self.bot.get_guild(guild_id)
        if guild is None:
            return
        await self.tell(
            guild,
            f"⚠️ X Space announcements in <#{channel_id}> stopped: {safe_text(reason, 100)}. "
            "Give me View Channel, Send Messages and Embed Links there (or run `/spaces setup`); "
            "I'll notice and resume by myself.",
        )

    async def tell(self, guild: discord.Guild, text: str) -> None:
        """Post a notice for moderators in the server's system channel (where the setup guide
        goes), if the bot may; pings nobody. `/settings` shows the same state."""
        channel = guild.system_channel
        me = guild.me
        if channel is None or me is None:
            return
        if missing_channel_permissions(channel, me, ("view_channel", "send_messages")):
            return
        try:
            await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            log.warning("could not post a Spaces notice in server %s", guild.id, exc_info=True)


class SpacesHealth(commands.Cog):
    """Listeners and the periodic pass that bring broken Spaces channels back."""

    def __init__(self, bot: Lightstick, health: ChannelHealth) -> None:
        self.bot = bot
        self.health = health
        self._loop = BackgroundLoop(
            "spaces-recheck",
            self.recheck_broken,
            interval=RECHECK_MINUTES * 60,
            before=self._wait_first_interval,
            clock=bot.clock,
        )

    async def cog_load(self) -> None:
        """Start the periodic re-check."""
        self.bot.start_loop(self._loop)

    async def cog_unload(self) -> None:
        """Stop the periodic re-check (a reload starts it again)."""
        await self.bot.stop_loop(self._loop)

    async def recheck_broken(self) -> None:
        """Clear channels the bot can announce in again (a permission came back quietly)."""
        await self.health.recheck_all()

    async def _wait_first_interval(self) -> None:
        # The first pass waits a full interval: at start every channel is as the last run left
        # it, and rejoins and permission changes are handled by the listeners below.
        await self.bot.wait_until_ready()
        await asyncio.sleep(RECHECK_MINUTES * 60)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """A rejoin: channels marked broken while the bot was away may work again."""
        await self.health.recheck(guild)

    @commands.Cog.listener()
    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        """A channel's overwrites changed: re-check the server's broken channels."""
        if before.overwrites != after.overwrites:
            await self.health.recheck(after.guild)

    @commands.Cog.listener()
    async def on_guild_role_update(self, before: discord.Role, after: discord.Role) -> None:
        """The bot's own role changed permissions: re-check the server's broken channels."""
        if after in after.guild.me.roles and before.permissions != after.permissions:
            await self.health.recheck(after.guild)
