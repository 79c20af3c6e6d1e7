"""One preview-and-confirm view: nothing happens until the person who asked presses the button.

Its buttons live only in this process (custom_ids `<prefix>confirm` / `<prefix>cancel`); after a
restart the bot-wide fallback answers them with the cog's `expired_components` text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord

from bot.core.tree import LightstickView, defer, edit_message

log = logging.getLogger(__name__)

PREVIEW_TIMEOUT = 300.0  # seconds


@dataclass(frozen=True)
class ConfirmWords:
    """What one kind of preview says: its custom_id prefix, button label and messages."""

    prefix: str
    confirm_label: str
    not_yours: str
    cancelled: str
    expired: str
    emoji: str | None = None
    # Said (privately) to a Cancel pressed while the confirmed action is under way.
    confirming: str = "Too late to cancel: it is already being done."
    # Said (privately) to a Confirm pressed after Cancel.
    already_cancelled: str = "This was already cancelled; run the command again."


class ConfirmView(LightstickView):
    """Confirm / Cancel under a preview; only `author_id` may press them, and Confirm runs once."""

    def __init__(
        self,
        author_id: int,
        on_confirm: Callable[[discord.Interaction[Any]], Awaitable[None]],
        words: ConfirmWords,
        *,
        timeout: float = PREVIEW_TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        self.author_id = author_id
        self.words = words
        self._on_confirm = on_confirm
        # None until a button is pressed, then "confirmed" or "cancelled": the first press wins.
        self._choice: str | None = None
        self.origin: discord.Interaction[Any] | None = None
        confirm: discord.ui.Button[ConfirmView] = discord.ui.Button(
            label=words.confirm_label,
            style=discord.ButtonStyle.success,
            emoji=words.emoji,
            custom_id=f"{words.prefix}confirm",
        )
        cancel: discord.ui.Button[ConfirmView] = discord.ui.Button(
            label="Cancel", style=discord.ButtonStyle.secondary, custom_id=f"{words.prefix}cancel"
        )
        confirm.callback = self._confirm  # type: ignore[method-assign]
        cancel.callback = self._cancel  # type: ignore[method-assign]
        self.add_item(confirm)
        self.add_item(cancel)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Let only the person who ran the command press these buttons; tell anyone else why."""
        if interaction.user.id == self.author_id:
            return True
        await interaction.response.send_message(self.words.not_yours, ephemeral=True)
        return False

    @property
    def done(self) -> bool:
        """Say whether Confirm or Cancel was pressed (the preview no longer expires)."""
        return self._choice is not None

    async def _confirm(self, interaction: discord.Interaction[Any]) -> None:
        if self._choice == "confirmed":  # pressed twice: the first press already acts
            await defer(interaction)
            return
        if self._choice == "cancelled":
            await interaction.response.send_message(self.words.already_cancelled, ephemeral=True)
            return
        self._choice = "confirmed"
        try:
            await self._on_confirm(interaction)
        finally:
            # Listening until the action is over lets a Cancel pressed meanwhile hear why not.
            self.stop()

    async def _cancel(self, interaction: discord.Interaction[Any]) -> None:
        if self._choice == "confirmed":
            # The confirmed action is under way: it cannot be called back, so say so.
            await interaction.response.send_message(self.words.confirming, ephemeral=True)
            return
        self._choice = "cancelled"
        self.stop()
        await edit_message(interaction, content=self.words.cancelled, embed=None, view=None)

    async def on_timeout(self) -> None:
        """Say the preview expired instead of leaving dead buttons."""
        if self.origin is None or self.done:
            return
        try:
            await self.origin.edit_original_response(content=self.words.expired, view=None)
        except discord.HTTPException:
            log.debug("could not expire a preview", exc_info=True)
