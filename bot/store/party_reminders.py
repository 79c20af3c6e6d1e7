"""Party reminders across servers: the global ReminderQueue the dispatcher drains exactly once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import cast

from bot.domain.parties.model import Reminder, ReminderKind, ReminderState
from bot.domain.shards import ShardSpec
from bot.store.db import Database, Row
from bot.store.leases import LEASE_EXPIRED, LEASE_SECONDS, lock_rows
from bot.store.shards import shard_condition
from bot.store.times import from_epoch, to_epoch

REMINDER_COLUMNS = (
    "reminder_id, party_id, guild_id, kind, due_at, lead_minutes, state, moved_from, moved_to"
)


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
        moved_from=None if row["moved_from"] is None else from_epoch(row["moved_from"]),
        moved_to=None if row["moved_to"] is None else from_epoch(row["moved_to"]),
    )


class ReminderQueue:
    """The cross-server reminder queue; each row goes pending -> sending -> sent | skipped.

    A row is 'sending' under one holder's lease (bot/store/leases.py): only that holder marks
    it, and another may take it over once the lease has run out.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def next_due(self, *, shards: ShardSpec | None = None) -> datetime | None:
        """Return when the earliest pending row is due, or None when the queue is empty.

        `shards`: only rows of servers on those shards (None: every server).
        """
        ours, params = shard_condition(shards, "guild_id")
        value = await self._db.fetchval(
            f"SELECT min(due_at) FROM party_reminders WHERE state = 'pending' AND {ours}",  # noqa: S608
            params,
        )
        return None if value is None else from_epoch(value)

    async def claim_due(
        self,
        now: datetime,
        *,
        holder: str,
        limit: int = 50,
        lease_seconds: int = LEASE_SECONDS,
        shards: ShardSpec | None = None,
    ) -> list[Reminder]:
        """Atomically claim due pending rows for `holder` ('sending', leased `lease_seconds`
        from `now`) and return them; each row is claimed once, whatever the processes.

        `shards`: only rows of servers on those shards (None: every server).
        """
        return await self._select_and_claim(
            "pending", "due_at <= :now", now, holder, limit, lease_seconds, shards
        )

    async def reclaim_interrupted(
        self,
        now: datetime,
        *,
        holder: str,
        limit: int = 50,
        lease_seconds: int = LEASE_SECONDS,
        shards: ShardSpec | None = None,
    ) -> list[Reminder]:
        """Claim for `holder` rows left 'sending' whose lease ran out (or that have none), and
        return them: their message may or may not have gone out, so the caller looks first,
        then marks the row sent or releases it.

        `shards`: only rows of servers on those shards (None: every server).
        """
        return await self._select_and_claim(
            "sending", LEASE_EXPIRED, now, holder, limit, lease_seconds, shards
        )

    async def _select_and_claim(
        self,
        state: str,
        condition: str,
        now: datetime,
        holder: str,
        limit: int,
        lease_seconds: int,
        shards: ShardSpec | None,
    ) -> list[Reminder]:
        """Select (locking, on PostgreSQL) up to `limit` rows in `state` meeting `condition`
        on this process's shards, oldest first, and claim them for `holder` in one transaction."""
        ours, params = shard_condition(shards, "guild_id")
        at = to_epoch(now)
        async with self._db.transaction():
            rows = await self._db.fetchall(
                f"SELECT {REMINDER_COLUMNS} FROM party_reminders "  # noqa: S608
                f"WHERE state = :state AND {condition} AND {ours} "
                f"ORDER BY due_at, reminder_id LIMIT :limit{lock_rows(self._db)}",
                {"state": state, "now": at, "limit": limit, **params},
            )
            return await self._claim(rows, state, holder, at, lease_seconds)

    async def _claim(
        self, rows: list[Row], state: str, holder: str, at: int, lease_seconds: int
    ) -> list[Reminder]:
        """Claim the selected rows still in `state` (inside the caller's transaction)."""
        claimed: list[Reminder] = []
        for row in rows:
            changed = await self._db.execute(
                "UPDATE party_reminders SET state = 'sending', claimed_at = :now, "
                "claimed_by = :holder, lease_until = :until "
                "WHERE reminder_id = :reminder_id AND state = :state",
                {
                    "now": at,
                    "holder": holder,
                    "until": at + lease_seconds,
                    "reminder_id": int(row["reminder_id"]),
                    "state": state,
                },
            )
            if changed == 1:
                claimed.append(replace(reminder_from_row(row), state="sending"))
        return claimed

    async def renew(self, holder: str, *, now: datetime, lease_seconds: int = LEASE_SECONDS) -> int:
        """Extend the lease of every row `holder` is sending; return how many."""
        return await self._db.execute(
            "UPDATE party_reminders SET lease_until = :until "
            "WHERE state = 'sending' AND claimed_by = :holder",
            {"holder": holder, "until": to_epoch(now) + lease_seconds},
        )

    async def expire_foreign_claims(self, holder: str, *, shards: ShardSpec | None = None) -> int:
        """End the leases of rows left 'sending' by any holder but `holder`, on `shards`.

        For a process starting up: it is the only owner of its shards, so what an earlier
        process left in flight there is interrupted, not in progress. Returns how many.
        """
        ours, params = shard_condition(shards, "guild_id")
        return await self._db.execute(
            "UPDATE party_reminders SET lease_until = NULL "  # noqa: S608
            "WHERE state = 'sending' AND (claimed_by IS NULL OR claimed_by <> :holder) "
            f"AND {ours}",
            {"holder": holder, **params},
        )

    async def mark_sent(
        self, reminder_id: int, *, holder: str, message_id: int | None, now: datetime
    ) -> bool:
        """Record that a row `holder` claimed was delivered; False if `holder` no longer holds
        it (another process took it over) or it was already marked. Idempotent."""
        changed = await self._db.execute(
            "UPDATE party_reminders SET state = 'sent', done_at = :now, message_id = :message_id "
            "WHERE reminder_id = :reminder_id AND state = 'sending' AND claimed_by = :holder",
            {
                "now": to_epoch(now),
                "message_id": message_id,
                "reminder_id": reminder_id,
                "holder": holder,
            },
        )
        return changed == 1

    async def mark_skipped(
        self, reminder_id: int, *, holder: str, now: datetime, error: str | None = None
    ) -> bool:
        """Record that a row `holder` claimed was not delivered, and why if it failed; False
        if `holder` no longer holds it. Idempotent."""
        changed = await self._db.execute(
            "UPDATE party_reminders SET state = 'skipped', done_at = :now, error = :error "
            "WHERE reminder_id = :reminder_id AND state = 'sending' AND claimed_by = :holder",
            {"now": to_epoch(now), "error": error, "reminder_id": reminder_id, "holder": holder},
        )
        return changed == 1

    async def list_interrupted(self, *, shards: ShardSpec | None = None) -> list[Reminder]:
        """Return rows in flight ('sending'), whoever holds them and whether or not their lease
        runs.

        `shards`: only rows of servers on those shards (None: every server).
        """
        ours, params = shard_condition(shards, "guild_id")
        rows = await self._db.fetchall(
            f"SELECT {REMINDER_COLUMNS} FROM party_reminders "  # noqa: S608
            f"WHERE state = 'sending' AND {ours} ORDER BY due_at, reminder_id",
            params,
        )
        return [reminder_from_row(r) for r in rows]

    async def release(self, reminder_id: int, *, holder: str) -> bool:
        """Return a row `holder` holds to 'pending' so the dispatcher sends it; False if
        `holder` no longer holds it. Idempotent."""
        changed = await self._db.execute(
            "UPDATE party_reminders SET state = 'pending', claimed_at = NULL, "
            "claimed_by = NULL, lease_until = NULL "
            "WHERE reminder_id = :reminder_id AND state = 'sending' AND claimed_by = :holder",
            {"reminder_id": reminder_id, "holder": holder},
        )
        return changed == 1


