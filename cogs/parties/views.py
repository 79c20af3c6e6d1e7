"""Buttons: the schedule preview's words, and RSVP buttons that survive restarts."""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol, cast

import discord

from bot.core.buttons import PersistentItem, feature_cog
from bot.core.confirm import ConfirmWords
from bot.domain.parties import RSVP_STATUSES, Party, RsvpCounts, RsvpStatus


class RsvpHandler(Protocol):
    """What an RSVP button needs from the Parties cog."""

    async def handle_rsvp(
        self, interaction: discord.Interaction[Any], party_id: int, status: RsvpStatus
    ) -> None:
        """Record a click on one of a party's RSVP buttons and answer it."""


log = logging.getLogger(__name__)

# The preview's buttons live only in this process; after a restart the bot says they expired.
PREVIEW_WORDS = ConfirmWords(
    prefix="party:preview:",
    confirm_label="Confirm",
    emoji="✅",
    not_yours="Only the member who ran `/party schedule` can confirm this preview.",
    cancelled="Cancelled: nothing was posted.",
    expired="This preview expired; run `/party schedule` again.",
    confirming="Too late to cancel: the party is already being posted.",
    already_cancelled="This was cancelled and nothing was posted; run `/party schedule` again.",
)
_LABELS: dict[RsvpStatus, tuple[str, str, discord.ButtonStyle]] = {
    "going": ("Going", "✅", discord.ButtonStyle.success),
    "maybe": ("Maybe", "🤔", discord.ButtonStyle.secondary),
    "cant": ("Can't", "❌", discord.ButtonStyle.secondary),
}


def rsvp_custom_id(party_id: int, status: RsvpStatus) -> str:
    """Return the custom_id of one RSVP button (stable, so old posts keep working)."""
    return f"party:rsvp:{party_id}:{status}"


class RsvpButton(
    PersistentItem[discord.ui.Button[discord.ui.View]],
    template=r"party:rsvp:(?P<party_id>[0-9]{1,19}):(?P<status>going|maybe|cant)",
):
    """One RSVP button; its state lives in the custom_id, so it works after a restart."""

    def __init__(
        self, party_id: int, status: RsvpStatus, *, count: int = 0, disabled: bool = False
    ) -> None:
        label, emoji, style = _LABELS[status]
        super().__init__(
            discord.ui.Button(
                label=f"{label} ({count})",
                emoji=emoji,
                style=style,
                custom_id=rsvp_custom_id(party_id, status),
                disabled=disabled,
            )
        )
        self.party_id = party_id
        self.status: RsvpStatus = status

    @classmethod
    def from_match(cls, match: re.Match[str]) -> RsvpButton:
        """Rebuild the component from its custom_id."""
        return cls(int(match["party_id"]), cast(RsvpStatus, match["status"]))

    where = "rsvp button"

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Record the click and re-render the post."""
        cog = cast(RsvpHandler, feature_cog(interaction, "Parties"))
        await cog.handle_rsvp(interaction, self.party_id, self.status)


def rsvp_view(party: Party, counts: RsvpCounts) -> discord.ui.View:
    """Return the persistent Going / Maybe / Can't row for a party post."""
    view = discord.ui.View(timeout=None)
    closed = party.status != "scheduled"
    for status in RSVP_STATUSES:
        view.add_item(RsvpButton(party.id, status, count=getattr(counts, status), disabled=closed))
    return view
