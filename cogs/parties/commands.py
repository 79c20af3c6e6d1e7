"""/party schedule: validate, show an ephemeral preview, and post the party once confirmed."""

from __future__ import annotations

import logging
from dataclasses import replace

import discord
from discord import app_commands

from bot.core.checks import is_moderator, require_member_can_post, safe_text
from bot.core.confirm import ConfirmView
from bot.core.tree import defer, respond
from bot.domain.parties import (
    PartyDraft,
    check_upcoming_room,
    classify_link,
    parse_duration,
    validate_capacity,
    validate_notes,
    validate_title,
)
from bot.domain.timeparse import read_when
from bot.errors import InvalidInput
from bot.store.party_limits import PartyLimitsRepo
from bot.store.timezones import TimezoneRepo
from cogs.parties import posts
from cogs.parties.base import PartiesBase
from cogs.parties.render import preview_embed, when_line
from cogs.parties.views import PREVIEW_WORDS

log = logging.getLogger(__name__)


def _ping_line(announce: posts.AnnounceRole, asker: discord.Permissions) -> str:
    """Say in the preview whom the post will ping (nothing when no role is set)."""
    if announce.role is not None:
        return f" Posting pings {announce.role.mention}."
    if announce.problem is not None:
        return f" Posting pings nobody: {announce.problem}. " + announce.fixer(asker)
    return ""


class ScheduleCommands(PartiesBase):
    """The /party schedule command and its confirmation step."""

    @app_commands.command(
        name="schedule", description="Schedule a streaming party; you check the time first."
    )
    @app_commands.describe(
        title="What the party is, e.g. 'MV release party'",
        when="When, in your timezone: 'tomorrow 20:00', 'fri 6pm', '내일 저녁 8시'",
        artist="The act this party is for",
        link="https link to the stream or release (YouTube, Spotify, Melon...)",
        duration="How long: 90m, 2h, 1h30m (default 1h)",
        channel="Where to post it (default: here)",
        notes="Anything else fans should know",
        capacity="Most members who can RSVP Going",
        weekly="Repeat every week at the same local time",
    )
    @app_commands.autocomplete(artist=PartiesBase.artist_autocomplete)
    async def schedule(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 100],
        when: app_commands.Range[str, 1, 200],
        artist: app_commands.Range[str, 1, 100] | None = None,
        link: app_commands.Range[str, 1, 512] | None = None,
        duration: app_commands.Range[str, 1, 20] | None = None,
        channel: discord.TextChannel | None = None,
        notes: app_commands.Range[str, 1, 1000] | None = None,
        capacity: app_commands.Range[int, 1, 10000] | None = None,
        weekly: bool = False,
    ) -> None:
        """Validate everything, then show an ephemeral preview with Confirm / Cancel."""
        guild = interaction.guild
        assert guild is not None  # noqa: S101 - guild_only
        repo = self._repo(guild.id)
        check_upcoming_room(await repo.count_upcoming())
        if not is_moderator(interaction.permissions):
            limits = self.bot.store.guild(guild.id).repo(PartyLimitsRepo)
            await limits.check_member(interaction.user.id, now=self.now())
        chosen = channel or interaction.channel
        if isinstance(chosen, discord.abc.GuildChannel | discord.Thread):
            # The member's own rights first, so a hidden channel is not described to them.
            require_member_can_post(interaction, chosen)
        target = posts.check_post_channel(chosen, guild, interaction.permissions)
        link_info = classify_link(link) if link else None
        artist_id = await self._resolve_artist(guild.id, artist)
        zone, source = (
            await self.bot.store.guild(guild.id)
            .repo(TimezoneRepo)
            .effective_timezone(interaction.user.id)
        )
        origin = "your timezone" if source == "member" else "the server default; `/timezone set`"
        # The member's Discord language hints how to read "5/12" and words such as "amanhã".
        reading = read_when(when, zone, self.now(), interaction.locale.value, zone_reason=origin)
        draft = PartyDraft(
            title=validate_title(title),
            starts_at=reading.instant,
            duration=parse_duration(duration),
            channel_id=target.id,
            organiser_id=interaction.user.id,
            # The zone the time was read in ("20:00 KST": Seoul), so a weekly party keeps it.
            zone=reading.zone_key,
            artist_id=artist_id,
            link=link_info.url if link_info else None,
            platform=link_info.platform_label if link_info else None,
            notes=validate_notes(notes),
            capacity=validate_capacity(capacity),
            weekly=weekly,
        )
        artist_name = self.artist_name(artist_id)
        view = ConfirmView(
            interaction.user.id,
            lambda ix: self._confirm_schedule(ix, draft, artist_name),
            PREVIEW_WORDS,
        )
        shown = when.replace("`", "'")
        await respond(
            interaction,
            f"Check the time: **{when_line(draft.starts_at)}**. Confirm to post it in "
            f"{target.mention}."
            + _ping_line(
                posts.announce_role(guild, target, await repo.get_announce_role()),
                interaction.permissions,
            ),
            embed=preview_embed(draft, f"`{shown}`: {reading.explain()}", artist_name),
            view=view,
            ephemeral=True,
        )
        view.origin = interaction

    async def _confirm_schedule(
        self, interaction: discord.Interaction, draft: PartyDraft, artist_name: str | None
    ) -> None:
        guild = interaction.guild
        assert guild is not None  # noqa: S101 - came from a guild-only command
        await defer(interaction)
        now = self.now()
        if draft.starts_at <= now:
            raise InvalidInput("That time passed while the preview was open; schedule again.")
        channel = posts.check_post_channel(
            guild.get_channel_or_thread(draft.channel_id), guild, interaction.permissions
        )
        # Permissions may have been taken away while the preview was open.
        require_member_can_post(interaction, channel)
        repo = self._repo(guild.id)
        party = await repo.create_party(
            draft, now=now, limit_member=not is_moderator(interaction.permissions)
        )
        announce = posts.announce_role(guild, channel, await repo.get_announce_role())
        try:
            message = await posts.publish(channel, party, artist_name, announce.role)
        except discord.HTTPException:
            await repo.cancel_party(party.id, now=now)
            raise
        await repo.set_message(party.id, message.id)
        self.dispatcher.poke()
        note = await self._sync_event(
            guild, replace(party, message_id=message.id), draft.organiser_id
        )
        role_note = None
        if announce.problem is not None:
            role_note = f"Nobody was pinged: {announce.problem}. " + announce.fixer(
                interaction.permissions
            )
        lines = [f"Posted **{safe_text(party.title, 100)}**: {message.jump_url}", role_note, note]
        await interaction.edit_original_response(
            content="\n".join(line for line in lines if line), embed=None, view=None
        )
        log.info("party %s scheduled in server %s", party.id, guild.id)
