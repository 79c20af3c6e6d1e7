"""The fan-out: turn outbox transitions into exactly one Discord post (or edit) per server.

Every (server, Space, state) delivery is written `pending` before anything is sent, moved to
`sending` just before the request, and to `sent` with the message id right after. The request
carries a nonce derived from (server, Space, state) with enforce_nonce, so a delivery found
`sending` after a crash is resent and Discord hands back the message it already created.
A live post also edits the server's scheduled post of that Space to link to it, before the row
is marked `sent` (with the live post's id saved first), so a failed edit or a crash in between
repeats the edit, never the post.

Across processes, each row is claimed in the database under this process's holder id with a
lease (bot/store/leases.py), renewed while the event is being sent: two processes never send
the same row, and a row whose sender died is taken over once its lease runs out (at once by a
process starting up on its shards), with the channel-history check before any re-send.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from bot.aio import renewing
from bot.domain.shards import ShardSpec
from bot.domain.spaces.model import Transition
from bot.services.spaces.pacing import DEFAULT_RATE, SlidingWindowPacer
from bot.services.spaces.planning import plan_deliveries, plan_end_edits
from bot.store.leases import LEASE_SECONDS
from bot.store.spaces_codec import Delivery, DeliveryStatus, SpaceEvent
from bot.store.spaces_restores import finish_restore, list_restores
from bot.store.spaces_tracking import SpaceTrackingRepo

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 25
MAX_ATTEMPTS = 5
IDLE_SECONDS = 5.0


class DeliveryBroken(Exception):
    """The channel is gone or refuses the bot: mark it broken and skip it."""


class DeliveryGone(Exception):
    """The message to edit no longer exists: nothing left to do for this delivery."""


class Sender(Protocol):
    """The Discord side of the fan-out (implemented by the cog)."""

    async def send(self, delivery: Delivery, transition: Transition) -> int:
        """Post a scheduled or live announcement with the delivery's nonce; return its id."""
        ...

    async def edit_ended(self, delivery: Delivery, transition: Transition) -> None:
        """Edit the message `delivery.message_id` to show that the Space ended."""
        ...

    async def edit_live(self, delivery: Delivery, transition: Transition) -> None:
        """Edit the message `delivery.message_id` back to live (an edit never pings)."""
        ...

    async def edit_went_live(
        self, scheduled: Delivery, live: Delivery, transition: Transition
    ) -> None:
        """Edit the scheduled post `scheduled.message_id` to say the Space went live, linking
        to the live post `live.message_id`."""
        ...


@dataclass
class EventReport:
    """How an event's deliveries ended up."""

    event_id: int
    sent: int = 0
    broken: int = 0
    failed: int = 0
    retry: int = 0
    skipped: int = 0
    # In flight under another process's lease: not done, not ours to retry.
    held: int = 0
    # Not planned yet: another shard's process still owes a post this event edits.
    waiting: bool = False

    @property
    def done(self) -> bool:
        """Say whether no delivery is left to retry (or to wait for)."""
        return self.retry == 0 and self.held == 0 and not self.waiting


