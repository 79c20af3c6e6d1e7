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
    is_moderator_command,
    missing_channel_permissions,
    moderator_only,
    require_manage_guild,
    truncate,
)
from bot.core.invite import INVITE_PERMISSIONS, invite_url
from bot.core.loops import BackgroundLoop
from bot.core.tree import defer, respond

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)

EMBED_COLOUR = discord.Colour.from_rgb(255, 105, 180)
FIELD_LIMIT = 1024

# Which area a top-level command belongs to in /help; unknown ones fall under "More".
AREAS: dict[str, str] = {
    "artist": "Artists",
    "aliases": "Artists",
    "spaces": "Live Spaces",
    "trivia": "Trivia",
    "party": "Streaming parties",
    "timezone": "Streaming parties",
    "about": "Lightstick",
    "help": "Lightstick",
    "settings": "Lightstick",
}
AREA_ORDER = ("Artists", "Live Spaces", "Trivia", "Streaming parties", "Lightstick", "More")


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


def help_lines(tree: app_commands.CommandTree[Lightstick]) -> dict[str, list[str]]:
    """Group every leaf command by area, generated from the tree so it never goes stale."""
    areas: dict[str, list[str]] = {}
    for command in tree.walk_commands():
        if isinstance(command, app_commands.Group):
            continue
        root = command.qualified_name.split(" ", 1)[0]
        area = AREAS.get(root, "More")
        params = " ".join(
            f"{p.display_name}" if p.required else f"[{p.display_name}]" for p in command.parameters
        )
        usage = f"/{command.qualified_name}" + (f" {params}" if params else "")
        who = " (moderators)" if is_moderator_command(command) else ""
        areas.setdefault(area, []).append(f"`{usage}`{who} — {command.description}")
    return areas


def chunk_lines(lines: list[str], limit: int = FIELD_LIMIT) -> list[str]:
    """Pack lines into blocks no longer than an embed field allows."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        line = truncate(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            blocks.append(current)
            current = line
        else:
            current = candidate
    if current:
        blocks.append(current)
    return blocks


LOOP_LABELS = {
    "spaces-poller": "Checking X for Spaces",
    "spaces-fanout": "Posting Space announcements",
    "party-reminders": "Party reminders",
    "trivia-daily": "Daily trivia question",
    "housekeeping": "Clean-up of old data",
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
        why = "\n".join(
            f"**{name.replace('_', ' ').title()}**: {reason}" for name, reason in INVITE_PERMISSIONS
        )
        embed.add_field(
            name="Permissions it asks for, and why", value=truncate(why, FIELD_LIMIT), inline=False
        )
        await respond(interaction, embed=embed, ephemeral=True)

    @app_commands.command(name="help", description="Every Lightstick command, by area.")
    async def help(self, interaction: discord.Interaction) -> None:
        """List every command grouped by area, straight from the command tree."""
        areas = help_lines(self.bot.tree)
        embed = discord.Embed(title="Lightstick commands", colour=EMBED_COLOUR)
        for area in AREA_ORDER:
            for i, block in enumerate(chunk_lines(sorted(areas.get(area, [])))):
                embed.add_field(
                    name=area if i == 0 else f"{area} (more)", value=block, inline=False
                )
        embed.set_footer(text="Commands marked for moderators need the Manage Server permission.")
        await respond(interaction, embed=embed, ephemeral=True)

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
            broken = ", ".join(sorted(self.bot.failed_extensions))
            embed.add_field(
                name="Unavailable features", value=truncate(broken, FIELD_LIMIT), inline=False
            )
        await respond(interaction, embed=embed, ephemeral=True)

    async def post_setup_guide(self, guild: discord.Guild, *, first_time: bool) -> None:
        """Post a short setup guide in the system channel, if the bot may post there."""
        channel = guild.system_channel
        if channel is None or guild.me is None:
            return
        if missing_channel_permissions(
            channel, guild.me, ("view_channel", "send_messages", "embed_links")
        ):
            log.info("no permission to post the setup guide in server %s", guild.id)
            return
        title = "Thanks for adding Lightstick!" if first_time else "Lightstick is back!"
        embed = discord.Embed(
            title=title,
            colour=EMBED_COLOUR,
            description=(
                "Moderators (Manage Server), three steps:\n"
                "1. `/spaces setup` — pick the channel (and role) for live X Space announcements, "
                "then `/spaces follow` the artists.\n"
                "2. `/timezone server` — the default timezone for party times "
                "(Asia/Seoul unless you change it).\n"
                "3. `/settings` — check every feature at a glance.\n\n"
                "Everyone: `/artist`, `/trivia start`, `/party schedule`, and `/help` for the rest."
            ),
        )
        try:
            await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            log.warning("could not post the setup guide in server %s", guild.id, exc_info=True)


async def setup(bot: Lightstick) -> None:
    """Load the Core cog."""
    await bot.add_cog(Core(bot))
