"""Save / Cancel under a follow's preview: nothing is saved until the moderator presses Save."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.core.tree import LightstickView, defer, edit_message

log = logging.getLogger(__name__)

PREVIEW_TIMEOUT = 300.0
# The buttons live only in this process; after a restart the bot says they expired.
PREVIEW_PREFIX = "spaces:preview:"
PREVIEW_EXPIRED = "This preview expired and nothing was saved; run `/spaces follow` again."


class SaveView(LightstickView):
    """Save / Cancel under a follow preview; only the moderator who asked can press them."""

    def __init__(
        self,
        author_id: int,
        on_save: Callable[[discord.Interaction[Any]], Awaitable[None]],
        *,
        timeout: float = PREVIEW_TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        self.author_id = author_id
        self._on_save = on_save
        self._done = False
        self.origin: discord.Interaction[Any] | None = None

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Let only the moderator who ran the command press these buttons; tell anyone else."""
        if interaction.user.id == self.author_id:
            return True
        await interaction.response.send_message(
            "Only the moderator who ran `/spaces follow` can save this.", ephemeral=True
        )
        return False

    @discord.ui.button(
        label="Save", style=discord.ButtonStyle.success, custom_id=f"{PREVIEW_PREFIX}save"
    )
    async def save(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[SaveView]
    ) -> None:
        """Save the follow (once, even if pressed twice)."""
        if self._done:
            await defer(interaction)
            return
        self._done = True
        self.stop()
        await self._on_save(interaction)

    @discord.ui.button(
        label="Cancel", style=discord.ButtonStyle.secondary, custom_id=f"{PREVIEW_PREFIX}cancel"
    )
    async def cancel(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[SaveView]
    ) -> None:
        """Drop the preview; nothing is saved."""
        self._done = True
        self.stop()
        await edit_message(interaction, content="Cancelled: nothing was saved.", view=None)

    async def on_timeout(self) -> None:
        """Tell the moderator the preview expired instead of leaving dead buttons."""
        if self.origin is None or self._done:
            return
        try:
            await self.origin.edit_original_response(content=PREVIEW_EXPIRED, view=None)
        except discord.HTTPException:
            log.debug("could not expire a follow preview", exc_info=True)
