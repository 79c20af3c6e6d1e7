"""Posts to edit back to live after a wrong "ended": written by the poll, drained by the fan-out."""

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


async def list_restores(db: Database, limit: int = 100) -> list[Restore]:
    """Return posts waiting to be edited back to live, oldest first."""
    rows = await db.fetchall(
        "SELECT * FROM space_restores ORDER BY created_at, guild_id, space_id LIMIT :limit",
        {"limit": limit},
    )
    return [
        Restore(
            delivery=Delivery(
                guild_id=int(r["guild_id"]),
                space_id=str(r["space_id"]),
                state="live",
                event_id=None,
                channel_id=int(r["channel_id"]),
                role_id=r["role_id"],
                artist_name=str(r["artist_name"]),
                template=r["template"],
                nonce="",
                status="sent",
                message_id=int(r["message_id"]),
                attempts=0,
            ),
            transition=transition_from_json(str(r["payload"])),
        )
        for r in rows
    ]


async def finish_restore(db: Database, guild_id: int, space_id: str) -> None:
    """Forget one restore row once its post was edited (or can no longer be). Idempotent."""
    await db.execute(
        "DELETE FROM space_restores WHERE guild_id = :guild_id AND space_id = :space_id",
        {"guild_id": guild_id, "space_id": space_id},
    )
