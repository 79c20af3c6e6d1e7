"""Core commands: /about, /help, /settings, and the setup guide posted when the bot joins."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import (
    is_moderator,
    moderator_only,
    permission_name,
    require_manage_guild,
    truncate,
)
from bot.core.invite import INVITE_PERMISSIONS, invite_url
from bot.core.loops import BackgroundLoop
from bot.core.tree import defer, respond
from bot.store.timezones import TimezoneRepo
from cogs.guide import guide_channel, guide_text, kept_parts
from cogs.help import help_embeds, help_lines

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)

EMBED_COLOUR = discord.Colour.from_rgb(255, 105, 180)
FIELD_LIMIT = 1024
NO_GUIDE_CHANNEL = (
    "I cannot post the setup guide: no channel lets me send messages. Allow me View Channel, "
    "Send Messages and Embed Links in at least one text channel; until then nothing I post in "
    "a channel (Space announcements, parties, trivia) can appear. Replies to commands still "
    "work."
)


def format_uptime(since: datetime, now: datetime) -> str:
    """Render an uptime like '3d 4h 5m'."""
    seconds = max(int((now - since).total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d"] if days else []
    if days or hours:
        parts.append(f"{hours}h")
    parts.append(f"{minutes}m")
    return " ".join(parts)


LOOP_LABELS = {
    "spaces-poller": "Checking X for Spaces",
    "spaces-fanout": "Posting Space announcements",
    "party-reminders": "Party reminders",
    "trivia-daily": "Daily trivia question",
    "housekeeping": "Clean-up of old data",
    "cluster-heartbeat": "Keeping in touch with the other Lightstick processes",
    "spaces-recheck": "Re-checking broken Spaces channels",
}


def describe_loops(loops: Iterable[BackgroundLoop]) -> str:
    """Say in words which background jobs are failing or recently failed, with their log codes."""
    lines = []
    for loop in sorted(loops, key=lambda item: item.name):
        error = loop.last_error
        if error is None:
            continue
        label = LOOP_LABELS.get(loop.name, loop.name)
        when = discord.utils.format_dt(error.at, "R")
        if loop.failures:
            times = "once" if loop.failures == 1 else f"{loop.failures} times in a row"
            lines.append(
                f"{label}: failing since {when}, {times} (error code {error.code}); "
                "it keeps retrying on its own."
            )
        else:
            lines.append(
                f"{label}: working again; the last failure was {when} (code {error.code})."
            )
    return "\n".join(lines) or "Everything is running."


class Core(commands.Cog):
    """About, help, settings and the server lifecycle."""

    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    @app_commands.command(
        name="about", description="What Lightstick is, its version, and how to invite it."
    )
    async def about(self, interaction: discord.Interaction) -> None:
        """Show version, uptime, server count and the invite link with its permissions."""
        bot = self.bot
        embed = discord.Embed(
            title="Lightstick",
            description=(
                "Artist cards, live X Space announcements, K-pop trivia and streaming parties "
                "for fan servers."
            ),
            colour=EMBED_COLOUR,
        )
        embed.add_field(name="Version", value=bot.version)
        embed.add_field(name="Uptime", value=format_uptime(bot.started_at, datetime.now(UTC)))
        embed.add_field(name="Servers", value=str(len(bot.guilds)))
        if bot.application_id is not None:
            embed.add_field(
                name="Invite",
                value=f"[Add Lightstick to a server]({invite_url(bot.application_id)})",
                inline=False,
            )
        if bot.settings.docs_url:
            embed.add_field(
                name="Guide", value=f"[Lightstick's guide]({bot.settings.docs_url})", inline=False
            )
        why = "\n".join(
            f"**{permission_name(name)}**: {reason}" for name, reason in INVITE_PERMISSIONS
        )
        embed.add_field(
            name="Permissions it asks for, and why", value=truncate(why, FIELD_LIMIT), inline=False
        )
        await respond(interaction, embed=embed, ephemeral=True)

    @app_commands.command(name="help", description="Lightstick's commands, with examples.")
    async def help(self, interaction: discord.Interaction) -> None:
        """Show members' commands by area; moderators (Manage Server, read now) see theirs too."""
        embeds = help_embeds(
            help_lines(self.bot.tree),
            moderator=interaction.guild is not None and is_moderator(interaction.permissions),
            colour=EMBED_COLOUR,
            docs_url=self.bot.settings.docs_url,
        )
        await respond(interaction, embeds=embeds, ephemeral=True)

    @app_commands.command(
        name="settings",
        description="Moderators: every Lightstick setting of this server.",
        extras=moderator_only(),
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def settings(self, interaction: discord.Interaction) -> None:
        """Show each feature's state here: configured, missing permission, needs a token."""
        require_manage_guild(interaction)
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        await defer(interaction)
        embed = discord.Embed(title="Lightstick settings for this server", colour=EMBED_COLOUR)
        guild = interaction.guild
        if guild is not None and guild.me is not None and guide_channel(guild) is None:
            # Read from Discord's permissions now, so it holds across restarts without a record.
            embed.add_field(name="Setup guide", value=NO_GUIDE_CHANNEL, inline=False)
        for name, cog in sorted(self.bot.cogs.items()):
            section = getattr(cog, "settings_section", None)
            if section is None:
                continue
            try:
                title, value = await section(interaction.guild_id)
            except Exception:
                log.exception("settings section of %s failed", name)
                title, value = name, "Could not read this feature's state right now."
            embed.add_field(
                name=truncate(title, 256), value=truncate(value or "—", FIELD_LIMIT), inline=False
            )
        embed.add_field(
            name="Background work",
            value=truncate(describe_loops(self.bot.loops.values()), FIELD_LIMIT),
            inline=False,
        )
        if self.bot.failed_extensions:
            # "cogs.parties" is the operator's name for it; moderators read "parties".
            broken = ", ".join(sorted(n.rsplit(".", 1)[-1] for n in self.bot.failed_extensions))
            embed.add_field(
                name="Unavailable features", value=truncate(broken, FIELD_LIMIT), inline=False
            )
        await respond(interaction, embed=embed, ephemeral=True)

    async def post_setup_guide(self, guild: discord.Guild, *, first_time: bool) -> None:
        """Post the setup guide in the first channel the bot may speak in; ping nobody.

        A returning server (`first_time` False) hears what was kept of its data.
        """
        channel = guide_channel(guild)
        if channel is None:
            # /settings tells moderators (NO_GUIDE_CHANNEL) for as long as this lasts.
            log.info("no channel to post the setup guide in server %s", guild.id)
            return
        kept = [] if first_time else await kept_parts(self.bot.cogs.items(), guild.id)
        zone = await self.bot.store.guild(guild.id).repo(TimezoneRepo).get_guild_timezone()
        title, text = guide_text(
            first_time=first_time, x_enabled=self.bot.x_client is not None, kept=kept, zone=zone
        )
        embed = discord.Embed(title=title, colour=EMBED_COLOUR, description=text)
        try:
            await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            log.warning("could not post the setup guide in server %s", guild.id, exc_info=True)


async def setup(bot: Lightstick) -> None:
    """Load the Core cog."""
    await bot.add_cog(Core(bot))
