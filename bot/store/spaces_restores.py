"""Posts to edit in place, written by the poll and drained by the fan-out: back to live after a
wrong "ended", or to a scheduled Space's new time and title."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.spaces.model import Transition
from bot.store.db import Database
from bot.store.spaces_codec import Delivery, transition_from_json, transition_to_json
from bot.store.times import now_epoch


@dataclass(frozen=True, slots=True)
class Restore:
    """One server's post to edit back to live, with the transition to render."""

    delivery: Delivery
    transition: Transition


async def queue_restore(db: Database, t: Transition) -> int:
    """Undo a wrong end inside the caller's transaction; return how many posts to restore.

    The "ended" event and deliveries go away (so a real end later edits the post again) and
    every post that was edited to "ended" gets a restore row. Idempotent.
    """
    space = {"space_id": t.space_id}
    added = await db.execute(
        # The CASTs give PostgreSQL the parameters' types, which a SELECT list cannot infer.
        "INSERT INTO space_restores (guild_id, space_id, channel_id, message_id, "
        "role_id, artist_name, template, payload, created_at) "
        "SELECT guild_id, space_id, channel_id, message_id, role_id, artist_name, template, "
        "CAST(:payload AS TEXT), CAST(:now AS BIGINT) "
        "FROM space_deliveries WHERE space_id = :space_id AND state = 'ended' "
        "AND status = 'sent' AND message_id IS NOT NULL ON CONFLICT DO NOTHING",
        {**space, "payload": transition_to_json(t), "now": now_epoch()},
    )
    await db.execute(
        "DELETE FROM space_deliveries WHERE space_id = :space_id AND state = 'ended'", space
    )
    await db.execute(
        "DELETE FROM space_events WHERE space_id = :space_id AND kind = 'ended'", space
    )
    return added


async def queue_refresh(db: Database, t: Transition) -> int:
    """Queue edits of a rescheduled Space's scheduled posts inside the caller's transaction.

    Every server's sent scheduled post gets a row rendering `t` (the newest change wins);
    a server that already posted the Space live or ended keeps its post. Returns how many
    posts will be edited. Idempotent.
    """
    return await db.execute(
        "INSERT INTO space_restores (guild_id, space_id, channel_id, message_id, "
        "role_id, artist_name, template, payload, created_at) "
        "SELECT d.guild_id, d.space_id, d.channel_id, d.message_id, d.role_id, d.artist_name, "
        "d.template, CAST(:payload AS TEXT), CAST(:now AS BIGINT) FROM space_deliveries d "
        "WHERE d.space_id = :space_id AND d.state = 'scheduled' AND d.status = 'sent' "
        "AND d.message_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM space_deliveries o "
        "WHERE o.guild_id = d.guild_id AND o.space_id = d.space_id AND o.state != 'scheduled') "
        "ON CONFLICT (guild_id, space_id) DO UPDATE SET payload = excluded.payload",
        {"space_id": t.space_id, "payload": transition_to_json(t), "now": now_epoch()},
    )


async def drop_pending_edits(db: Database, space_id: str) -> None:
    """Forget queued edits of a Space that moved on (went live or ended): they are stale.

    Drained after the outbox, a stale edit would undo the newer state's edit of the post.
    """
    await db.execute(
        "DELETE FROM space_restores WHERE space_id = :space_id", {"space_id": space_id}
    )


async def list_restores(db: Database, limit: int = 100) -> list[Restore]:
    """Return posts waiting to be edited (back to live, or to a new schedule), oldest first."""
    rows = await db.fetchall(
        "SELECT * FROM space_restores ORDER BY created_at, guild_id, space_id LIMIT :limit",
        {"limit": limit},
    )
    out = []
    for r in rows:
        transition = transition_from_json(str(r["payload"]))
        delivery = Delivery(
            guild_id=int(r["guild_id"]),
            space_id=str(r["space_id"]),
            state=transition.kind,
            event_id=None,
            channel_id=int(r["channel_id"]),
            role_id=r["role_id"],
            artist_name=str(r["artist_name"]),
            template=r["template"],
            nonce="",
            status="sent",
            message_id=int(r["message_id"]),
            attempts=0,
        )
        out.append(Restore(delivery=delivery, transition=transition))
    return out


async def finish_restore(db: Database, guild_id: int, space_id: str) -> None:
    """Forget one restore row once its post was edited (or can no longer be). Idempotent."""
    await db.execute(
        "DELETE FROM space_restores WHERE guild_id = :guild_id AND space_id = :space_id",
        {"guild_id": guild_id, "space_id": space_id},
    )
