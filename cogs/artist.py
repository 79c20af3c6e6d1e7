"""/artist: find an act or member by any name and show a card worth sharing."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.buttons import PersistentItem
from bot.core.checks import is_moderator, safe_text, truncate
from bot.core.tree import LightstickView, defer, edit_message, respond
from bot.domain.catalog import Catalog, Entry, load_catalog
from bot.domain.catalog.card import CardSpec, artist_card, musicbrainz_card
from bot.domain.catalog.normalize import fold
from bot.domain.catalog.pick import ArtistPick, choice_labels, pick_artist
from bot.domain.catalog.search import ID_PREFIX
from bot.errors import NotAllowed, NotFound, Upstream, UpstreamError
from bot.store.aliases import MAX_ALIASES_PER_GUILD, AliasRepo
from bot.store.artist_lookups import ArtistLookupRepo
from cogs.artist_names import near_miss_text, shown_query

if TYPE_CHECKING:
    from bot.core.client import Lightstick
    from bot.services.musicbrainz import MusicBrainzService

log = logging.getLogger(__name__)

EMBED_COLOUR = discord.Colour(0xE84A8A)
FOLLOW_PREFIX = "artist:follow:"
PICK_ID = "artist:pick"
_ID = r"[a-z0-9-]{1,80}"
# Text that looks like a mention, markdown or control input is never sent to MusicBrainz.
_NOT_A_NAME = re.compile(r"[@<>`*_~|#\\\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


async def catalog_of(bot: Lightstick) -> Catalog:
    """Return the bot's catalog, loading it (off the event loop) if the client has not."""
    if bot.catalog is None:
        # The client logs a failed load and carries on; one retry here, then a clear refusal.
        try:
            bot.catalog = await asyncio.to_thread(load_catalog)
        except (OSError, ValueError) as exc:
            log.exception("artist catalog unavailable")
            raise Upstream("The artist catalog is unavailable right now; try again later.") from exc
    return bot.catalog


def to_embed(spec: CardSpec) -> discord.Embed:
    """Turn a card spec into an embed."""
    embed = discord.Embed(
        title=spec.title, description=spec.description, colour=EMBED_COLOUR, url=spec.url
    )
    for name, value, inline in spec.fields:
        embed.add_field(name=name, value=value, inline=inline)
    if spec.footer:
        embed.set_footer(text=spec.footer)
    return embed


def suggestion_text(pick: ArtistPick, catalog: Catalog) -> str:
    """Return the ephemeral "no act matches" text with the closest suggestions."""
    lines = [f"No act matches “{shown_query(pick.query)}”."]
    if pick.entries:
        lines.append(
            "Closest: "
            + ", ".join(safe_text(label, 100) for label in choice_labels(catalog, pick.entries))
        )
    lines.append("Tip: pick a name from the list that appears while you type.")
    return "\n".join(lines)


def picker_options(catalog: Catalog, entries: list[Entry]) -> list[discord.SelectOption]:
    """Offer entries in a picker, none selected: picking the selected option sends nothing."""
    return [
        discord.SelectOption(label=truncate(label, 100), value=entry.id)
        for label, entry in zip(choice_labels(catalog, entries), entries, strict=True)
    ]