def move_notice_kind(reminder_id: int) -> str:
    """Return the `party_notices` kind recording who already knows of one 'moved' row's change."""
    return f"moved:{reminder_id}"


async def _record_editor(
    db: Database, guild_id: int, reminder_id: int, editor_id: int | None, now: datetime
) -> None:
    """Record `editor_id` as the one member who already knows the change a 'moved' row reports.

    Only the latest editor knows the time the notice will announce, so an earlier editor of the
    same pending notice is forgotten (and will be told).
    """
    kind = move_notice_kind(reminder_id)
    await db.execute(
        "DELETE FROM party_notices WHERE guild_id = :guild_id AND kind = :kind",
        {"guild_id": guild_id, "kind": kind},
    )
    if editor_id is not None:
        await db.execute(
            "INSERT INTO party_notices (guild_id, user_id, kind, noticed_at) "
            "VALUES (:guild_id, :user_id, :kind, :now) ON CONFLICT DO NOTHING",
            {"guild_id": guild_id, "user_id": editor_id, "kind": kind, "now": to_epoch(now)},
        )


async def plan_move_notice(
    db: Database,
    guild_id: int,
    party_id: int,
    old: datetime,
    new: datetime,
    *,
    now: datetime,
    editor_id: int | None = None,
) -> None:
    """Queue one 'moved' row telling the members going that a party moved from `old` to `new`.

    Call inside the transaction that saves the edit. A notice still pending is updated rather
    than doubled (moved back to where members knew it, it is dropped); one already claimed or
    sent stays as it is, and a new row reports the later move. `editor_id`, who made the
    change, is left out of the notice's pings. Idempotent for `old == new`.
    """
    if old == new:
        return
    pending = await db.fetchone(
        "SELECT reminder_id, moved_from FROM party_reminders "
        "WHERE party_id = :party_id AND kind = 'moved' AND state = 'pending'",
        {"party_id": party_id},
    )
    if pending is not None:
        reminder_id = int(pending["reminder_id"])
        if int(pending["moved_from"]) == to_epoch(new):
            await db.execute(
                "DELETE FROM party_reminders WHERE reminder_id = :reminder_id",
                {"reminder_id": reminder_id},
            )
            await _record_editor(db, guild_id, reminder_id, None, now)
        else:
            await db.execute(
                "UPDATE party_reminders SET moved_to = :moved_to WHERE reminder_id = :reminder_id",
                {"moved_to": to_epoch(new), "reminder_id": reminder_id},
            )
            await _record_editor(db, guild_id, reminder_id, editor_id, now)
        return
    # Rows are unique per (party, kind, due second): a second move within the same second is
    # dated a second earlier (never later, so it is due at once even on a stopped test clock).
    taken = {
        int(r[0])
        for r in await db.fetchall(
            "SELECT due_at FROM party_reminders WHERE party_id = :party_id AND kind = 'moved' "
            "AND due_at <= :now",
            {"party_id": party_id, "now": to_epoch(now)},
        )
    }
    due = to_epoch(now)
    while due in taken:
        due -= 1
    reminder_id = await db.fetchval(
        "INSERT INTO party_reminders (party_id, guild_id, kind, due_at, moved_from, moved_to) "
        "VALUES (:party_id, :guild_id, 'moved', :due_at, :moved_from, :moved_to) "
        "ON CONFLICT (party_id, kind, due_at) DO NOTHING RETURNING reminder_id",
        {
            "party_id": party_id,
            "guild_id": guild_id,
            "due_at": due,
            "moved_from": to_epoch(old),
            "moved_to": to_epoch(new),
        },
    )
    if reminder_id is not None:
        await _record_editor(db, guild_id, int(reminder_id), editor_id, now)
