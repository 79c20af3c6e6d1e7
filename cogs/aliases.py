"""/aliases: a server's own nicknames for acts, honoured by /artist in that server only."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import moderator_only, require_manage_guild, safe_text
from bot.core.tree import respond
from bot.domain.catalog import Catalog
from bot.domain.catalog.pick import pick_artist
from bot.domain.catalog.search import ID_PREFIX
from bot.domain.text import clean_text, plural
from bot.errors import Conflict, InvalidInput, NotFound
from bot.store.aliases import MAX_ALIAS_CHARS, MAX_ALIASES_PER_GUILD, AliasRepo, AliasTaken
from cogs.artist import EMBED_COLOUR, catalog_of, suggestion_text
from cogs.artist_names import require_artist

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)


@app_commands.guild_only()
class Aliases(
    commands.GroupCog,
    group_name="aliases",
    group_description="This server's own nicknames for K-pop acts.",
):
    """Moderators teach /artist the nicknames their server uses."""

    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot
        super().__init__()

    def _repo(self, guild_id: int) -> AliasRepo:
        return self.bot.store.guild(guild_id).repo(AliasRepo)

    async def kept_on_rejoin(self, guild_id: int) -> list[str]:
        """Say what a returning server kept of its nicknames, e.g. "4 artist nicknames"."""
        count = len(await self._repo(guild_id).list_aliases())
        return [plural(count, "artist nickname")] if count else []

    async def artist_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest catalog acts and members for the alias target."""
        catalog = await catalog_of(self.bot)
        return [
            app_commands.Choice(name=label, value=f"{ID_PREFIX}{entry_id}")
            for label, entry_id in catalog.autocomplete(current)
        ]

    async def alias_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest this server's existing aliases."""
        if interaction.guild_id is None:
            return []
        needle = current.casefold().strip()
        found = await self._repo(interaction.guild_id).list_aliases()
        return [
            app_commands.Choice(name=a.alias[:100], value=a.alias[:MAX_ALIAS_CHARS])
            for a in found
            if needle in a.alias.casefold()
        ][:25]

    @app_commands.command(
        name="add",
        description="Add a server nickname for an act (moderators).",
        extras=moderator_only(),
    )
    @app_commands.describe(alias="The nickname fans here use", artist="The act or member it means")
    @app_commands.autocomplete(artist=artist_autocomplete)
    async def add(
        self,
        interaction: discord.Interaction,
        alias: app_commands.Range[str, 1, MAX_ALIAS_CHARS],
        artist: app_commands.Range[str, 1, 100],
    ) -> None:
        """Teach /artist in this server that `alias` means `artist`."""
        require_manage_guild(interaction)
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        alias = clean_text(alias)
        if not alias:
            raise InvalidInput("The nickname is empty once invisible characters are removed.")
        catalog = await catalog_of(self.bot)
        repo = self._repo(interaction.guild_id)
        entry = require_artist(catalog, artist, aliases=await repo.alias_map())
        if entry is None:
            raise NotFound(suggestion_text(pick_artist(catalog, artist), catalog))
        # An alias may pick one of several acts sharing a name ("Mark"), never hide another act.
        named = [m.entry for m in catalog.resolve(alias).matches if m.kind in ("exact", "alias")]
        taken = [e for e in named if e.id != entry.id] if entry not in named else []
        if taken:
            raise Conflict(
                f"“{safe_text(alias, MAX_ALIAS_CHARS)}” already finds "
                f"**{safe_text(catalog.label(taken[0]), 100)}**; an alias here would hide that "
                "act from this server. Pick a nickname no act uses."
            )
        try:
            added = await repo.add_alias(alias, entry.id, interaction.user.id, self.bot.clock())
        except AliasTaken as clash:
            raise Conflict(self._taken_text(catalog, clash, entry.id)) from None
        await respond(
            interaction,
            f"In this server, “{safe_text(added.alias, MAX_ALIAS_CHARS)}” now finds "
            f"**{safe_text(catalog.label(entry), 100)}**.",
            ephemeral=True,
        )

    @staticmethod
    def _taken_text(catalog: Catalog, taken: AliasTaken, wanted: str) -> str:
        """Say which act an existing alias finds, and how to point it elsewhere."""
        shown = safe_text(taken.alias, MAX_ALIAS_CHARS)
        target = catalog.get(taken.artist_id)
        act = safe_text(catalog.label(target), 100) if target else "an act no longer listed"
        if taken.artist_id == wanted:
            return f"“{shown}” is already an alias here, and it already finds **{act}**."
        return (
            f"“{shown}” is already an alias here: it finds **{act}**. To point it at another "
            f"act, remove it first with `/aliases remove alias:{shown}`."
        )

    @app_commands.command(
        name="remove",
        description="Remove a server nickname (moderators).",
        extras=moderator_only(),
    )
    @app_commands.describe(alias="The nickname to remove")
    @app_commands.autocomplete(alias=alias_autocomplete)
    async def remove(
        self, interaction: discord.Interaction, alias: app_commands.Range[str, 1, MAX_ALIAS_CHARS]
    ) -> None:
        """Forget one of this server's aliases."""
        require_manage_guild(interaction)
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        removed = await self._repo(interaction.guild_id).remove_alias(alias)
        await respond(
            interaction,
            f"Removed the alias “{safe_text(removed.alias, MAX_ALIAS_CHARS)}”.",
            ephemeral=True,
        )

    @app_commands.command(name="list", description="Show this server's nicknames for acts.")
    async def list_aliases(self, interaction: discord.Interaction) -> None:
        """List this server's aliases and the acts they name."""
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        catalog = await catalog_of(self.bot)
        found = await self._repo(interaction.guild_id).list_aliases()
        if not found:
            await respond(
                interaction,
                "This server has no aliases yet. Moderators can add one with `/aliases add`.",
                ephemeral=True,
            )
            return
        lines = []
        for item in found:
            entry = catalog.get(item.artist_id)
            target = catalog.label(entry) if entry else f"{item.artist_id} (no longer listed)"
            lines.append(f"“{safe_text(item.alias, MAX_ALIAS_CHARS)}” → {safe_text(target, 100)}")
        text = "\n".join(lines)
        if len(text) > 4000:
            text = text[:3990].rsplit("\n", 1)[0] + "\n…"
        embed = discord.Embed(
            title=f"Server aliases ({len(found)}/{MAX_ALIASES_PER_GUILD})",
            description=text,
            colour=EMBED_COLOUR,
        )
        await respond(interaction, embed=embed, ephemeral=True)


async def setup(bot: Lightstick) -> None:
    """Register the /aliases commands."""
    await bot.add_cog(Aliases(bot))
