"""Trivia rows read across servers: games a stopped bot left running, daily-question schedules."""

from __future__ import annotations

from bot.store.db import Database
from bot.store.trivia import GameRecord, list_daily_guilds, list_running_games


class TriviaAcrossGuilds:
    """Read-only trivia queries that span every server (start-up clean-up, the daily loop)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def running_games(self) -> list[GameRecord]:
        """Return every member-started game still marked running, in every server."""
        return await list_running_games(self._db)

    async def daily_guilds(self) -> list[tuple[int, int, str, str]]:
        """Return (guild, channel, 'HH:MM', zone) for every server with a daily question set up."""
        return await list_daily_guilds(self._db)
