"""Party settings of one server: reminder lead minutes, the announcement role, one-time notices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.parties.reminders import DEFAULT_LEAD_MINUTES, format_lead_minutes
from bot.errors import InvalidInput
from bot.store.db import Database
from bot.store.times import to_epoch


class PartySettings:
    """The settings half of PartyRepo (bot/store/parties.py), bound to one server."""

    def __init__(self, db: Database, guild_id: int) -> None:
        self._db = db
        self.guild_id = guild_id

    async def get_reminder_leads(self) -> tuple[int, ...]:
        """Return the server's reminder lead minutes (default 15 and 0)."""
        value = await self._db.fetchval(
            "SELECT reminder_leads FROM party_settings WHERE guild_id = :guild_id",
            {"guild_id": self.guild_id},
        )
        if not value:
            return DEFAULT_LEAD_MINUTES
        return tuple(int(p) for p in str(value).split(",") if p.strip().isdigit())

    async def set_reminder_leads(self, leads: Iterable[int], *, now: datetime) -> None:
        """Set the lead minutes for parties scheduled or edited from now on (idempotent)."""
        text = format_lead_minutes(leads)
        if not text:
            raise InvalidInput("Give at least one reminder time, e.g. `15,0`.")
        await self._db.execute(
            "INSERT INTO party_settings (guild_id, reminder_leads, updated_at) "
            "VALUES (:guild_id, :leads, :now) "
            "ON CONFLICT(guild_id) DO UPDATE SET reminder_leads = excluded.reminder_leads, "
            "updated_at = excluded.updated_at",
            {"guild_id": self.guild_id, "leads": text, "now": to_epoch(now)},
        )

    async def first_notice(self, user_id: int, kind: str, *, now: datetime) -> bool:
        """Record a one-time notice; return True only the first time for this member and kind."""
        changed = await self._db.execute(
            "INSERT INTO party_notices (guild_id, user_id, kind, noticed_at) "
            "VALUES (:guild_id, :user_id, :kind, :now) ON CONFLICT DO NOTHING",
            {"guild_id": self.guild_id, "user_id": user_id, "kind": kind, "now": to_epoch(now)},
        )
        return changed == 1

    async def get_announce_role(self) -> int | None:
        """Return the id of the role a new party's post pings, or None (the default: nobody)."""
        value = await self._db.fetchval(
            "SELECT announce_role_id FROM party_settings WHERE guild_id = :guild_id",
            {"guild_id": self.guild_id},
        )
        return None if value is None else int(value)

    async def set_announce_role(self, role_id: int | None, *, now: datetime) -> None:
        """Set (or, with None, clear) the role pinged when a party is announced (idempotent)."""
        await self._db.execute(
            "INSERT INTO party_settings (guild_id, announce_role_id, updated_at) "
            "VALUES (:guild_id, :role_id, :now) "
            "ON CONFLICT(guild_id) DO UPDATE SET announce_role_id = excluded.announce_role_id, "
            "updated_at = excluded.updated_at",
            {"guild_id": self.guild_id, "role_id": role_id, "now": to_epoch(now)},
        )
