"""Member timezones and the server default zone they fall back to."""

from __future__ import annotations

import logging
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.store.db import Database
from bot.store.guilds import GuildSettingsRepo
from bot.store.times import now_epoch

log = logging.getLogger(__name__)

DEFAULT_ZONE = "Asia/Seoul"
ZoneSource = Literal["member", "server"]


def _load(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A zone removed from tzdata after it was saved: fall back rather than fail every command.
        log.warning("stored timezone %r no longer loads; falling back", name)
        return None


class TimezoneRepo:
    """One server's member timezones and its default zone. Zone names must be validated first."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id
        self._settings = GuildSettingsRepo(db, guild_id)

    async def set_member_timezone(self, user_id: int, zone: str) -> None:
        """Save the member's zone, replacing any earlier one (idempotent; raises nothing)."""
        await self._db.execute(
            "INSERT INTO member_timezones (guild_id, user_id, timezone, updated_at) "
            "VALUES (:guild_id, :user_id, :zone, :now) ON CONFLICT(guild_id, user_id) DO UPDATE "
            "SET timezone = excluded.timezone, updated_at = excluded.updated_at",
            {"guild_id": self.guild_id, "user_id": user_id, "zone": zone, "now": now_epoch()},
        )

    async def get_member_timezone(self, user_id: int) -> str | None:
        """Return the member's own zone name, or None if they never set one (raises nothing)."""
        value = await self._db.fetchval(
            "SELECT timezone FROM member_timezones "
            "WHERE guild_id = :guild_id AND user_id = :user_id",
            {"guild_id": self.guild_id, "user_id": user_id},
        )
        return None if value is None else str(value)

    async def clear_member_timezone(self, user_id: int) -> bool:
        """Forget the member's zone; return whether one was set (idempotent; raises nothing)."""
        changed = await self._db.execute(
            "DELETE FROM member_timezones WHERE guild_id = :guild_id AND user_id = :user_id",
            {"guild_id": self.guild_id, "user_id": user_id},
        )
        return changed > 0

    async def count_member_timezones(self) -> int:
        """Return how many members of this server set their own zone (raises nothing)."""
        value = await self._db.fetchval(
            "SELECT count(*) FROM member_timezones WHERE guild_id = :guild_id",
            {"guild_id": self.guild_id},
        )
        return int(value or 0)

    async def get_guild_timezone(self) -> str:
        """Return the server's default zone name, Asia/Seoul when unset (raises nothing)."""
        return await self._settings.get_timezone()

    async def set_guild_timezone(self, zone: str) -> None:
        """Set the server's default zone (idempotent; needs ensure_guild first; raises nothing)."""
        await self._settings.set_timezone(zone)

    async def effective_timezone(self, user_id: int) -> tuple[ZoneInfo, ZoneSource]:
        """Return the zone this member's times are read in, and its source (raises nothing)."""
        own = _load(await self.get_member_timezone(user_id))
        if own is not None:
            return own, "member"
        server = _load(await self.get_guild_timezone())
        return (server or ZoneInfo(DEFAULT_ZONE)), "server"
