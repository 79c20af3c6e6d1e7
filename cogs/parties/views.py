"""Buttons: the schedule preview's Confirm/Cancel, and RSVP buttons that survive restarts."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.core.tree import LightstickView, defer, edit_message, handle_interaction_error
from bot.domain.parties import RSVP_STATUSES, Party, RsvpCounts, RsvpStatus

if TYPE_CHECKING:
    from cogs.parties.base import PartiesBase

log = logging.getLogger(__name__)

PREVIEW_TIMEOUT = 300.0
_LABELS: dict[RsvpStatus, tuple[str, str, discord.ButtonStyle]] = {
    "going": ("Going", "✅", discord.ButtonStyle.success),
    "maybe": ("Maybe", "🤔", discord.ButtonStyle.secondary),
    "cant": ("Can't", "❌", discord.ButtonStyle.secondary),
}


def rsvp_custom_id(party_id: int, status: RsvpStatus) -> str:
    """Return the custom_id of one RSVP button (stable, so old posts keep working)."""
    return f"party:rsvp:{party_id}:{status}"


class RsvpButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
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
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> RsvpButton:
        """Rebuild the button from its custom_id."""
        return cls(int(match["party_id"]), cast(RsvpStatus, match["status"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Record the click and re-render the post; errors go through the one funnel."""
        # discord.py only logs exceptions from dynamic items, so route them to the person here.
        try:
            cog = cast("PartiesBase | None", interaction.client.get_cog("Parties"))
            if cog is None:
                raise RuntimeError("Parties cog not loaded")
            await cog.handle_rsvp(interaction, self.party_id, self.status)
        except Exception as exc:
            await handle_interaction_error(interaction, exc, where=f"rsvp button {self.status}")


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
        """Let only the member who ran the command press these buttons."""
        return interaction.user.id == self.author_id

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.success, emoji="✅")
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

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
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
            await self.origin.edit_original_response(
                content="This preview expired; run `/party schedule` again.", view=None
            )
        except discord.HTTPException:
            log.debug("could not expire a party preview", exc_info=True)
