"""Streaming parties: the per-server PartyRepo (parties, RSVPs, reminder plans, settings)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.parties.bounds import check_upcoming_room
from bot.domain.parties.model import (
    Party,
    PartyDraft,
    PartyStatus,
    Reminder,
    RsvpCounts,
    RsvpStatus,
)
from bot.domain.parties.recurrence import roll_forward
from bot.domain.parties.reminders import plan_reminders
from bot.errors import Conflict, NotFound
from bot.store.db import Row
from bot.store.party_limits import PartyLimitsRepo
from bot.store.party_reminders import REMINDER_COLUMNS, plan_move_notice, reminder_from_row
from bot.store.party_rsvps import PartyRsvpReads
from bot.store.party_settings import PartySettings
from bot.store.times import from_epoch, to_epoch

_PARTY_COLUMNS = (
    "party_id, guild_id, title, artist_id, link, platform, starts_at, duration_s, channel_id, "
    "message_id, organiser_id, notes, capacity, weekly, zone, status, event_id"
)


def _party(row: Row) -> Party:
    return Party(
        id=int(row["party_id"]),
        guild_id=int(row["guild_id"]),
        title=str(row["title"]),
        artist_id=row["artist_id"],
        link=row["link"],
        platform=row["platform"],
        starts_at=from_epoch(row["starts_at"]),
        duration=timedelta(seconds=int(row["duration_s"])),
        channel_id=int(row["channel_id"]),
        message_id=row["message_id"],
        organiser_id=int(row["organiser_id"]),
        notes=row["notes"],
        capacity=row["capacity"],
        weekly=bool(row["weekly"]),
        zone=str(row["zone"]),
        status=cast(PartyStatus, row["status"]),
        event_id=row["event_id"],
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class PartyRepo(PartySettings, PartyRsvpReads):
    """One server's parties, RSVPs and party settings (reminder leads, one-time notices)."""

    # -- parties ---------------------------------------------------------------------------

    async def create_party(
        self, draft: PartyDraft, *, now: datetime, limit_member: bool = False
    ) -> Party:
        """Store a new party and plan its reminders; raise InvalidInput at 100 upcoming, or
        (`limit_member`) at the organiser's per-member limit or within their cooldown."""
        async with self._db.transaction():
            check_upcoming_room(await self.count_upcoming())
            if limit_member:
                limits = PartyLimitsRepo(self._db, self.guild_id)
                await limits.check_member(draft.organiser_id, now=now)
            party_id = await self._db.fetchval(
                "INSERT INTO parties (guild_id, title, artist_id, link, platform, starts_at, "
                "duration_s, channel_id, organiser_id, notes, capacity, weekly, zone, created_at, "
                "updated_at) VALUES (:guild_id, :title, :artist_id, :link, :platform, "
                ":starts_at, :duration_s, :channel_id, :organiser_id, :notes, :capacity, "
                ":weekly, :zone, :now, :now) RETURNING party_id",
                {
                    "guild_id": self.guild_id,
                    "title": draft.title,
                    "artist_id": draft.artist_id,
                    "link": draft.link,
                    "platform": draft.platform,
                    "starts_at": to_epoch(draft.starts_at),
                    "duration_s": int(draft.duration.total_seconds()),
                    "channel_id": draft.channel_id,
                    "organiser_id": draft.organiser_id,
                    "notes": draft.notes,
                    "capacity": draft.capacity,
                    "weekly": int(draft.weekly),
                    "zone": draft.zone,
                    "now": to_epoch(now),
                },
            )
            party = await self.get_party(int(party_id))
            await self._plan(party, now)
        return party

    async def get_party(self, party_id: int) -> Party:
        """Return one of this server's parties; raise NotFound."""
        row = await self._db.fetchone(
            f"SELECT {_PARTY_COLUMNS} FROM parties "  # noqa: S608
            "WHERE guild_id = :guild_id AND party_id = :party_id",
            self._key(party_id),
        )
        if row is None:
            raise NotFound(f"There is no party #{party_id} in this server.")
        return _party(row)

    async def get_scheduled(self, party_id: int) -> Party:
        """Return a party that is still scheduled; raise NotFound or Conflict."""
        party = await self.get_party(party_id)
        if party.status != "scheduled":
            raise Conflict(f"Party #{party_id} is {party.status}; it can no longer be changed.")
        return party

    async def count_upcoming(self) -> int:
        """Return how many scheduled parties this server has (the 100 cap counts these)."""
        value = await self._db.fetchval(
            "SELECT count(*) FROM parties WHERE guild_id = :guild_id AND status = 'scheduled'",
            {"guild_id": self.guild_id},
        )
        return int(value or 0)

    async def recent_reminder_failures(
        self, since: datetime, *, limit: int = 3
    ) -> list[tuple[str, int, str]]:
        """Return (party title, channel id, reason) of reminders that failed since `since`."""
        rows = await self._db.fetchall(
            "SELECT p.title, p.channel_id, r.error FROM party_reminders r "
            "JOIN parties p ON p.party_id = r.party_id "
            "WHERE r.guild_id = :guild_id AND r.error IS NOT NULL AND r.done_at >= :since "
            "ORDER BY r.done_at DESC, r.reminder_id DESC LIMIT :limit",
            {"guild_id": self.guild_id, "since": to_epoch(since), "limit": limit},
        )
        return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]

    async def list_upcoming(self, *, limit: int = 10, offset: int = 0) -> list[Party]:
        """Return scheduled parties, soonest first, one page at a time."""
        rows = await self._db.fetchall(
            f"SELECT {_PARTY_COLUMNS} FROM parties WHERE guild_id = :guild_id "  # noqa: S608
            "AND status = 'scheduled' ORDER BY starts_at, party_id LIMIT :limit OFFSET :offset",
            {"guild_id": self.guild_id, "limit": limit, "offset": offset},
        )
        return [_party(r) for r in rows]

    async def search_upcoming(self, query: str, *, limit: int = 25) -> list[Party]:
        """Return scheduled parties whose title contains `query`, ignoring ASCII case (for
        autocomplete; lower() on both sides, as PostgreSQL's LIKE minds case)."""
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await self._db.fetchall(
            f"SELECT {_PARTY_COLUMNS} FROM parties "  # noqa: S608
            "WHERE guild_id = :guild_id AND status = 'scheduled' "
            "AND lower(title) LIKE lower(:pattern) ESCAPE '\\' "
            "ORDER BY starts_at, party_id LIMIT :limit",
            {"guild_id": self.guild_id, "pattern": pattern, "limit": limit},
        )
        return [_party(r) for r in rows]

    async def save_edit(
        self, edited: Party, *, now: datetime, editor_id: int | None = None
    ) -> Party:
        """Write an edited party's fields, re-plan its reminders and, when its start moved, queue
        the notice to the members going (`editor_id` made the change: not pinged about it);
        raise NotFound/Conflict."""
        async with self._db.transaction():
            before = await self.get_scheduled(edited.id)
            await self._db.execute(
                "UPDATE parties SET title = :title, artist_id = :artist_id, link = :link, "
                "platform = :platform, starts_at = :starts_at, duration_s = :duration_s, "
                "notes = :notes, capacity = :capacity, weekly = :weekly, zone = :zone, "
                "updated_at = :now WHERE guild_id = :guild_id AND party_id = :party_id",
                self._key(
                    edited.id,
                    title=edited.title,
                    artist_id=edited.artist_id,
                    link=edited.link,
                    platform=edited.platform,
                    starts_at=to_epoch(edited.starts_at),
                    duration_s=int(edited.duration.total_seconds()),
                    notes=edited.notes,
                    capacity=edited.capacity,
                    weekly=int(edited.weekly),
                    zone=edited.zone,
                    now=to_epoch(now),
                ),
            )
            party = await self.get_party(edited.id)
            await self._plan(party, now)
            await plan_move_notice(
                self._db,
                self.guild_id,
                party.id,
                before.starts_at,
                party.starts_at,
                now=now,
                editor_id=editor_id,
            )
        return party

    async def cancel_party(self, party_id: int, *, now: datetime) -> Party:
        """Mark a party cancelled and drop its pending reminders; raise NotFound/Conflict."""
        async with self._db.transaction():
            await self.get_scheduled(party_id)
            await self._db.execute(
                "UPDATE parties SET status = 'cancelled', updated_at = :now "
                "WHERE guild_id = :guild_id AND party_id = :party_id",
                self._key(party_id, now=to_epoch(now)),
            )
            await self._drop_pending(party_id)
            return await self.get_party(party_id)

    async def finish_party(self, party_id: int, *, now: datetime) -> Party:
        """Close a party that ended, or move a weekly one to its next occurrence (idempotent)."""
        async with self._db.transaction():
            party = await self.get_party(party_id)
            if party.status != "scheduled" or party.ends_at > now:
                return party
            if not party.weekly:
                await self._db.execute(
                    "UPDATE parties SET status = 'done', updated_at = :now "
                    "WHERE guild_id = :guild_id AND party_id = :party_id",
                    self._key(party_id, now=to_epoch(now)),
                )
                await self._drop_pending(party_id)
                return replace(party, status="done")
            start = roll_forward(party.starts_at, _zone(party.zone), now)
            # RSVPs belong to one occurrence: the next week starts with nobody going.
            await self._db.execute(
                "DELETE FROM party_rsvps WHERE guild_id = :guild_id AND party_id = :party_id",
                self._key(party_id),
            )
            await self._db.execute(
                "UPDATE parties SET starts_at = :starts_at, updated_at = :now "
                "WHERE guild_id = :guild_id AND party_id = :party_id",
                self._key(party_id, starts_at=to_epoch(start), now=to_epoch(now)),
            )
            moved = replace(party, starts_at=start)
            await self._plan(moved, now)
            return moved

    async def set_message(self, party_id: int, message_id: int | None) -> None:
        """Remember the party's post in its channel (idempotent)."""
        await self._db.execute(
            "UPDATE parties SET message_id = :message_id "
            "WHERE guild_id = :guild_id AND party_id = :party_id",
            self._key(party_id, message_id=message_id),
        )

    async def set_event(self, party_id: int, event_id: int | None) -> None:
        """Remember (or forget) the mirrored Discord scheduled event (idempotent)."""
        await self._db.execute(
            "UPDATE parties SET event_id = :event_id "
            "WHERE guild_id = :guild_id AND party_id = :party_id",
            self._key(party_id, event_id=event_id),
        )

    async def list_reminders(self, party_id: int) -> list[Reminder]:
        """Return every queue row of one party, earliest first."""
        rows = await self._db.fetchall(
            f"SELECT {REMINDER_COLUMNS} FROM party_reminders "  # noqa: S608
            "WHERE guild_id = :guild_id AND party_id = :party_id ORDER BY due_at, reminder_id",
            self._key(party_id),
        )
        return [reminder_from_row(r) for r in rows]

    async def _drop_pending(self, party_id: int, *, keep_moved: bool = False) -> None:
        # Re-planning keeps a pending "moved" notice: the time change still has to be told.
        kinds = "('remind', 'finish')" if keep_moved else "('remind', 'finish', 'moved')"
        await self._db.execute(
            "DELETE FROM party_reminders WHERE guild_id = :guild_id "  # noqa: S608
            f"AND party_id = :party_id AND state = 'pending' AND kind IN {kinds}",
            self._key(party_id),
        )

    async def _plan(self, party: Party, now: datetime) -> None:
        """Replace the party's pending queue rows with the plan for its current start."""
        await self._drop_pending(party.id, keep_moved=True)
        leads = await self.get_reminder_leads()
        ids = self._key(party.id)
        rows: list[dict[str, Any]] = []
        for due in plan_reminders(party.starts_at, leads):
            lead = int((party.starts_at - due).total_seconds()) // 60
            # A reminder whose moment passed before the party existed would announce a wrong time.
            if due > now:
                rows.append({**ids, "kind": "remind", "due_at": to_epoch(due), "lead": lead})
        rows.append({**ids, "kind": "finish", "due_at": to_epoch(party.ends_at), "lead": 0})
        # A row already sent for the same moment stays sent: moving back never re-sends it.
        await self._db.execute_many(
            "INSERT INTO party_reminders (party_id, guild_id, kind, due_at, lead_minutes) "
            "VALUES (:party_id, :guild_id, :kind, :due_at, :lead) "
            "ON CONFLICT (party_id, kind, due_at) DO NOTHING",
            rows,
        )

    # -- RSVPs -----------------------------------------------------------------------------

    async def set_rsvp(
        self, party_id: int, user_id: int, status: RsvpStatus, *, now: datetime
    ) -> RsvpCounts:
        """Record a member's answer (idempotent) and return the counts; raise Conflict if full."""
        _party, counts = await self.record_rsvp(party_id, user_id, status, now=now)
        return counts

    async def record_rsvp(
        self, party_id: int, user_id: int, status: RsvpStatus, *, now: datetime
    ) -> tuple[Party, RsvpCounts]:
        """Record a member's answer (idempotent); return the party and its new counts.

        One transaction serves the whole click, so the button handler needs no second read.
        Raises NotFound for an unknown party, Conflict when it is no longer scheduled or full.
        """
        async with self._db.transaction():
            party = await self.get_scheduled(party_id)
            if status == "going" and party.capacity is not None:
                others = await self._db.fetchval(
                    "SELECT count(*) FROM party_rsvps WHERE party_id = :party_id "
                    "AND status = 'going' AND user_id != :user_id",
                    {"party_id": party_id, "user_id": user_id},
                )
                if int(others or 0) >= party.capacity:
                    raise Conflict(
                        f"This party is full ({party.capacity} going). You can still pick Maybe."
                    )
            await self._db.execute(
                "INSERT INTO party_rsvps (party_id, guild_id, user_id, status, updated_at) "
                "VALUES (:party_id, :guild_id, :user_id, :status, :now) "
                "ON CONFLICT(party_id, user_id) DO UPDATE SET "
                "status = excluded.status, updated_at = excluded.updated_at "
                "WHERE party_rsvps.status != excluded.status",
                self._key(party_id, user_id=user_id, status=status, now=to_epoch(now)),
            )
            return party, await self.counts(party_id)

    async def toggle_rsvp(
        self, party_id: int, user_id: int, status: RsvpStatus, *, now: datetime
    ) -> tuple[Party, RsvpCounts, RsvpStatus | None]:
        """Record a click on an RSVP button; the member's current answer clicked again removes it.

        Returns the party, its new counts and the member's answer now (None: removed). Raises
        as record_rsvp does.
        """
        async with self._db.transaction():
            if await self.rsvp_of(party_id, user_id) != status:
                party, counts = await self.record_rsvp(party_id, user_id, status, now=now)
                return party, counts, status
            party = await self.get_scheduled(party_id)
            await self._db.execute(
                "DELETE FROM party_rsvps "
                "WHERE guild_id = :guild_id AND party_id = :party_id AND user_id = :user_id",
                self._key(party_id, user_id=user_id),
            )
            return party, await self.counts(party_id), None
