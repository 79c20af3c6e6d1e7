"""/party list, edit, cancel, export, reminders and settings."""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands

from bot.core.checks import moderator_only, require_manage_guild, safe_text, truncate
from bot.core.tree import defer, respond
from bot.domain.parties import (
    DEFAULT_MEMBER_LIMIT,
    MEMBER_LIMIT_MAX,
    Party,
    build_ics,
    classify_link,
    describe_lead_minutes,
    format_lead_minutes,
    parse_duration,
    parse_lead_minutes,
    validate_capacity,
    validate_notes,
    validate_title,
)
from bot.domain.text import plural
from bot.domain.timeparse import read_when
from bot.errors import InvalidInput, NotFound
from bot.store.party_limits import PartyLimitsRepo
from bot.store.timezones import TimezoneRepo
from cogs.parties import posts
from cogs.parties.base import PartiesBase
from cogs.parties.events import delete_event
from cogs.parties.render import PARTY_COLOUR, cancel_summary, ts, when_line

log = logging.getLogger(__name__)

# Party ids are SQLite row ids; the bound keeps absurd numbers out before any query runs.
PartyId = app_commands.Range[int, 1, 1_000_000_000]
PINGS_CHOICES = [
    app_commands.Choice(name="on", value="on"),
    app_commands.Choice(name="off", value="off"),
]

PAGE_SIZE = 10
CLEAR = "-"