class Announcer:
    """Consume the outbox in order and deliver each event to every following server.

    With `shards`, this process sends only to servers of those shards; each event is planned
    once for every server (by whichever process comes first) and is done when no delivery of
    any shard is left open. None: this process delivers to every server. `holder` names this
    process in the rows it claims (the bot's `process_id`).
    """

    def __init__(
        self,
        tracking: SpaceTrackingRepo,
        sender: Sender,
        *,
        holder: str,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_attempts: int = MAX_ATTEMPTS,
        idle_seconds: float = IDLE_SECONDS,
        rate_per_second: int = DEFAULT_RATE,
        on_broken: Callable[[int, int, str], None] | None = None,
        shards: ShardSpec | None = None,
    ) -> None:
        self._tracking = tracking
        self._shards = shards
        self._holder = holder
        self._adopted = False
        self._sender = sender
        self._semaphore = asyncio.Semaphore(max(1, concurrency))
        self._max_attempts = max_attempts
        self._idle = idle_seconds
        self._on_broken = on_broken
        self._pacer = SlidingWindowPacer(rate_per_second)
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()

    @property
    def pacer(self) -> SlidingWindowPacer:
        """The pacer every Discord request of the fan-out waits on (its rate is adjustable)."""
        return self._pacer

    def wake(self) -> None:
        """Ask the run loop to drain the outbox now instead of at its next idle tick."""
        self._wake.set()

    @property
    def wake_event(self) -> asyncio.Event:
        """The event `wake()` sets; the bot's loop helper waits on it between drains."""
        return self._wake

    @property
    def idle_seconds(self) -> float:
        """Seconds between two drains when nothing wakes the fan-out."""
        return self._idle

    async def drain(self) -> list[EventReport]:
        """Process every open outbox event, oldest first; stop at one that must be retried."""
        reports: list[EventReport] = []
        waiting: set[str] = set()
        async with self._lock:
            if not self._adopted:
                # First drain of this process: what an earlier one left in flight on our shards
                # was interrupted (a shard has one owner), so it is ours now, not after a lease.
                await self._tracking.expire_foreign_claims(self._holder, shards=self._shards)
                self._adopted = True
            for event in await self._tracking.open_events():
                if event.transition.space_id in waiting:
                    continue
                report = await self._process(event)
                reports.append(report)
                if report.waiting or report.held:
                    # Another process's shard holds it up; other Spaces need not wait.
                    waiting.add(event.transition.space_id)
                elif not report.done:
                    # Later events (an "ended" edit) depend on this one's messages.
                    break
            await self._restore_posts()
        return reports

    async def _restore_posts(self) -> None:
        """Edit posts of Spaces wrongly marked ended back to live; keep failures for retry."""
        db = self._tracking.db
        for restore in await list_restores(db):
            d, t = restore.delivery, restore.transition
            if not self._owns(d.guild_id):
                continue
            try:
                await self._pacer.acquire()
                await self._sender.edit_live(d, t)
            except (DeliveryBroken, DeliveryGone) as exc:
                log.warning(
                    "Space %s: could not restore the post in %s: %r", d.space_id, d.guild_id, exc
                )
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning(
                    "Space %s: restoring the post failed; will retry", d.space_id, exc_info=True
                )
                continue
            await finish_restore(db, d.guild_id, d.space_id)
            log.info("Space %s: post in server %s edited to %s", d.space_id, d.guild_id, t.kind)

    async def process_event(self, event_id: int) -> EventReport | None:
        """Process one outbox event now (used by `/spaces announce`); None if it is unknown."""
        async with self._lock:
            event = await self._tracking.get_event(event_id)
            if event is None:
                return None
            return await self._process(event)

    def _owns(self, guild_id: int) -> bool:
        return self._shards is None or self._shards.owns(guild_id)

    async def _process(self, event: SpaceEvent) -> EventReport:
        t = event.transition
        if event.status == "new":
            if t.kind == "ended":
                earlier = await self._tracking.deliveries_of_space(t.space_id)
                # The "ended" rows are this edit's own, planned meanwhile by another process
                # (this one read the event while it was new): they are nothing to wait for.
                if any(d.state != "ended" and d.status in ("pending", "sending") for d in earlier):
                    # Another shard's process still posts the live post the edit needs; one
                    # process alone never gets here (its earlier events are done first).
                    return EventReport(event.event_id, waiting=True)
                planned = plan_end_edits(event, earlier)
            else:
                targets = await self._tracking.fanout_targets(
                    t.creator_id, only_guild=event.scope or None
                )
                planned = plan_deliveries(event, targets, await self._tracking.broken_channels())
            await self._tracking.expand_event(event.event_id, planned)
        report = EventReport(event.event_id)
        pending = await self._tracking.open_deliveries(event.event_id, shards=self._shards)
        broken = await self._tracking.broken_channels()
        async with renewing(self._renew, LEASE_SECONDS / 3):
            outcomes = await asyncio.gather(*(self._deliver(d, t, broken) for d in pending))
        for outcome in outcomes:
            setattr(report, outcome, getattr(report, outcome) + 1)
        if report.done:
            # Done only once no shard has a delivery of it left open.
            await self._tracking.mark_event_done(event.event_id)
        if pending:
            log.info(
                "Space %s %s: %d sent, %d broken, %d failed, %d to retry",
                t.space_id,
                t.kind,
                report.sent,
                report.broken,
                report.failed,
                report.retry,
            )
        return report

    async def _renew(self) -> None:
        await self._tracking.renew_deliveries(self._holder)

    async def _finish(
        self,
        d: Delivery,
        status: DeliveryStatus,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        """Record a claimed row's outcome; say so when another process took it over meanwhile."""
        if not await self._tracking.finish_delivery(
            d, status, self._holder, message_id=message_id, error=error
        ):
            log.warning(
                "Space %s delivery to server %s was taken over by another process; "
                "its outcome (%s) is theirs to record",
                d.space_id,
                d.guild_id,
                status,
            )

    async def _point_scheduled_post(self, live: Delivery, t: Transition, final: bool) -> None:
        """Edit this server's scheduled post of the Space, if any, to link to the live post.

        Runs before the live row is marked sent, with the live post's id saved first: after a
        failed edit or a crash the row is retried, edits again and never posts again. A post
        that cannot be edited (deleted, channel gone) or a last attempt does not hold it back.
        """
        scheduled = await self._tracking.get_delivery(live.guild_id, live.space_id, "scheduled")
        if scheduled is None or scheduled.status != "sent" or scheduled.message_id is None:
            return
        await self._finish(live, "sending", message_id=live.message_id)
        try:
            await self._pacer.acquire()
            await self._sender.edit_went_live(scheduled, live, t)
        except (DeliveryBroken, DeliveryGone) as exc:
            log.warning(
                "Space %s: cannot point the scheduled post in %s to the live one: %r",
                live.space_id,
                live.guild_id,
                exc,
            )
        except asyncio.CancelledError:
            raise
        except Exception:
            if not final:
                raise
            log.warning("Space %s: gave up editing the scheduled post", t.space_id, exc_info=True)

    async def _deliver(self, d: Delivery, t: Transition, broken: set[tuple[int, int]]) -> str:
        async with self._semaphore:
            claimed = await self._tracking.claim_delivery(d, self._holder)
            if claimed is None:
                row = await self._tracking.get_delivery(d.guild_id, d.space_id, d.state)
                return "held" if row is not None and row.status == "sending" else "skipped"
            # The row as the claim found it: a 'sending' status there (an interrupted claim)
            # makes the sender look for its post first; a message id saved by anyone is kept.
            d = claimed
            if (d.guild_id, d.channel_id) in broken:
                await self._finish(d, "broken", error="channel marked broken")
                return "broken"
            await self._pacer.acquire()
            try:
                if d.state == "ended":
                    await self._sender.edit_ended(d, t)
                    message_id = d.message_id
                else:
                    # A row that already knows its post (a failed edit after it) never posts again.
                    message_id = d.message_id or await self._sender.send(d, t)
                    if d.state == "live":
                        live = replace(d, message_id=message_id)
                        final = d.attempts + 1 >= self._max_attempts
                        await self._point_scheduled_post(live, t, final)
            except DeliveryBroken as exc:
                reason = str(exc) or "channel unavailable"
                await self._finish(d, "broken", error=reason)
                await self._tracking.mark_broken(d.guild_id, d.channel_id, reason)
                broken.add((d.guild_id, d.channel_id))
                if self._on_broken is not None:
                    self._on_broken(d.guild_id, d.channel_id, reason)
                return "broken"
            except DeliveryGone:
                await self._finish(d, "skipped", error="message deleted")
                return "skipped"
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                attempts = d.attempts + 1
                final = attempts >= self._max_attempts
                log.warning(
                    "Space %s delivery to server %s failed (attempt %d): %s",
                    d.space_id,
                    d.guild_id,
                    attempts,
                    type(exc).__name__,
                    exc_info=final,
                )
                status: DeliveryStatus = "failed" if final else "pending"
                await self._finish(d, status, error=type(exc).__name__)
                return "failed" if final else "retry"
            await self._finish(d, "sent", message_id=message_id)
            return "sent"
