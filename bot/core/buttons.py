"""Restart-proof components: one base class, one way to register them, one fallback for the rest.

A persistent component keeps its state in its custom_id, so a click on a message posted before a
restart still works. Subclasses give a `template` (a regex over the custom_id), `from_match` to
rebuild themselves and `handle` to act; every exception goes through the one error funnel
(discord.py would only log it). A cog lists its classes in `persistent_items`; the bot registers
them when the cog is added and drops them when it is removed. A cog may also name, in
`expired_components`, what to say for its own custom_id prefixes once they expire, and in
`claimed_custom_ids` (compiled patterns) the ids it answers itself from a listener.

A component whose custom_id nothing claims (an expired preview, a button of a removed feature)
gets a polite ephemeral answer instead of Discord's "This interaction failed".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

import discord

from bot.core.tree import answer_in_time, handle_interaction_error
from bot.errors import NotFound

__all__ = [
    "EXPIRED_DEFAULT",
    "PersistentItem",
    "custom_id_of",
    "expired_text",
    "feature_cog",
    "is_claimed",
]

BaseT = TypeVar("BaseT", bound="discord.ui.Item[Any]", covariant=True)

EXPIRED_DEFAULT = "This button has expired. Run the command again to get a fresh one."


class PersistentItem(discord.ui.DynamicItem[BaseT], template=r"(?!)"):
    """Base of every restart-proof component; the base template matches nothing."""

    where: ClassVar[str] = "component"

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PersistentItem[BaseT]:
        """Rebuild the component from its custom_id (discord.py calls this on every click)."""
        return cls.from_match(match)

    @classmethod
    def from_match(cls, match: re.Match[str]) -> PersistentItem[BaseT]:
        """Return the component described by the groups of `template`."""
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Run `handle` (deferred in time if it is slow); errors reach the person via the funnel."""
        answer_in_time(interaction)
        try:
            await self.handle(interaction)
        except Exception as exc:
            await handle_interaction_error(interaction, exc, where=self.where)

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Act on the click or selection."""
        raise NotImplementedError


def feature_cog(interaction: discord.Interaction[Any], name: str) -> Any:
    """Return the loaded cog `name`; raise NotFound (a polite answer) while it is not loaded."""
    cog = interaction.client.get_cog(name)
    if cog is None:
        raise NotFound("This feature is not available right now; try again in a minute.")
    return cog


def expired_text(custom_id: str, cogs: Iterable[object]) -> str:
    """Return what to tell a person who used a component nothing claims any more.

    A cog may map custom_id prefixes to its own words in `expired_components`
    (e.g. {"party:preview:": "This preview expired; run /party schedule again."}).
    """
    texts: dict[str, str] = {}
    for cog in cogs:
        texts.update(getattr(cog, "expired_components", {}))
    for prefix in sorted(texts, key=len, reverse=True):
        if custom_id.startswith(prefix):
            return texts[prefix]
    return EXPIRED_DEFAULT


def custom_id_of(interaction: discord.Interaction[Any]) -> str:
    """Return the custom_id of a component or modal interaction ("" for other kinds)."""
    data: dict[str, Any] = dict(interaction.data or {})
    return str(data.get("custom_id", ""))


def _message_carries(message: discord.Message | None, component_type: Any, custom_id: str) -> bool:
    """Whether `message` has a component of that type and custom_id (rows and containers too)."""
    if message is None:
        return False
    stack: list[Any] = list(message.components)
    while stack:
        component = stack.pop()
        kind = getattr(getattr(component, "type", None), "value", None)
        if kind == component_type and getattr(component, "custom_id", None) == custom_id:
            return True
        stack.extend(getattr(component, "children", None) or [])
    return False


def is_claimed(client: discord.Client, interaction: discord.Interaction[Any]) -> bool:
    """Whether a live view, a modal or a registered persistent component handles `interaction`.

    Reads discord.py's view store (2.7's internals; tests/core/test_buttons.py pins them).
    """
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = custom_id_of(interaction)
    for cog in getattr(client, "cogs", {}).values():
        if any(p.fullmatch(custom_id) for p in getattr(cog, "claimed_custom_ids", ())):
            return True
    store = client._connection._view_store
    if interaction.type is discord.InteractionType.modal_submit:
        return custom_id in store._modals
    component_type = data.get("component_type")
    # discord.py runs a persistent component only when the clicked message carries it.
    if any(p.fullmatch(custom_id) for p in store._dynamic_items) and _message_carries(
        interaction.message, component_type, custom_id
    ):
        return True
    message_id = interaction.message.id if interaction.message is not None else None
    for key in (message_id, None):
        items = store._views.get(key)
        if items and (component_type, custom_id) in items:
            return True
    return False
