"""/spaces: moderators set up and follow artists' X Spaces; members see what is live."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import (
    moderator_only,
    require_manage_guild,
    require_member_can_post,
    safe_text,
)
from bot.core.tree import defer, respond
from bot.domain.catalog.search import ID_PREFIX
from bot.domain.spaces.keys import nonce_for
from bot.domain.spaces.text import parse_keywords
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.store.spaces import Follow
from cogs.spaces.announce import refusal_reason
from cogs.spaces.base import SpacesBase, checked_template
from cogs.spaces.confirm import ANNOUNCE_WORDS, PREVIEW_WORDS
from cogs.spaces.helpers import (
    ROLE_DELETED,
    SAMPLE_SPACE_ID,
    check_channel,
    check_role,
    deleted_roles,
    follow_changes,
    follow_preview,
    followed,
    live_role,
    sample_announcement,
)
from cogs.spaces.manual import announce_preview
from cogs.spaces.render import NO_PINGS, announcement_text, link_view, space_embed
from cogs.spaces.reports import SpacesReports
from cogs.spaces.views import list_embed

log = logging.getLogger(__name__)


@app_commands.guild_only()
class Spaces(
    SpacesReports,
    commands.GroupCog,
    group_name="spaces",
    group_description="Live X Space announcements.",
):
    """Announce followed artists' X Spaces: scheduled, live (one ping), ended.

    `/spaces live` is for members, so the group cannot carry default_permissions (Discord
    only honours it on top-level commands); every moderator command checks at run time.
    """

    expired_components: ClassVar[dict[str, str]] = {
        PREVIEW_WORDS.prefix: PREVIEW_WORDS.expired,
        ANNOUNCE_WORDS.prefix: ANNOUNCE_WORDS.expired,
    }

    # -- moderator commands ----------------------------------------------------------------

    @app_commands.command(
        name="setup", description="Choose where Space announcements go.", extras=moderator_only()
    )
    @app_commands.describe(
        channel="Channel for announcements", ping_role="Role pinged when a Space goes live"
    )
    async def setup_cmd(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        ping_role: discord.Role | None = None,
    ) -> None:
        """Save the default channel and role after checking the bot can announce there."""
        require_manage_guild(interaction)
        guild = interaction.guild
        assert guild is not None  # noqa: S101 - guild_only
        check_role(guild, ping_role)
        require_member_can_post(interaction, channel)
        check_channel(guild, channel, ping_role)
        await self._repo(guild.id).set_config(channel.id, ping_role.id if ping_role else None)
        ping = f"live Spaces ping {ping_role.mention}" if ping_role else "no role is pinged"
        if self.x_client is not None:
            after = "Next: `/spaces follow`, then `/spaces test` to preview."
        else:
            # Following needs X access; telling them to follow next would send them to a refusal.
            after = (
                "Following Spaces needs X API access, which the bot's operator has not enabled. "
                "When an artist's Space is live, `/spaces announce` with its link posts it there."
            )
        await respond(
            interaction,
            f"Space announcements go to {channel.mention}; {ping}. {after}",
            ephemeral=True,
        )

    @app_commands.command(
        name="follow", description="Announce an artist's X Spaces here.", extras=moderator_only()
    )
    @app_commands.describe(
        artist="Act from the catalog, or an X @handle",
        channel="Channel for this artist (default: the setup channel)",
        ping_role="Role to ping for this artist (default: the setup role)",
        keywords="Only announce titles containing one of these (comma-separated)",
        template="Message text with {artist} {title} {url} {start}",
    )
    @app_commands.autocomplete(artist=SpacesBase.artist_autocomplete)
    async def follow(
        self,
        interaction: discord.Interaction,
        artist: app_commands.Range[str, 1, 100],
        channel: discord.TextChannel | None = None,
        ping_role: discord.Role | None = None,
        keywords: app_commands.Range[str, 1, 300] | None = None,
        template: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        """Follow an act's official handles (or a raw handle) with optional overrides."""
        require_manage_guild(interaction)
        await self._follow(interaction, artist, channel, ping_role, keywords, template)

    async def follow_from_card(self, interaction: discord.Interaction, artist_id: str) -> None:
        """Follow an act from its artist card's button, in the server's default channel."""
        require_manage_guild(interaction)
        if interaction.guild_id is None:
            raise NotAllowed("This only works inside a server.")
        if await self._repo(interaction.guild_id).get_config() is None:
            raise NotFound(
                "Run `/spaces setup` first to choose the announcement channel, then press again."
            )
        await self._follow(interaction, f"{ID_PREFIX}{artist_id}", None, None, None, None)

    @app_commands.command(
        name="edit",
        description="Change a follow's channel, role, keywords or template; the rest is kept.",
        extras=moderator_only(),
    )
    @app_commands.describe(
        artist="A followed act or @handle",
        channel="New channel for this artist",
        ping_role="New role to ping for this artist",
        keywords="New keyword filter (comma-separated; `none` removes it)",
        template="New message text with {artist} {title} {url} {start} (`default` resets it)",
    )
    @app_commands.autocomplete(artist=SpacesBase.followed_autocomplete)
    async def edit(
        self,
        interaction: discord.Interaction,
        artist: app_commands.Range[str, 1, 100],
        channel: discord.TextChannel | None = None,
        ping_role: discord.Role | None = None,
        keywords: app_commands.Range[str, 1, 300] | None = None,
        template: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        """Change only the options given on every handle of one follow."""
        require_manage_guild(interaction)
        guild = interaction.guild
        assert guild is not None  # noqa: S101 - guild_only
        if channel is None and ping_role is None and keywords is None and template is None:
            raise InvalidInput(
                "Give at least one option to change: channel, ping_role, keywords or template."
            )
        repo = self._repo(guild.id)
        matching = followed(
            await repo.list_follows(),
            artist,
            await self.catalog(),
            await self.server_aliases(guild.id),
        )
        check_role(guild, ping_role)
        if channel is not None:
            require_member_can_post(interaction, channel)
        if channel is not None or ping_role is not None:
            # The same check as setup and follow, on the channel and role the follow will use.
            config = await repo.get_config()
            where = channel or guild.get_channel(
                matching[0].channel_id or (config.channel_id if config else 0)
            )
            if where is None:
                raise NotFound(
                    "This follow's announcement channel no longer exists; give `channel` too."
                )
            role_id = matching[0].role_id or (config.role_id if config else None)
            check_channel(guild, where, ping_role or guild.get_role(role_id or 0))
        words = None
        if keywords is not None:
            words = () if keywords.strip().casefold() == "none" else parse_keywords(keywords)
        text: str | None = matching[0].template
        if template is not None:
            reset = template.strip().casefold() == "default"
            text = None if reset else checked_template(matching[0].artist_name, template)
        new = [
            replace(
                f,
                channel_id=channel.id if channel else f.channel_id,
                role_id=ping_role.id if ping_role else f.role_id,
                keywords=f.keywords if words is None else words,
                template=text,
            )
            for f in matching
        ]
        await repo.upsert_follows(new)
        changes = follow_changes(matching[0], new[0])
        name = safe_text(matching[0].artist_name, 100)
        summary = f"changed {', '.join(changes)}" if changes else "nothing changed"
        await respond(
            interaction,
            f"**{name}**: {summary}; everything else is kept.\n"
            + follow_preview(matching[0].artist_name, text),
            ephemeral=True,
        )

    @app_commands.command(
        name="unfollow",
        description="Stop announcing an artist's Spaces.",
        extras=moderator_only(),
    )
    @app_commands.describe(artist="A followed act or @handle")
    @app_commands.autocomplete(artist=SpacesBase.followed_autocomplete)
    async def unfollow(
        self, interaction: discord.Interaction, artist: app_commands.Range[str, 1, 100]
    ) -> None:
        """Remove the follows of an act (all its handles) or of one handle."""
        require_manage_guild(interaction)
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        repo = self._repo(interaction.guild_id)
        matching = followed(
            await repo.list_follows(),
            artist,
            await self.catalog(),
            await self.server_aliases(interaction.guild_id),
        )
        for follow in matching:  # an act's name removes all its handles; an @handle just that one
            await repo.remove_follows(follow.handle_key)
        await respond(
            interaction, "Unfollowed: no more Space announcements for it.", ephemeral=True
        )

    @app_commands.command(
        name="list",
        description="Show this server's Space follows and settings.",
        extras=moderator_only(),
    )
    async def list_cmd(self, interaction: discord.Interaction) -> None:
        """List the default channel and role and every follow with its overrides."""
        require_manage_guild(interaction)
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        repo = self._repo(interaction.guild_id)
        config, follows = await repo.get_config(), await repo.list_follows()
        embed = list_embed(
            config,
            follows,
            await repo.list_broken(),
            deleted=deleted_roles(interaction.guild, config, follows),
        )
        await respond(interaction, embed=embed, ephemeral=True)

    @app_commands.command(
        name="test",
        description="Preview an announcement; optionally post it in a channel (pings nobody).",
        extras=moderator_only(),
    )
    @app_commands.describe(
        artist="A followed act or @handle (default: the first follow)",
        channel="Also post the sample here (default: only show it to you)",
    )
    @app_commands.autocomplete(artist=SpacesBase.followed_autocomplete)
    async def test_cmd(
        self,
        interaction: discord.Interaction,
        artist: app_commands.Range[str, 1, 100] | None = None,
        channel: discord.TextChannel | None = None,
    ) -> None:
        """Show a sample live announcement for one follow; post it in `channel` if given."""
        require_manage_guild(interaction)
        guild = interaction.guild
        assert guild is not None  # noqa: S101 - guild_only
        repo = self._repo(guild.id)
        config = await self._config(guild.id)
        follows = await repo.list_follows()
        chosen = follows[0] if follows else None
        if artist:
            aliases = await self.server_aliases(guild.id)
            chosen = followed(follows, artist, await self.catalog(), aliases)[0]
        configured = chosen.role_id if chosen and chosen.role_id else config.role_id
        role_id = live_role(guild, configured)
        sample, delivery = sample_announcement(
            guild.id,
            channel.id if channel else config.channel_id,
            role_id,
            chosen.artist_name if chosen else "Your artist",
            chosen.template if chosen else None,
            nonce_for(guild.id, SAMPLE_SPACE_ID, str(interaction.id)),
        )
        embed = space_embed(delivery.artist_name, sample)
        embed.set_footer(text="Test announcement: nobody was pinged. Real ones ping the role.")
        content = announcement_text(delivery, sample)
        notes = self._test_notes(chosen, artist, configured, role_id)
        if channel is None:
            await respond(
                interaction,
                content=(
                    f"{notes}Preview (only you see this; add `channel` to post it):\n{content}"
                )[:2000],
                embed=embed,
                view=link_view(SAMPLE_SPACE_ID),
                ephemeral=True,
            )
            return
        require_member_can_post(interaction, channel)
        check_channel(guild, channel, None)
        # The post may wait out the channel's rate limit; Discord wants an answer within 3 s.
        await defer(interaction)
        try:
            await channel.send(
                content=content,
                embed=embed,
                view=link_view(SAMPLE_SPACE_ID),
                allowed_mentions=NO_PINGS,
            )
        except discord.Forbidden as exc:
            await repo.mark_broken(channel.id, refusal_reason(exc.code))
            check_channel(guild, channel, None)
            raise NotAllowed(f"Discord refused my post in {channel.mention}.") from None
        await repo.clear_broken(channel.id)
        await respond(interaction, f"{notes}Sample posted in {channel.mention}.", ephemeral=True)

    @staticmethod
    def _test_notes(
        chosen: Follow | None, artist: str | None, configured: int | None, role_id: int | None
    ) -> str:
        """Say which follow `/spaces test` shows, and whether its ping role was deleted."""
        notes = ""
        if chosen is not None and not artist:
            name = safe_text(chosen.artist_name, 100)
            notes += f"Preview for {name} (your first follow; pick another with `artist`).\n"
        if configured is not None and role_id is None:
            notes += ROLE_DELETED + "\n"
        return notes

    @app_commands.command(
        name="announce",
        description="Announce a Space from its x.com link; you see a preview first.",
        extras=moderator_only(),
    )
    @app_commands.describe(
        url="The x.com/i/spaces/… link",
        artist="Whose Space it is (default: the host's @handle from X)",
        title="The Space's title (default: its title on X)",
    )
    @app_commands.autocomplete(artist=SpacesBase.artist_autocomplete)
    async def announce(
        self,
        interaction: discord.Interaction,
        url: app_commands.Range[str, 1, 200],
        artist: app_commands.Range[str, 1, 100] | None = None,
        title: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """Preview the announcement the poller would post for one pasted link; post on Post."""
        require_manage_guild(interaction)
        await announce_preview(self, interaction, url, artist, title)
