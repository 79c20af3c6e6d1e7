"""/timezone: each member's own zone for reading party times, and the server default."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import moderator_only, require_manage_guild
from bot.core.tree import respond
from bot.domain.text import plural
from bot.domain.timeparse import resolve_zone, search_zones
from bot.store.guilds import DEFAULT_TIMEZONE
from bot.store.timezones import TimezoneRepo

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)

ZONE_OPTION_MAX = 64
CHOICE_NAME_MAX = 100


def utc_offset(zone: ZoneInfo, now: datetime) -> str:
    """Render the zone's current offset as 'UTC+09:00' (or 'UTC' for zero)."""
    offset = now.astimezone(zone).utcoffset()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def local_clock(zone: ZoneInfo, now: datetime) -> str:
    """Render the wall time in `zone` as plain text, e.g. 'Sun 22 Nov, 13:30, UTC-03:00'.

    No parentheses: callers put the whole clock in parentheses of their own.
    """
    local = now.astimezone(zone)
    return f"{local:%a %d %b, %H:%M}, {utc_offset(zone, now)}"


def zone_choice_name(zone: str, now: datetime) -> str:
    """Label an autocomplete choice with the zone's offset and local time, within 100 chars."""
    info = ZoneInfo(zone)
    label = f"{zone} — {utc_offset(info, now)}, now {now.astimezone(info):%H:%M}"
    return label[:CHOICE_NAME_MAX]


@app_commands.guild_only()
class Timezone(
    commands.GroupCog,
    group_name="timezone",
    group_description="Your timezone for party times, and the server default.",
):
    """Member timezones for party times; moderators set the server default."""

    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot
        super().__init__()

    def _repo(self, guild_id: int) -> TimezoneRepo:
        return self.bot.store.guild(guild_id).repo(TimezoneRepo)

    async def zone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest zones for what the member typed: city, IANA name or abbreviation."""
        now = self.bot.clock()
        return [
            app_commands.Choice(name=zone_choice_name(zone, now), value=zone)
            for zone in search_zones(current, limit=25)
        ]

    @app_commands.command(name="set", description="Set your timezone, used to read party times.")
    @app_commands.describe(zone="Your city or IANA zone, e.g. Asia/Manila, Europe/Paris")
    @app_commands.autocomplete(zone=zone_autocomplete)
    async def set_zone(
        self,
        interaction: discord.Interaction,
        zone: app_commands.Range[str, 1, ZONE_OPTION_MAX],
    ) -> None:
        """Save the member's zone and echo the local time there so they can check it."""
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        info = resolve_zone(zone)
        await self._repo(interaction.guild_id).set_member_timezone(interaction.user.id, info.key)
        now = self.bot.clock()
        await respond(
            interaction,
            f"Your timezone is now **{info.key}**. It's {local_clock(info, now)} there: if that "
            "isn't your clock, run `/timezone set` again. Party times you type are read in it.",
            ephemeral=True,
        )

    @app_commands.command(name="show", description="Show your timezone and the server default.")
    async def show(self, interaction: discord.Interaction) -> None:
        """Show the member's zone (or that the server default applies) and the server default."""
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        repo = self._repo(interaction.guild_id)
        effective, source = await repo.effective_timezone(interaction.user.id)
        server = await repo.get_guild_timezone()
        now = self.bot.clock()
        if source == "member":
            mine = f"Your timezone: **{effective.key}** ({local_clock(effective, now)})."
        else:
            mine = (
                "You haven't set a timezone, so your party times are read in the server default. "
                "Set yours with `/timezone set`."
            )
        stamp = int(now.timestamp())
        await respond(
            interaction,
            f"{mine}\nServer default: **{server}**.\nNow: <t:{stamp}:F> (<t:{stamp}:R>) "
            "— Discord shows timestamps in your device's time.",
            ephemeral=True,
        )

    @app_commands.command(name="clear", description="Forget your timezone; use the server default.")
    async def clear(self, interaction: discord.Interaction) -> None:
        """Forget the member's zone so the server default applies again."""
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        repo = self._repo(interaction.guild_id)
        removed = await repo.clear_member_timezone(interaction.user.id)
        server = await repo.get_guild_timezone()
        text = "Your timezone is forgotten." if removed else "You had no timezone set."
        await respond(
            interaction, f"{text} Party times you type are read in **{server}**.", ephemeral=True
        )

    @app_commands.command(
        name="server",
        description="Moderators: set the server's default timezone for party times.",
        extras=moderator_only(),
    )
    @app_commands.describe(zone="IANA zone, e.g. Asia/Seoul (the default)")
    @app_commands.autocomplete(zone=zone_autocomplete)
    async def server(
        self,
        interaction: discord.Interaction,
        zone: app_commands.Range[str, 1, ZONE_OPTION_MAX],
    ) -> None:
        """Set the zone used for members who have not set their own (Manage Server only)."""
        require_manage_guild(interaction)
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        info = resolve_zone(zone)
        await self._repo(interaction.guild_id).set_guild_timezone(info.key)
        log.info("server %s default timezone set to %s", interaction.guild_id, info.key)
        await respond(
            interaction,
            f"The server's default timezone is now **{info.key}** "
            f"({local_clock(info, self.bot.clock())}). Members with their own zone keep it.",
            ephemeral=True,
        )

    async def kept_on_rejoin(self, guild_id: int) -> list[str]:
        """Say what a returning server kept of timezones: its own default, members' zones."""
        repo = self._repo(guild_id)
        zone = await repo.get_guild_timezone()
        kept = [f"server timezone {zone}"] if zone != DEFAULT_TIMEZONE else []
        members = await repo.count_member_timezones()
        return kept + ([plural(members, "member timezone")] if members else [])

    async def settings_section(self, guild_id: int) -> tuple[str, str]:
        """Describe the server default zone and how many members set their own."""
        repo = self._repo(guild_id)
        server = await repo.get_guild_timezone()
        count = await repo.count_member_timezones()
        members = "1 member has" if count == 1 else f"{count} members have"
        now = self.bot.clock()
        try:
            clock = local_clock(ZoneInfo(server), now)
        except (ValueError, KeyError):
            clock = "zone no longer known; set it again"
        return (
            "Timezones",
            f"Server default: `{server}` ({clock}); change it with `/timezone server`.\n"
            f"{members} set their own zone with `/timezone set`.",
        )


async def setup(bot: Lightstick) -> None:
    """Load the Timezone cog."""
    await bot.add_cog(Timezone(bot))
