"""Trivia about K-pop firsts: /trivia commands, the game runner, answer buttons, daily question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.trivia.commands import Trivia

if TYPE_CHECKING:
    from bot.core.client import Lightstick

__all__ = ["Trivia", "setup"]


async def setup(bot: Lightstick) -> None:
    """Load the Trivia cog and register its restart-proof answer buttons (choice and typed)."""
    await bot.add_cog(Trivia(bot))
