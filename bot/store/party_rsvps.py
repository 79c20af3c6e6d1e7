"""Party RSVPs as read by posts and reminders: who is going, the counts, who may be pinged."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from bot.domain.parties.model import RsvpCounts, RsvpStatus
from bot.errors import NotFound
from bot.store.db import Database
from bot.store.party_reminders import move_notice_kind

# Members recorded in party_notices as already knowing a 'moved' row's change (its editor).
_NOT_TOLD = (
    "user_id NOT IN (SELECT user_id FROM party_notices WHERE guild_id = :guild_id AND kind = :told)"
)


def _told_kind(move_notice: int | None) -> str:
    # No notice: a kind no row has, so nobody is left out.
    return move_notice_kind(move_notice) if move_notice is not None else ""


class PartyRsvpReads:
    """The RSVP-reading half of PartyRepo (bot/store/parties.py), bound to one server."""

    _db: Database
    guild_id: int

    def _key(self, party_id: int, **more: Any) -> dict[str, Any]:
        """Return the parameters naming one of this server's parties, plus `more`."""
        return {"guild_id": self.guild_id, "party_id": party_id, **more}

    async def going_user_ids(self, party_id: int, limit: int) -> list[int]:
        """Return up to `limit` ids of members going, earliest answer first."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM party_rsvps WHERE guild_id = :guild_id AND party_id = :party_id "
            "AND status = 'going' ORDER BY updated_at, user_id LIMIT :limit",
            self._key(party_id, limit=limit),
        )
        return [int(r[0]) for r in rows]

    async def counts(self, party_id: int) -> RsvpCounts:
        """Return how many members answered Going, Maybe and Can't."""
        rows = await self._db.fetchall(
            "SELECT status, count(*) FROM party_rsvps "
            "WHERE guild_id = :guild_id AND party_id = :party_id GROUP BY status",
            self._key(party_id),
        )
        found = {str(r[0]): int(r[1]) for r in rows}
        return RsvpCounts(
            going=found.get("going", 0), maybe=found.get("maybe", 0), cant=found.get("cant", 0)
        )

    async def rsvp_of(self, party_id: int, user_id: int) -> RsvpStatus | None:
        """Return a member's answer to a party, or None."""
        value = await self._db.fetchval(
            "SELECT status FROM party_rsvps "
            "WHERE guild_id = :guild_id AND party_id = :party_id AND user_id = :user_id",
            self._key(party_id, user_id=user_id),
        )
        return cast(RsvpStatus | None, value)

    async def ping_targets(
        self,
        party_id: int,
        statuses: Iterable[RsvpStatus] = ("going",),
        *,
        move_notice: int | None = None,
    ) -> list[int]:
        """Return the members to ping about a party: answered one of `statuses`, not opted out,
        and (for the 'moved' reminder row `move_notice`) not the member who made that change.

        Every path that pings RSVPed members (reminders, cancel notices, time changes) goes
        through here, so `/party reminders pings:off` is honoured everywhere. Earliest answer
        first.
        """
        wanted = {f"status{n}": status for n, status in enumerate(statuses)}
        marks = ", ".join(f":{name}" for name in wanted) or "NULL"
        rows = await self._db.fetchall(
            "SELECT user_id FROM party_rsvps "  # noqa: S608
            "WHERE guild_id = :guild_id AND party_id = :party_id "
            f"AND status IN ({marks}) AND opt_out_reminders = 0 AND {_NOT_TOLD} "
            "ORDER BY updated_at, user_id",
            self._key(party_id, told=_told_kind(move_notice), **wanted),
        )
        return [int(r[0]) for r in rows]

    async def count_going(self, party_id: int, *, move_notice: int | None = None) -> int:
        """Return how many members are going, leaving out who made the change the 'moved'
        reminder row `move_notice` reports (None: everyone going)."""
        value = await self._db.fetchval(
            "SELECT count(*) FROM party_rsvps "  # noqa: S608
            "WHERE guild_id = :guild_id AND party_id = :party_id AND status = 'going' "
            f"AND {_NOT_TOLD}",
            self._key(party_id, told=_told_kind(move_notice)),
        )
        return int(value or 0)

    async def forget_move_notice(self, reminder_id: int) -> None:
        """Drop the record of who made a 'moved' row's change, once it is handled (idempotent)."""
        await self._db.execute(
            "DELETE FROM party_notices WHERE guild_id = :guild_id AND kind = :kind",
            {"guild_id": self.guild_id, "kind": move_notice_kind(reminder_id)},
        )

    async def reminders_off(self, party_id: int, user_id: int) -> bool:
        """Say whether a member turned reminder pings off for a party (False: no answer yet)."""
        value = await self._db.fetchval(
            "SELECT opt_out_reminders FROM party_rsvps "
            "WHERE guild_id = :guild_id AND party_id = :party_id AND user_id = :user_id",
            self._key(party_id, user_id=user_id),
        )
        return bool(value)

    async def set_reminder_opt_out(self, party_id: int, user_id: int, opt_out: bool) -> None:
        """Turn a member's reminder pings for one party off or on (idempotent); raise NotFound."""
        changed = await self._db.execute(
            "UPDATE party_rsvps SET opt_out_reminders = :opt_out "
            "WHERE guild_id = :guild_id AND party_id = :party_id AND user_id = :user_id",
            self._key(party_id, user_id=user_id, opt_out=int(opt_out)),
        )
        if changed == 0:
            raise NotFound("You have not answered this party yet; click Going first.")
