"""Buttons: the schedule preview's Confirm/Cancel, and RSVP buttons that survive restarts."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, cast

import discord

from bot.core.buttons import PersistentItem, feature_cog
from bot.core.tree import LightstickView, defer, edit_message
from bot.domain.parties import RSVP_STATUSES, Party, RsvpCounts, RsvpStatus


class RsvpHandler(Protocol):
    """What an RSVP button needs from the Parties cog."""

    async def handle_rsvp(
        self, interaction: discord.Interaction[Any], party_id: int, status: RsvpStatus
    ) -> None:
        """Record a click on one of a party's RSVP buttons and answer it."""


log = logging.getLogger(__name__)

PREVIEW_TIMEOUT = 300.0
# The preview's buttons live only in this process; after a restart the bot says they expired.
PREVIEW_PREFIX = "party:preview:"
PREVIEW_EXPIRED = "This preview expired; run `/party schedule` again."
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


class ConfirmView(LightstickView):
    """Confirm / Cancel under the schedule preview; only the member who asked can press them."""

    def __init__(
        self,
        author_id: int,
        on_confirm: Callable[[discord.Interaction[Any]], Awaitable[None]],
        *,
        timeout: float = PREVIEW_TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        self.author_id = author_id
        self._on_confirm = on_confirm
        self._done = False
        self.origin: discord.Interaction[Any] | None = None

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Let only the member who ran the command press these buttons; tell anyone else why."""
        if interaction.user.id == self.author_id:
            return True
        await interaction.response.send_message(
            "Only the member who ran `/party schedule` can confirm this preview.", ephemeral=True
        )
        return False

    @discord.ui.button(
        label="Confirm",
        style=discord.ButtonStyle.success,
        emoji="✅",
        custom_id=f"{PREVIEW_PREFIX}confirm",
    )
    async def confirm(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[ConfirmView]
    ) -> None:
        """Post the party (once, even if pressed twice)."""
        if self._done:
            await defer(interaction)
            return
        self._done = True
        self.stop()
        await self._on_confirm(interaction)

    @discord.ui.button(
        label="Cancel", style=discord.ButtonStyle.secondary, custom_id=f"{PREVIEW_PREFIX}cancel"
    )
    async def cancel(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[ConfirmView]
    ) -> None:
        """Drop the preview; nothing is posted."""
        self._done = True
        self.stop()
        await edit_message(
            interaction, content="Cancelled: nothing was posted.", embed=None, view=None
        )

    async def on_timeout(self) -> None:
        """Tell the member the preview expired instead of leaving dead buttons."""
        if self.origin is None or self._done:
            return
        try:
            await self.origin.edit_original_response(content=PREVIEW_EXPIRED, view=None)
        except discord.HTTPException:
            log.debug("could not expire a party preview", exc_info=True)
