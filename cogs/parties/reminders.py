"""The durable reminder dispatcher: one task that sleeps until the next due row in the database.

Rows are claimed under the bot's `process_id` with a lease (bot/store/leases.py), renewed while
a batch is being sent, so two processes never send the same one. A row whose sender died (its
lease ran out, or at once when this process starts on its shards) is taken over after a look
in the channel for the post it may already have made.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.aio import renewing
from bot.core.delivery import find_own_post
from bot.core.loops import BackgroundLoop
from bot.domain.parties import (
    Party,
    Reminder,
    batch_mentions,
    reminder_action,
    still_planned,
)
from bot.errors import NotFound
from bot.store.leases import LEASE_SECONDS
from bot.store.parties import PartyRepo
from bot.store.party_reminders import ReminderQueue
from cogs.parties.render import moved_header, reminder_header

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)

# Wake at least this often so a changed wall clock (or an injected test clock) is noticed.
MAX_SLEEP_SECONDS = 60.0
SEND_ATTEMPTS = 3
RETRY_DELAY_SECONDS = 2.0


class ReminderDispatcher:
    """Drain due reminder rows exactly once: claim (persisted), send with a nonce, then mark."""

    def __init__(
        self,
        bot: Lightstick,
        *,
        clock: Callable[[], datetime] | None = None,
        on_finish: Callable[[Party], object] | None = None,
    ) -> None:
        self.bot = bot
        self.queue = bot.store.shared(ReminderQueue)
        self.holder = bot.process_id
        # Read bot.clock at call time so a clock a test sets on the bot is honoured too.
        self.clock: Callable[[], datetime] = clock or (lambda: bot.clock())
        self._on_finish = on_finish
        self._wake = asyncio.Event()
        # Why the reminder being handled could not be posted (read once, right after).
        self._failures: dict[int, str] = {}
        self.idle = asyncio.Event()

    def poke(self) -> None:
        """Re-arm the timer now (a sooner reminder may have been added, or the clock moved)."""
        self._wake.set()

    async def settle(self, within: float = 15.0) -> None:
        """Wait until everything due by `clock()` has been handled (for tests and checks)."""
        async with asyncio.timeout(within):
            while True:
                self.idle.clear()
                self.poke()
                await self.idle.wait()
                # The step that just ended may have started before the clock moved: go again
                # while something is due. A step that started meanwhile is waited for.
                due = await self.queue.next_due(shards=self.bot.shard_spec)
                if due is None or due > self.clock():
                    await self.idle.wait()
                    return

    def loop(self) -> BackgroundLoop:
        """Return the dispatcher's background loop (the cog starts and stops it)."""
        return BackgroundLoop(
            "party-reminders",
            self.step,
            interval=MAX_SLEEP_SECONDS,
            wake=self._wake,
            before=self.prepare,
            # A database hiccup must not delay reminders long: retry within a minute.
            backoff_max=RETRY_DELAY_SECONDS,
            clock=self.clock,
        )

    async def prepare(self) -> None:
        """Wait for the gateway, then settle rows a crash left mid-send."""
        await self.bot.wait_until_ready()
        await self.recover_interrupted()

    async def step(self) -> float:
        """Send every reminder that is due; return the seconds until the next one is due."""
        self.idle.clear()
        try:
            # A row whose sender's lease ran out (a process that died) is taken over first.
            await self.recover_interrupted(adopt=False)
            await self.drain()
            due = await self.queue.next_due(shards=self.bot.shard_spec)
        finally:
            self.idle.set()
        if due is None:
            return MAX_SLEEP_SECONDS
        return min(max((due - self.clock()).total_seconds(), 0.0), MAX_SLEEP_SECONDS)

    async def recover_interrupted(self, *, adopt: bool = True) -> None:
        """Settle rows a crash left mid-send: already posted -> sent, otherwise send again.

        `adopt` (at start-up): every row left 'sending' on this process's shards is taken over
        at once, since a shard has one owner; otherwise only rows whose lease ran out. The
        re-send carries the same nonce, but Discord forgets nonces after a few minutes, so the
        channel itself is checked first.
        """
        shards = self.bot.shard_spec
        if adopt:
            await self.queue.expire_foreign_claims(self.holder, shards=shards)
        while batch := await self.queue.reclaim_interrupted(
            self.clock(), holder=self.holder, shards=shards
        ):
            for reminder in batch:
                await self._settle_interrupted(reminder)

    async def _settle_interrupted(self, reminder: Reminder) -> None:
        """Mark one taken-over row sent if its post exists, else release it to be sent."""
        try:
            posted = await self._find_posted(reminder)
        except discord.HTTPException:
            log.warning("could not check reminder %s for an earlier post", reminder.id)
            posted = None
        if posted is not None:
            log.info("reminder %s was already posted (message %s)", reminder.id, posted)
            await self.queue.mark_sent(
                reminder.id, holder=self.holder, message_id=posted, now=self.clock()
            )
        else:
            log.warning("re-sending reminder %s interrupted mid-send", reminder.id)
            await self.queue.release(reminder.id, holder=self.holder)

    async def _find_posted(self, reminder: Reminder) -> int | None:
        """Return the id of this reminder's message if the bot already posted it."""
        me = self.bot.user
        if reminder.kind == "finish" or me is None:
            return None
        repo = self.bot.store.guild(reminder.guild_id).repo(PartyRepo)
        try:
            party = await repo.get_party(reminder.party_id)
        except NotFound:
            return None
        channel = await self._channel(party.channel_id)
        if channel is None:
            return None
        first_line = self._header(party, reminder, late=False).split("\n", 1)[0]
        return await find_own_post(channel, me, lambda m: m.content.startswith(first_line))

    async def drain(self) -> int:
        """Handle every due row; return how many were handled."""
        handled = 0
        async with renewing(self._renew, LEASE_SECONDS / 3):
            while batch := await self.queue.claim_due(
                self.clock(), holder=self.holder, shards=self.bot.shard_spec
            ):
                for reminder in batch:
                    try:
                        await self._handle(reminder)
                    except Exception:
                        # Never leave a claimed row hanging: log and record it as not delivered.
                        log.exception("reminder %s failed; marking it skipped", reminder.id)
                        await self._skip(reminder)
                    handled += 1
        return handled

    async def _renew(self) -> None:
        await self.queue.renew(self.holder, now=self.clock())

    async def _skip(self, reminder: Reminder, error: str | None = None) -> None:
        """Mark a claimed row not delivered (`error`: why, shown to moderators)."""
        await self.queue.mark_skipped(
            reminder.id, holder=self.holder, now=self.clock(), error=error
        )

    async def _handle(self, reminder: Reminder) -> None:
        await self._handle_row(reminder)
        if reminder.kind == "moved":
            repo = self.bot.store.guild(reminder.guild_id).repo(PartyRepo)
            await repo.forget_move_notice(reminder.id)

    async def _handle_row(self, reminder: Reminder) -> None:
        repo = self.bot.store.guild(reminder.guild_id).repo(PartyRepo)
        now = self.clock()
        try:
            party = await repo.get_party(reminder.party_id)
        except NotFound:
            await self._skip(reminder)
            return
        if not still_planned(reminder, party):
            # Edited while this row was claimed: the edit planned its replacement.
            log.info("reminder %s dropped: party %s was edited in flight", reminder.id, party.id)
            await self._skip(reminder)
            return
        if reminder.kind == "finish":
            finished = await repo.finish_party(party.id, now=now)
            await self.queue.mark_sent(reminder.id, holder=self.holder, message_id=None, now=now)
            if self._on_finish is not None:
                await self._call_finish(finished)
            return
        action = reminder_action(reminder.due_at, now)
        # A time change is not news to the member who made it: never pinged, never counted.
        move_notice = reminder.id if reminder.kind == "moved" else None
        if move_notice is not None:
            # A new time is worth telling, however late, until the party starts; and only to
            # a party someone else is going to.
            going = await repo.count_going(party.id, move_notice=move_notice)
            if party.starts_at <= now or going == 0:
                action = "skip"
            elif action == "skip":
                action = "late"
        if party.status != "scheduled" or action == "skip":
            log.info("skipping reminder %s (%s, party %s)", reminder.id, action, party.status)
            await self._skip(reminder)
            return
        targets = await repo.ping_targets(party.id, move_notice=move_notice)
        if not targets and reminder.kind == "remind":
            await self._skip(reminder)
            return
        header = self._header(party, reminder, late=action == "late")
        message_id = await self._send(party, reminder, header, targets)
        if message_id is None:
            # Kept on the row so /settings can show moderators why fans were not reminded.
            await self._skip(reminder, self._failures.pop(reminder.id, "not sent"))
        else:
            await self.queue.mark_sent(
                reminder.id, holder=self.holder, message_id=message_id, now=self.clock()
            )

    async def _call_finish(self, party: Party) -> None:
        assert self._on_finish is not None  # noqa: S101 - checked by the caller
        result = self._on_finish(party)
        if asyncio.iscoroutine(result):
            await result

    async def _channel(self, channel_id: int) -> discord.abc.Messageable | None:
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except discord.HTTPException:
                return None
        return channel if isinstance(channel, discord.abc.Messageable) else None

    @staticmethod
    def _header(party: Party, reminder: Reminder, *, late: bool) -> str:
        """Return the message text a queue row posts before its mentions."""
        if reminder.kind == "moved" and reminder.moved_from and reminder.moved_to:
            return moved_header(party, reminder.moved_from, reminder.moved_to, late=late)
        return reminder_header(party, reminder.lead_minutes, late=late)

    @staticmethod
    def _reply_to(
        channel: discord.abc.Messageable, party: Party, reminder: Reminder
    ) -> discord.MessageReference | None:
        """Return the party post as a reply target for a time-change notice, when allowed."""
        if reminder.kind != "moved" or party.message_id is None:
            return None
        # Discord refuses a reply without Read Message History; a plain post still informs.
        if (
            isinstance(channel, discord.abc.GuildChannel | discord.Thread)
            and not channel.permissions_for(channel.guild.me).read_message_history
        ):
            return None
        return discord.MessageReference(
            message_id=party.message_id, channel_id=party.channel_id, fail_if_not_exists=False
        )

    async def _send(
        self, party: Party, reminder: Reminder, header: str, targets: list[int]
    ) -> int | None:
        """Send the row's message, pinging exactly `targets`; return the first message's id, or
        None when it cannot be sent."""
        channel = await self._channel(party.channel_id)
        if channel is None:
            log.warning("party %s channel %s is gone; reminder dropped", party.id, party.channel_id)
            self._failures[reminder.id] = "the party's channel is gone"
            return None
        reply_to = self._reply_to(channel, party, reminder)
        first_id: int | None = None
        for index, (content, ids) in enumerate(batch_mentions(header, targets)):
            mentions = discord.AllowedMentions(
                users=[discord.Object(i) for i in ids],
                roles=False,
                everyone=False,
                replied_user=False,
            )
            # The same nonce on a re-send makes Discord return the first message, not post again.
            nonce = reminder.nonce if index == 0 else f"{reminder.nonce}b{index}"
            reference = reply_to if index == 0 else None
            message = await self._send_once(
                channel, content, mentions, nonce, reminder.id, reference
            )
            if message is None:
                return first_id
            first_id = first_id or message.id
        return first_id

    async def _send_once(
        self,
        channel: discord.abc.Messageable,
        content: str,
        mentions: discord.AllowedMentions,
        nonce: str,
        reminder_id: int,
        reference: discord.MessageReference | None = None,
    ) -> discord.Message | None:
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                if reference is not None:
                    return await channel.send(
                        content, allowed_mentions=mentions, nonce=nonce, reference=reference
                    )
                return await channel.send(content, allowed_mentions=mentions, nonce=nonce)
            except discord.Forbidden:
                log.warning("no permission to post a party reminder in %s", channel)
                self._failures[reminder_id] = "I'm missing permission to post there"
                return None
            except discord.HTTPException as exc:
                if attempt == SEND_ATTEMPTS or (exc.status < 500 and exc.status != 429):
                    log.warning("party reminder send failed: %s", exc)
                    self._failures[reminder_id] = f"Discord refused the post ({exc.status})"
                    return None
                await asyncio.sleep(RETRY_DELAY_SECONDS * attempt)
        return None
