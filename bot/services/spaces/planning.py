"""Plan an outbox event's deliveries: one row per following server, or the "ended" edits."""

from __future__ import annotations

from bot.domain.spaces.keys import nonce_for
from bot.domain.spaces.text import matches_keywords
from bot.store.spaces_codec import Delivery, DeliveryStatus, FanoutTarget, SpaceEvent


def plan_deliveries(
    event: SpaceEvent,
    targets: list[FanoutTarget],
    broken: set[tuple[int, int]],
) -> list[Delivery]:
    """Return the delivery rows a scheduled/live event creates: one per server, filtered."""
    t = event.transition
    out: dict[int, Delivery] = {}
    for target in targets:
        if target.guild_id in out:
            continue
        if event.scope == 0 and not matches_keywords(t.title, target.keywords):
            continue
        status: DeliveryStatus = (
            "broken" if (target.guild_id, target.channel_id) in broken else "pending"
        )
        out[target.guild_id] = Delivery(
            guild_id=target.guild_id,
            space_id=t.space_id,
            state=t.kind,
            event_id=event.event_id,
            channel_id=target.channel_id,
            role_id=target.role_id,
            artist_name=target.artist_name,
            template=target.template,
            nonce=nonce_for(target.guild_id, t.space_id, t.kind),
            status=status,
            message_id=None,
            attempts=0,
        )
    return list(out.values())


def plan_end_edits(event: SpaceEvent, earlier: list[Delivery]) -> list[Delivery]:
    """Return the "ended" edits: the live post where there is one, else the scheduled post."""
    t = event.transition
    by_guild: dict[int, dict[str, Delivery]] = {}
    for d in earlier:
        if event.scope and d.guild_id != event.scope:
            continue
        by_guild.setdefault(d.guild_id, {})[d.state] = d
    out: list[Delivery] = []
    for guild_id, states in sorted(by_guild.items()):
        if "ended" in states:
            continue
        target = next(
            (
                states[s]
                for s in ("live", "scheduled")
                if s in states and states[s].status == "sent" and states[s].message_id
            ),
            None,
        )
        if target is None:
            continue
        out.append(
            Delivery(
                guild_id=guild_id,
                space_id=t.space_id,
                state="ended",
                event_id=event.event_id,
                channel_id=target.channel_id,
                role_id=None,
                artist_name=target.artist_name,
                template=target.template,
                nonce=nonce_for(guild_id, t.space_id, "ended"),
                status="pending",
                message_id=target.message_id,
                attempts=0,
            )
        )
    return out