class FollowSpacesButton(
    PersistentItem[discord.ui.Button[discord.ui.View]],
    template=rf"artist:follow:(?P<artist_id>{_ID})",
):
    """The card's "Follow live Spaces" button; the act lives in the custom_id (restart-proof)."""

    def __init__(self, artist_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Follow live Spaces",
                emoji="📡",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{FOLLOW_PREFIX}{artist_id}",
            )
        )
        self.artist_id = artist_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> FollowSpacesButton:
        """Rebuild the component from its custom_id."""
        return cls(match["artist_id"])

    where = "artist follow button"

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Hand moderators to the Spaces feature; tell everyone else what the button is for."""
        if interaction.guild_id is None:
            raise NotAllowed("Live-Space announcements are set up inside a server.")
        if not is_moderator(interaction.permissions):
            raise NotAllowed(
                "This button is for moderators: it sets up announcements of this act's "
                "live X Spaces in the server."
            )
        spaces = interaction.client.get_cog("Spaces")
        follow = getattr(spaces, "follow_from_card", None)
        if follow is None:
            raise NotFound("Live-Space announcements are not available on this bot yet.")
        await follow(interaction, self.artist_id)


class PickSelect(PersistentItem[discord.ui.Select[discord.ui.View]], template=r"artist:pick"):
    """The choice offered when a name fits several entries; picking posts that card."""

    def __init__(self, options: list[discord.SelectOption] | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=PICK_ID,
                placeholder="Which one did you mean?",
                options=options or [discord.SelectOption(label="…", value="none")],
            )
        )

    @classmethod
    def from_match(cls, match: re.Match[str]) -> PickSelect:
        """Rebuild the component from its custom_id."""
        return cls()

    where = "artist pick"

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Close the picker (one card per picker), then post the card of the picked entry."""
        data = cast("dict[str, Any]", interaction.data or {})
        values = [str(v) for v in data.get("values", [])]
        cog = cast("Artist | None", interaction.client.get_cog("Artist"))
        if cog is None or not values:
            raise NotFound("That choice is no longer available; run /artist again.")
        catalog = await catalog_of(cog.bot)
        entry = catalog.get(values[0])
        if entry is None:
            raise NotFound("That entry is no longer in the catalog; run /artist again.")
        # The picker goes first, so a second pick cannot post a second card. Only our own
        # ephemeral question is closed: a forged click on another message edits nothing.
        if interaction.message is not None and interaction.message.flags.ephemeral:
            picked = safe_text(catalog.label(entry), 100)
            await edit_message(
                interaction, content=f"You picked **{picked}**: its card is below.", view=None
            )
        await cog.send_card(interaction, catalog, entry)


