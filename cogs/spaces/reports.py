"""What /spaces shows: the X API status (moderators), live Spaces (members), the /settings part."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
from discord import app_commands

from bot.core.checks import moderator_only, require_manage_guild
from bot.core.tree import respond
from bot.domain.text import plural
from cogs.spaces.base import SpacesBase
from cogs.spaces.helpers import live_role, role_problem
from cogs.spaces.views import (
    describe_api_state,
    describe_poller,
    live_embed,
    status_embed,
    unseen_embed,
)

ANNOUNCED_WINDOW = timedelta(days=1)  # how far back /spaces live lists posts without X


class SpacesReports(SpacesBase):
    """The /spaces commands and sections that report state; they change nothing."""

    @app_commands.command(
        name="status",
        description="Show X API state, last poll and broken channels.",
        extras=moderator_only(),
    )
    async def status(self, interaction: discord.Interaction) -> None:
        """Show the poller's state and budget and this server's broken channels."""
        require_manage_guild(interaction)
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        repo = self._repo(interaction.guild_id)
        follows = await repo.list_follows()
        embed = status_embed(
            configured=self.x_client is not None,
            status=await self.tracking.get_status(),
            follows=len(follows),
            broken=await repo.list_broken(),
            poller=await self.who_polls(),
            role_warning=role_problem(interaction.guild, await repo.get_config(), follows),
        )
        await respond(interaction, embed=embed, ephemeral=True)

    @app_commands.command(
        name="live", description="Show live and scheduled Spaces of followed artists."
    )
    async def live(self, interaction: discord.Interaction) -> None:
        """List the live and scheduled Spaces of the artists this server follows."""
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        repo = self._repo(interaction.guild_id)
        if self.x_client is None:
            # Without X nothing is tracked: "nothing is live" would be a guess, not a fact.
            since = datetime.now(UTC) - ANNOUNCED_WINDOW
            posts = await repo.announced_posts(since)
            embed = unseen_embed(interaction.guild_id, posts)
        else:
            embed = live_embed(await repo.active_spaces())
        await respond(interaction, embed=embed, ephemeral=True)

    async def kept_on_rejoin(self, guild_id: int) -> list[str]:
        """Say what a returning server kept of its Spaces setup, e.g. "3 followed artists"."""
        follows = await self._repo(guild_id).list_follows()
        artists = {f.artist_id or f.handle_key for f in follows}
        return [plural(len(artists), "followed artist")] if artists else []

    async def settings_section(self, guild_id: int) -> tuple[str, str]:
        """Describe the server's Spaces setup for `/settings`."""
        repo = self._repo(guild_id)
        config = await repo.get_config()
        lines = []
        if config is None:
            lines.append("Not set up: run `/spaces setup`.")
        else:
            role_id = live_role(self.bot.get_guild(guild_id), config.role_id)
            role = f"<@&{role_id}>" if role_id else "no ping"
            follows = plural(await repo.count_follows(), "follow")
            lines.append(f"Channel <#{config.channel_id}> · {role} · {follows}")
        poller = await self.who_polls()
        if self.x_client is None and poller != "other":
            lines.append(
                "X API: the bot's operator has not enabled it (only `/spaces announce` works)."
            )
        else:
            status = await self.tracking.get_status()
            state = status.get("api_state", "not polled yet")
            lines.append(f"X API: {describe_api_state(state, status.get('api_detail'))}")
            lines.append(describe_poller(poller, status.get("last_poll_at")))
        broken = await repo.list_broken()
        if broken:
            lines.append("Broken: " + ", ".join(f"<#{b.channel_id}>" for b in broken[:10]))
        warning = role_problem(self.bot.get_guild(guild_id), config, await repo.list_follows())
        if warning:
            lines.append(f"⚠️ {warning}")
        return "Live X Spaces", "\n".join(lines)[:1024]
