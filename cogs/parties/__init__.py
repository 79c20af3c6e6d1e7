"""Streaming parties: /party commands, RSVP buttons, Discord events and the reminder task."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from discord import app_commands
from discord.ext.commands import GroupCog

from bot.core.checks import safe_text
from bot.domain.parties import describe_lead_minutes
from bot.domain.text import plural
from bot.store.parties import PartyRepo
from cogs.parties.commands import ScheduleCommands
from cogs.parties.events import can_manage_events
from cogs.parties.manage import ManageCommands
from cogs.parties.posts import describe_announce_role
from cogs.parties.reminders import ReminderDispatcher
from cogs.parties.views import PREVIEW_WORDS, RsvpButton

if TYPE_CHECKING:
    from bot.core.client import Lightstick

__all__ = ["Parties", "setup"]


@app_commands.guild_only()
class Parties(
    ScheduleCommands,
    ManageCommands,
    GroupCog,
    group_name="party",
    group_description="Streaming parties: schedule, RSVP, reminders and calendar export.",
):
    """Streaming parties with RSVP posts, Discord events and durable reminders."""

    # Registered by the bot when this cog is added (bot/core/buttons.py).
    persistent_items = (RsvpButton,)
    expired_components: ClassVar[dict[str, str]] = {PREVIEW_WORDS.prefix: PREVIEW_WORDS.expired}

    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot
        self.dispatcher = ReminderDispatcher(bot, on_finish=self._after_finish)
        self._loop = self.dispatcher.loop()
        super().__init__()

    async def cog_load(self) -> None:
        """Start the one durable reminder loop."""
        self.bot.start_loop(self._loop)

    async def cog_unload(self) -> None:
        """Stop the reminder loop (a reload starts it again)."""
        await self.bot.stop_loop(self._loop)

    async def kept_on_rejoin(self, guild_id: int) -> list[str]:
        """Say what a returning server kept of its parties, e.g. "2 upcoming parties"."""
        upcoming = await self.bot.store.guild(guild_id).repo(PartyRepo).count_upcoming()
        return [plural(upcoming, "upcoming party", "upcoming parties")] if upcoming else []

    async def settings_section(self, guild_id: int) -> tuple[str, str]:
        """Describe reminder timing, upcoming parties and whether Discord events are mirrored."""
        repo = self.bot.store.guild(guild_id).repo(PartyRepo)
        leads = describe_lead_minutes(await repo.get_reminder_leads())
        upcoming = await repo.count_upcoming()
        guild = self.bot.get_guild(guild_id)
        if guild is not None and can_manage_events(guild):
            events = "Discord events: mirrored."
        else:
            events = "Discord events: off (I need **Manage Events**)."
        count = plural(upcoming, "upcoming party", "upcoming parties")
        lines = [
            f"Reminders: {leads} (`/party settings`). {count}, at most 100.",
            events,
            describe_announce_role(guild, await repo.get_announce_role()),
        ]
        week_ago = self.bot.clock() - timedelta(days=7)
        for title, channel_id, reason in await repo.recent_reminder_failures(week_ago):
            lines.append(
                f"⚠️ A reminder for **{safe_text(title, 60)}** was not posted in <#{channel_id}>: "
                f"{reason}."
            )
        return ("Streaming parties", "\n".join(lines))


async def setup(bot: Lightstick) -> None:
    """Load the Parties cog (the bot registers its restart-proof RSVP buttons)."""
    await bot.add_cog(Parties(bot))
