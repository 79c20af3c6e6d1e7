"""Party reminders across servers: the global ReminderQueue the dispatcher drains exactly once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import cast

from bot.domain.parties.model import Reminder, ReminderKind, ReminderState
from bot.store.db import Database, Row
from bot.store.times import from_epoch, to_epoch

REMINDER_COLUMNS = "reminder_id, party_id, guild_id, kind, due_at, lead_minutes, state"


def reminder_from_row(row: Row) -> Reminder:
    """Build a Reminder from a `party_reminders` row selected with REMINDER_COLUMNS."""
    return Reminder(
        id=int(row["reminder_id"]),
        party_id=int(row["party_id"]),
        guild_id=int(row["guild_id"]),
        kind=cast(ReminderKind, row["kind"]),
        due_at=from_epoch(row["due_at"]),
        lead_minutes=int(row["lead_minutes"]),
        state=cast(ReminderState, row["state"]),
    )


class ReminderQueue:
    """The cross-server reminder queue; each row goes pending -> sending -> sent | skipped."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def next_due(self) -> datetime | None:
        """Return when the earliest pending row is due, or None when the queue is empty."""
        value = await self._db.fetchval(
            "SELECT min(due_at) FROM party_reminders WHERE state = 'pending'"
        )
        return None if value is None else from_epoch(value)

    async def claim_due(self, now: datetime, *, limit: int = 50) -> list[Reminder]:
        """Atomically mark due pending rows 'sending' and return them; each is claimed once."""
        async with self._db.transaction():
            rows = await self._db.fetchall(
                f"SELECT {REMINDER_COLUMNS} FROM party_reminders "  # noqa: S608
                "WHERE state = 'pending' AND due_at <= :now ORDER BY due_at, reminder_id "
                "LIMIT :limit",
                {"now": to_epoch(now), "limit": limit},
            )
            claimed: list[Reminder] = []
            for row in rows:
                changed = await self._db.execute(
                    "UPDATE party_reminders SET state = 'sending', claimed_at = :now "
                    "WHERE reminder_id = :reminder_id AND state = 'pending'",
                    {"now": to_epoch(now), "reminder_id": int(row["reminder_id"])},
                )
                if changed == 1:
                    claimed.append(replace(reminder_from_row(row), state="sending"))
            return claimed

    async def mark_sent(self, reminder_id: int, *, message_id: int | None, now: datetime) -> None:
        """Record that a claimed row was delivered (idempotent; only moves from 'sending')."""
        await self._db.execute(
            "UPDATE party_reminders SET state = 'sent', done_at = :now, message_id = :message_id "
            "WHERE reminder_id = :reminder_id AND state = 'sending'",
            {"now": to_epoch(now), "message_id": message_id, "reminder_id": reminder_id},
        )

    async def mark_skipped(
        self, reminder_id: int, *, now: datetime, error: str | None = None
    ) -> None:
        """Record that a claimed row was not delivered, and why if it failed (idempotent)."""
        await self._db.execute(
            "UPDATE party_reminders SET state = 'skipped', done_at = :now, error = :error "
            "WHERE reminder_id = :reminder_id AND state = 'sending'",
            {"now": to_epoch(now), "error": error, "reminder_id": reminder_id},
        )

    async def list_interrupted(self) -> list[Reminder]:
        """Return rows a crash left 'sending' (their message may or may not have gone out)."""
        rows = await self._db.fetchall(
            f"SELECT {REMINDER_COLUMNS} FROM party_reminders "  # noqa: S608
            "WHERE state = 'sending' ORDER BY due_at, reminder_id"
        )
        return [reminder_from_row(r) for r in rows]

    async def release(self, reminder_id: int) -> None:
        """Return one interrupted row to 'pending' so the dispatcher sends it (idempotent)."""
        await self._db.execute(
            "UPDATE party_reminders SET state = 'pending', claimed_at = NULL "
            "WHERE reminder_id = :reminder_id AND state = 'sending'",
            {"reminder_id": reminder_id},
        )
