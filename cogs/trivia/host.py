"""What the trivia modules need from the Trivia cog, as a protocol (no import of the cog)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bot.domain.trivia.bank import Bank
from bot.store.trivia import TriviaRepo
from bot.store.trivia_packs import TriviaPackRepo

if TYPE_CHECKING:
    from bot.core.client import Lightstick


class TriviaHost(Protocol):
    """The bot, the shipped bank and each server's repositories (the Trivia cog provides them)."""

    bot: Lightstick
    bank: Bank

    def repo(self, guild_id: int) -> TriviaRepo:
        """Return the trivia repository of one server."""
        ...

    def packs(self, guild_id: int) -> TriviaPackRepo:
        """Return the question-pack repository of one server."""
        ...
