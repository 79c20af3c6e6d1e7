"""How much one member may schedule: the per-member limit of upcoming parties and the cooldown."""

from __future__ import annotations

from datetime import datetime

from bot.domain.parties.bounds import (
    DEFAULT_MEMBER_LIMIT,
    SCHEDULE_WINDOW,
    check_member_room,
    check_schedule_cooldown,
)
from bot.store.db import Database
from bot.store.times import from_epoch, to_epoch


class PartyLimitsRepo:
    """One server's per-member party limit (setting) and the counts it is checked against."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id

    async def get_member_limit(self) -> int:
        """Return how many upcoming parties one member may organise (default 5)."""
        value = await self._db.fetchval(
            "SELECT member_limit FROM party_settings WHERE guild_id = :guild_id",
            {"guild_id": self.guild_id},
        )
        return int(value) if value is not None else DEFAULT_MEMBER_LIMIT

    async def set_member_limit(self, limit: int, *, now: datetime) -> None:
        """Set the per-member limit (idempotent; SQLite enforces 1-100)."""
        await self._db.execute(
            "INSERT INTO party_settings (guild_id, member_limit, updated_at) "
            "VALUES (:guild_id, :limit, :now) "
            "ON CONFLICT(guild_id) DO UPDATE SET member_limit = excluded.member_limit, "
            "updated_at = excluded.updated_at",
            {"guild_id": self.guild_id, "limit": limit, "now": to_epoch(now)},
        )

    async def check_member(self, organiser_id: int, *, now: datetime) -> None:
        """Raise InvalidInput if the member is at the limit or scheduled one too recently.

        Call inside the transaction that inserts the party, so two confirms at once cannot both
        pass.
        """
        count = await self._db.fetchval(
            "SELECT count(*) FROM parties WHERE guild_id = :guild_id "
            "AND organiser_id = :organiser_id AND status = 'scheduled'",
            {"guild_id": self.guild_id, "organiser_id": organiser_id},
        )
        check_member_room(int(count or 0), await self.get_member_limit())
        rows = await self._db.fetchall(
            "SELECT created_at FROM parties WHERE guild_id = :guild_id "
            "AND organiser_id = :organiser_id AND created_at > :since ORDER BY created_at",
            {
                "guild_id": self.guild_id,
                "organiser_id": organiser_id,
                "since": to_epoch(now - SCHEDULE_WINDOW),
            },
        )
        check_schedule_cooldown([from_epoch(int(r[0])) for r in rows], now)
