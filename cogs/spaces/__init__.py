"""The /spaces cog package: commands, the Discord sender of the fan-out, and rendering."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.spaces.commands import Spaces

if TYPE_CHECKING:
    from bot.core.client import Lightstick

__all__ = ["Spaces", "setup"]


async def setup(bot: Lightstick) -> None:
    """Load the Spaces cog."""
    await bot.add_cog(Spaces(bot))
