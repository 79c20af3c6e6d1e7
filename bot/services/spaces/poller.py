"""The Spaces poller: one loop that asks X about every followed account and fills the outbox.

It knows nothing of Discord or of servers' channels: it writes detected transitions into the
`space_events` outbox, and every process's fan-out consumes them for its own servers. One
poller runs per deployment: the cog polls only while this process holds the "spaces-poller"
lease (bot/services/cluster.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.clients.x import XClient
from bot.domain.spaces.diff import DEFAULT_MISSING_GRACE, reconcile
from bot.domain.spaces.keys import plan_batches
from bot.domain.spaces.model import FetchedSpace, TrackedSpace
from bot.errors import UpstreamError
from bot.store.spaces_tracking import SpaceTrackingRepo

log = logging.getLogger(__name__)

SPACES_ENDPOINT = "/2/spaces/by/creator_ids"
RESOLVE_PER_CYCLE = 100


@dataclass
class PollReport:
    """What one poll cycle did."""

    state: str
    accounts: int = 0
    batches: int = 0
    polled: int = 0
    events: int = 0
    detail: str = ""
    errors: list[str] = field(default_factory=list)


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat()


class SpacesPoller:
    """Poll X for the union of followed accounts and record transitions in the outbox."""

    def __init__(
        self,
        tracking: SpaceTrackingRepo,
        client: XClient | None,
        *,
        interval: float,
        grace: timedelta = DEFAULT_MISSING_GRACE,
        on_events: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._tracking = tracking
        self._client = client
        self._interval = interval
        self.grace = grace
        self._on_events = on_events
        self._clock = clock
        self.last_report: PollReport | None = None

    @property
    def interval(self) -> float:
        """Seconds between two polls (the bot's loop helper waits this long between steps)."""
        return self._interval

    async def poll_once(self) -> PollReport:
        """Run one cycle: resolve handles, fetch Spaces in batches of 100, look up by id the
        tracked ones that vanished from the answer, diff, write the outbox."""
        now = self._clock()
        client = self._client
        if client is None:
            return await self._finish(PollReport("disabled", detail="X_BEARER_TOKEN is not set"))
        if client.auth_failed is not None:
            return await self._finish(PollReport("auth_failed", detail=client.auth_failed.message))
        capped = client.usage_capped_until
        if capped is not None:
            # X's monthly cap: no request can succeed before the reset, so none is sent.
            return await self._finish(
                PollReport("usage_capped", detail=capped.isoformat(), accounts=0)
            )
        await self._resolve_handles(client)
        accounts = await self._tracking.followed_account_ids()
        batches = plan_batches(accounts)
        report = PollReport("ok", accounts=len(accounts), batches=len(batches))
        skip_until = self._budget_exhausted(client, len(batches), now)
        if skip_until is not None:
            report.state = "rate_limited"
            report.detail = f"X rate limit used up until {skip_until.isoformat()}"
            return await self._finish(report)
        fetched: list[FetchedSpace] = []
        polled: set[str] = set()
        for batch in batches:
            try:
                spaces, problems = await client.spaces_by_creator_ids(batch)
            except UpstreamError as exc:
                if exc.fatal:
                    report.state, report.detail = "auth_failed", exc.message
                    break
                if exc.usage_capped:
                    capped = client.usage_capped_until
                    report.state = "usage_capped"
                    report.detail = capped.isoformat() if capped else ""
                    break
                if exc.status == 429:
                    # The rest of this cycle would hit the same wall; the next cycle retries.
                    report.state, report.detail = "rate_limited", exc.message
                    break
                report.state, report.detail = "error", exc.message
                report.errors.append(exc.message)
                continue
            fetched.extend(spaces)
            # A creator X reported a problem for was not really seen: do not end its Spaces.
            troubled = {p.value for p in problems if p.value}
            polled.update(a for a in batch if a not in troubled)
        report.polled = len(polled)
        # Announced Spaces nobody polls (by hand, or their artist was unfollowed after the post).
        unpolled = await self._tracking.tracked_with_posts(skip_creators=accounts)
        if polled or fetched or unpolled:
            previous = {**unpolled, **await self._tracking.tracked_for(accounts)}
            if report.state not in ("auth_failed", "usage_capped"):
                fetched.extend(
                    await self._look_up_missing(client, previous, fetched, polled, unpolled)
                )
            result = reconcile(previous, fetched, polled_creators=polled, now=now, grace=self.grace)
            report.events = await self._tracking.record_poll(result.upserts, result.transitions)
        await self._tracking.purge_ended(now)
        if report.events and self._on_events is not None:
            self._on_events()
        return await self._finish(report)

    async def _look_up_missing(
        self,
        client: XClient,
        previous: Mapping[str, TrackedSpace],
        fetched: list[FetchedSpace],
        polled: set[str],
        unpolled: Mapping[str, TrackedSpace],
    ) -> list[FetchedSpace]:
        """Ask X by id about tracked Spaces its creators' answer left out; return what it said.

        The creators' answer lists only live and scheduled Spaces, so a Space that vanished has
        usually ended or been cancelled: looked up by id, it ends in this poll. A Space whose
        lookup failed or that X did not return keeps the grace period. `unpolled` Spaces are
        always looked up; once the lookup answered, their creators count as polled.
        """
        seen = {s.id for s in fetched}
        missing = [
            s.space_id
            for s in previous.values()
            if s.state != "ended"
            and (s.creator_id in polled or s.space_id in unpolled)
            and s.space_id not in seen
        ]
        if not missing:
            return []
        try:
            spaces, _ = await client.spaces_by_ids(missing)
        except UpstreamError as exc:
            log.info("could not look up %d vanished Spaces: %s", len(missing), exc.message)
            return []
        polled.update(s.creator_id for s in unpolled.values())
        wanted = set(missing)
        return [s for s in spaces if s.id in wanted]

    async def _resolve_handles(self, client: XClient) -> None:
        handles = await self._tracking.unresolved_handles()
        if not handles:
            return
        try:
            users, _ = await client.users_by_usernames(handles[:RESOLVE_PER_CYCLE])
        except UpstreamError as exc:
            log.warning("could not resolve %d X handles: %s", len(handles), exc.message)
            return
        for user in users:
            await self._tracking.save_account(user.id, user.username, user.name)

    def _budget_exhausted(self, client: XClient, needed: int, now: datetime) -> datetime | None:
        limit = client.rate_limits.get(SPACES_ENDPOINT)
        if limit is None or limit.remaining is None or limit.reset_at is None:
            return None
        if limit.remaining < max(needed, 1) and limit.reset_at > now:
            return limit.reset_at
        return None

    async def _finish(self, report: PollReport) -> PollReport:
        self.last_report = report
        values = {
            "api_state": report.state,
            "api_detail": report.detail[:300],
            "last_poll_at": _iso(self._clock()),
            "accounts": str(report.accounts),
        }
        if report.state == "ok":
            values["last_success_at"] = values["last_poll_at"]
        client = self._client
        if client is not None:
            limit = client.rate_limits.get(SPACES_ENDPOINT)
            if limit is not None:
                values["remaining"] = "" if limit.remaining is None else str(limit.remaining)
                values["reset_at"] = _iso(limit.reset_at)
        await self._tracking.set_status(values)
        if report.state not in ("ok", "disabled"):
            log.warning("Spaces poll: %s (%s)", report.state, report.detail)
        return report