class ManageCommands(PartiesBase):
    """Listing, editing, cancelling and exporting parties; per-member and per-server settings."""

    @app_commands.command(name="list", description="Upcoming streaming parties in this server.")
    @app_commands.describe(page="Page number (10 parties per page)")
    async def list_parties(
        self, interaction: discord.Interaction, page: app_commands.Range[int, 1, 10] = 1
    ) -> None:
        """Show one page of upcoming parties, soonest first."""
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        repo = self._repo(interaction.guild_id)
        total = await repo.count_upcoming()
        if total == 0:
            raise NotFound("No upcoming parties. Start one with `/party schedule`.")
        pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
        page = min(page, pages)
        lines = []
        for party in await repo.list_upcoming(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE):
            counts = await repo.counts(party.id)
            weekly = " · weekly" if party.weekly else ""
            lines.append(
                f"**#{party.id} {safe_text(party.title, 100)}** — {when_line(party.starts_at)}"
                f"\n{counts.going} going · {counts.maybe} maybe{weekly} · <#{party.channel_id}>"
            )
        embed = discord.Embed(
            title="Upcoming streaming parties",
            description=truncate("\n".join(lines), 4096),
            colour=PARTY_COLOUR,
        )
        embed.set_footer(text=f"Page {page}/{pages} · {total} upcoming · /party list page:<n>")
        await respond(interaction, embed=embed, ephemeral=True)

    @app_commands.command(name="edit", description="Change a party (organiser or moderator).")
    @app_commands.describe(
        party="The party to change",
        title="New title",
        when="New time, in your timezone",
        link=f"New https link, or {CLEAR} to remove it",
        duration="New duration: 90m, 2h, 1h30m",
        notes=f"New notes, or {CLEAR} to remove them",
        capacity="New capacity (0 removes the limit)",
        weekly="Repeat every week",
    )
    @app_commands.autocomplete(party=PartiesBase.party_autocomplete)
    async def edit(
        self,
        interaction: discord.Interaction,
        party: PartyId,
        title: app_commands.Range[str, 1, 100] | None = None,
        when: app_commands.Range[str, 1, 200] | None = None,
        link: app_commands.Range[str, 1, 512] | None = None,
        duration: app_commands.Range[str, 1, 20] | None = None,
        notes: app_commands.Range[str, 1, 1000] | None = None,
        capacity: app_commands.Range[int, 0, 10000] | None = None,
        weekly: bool | None = None,
    ) -> None:
        """Apply the given changes, re-plan reminders and keep the post and event in sync."""
        guild = interaction.guild
        assert guild is not None  # noqa: S101 - guild_only
        current = await self._editable(interaction, party)
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = validate_title(title)
        if when is not None:
            repo_tz = self.bot.store.guild(guild.id).repo(TimezoneRepo)
            zone, _ = await repo_tz.effective_timezone(interaction.user.id)
            reading = read_when(when, zone, self.now(), interaction.locale.value)
            changes["starts_at"] = reading.instant
            changes["zone"] = reading.zone_key
        if link is not None:
            info = None if link.strip() == CLEAR else classify_link(link)
            changes["link"] = info.url if info else None
            changes["platform"] = info.platform_label if info else None
        if duration is not None:
            changes["duration"] = parse_duration(duration)
        if notes is not None:
            changes["notes"] = None if notes.strip() == CLEAR else validate_notes(notes)
        if capacity is not None:
            changes["capacity"] = validate_capacity(capacity) if capacity else None
        if weekly is not None:
            changes["weekly"] = weekly
        if not changes:
            raise InvalidInput("Nothing to change: give at least one option, e.g. `when`.")
        repo = self._repo(guild.id)
        saved = await repo.save_edit(
            replace(current, **changes), now=self.now(), editor_id=interaction.user.id
        )
        self.dispatcher.poke()
        counts = await repo.counts(saved.id)
        await posts.refresh(self.bot, saved, counts, self.artist_name(saved.artist_id))
        note = None
        if saved.event_id is not None or current.event_id is None:
            note = await self._sync_event(guild, saved, interaction.user.id)
        text = f"Updated **{safe_text(saved.title, 100)}**: {when_line(saved.starts_at)}."
        # The editor knows the new time: only the others going hear of it.
        editor_going = await repo.rsvp_of(saved.id, interaction.user.id) == "going"
        others = counts.going - int(editor_going)
        if saved.starts_at != current.starts_at and others:
            who = "the member" if others == 1 else f"the {others} members"
            text += f"\nI'll tell {who} going about the new time in <#{saved.channel_id}>."
        await respond(interaction, text + (f"\n{note}" if note else ""), ephemeral=True)

    @app_commands.command(name="cancel", description="Cancel a party and tell everyone who RSVPed.")
    @app_commands.describe(party="The party to cancel")
    @app_commands.autocomplete(party=PartiesBase.party_autocomplete)
    async def cancel(self, interaction: discord.Interaction, party: PartyId) -> None:
        """Cancel the party, remove its Discord event and ping its Going and Maybe members."""
        guild = interaction.guild
        assert guild is not None  # noqa: S101 - guild_only
        await self._editable(interaction, party)
        await defer(interaction)
        repo = self._repo(guild.id)
        cancelled = await repo.cancel_party(party, now=self.now())
        self.dispatcher.poke()
        counts = await repo.counts(party)
        await posts.refresh(self.bot, cancelled, counts, self.artist_name(cancelled.artist_id))
        removed = await delete_event(guild, cancelled.event_id)
        if cancelled.event_id is not None:
            await repo.set_event(party, None)
        targets = await repo.ping_targets(party, ("going", "maybe"))
        pinged = await posts.tell_cancelled(self.bot, cancelled, targets)
        parts = [f"Cancelled **{safe_text(cancelled.title, 100)}**."]
        parts.append(cancel_summary(pinged, len(targets), counts.going + counts.maybe))
        if removed:
            parts.append("Its Discord event is removed.")
        await respond(interaction, " ".join(parts), ephemeral=True)

    @app_commands.command(
        name="export", description="Get an .ics calendar file of one or all parties."
    )
    @app_commands.describe(party="One party (default: every upcoming party)")
    @app_commands.autocomplete(party=PartiesBase.party_autocomplete)
    async def export(self, interaction: discord.Interaction, party: PartyId | None = None) -> None:
        """Attach an RFC 5545 calendar for one party or every upcoming one."""
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        repo = self._repo(interaction.guild_id)
        chosen: list[Party]
        if party is not None:
            chosen = [await repo.get_party(party)]
            filename = f"lightstick-party-{party}.ics"
        else:
            chosen = await repo.list_upcoming(limit=100)
            filename = "lightstick-parties.ics"
        if not chosen:
            raise NotFound("No upcoming parties to export.")
        names = {
            p.artist_id: name
            for p in chosen
            if p.artist_id and (name := self.artist_name(p.artist_id))
        }
        data = build_ics(chosen, stamp=self.now(), artist_names=names)
        count = len(chosen)
        await respond(
            interaction,
            f"Here {'is' if count == 1 else 'are'} {count} part{'y' if count == 1 else 'ies'} "
            "for your calendar app.",
            file=discord.File(io.BytesIO(data), filename=filename),
            ephemeral=True,
        )

    @app_commands.command(
        name="reminders", description="Turn your reminder pings for a party on or off."
    )
    @app_commands.describe(party="The party", pings="on: ping me before it starts; off: don't")
    @app_commands.autocomplete(party=PartiesBase.party_autocomplete)
    @app_commands.choices(pings=PINGS_CHOICES)
    async def reminders(
        self, interaction: discord.Interaction, party: PartyId, pings: app_commands.Range[str, 2, 3]
    ) -> None:
        """Turn this member's reminder pings for one party on or off."""
        await self._set_reminders(interaction, party, on=pings == "on")

    async def _set_reminders(
        self, interaction: discord.Interaction, party: PartyId, *, on: bool
    ) -> None:
        assert interaction.guild_id is not None  # noqa: S101 - guild_only
        repo = self._repo(interaction.guild_id)
        chosen = await repo.get_scheduled(party)
        await repo.set_reminder_opt_out(party, interaction.user.id, not on)
        what = "will ping you" if on else "won't ping you"
        await respond(
            interaction,
            f"OK: I {what} before **{safe_text(chosen.title, 100)}** "
            f"({ts(chosen.starts_at, 'F')}).",
            ephemeral=True,
        )

    @app_commands.command(
        name="settings",
        description=(
            "Moderators: reminder times, parties per member, a role to ping for new parties."
        ),
        extras=moderator_only(),
    )
    @app_commands.describe(
        reminders="Minutes before start, comma separated; 15,0 is the default",
        member_limit=f"Upcoming parties one member may organise (default {DEFAULT_MEMBER_LIMIT})",
        announce_role="Role to ping when a new party is posted (off by default)",
        announce_role_off="Stop pinging a role when a new party is posted",
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        reminders: app_commands.Range[str, 1, 40] | None = None,
        member_limit: app_commands.Range[int, 1, MEMBER_LIMIT_MAX] | None = None,
        announce_role: discord.Role | None = None,
        announce_role_off: bool = False,
    ) -> None:
        """Show or set reminder lead times, the per-member party limit and the role pinged by new
        parties (Manage Server only)."""
        require_manage_guild(interaction)
        guild = interaction.guild
        assert guild is not None  # noqa: S101 - guild_only
        repo = self._repo(guild.id)
        if announce_role is not None and announce_role_off:
            raise InvalidInput("Give either `announce_role` or `announce_role_off`, not both.")
        if announce_role is not None:
            # Checked before anything is saved, so a refused role leaves every setting as it was.
            posts.check_announce_role(guild, announce_role)
        limits = self.bot.store.guild(guild.id).repo(PartyLimitsRepo)
        if reminders is not None:
            leads = parse_lead_minutes(reminders)
            await repo.set_reminder_leads(leads, now=self.now())
            log.info("server %s party reminders set to %s", guild.id, leads)
        if member_limit is not None:
            await limits.set_member_limit(member_limit, now=self.now())
        if announce_role is not None or announce_role_off:
            role_id = announce_role.id if announce_role is not None else None
            await repo.set_announce_role(role_id, now=self.now())
        leads = await repo.get_reminder_leads()
        allowed = plural(await limits.get_member_limit(), "upcoming party", "upcoming parties")
        await respond(
            interaction,
            f"Party reminders: **{describe_lead_minutes(leads)}** "
            f"(`{format_lead_minutes(leads)}`). "
            "They apply to parties scheduled or edited from now on.\n"
            f"Each member may organise **{allowed}** at once, and at most 3 in any 10 minutes "
            "(moderators are not limited).\n"
            + posts.describe_announce_role(guild, await repo.get_announce_role()),
            ephemeral=True,
        )
