"""Shared state and helpers of the /party cog: repositories, artists, RSVP clicks, autocomplete."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import is_moderator, safe_text, truncate
from bot.core.tree import edit_message
from bot.domain.catalog import Catalog
from bot.domain.catalog.search import ID_PREFIX
from bot.domain.parties import Party, RsvpStatus, describe_lead_minutes
from bot.errors import InvalidInput, NotAllowed
from bot.store.aliases import AliasRepo
from bot.store.parties import PartyRepo
from bot.store.timezones import TimezoneRepo
from cogs.artist_names import require_artist
from cogs.parties import posts
from cogs.parties.events import NO_PERMISSION_NOTE, sync_event
from cogs.parties.reminders import ReminderDispatcher
from cogs.parties.render import GOING_NAMES_LIMIT, party_embed, ts
from cogs.parties.views import rsvp_view

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)


def local_label(moment: datetime, zone: ZoneInfo) -> str:
    """Render an instant as a member's wall clock ("Sat 14 Dec 20:00 KST"), for autocomplete.

    Autocomplete choices are plain text, so Discord timestamps cannot show there.
    """
    local = moment.astimezone(zone)
    return f"{local:%a %d %b %H:%M} {local.tzname() or zone.key}"


class PartiesBase(commands.Cog):
    """State and helpers shared by the /party command mixins."""

    bot: Lightstick
    dispatcher: ReminderDispatcher

    # -- helpers ---------------------------------------------------------------------------

    def now(self) -> datetime:
        """Return the time the cog and its dispatcher agree on (tests may inject a clock)."""
        return self.dispatcher.clock()

    def _repo(self, guild_id: int) -> PartyRepo:
        return self.bot.store.guild(guild_id).repo(PartyRepo)

    def _catalog(self) -> Catalog | None:
        return self.bot.catalog

    def artist_name(self, artist_id: str | None) -> str | None:
        """Return an act's display name ("IVE (아이브)"), or None."""
        catalog = self._catalog()
        entry = catalog.get(artist_id) if catalog and artist_id else None
        if entry is None:
            return None
        return f"{entry.name} ({entry.name_hangul})" if entry.name_hangul else entry.name

    async def _resolve_artist(self, guild_id: int, value: str | None) -> str | None:
        """Return the id of the act `value` names by the rule every artist option follows.

        Raises InvalidInput for a person or an unknown name, NotFound ("Did you mean …?") for
        a near miss; never guesses.
        """
        if value is None:
            return None
        catalog = self._catalog()
        if catalog is None:
            raise InvalidInput("The artist catalog isn't loaded right now; leave `artist` empty.")
        aliases = await self.bot.store.guild(guild_id).repo(AliasRepo).alias_map()
        entry = require_artist(catalog, value, aliases=aliases, keep=lambda e: e.is_act)
        if entry is not None and entry.is_act:
            return entry.id
        raise InvalidInput("I don't know that artist; pick one from the suggestions.")

    async def _editable(self, interaction: discord.Interaction, party_id: int) -> Party:
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        party = await self._repo(interaction.guild_id).get_scheduled(party_id)
        if party.organiser_id != interaction.user.id and not is_moderator(interaction.permissions):
            raise NotAllowed("Only the party's organiser or a moderator can change it.")
        return party

    async def _sync_event(self, guild: discord.Guild, party: Party, user_id: int) -> str | None:
        event_id, note = await sync_event(guild, party)
        if event_id != party.event_id:
            await self._repo(guild.id).set_event(party.id, event_id)
        if note == NO_PERMISSION_NOTE:
            told = await self._repo(guild.id).first_notice(user_id, "manage_events", now=self.now())
            return note if told else None
        return note

    async def _after_finish(self, party: Party) -> None:
        """Re-render a finished party; a weekly one also moves its Discord event a week on."""
        guild = self.bot.get_guild(party.guild_id)
        counts = await self._repo(party.guild_id).counts(party.id)
        await posts.refresh(self.bot, party, counts, self.artist_name(party.artist_id))
        if guild is not None and party.status == "scheduled" and party.event_id is not None:
            await self._sync_event(guild, party, party.organiser_id)

    async def handle_rsvp(
        self, interaction: discord.Interaction, party_id: int, status: RsvpStatus
    ) -> None:
        """Record an RSVP click and re-render the post with live counts."""
        if interaction.guild_id is None:
            raise NotAllowed("RSVP buttons only work inside a server.")
        repo = self._repo(interaction.guild_id)
        party, counts, now_status = await repo.toggle_rsvp(
            party_id, interaction.user.id, status, now=self.now()
        )
        await edit_message(
            interaction,
            embed=party_embed(
                party,
                counts,
                self.artist_name(party.artist_id),
                await repo.going_user_ids(party.id, GOING_NAMES_LIMIT),
            ),
            view=rsvp_view(party, counts),
        )
        title = safe_text(party.title, 100)
        if now_status is None:
            label = {"going": "Going", "maybe": "Maybe", "cant": "Can't"}[status]
            await interaction.followup.send(
                f"Removed your “{label}” answer to **{title}**; I won't remind you about it. "
                "Click a button again to answer.",
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        elif now_status == "going":
            # A weekly party's answer covers one week; say which, so nobody expects more pings.
            which = f" on {ts(party.starts_at, 'F')}" if party.weekly else ""
            if await repo.reminders_off(party.id, interaction.user.id):
                pings = (
                    "You turned reminder pings off for it, so I won't ping you; "
                    f"`/party reminders party:{party.id} pings:on` turns them back on."
                )
            else:
                leads = describe_lead_minutes(await repo.get_reminder_leads())
                pings = (
                    f"I'll ping you {leads}. No pings wanted? "
                    f"`/party reminders party:{party.id} pings:off`."
                )
            await interaction.followup.send(
                f"You're going to **{title}**{which}! {pings} Click Going again to take it back.",
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )

    # -- autocomplete ----------------------------------------------------------------------

    async def artist_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest acts from the catalog."""
        catalog = self._catalog()
        if catalog is None:
            return []
        return [
            app_commands.Choice(name=truncate(label, 100), value=f"{ID_PREFIX}{entry_id}")
            for label, entry_id in catalog.autocomplete(current[:100], limit=25)
        ]

    async def party_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """Suggest this server's upcoming parties by title."""
        if interaction.guild_id is None:
            return []
        found = await self._repo(interaction.guild_id).search_upcoming(current[:100])
        zone, _ = (
            await self.bot.store.guild(interaction.guild_id)
            .repo(TimezoneRepo)
            .effective_timezone(interaction.user.id)
        )
        return [
            app_commands.Choice(
                name=truncate(f"#{p.id} {p.title} · {local_label(p.starts_at, zone)}", 100),
                value=p.id,
            )
            for p in found
        ]