class Artist(commands.Cog):
    """Artist cards from the shipped catalog, with server aliases and a MusicBrainz fallback."""

    # Registered by the bot when this cog is added (bot/core/buttons.py).
    persistent_items = (FollowSpacesButton, PickSelect)

    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    @property
    def musicbrainz(self) -> MusicBrainzService | None:
        """Return the bot's MusicBrainz fallback (None when the bot has none)."""
        return self.bot.musicbrainz

    async def aliases_for(self, guild_id: int | None) -> dict[str, str]:
        """Return the server's alias map ({} outside servers)."""
        if guild_id is None:
            return {}
        return await self.bot.store.guild(guild_id).repo(AliasRepo).alias_map()

    async def name_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest acts and members for what has been typed, this server's aliases included."""
        catalog = await catalog_of(self.bot)
        if not current.strip():
            return [
                app_commands.Choice(name=catalog.label(e), value=f"{ID_PREFIX}{e.id}")
                for e in await self.favourites(interaction.guild_id, catalog)
            ]
        aliases = await self.aliases_for(interaction.guild_id)
        return [
            app_commands.Choice(name=label, value=f"{ID_PREFIX}{entry_id}")
            for label, entry_id in catalog.autocomplete(current, aliases)
        ]

    async def favourites(self, guild_id: int | None, catalog: Catalog) -> list[Entry]:
        """Return what an empty search suggests: this server's most looked-up acts first, then
        acts with official X accounts (the best known the catalog can tell), 25 at most."""
        ids = []
        if guild_id is not None:
            ids = await self.bot.store.guild(guild_id).repo(ArtistLookupRepo).most_looked_up(25)
        chosen = [e for e in (catalog.get(i) for i in ids) if e is not None]
        seen = {e.id for e in chosen}
        known = [e for e in catalog.with_x_handles() if e.is_act and e.id not in seen]
        return (chosen + known)[:25]

    @app_commands.command(name="artist", description="Show a K-pop act's or idol's card.")
    @app_commands.describe(name="A group, unit, soloist or member, in any spelling or in Hangul")
    @app_commands.autocomplete(name=name_autocomplete)
    async def artist(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]
    ) -> None:
        """Show the card of the act or member that `name` means, or offer a choice."""
        catalog = await catalog_of(self.bot)
        aliases = await self.aliases_for(interaction.guild_id)
        pick = pick_artist(catalog, name, extra_aliases=aliases)
        if pick.entry is not None:
            await self.send_card(interaction, catalog, pick.entry)
        elif pick.kind == "near":
            # A near miss ("OT7") must not post another act's card for everyone to see.
            text = near_miss_text(catalog, pick, "Pick one below to post its card.")
            await self.offer_picker(interaction, catalog, pick, text)
        elif pick.kind == "choose":
            shown = shown_query(name)
            text = f"Several entries match “{shown}”. Which one did you mean?"
            await self.offer_picker(interaction, catalog, pick, text)
        else:
            await self.fallback(interaction, catalog, name, pick)

    async def send_card(
        self, interaction: discord.Interaction, catalog: Catalog, entry: Entry
    ) -> None:
        """Post an entry's card (public), with the follow button for acts that have X handles."""
        today = self.bot.clock().date()
        view: discord.ui.View | None = None
        if entry.x_handles:
            view = discord.ui.View(timeout=None)
            view.add_item(FollowSpacesButton(entry.id))
        await respond(interaction, embed=to_embed(artist_card(catalog, entry, today)), view=view)
        if interaction.guild_id is not None:
            repo = self.bot.store.guild(interaction.guild_id).repo(ArtistLookupRepo)
            await repo.record(entry.id, now=self.bot.clock())

    async def offer_picker(
        self, interaction: discord.Interaction, catalog: Catalog, pick: ArtistPick, text: str
    ) -> None:
        """Ask (ephemerally) which entry was meant; its card is posted once the member picks."""
        view = LightstickView(timeout=600)
        view.add_item(PickSelect(picker_options(catalog, list(pick.entries[:25]))))
        await respond(interaction, text, view=view, ephemeral=True)

    async def fallback(
        self, interaction: discord.Interaction, catalog: Catalog, name: str, pick: ArtistPick
    ) -> None:
        """Try MusicBrainz for a plausible name the catalog lacks; else say nothing matched."""
        service = self.musicbrainz
        text = suggestion_text(pick, catalog)
        if service is None or not service.enabled or not _plausible_name(name):
            raise NotFound(text)
        await defer(interaction)
        try:
            found = await service.find_artist(name)
        except UpstreamError:
            raise NotFound(text + "\n(MusicBrainz could not be reached just now.)") from None
        if found is None:
            raise NotFound(text)
        await interaction.followup.send(
            embed=to_embed(musicbrainz_card(found)),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async def settings_section(self, guild_id: int) -> tuple[str, str]:
        """Describe the catalog, this server's aliases and the MusicBrainz fallback."""
        catalog = await catalog_of(self.bot)
        count = len(await self.aliases_for(guild_id))
        service = self.musicbrainz
        # The service's own status names operator settings; moderators get plain words.
        if service is not None and service.enabled:
            mb = service.status_line()
        else:
            mb = "Off: the bot's operator has not enabled it."
        value = (
            f"Catalog: {len(catalog):,} acts and members.\n"
            f"Server aliases: {count}/{MAX_ALIASES_PER_GUILD} (`/aliases`).\n"
            f"MusicBrainz fallback: {mb}"
        )
        return "Artist cards", value[:1024]


def _plausible_name(text: str) -> bool:
    return len(fold(text)) >= 2 and len(text) <= 100 and not _NOT_A_NAME.search(text)


async def setup(bot: Lightstick) -> None:
    """Register the /artist command."""
    await bot.add_cog(Artist(bot))
