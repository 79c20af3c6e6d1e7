"""The /spaces cog package: commands, the Discord sender of the fan-out, and rendering."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.spaces.commands import Spaces
from cogs.spaces.health import SpacesHealth

if TYPE_CHECKING:
    from bot.core.client import Lightstick

__all__ = ["Spaces", "setup"]


async def setup(bot: Lightstick) -> None:
    """Load the Spaces cog and the re-check of its broken channels."""
    spaces = Spaces(bot)
    await bot.add_cog(spaces)
    await bot.add_cog(SpacesHealth(bot, spaces.health))
