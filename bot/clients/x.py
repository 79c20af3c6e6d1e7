"""X API v2 client for user and Spaces lookup: paced, rate-limit aware, token-safe.

Every failure leaves as UpstreamError with a message that never contains the bearer token.
One instance is shared by every caller, so the pacing lock spaces requests across all guilds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

import httpx
from pydantic import SecretStr

from bot.clients.x_models import (
    SPACE_ID_RE,
    USER_ID_RE,
    RateLimit,
    XProblem,
    XSpace,
    XUser,
    parse_problems,
    parse_rate_limit,
    parse_space,
    parse_space_url,
    parse_user,
    usage_cap_reset,
)
from bot.clients.x_responses import (
    auth_error,
    chunks,
    distinct_valid,
    is_usage_cap_response,
    jittered_backoff,
    json_object,
    problem_text,
    usage_cap_error,
    valid_handles,
)
from bot.errors import UpstreamError

__all__ = [
    "RateLimit",
    "XClient",
    "XProblem",
    "XSpace",
    "XUser",
    "parse_space_url",
]

log = logging.getLogger(__name__)

BATCH_SIZE = 100
SPACE_FIELDS = (
    "title,state,started_at,scheduled_start,ended_at,participant_count,"
    "subscriber_count,lang,is_ticketed,creator_id,host_ids"
)
SPACE_EXPANSIONS = "creator_id,host_ids"
USER_FIELDS = "username,name"

USERS_BY = "/2/users/by"
SPACES_BY_CREATOR = "/2/spaces/by/creator_ids"
SPACES_BY_IDS = "/2/spaces"
SPACE_BY_ID = "/2/spaces/:id"

USAGE_CAP_RECHECK = timedelta(hours=24)
# X's reset header has one-second resolution; waiting a little past it avoids a second 429.
_RESET_MARGIN = 1.0


class XClient:
    """Call X API v2 user and Spaces lookup with pacing, retries and typed results."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        bearer_token: SecretStr,
        *,
        min_interval: float = 1.0,
        max_retries: int = 3,
        max_wait: float = 60.0,
        backoff_base: float = 1.0,
        timeout: float = 10.0,
        user_cache_ttl: float = 24 * 3600.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        base = base_url.rstrip("/")
        self._base_url = base.removesuffix("/2")
        self._http = http
        self._token = bearer_token
        self._min_interval = max(0.0, min_interval)
        self._max_retries = max(0, max_retries)
        self._max_wait = max_wait
        self._backoff_base = backoff_base
        self._timeout = timeout
        self._user_cache_ttl = user_cache_ttl
        self._clock = clock
        self._sleep = sleep
        self._pace_lock = asyncio.Lock()
        self._next_slot = 0.0
        self._rate_limits: dict[str, RateLimit] = {}
        self._requests_made = 0
        self._auth_failed: UpstreamError | None = None
        self._capped_until: datetime | None = None
        self._last_error: UpstreamError | None = None
        # lower-cased handle -> (user, cached at); ids -> user from any response's includes.
        self._by_handle: dict[str, tuple[XUser, datetime]] = {}
        self._by_id: dict[str, XUser] = {}

    def __repr__(self) -> str:
        return (
            f"<XClient base_url={self._base_url!r} requests_made={self._requests_made} "
            f"auth_failed={self._auth_failed is not None}>"
        )

    @property
    def rate_limits(self) -> Mapping[str, RateLimit]:
        """Latest rate-limit headers per endpoint ("/2/users/by", "/2/spaces/:id", ...)."""
        return MappingProxyType(self._rate_limits)

    @property
    def requests_made(self) -> int:
        """Number of HTTP requests sent so far (retries included)."""
        return self._requests_made

    @property
    def auth_failed(self) -> UpstreamError | None:
        """The 401/403 that stopped this client, until `reset_auth()` is called."""
        return self._auth_failed

    @property
    def last_error(self) -> UpstreamError | None:
        """The error of the latest failed call; cleared by the next successful call."""
        return self._last_error

    @property
    def usage_capped_until(self) -> datetime | None:
        """When X's monthly usage cap resets, while it is exhausted; None otherwise."""
        if self._capped_until is not None and self._clock() >= self._capped_until:
            self._capped_until = None
        return self._capped_until

    def reset_auth(self) -> None:
        """Allow requests again after an operator fixed the token or the app's access."""
        self._auth_failed = None

    def cached_user(self, user_id: str) -> XUser | None:
        """Return a user seen in an earlier response (lookup or Space expansion), if any."""
        return self._by_id.get(user_id)

    async def users_by_usernames(
        self, usernames: Sequence[str]
    ) -> tuple[list[XUser], list[XProblem]]:
        """Resolve handles to users, 100 per request; bad or unknown handles become problems."""
        wanted, problems = valid_handles(usernames)
        now = self._clock()
        found: dict[str, XUser] = {}
        to_fetch: list[str] = []
        for key, handle in wanted.items():
            cached = self._by_handle.get(key)
            if cached is not None and (now - cached[1]).total_seconds() < self._user_cache_ttl:
                found[key] = cached[0]
            else:
                to_fetch.append(handle)
        for batch in chunks(to_fetch, BATCH_SIZE):
            body = await self._get(USERS_BY, USERS_BY, {"usernames": ",".join(batch)})
            fetched_at = self._clock()
            for user in self._users_in(body.get("data")):
                self._by_handle[user.username.lower()] = (user, fetched_at)
                found[user.username.lower()] = user
            problems.extend(parse_problems(body))
        return [found[key] for key in wanted if key in found], problems

    async def spaces_by_creator_ids(
        self, user_ids: Sequence[str]
    ) -> tuple[list[XSpace], list[XProblem]]:
        """Fetch live and scheduled Spaces of these creators in ceil(distinct/100) requests."""
        wanted, problems = distinct_valid(user_ids, USER_ID_RE, "Not an X user id.")
        spaces, more = await self._spaces_batched(SPACES_BY_CREATOR, "user_ids", wanted)
        return spaces, problems + more

    async def spaces_by_ids(self, space_ids: Sequence[str]) -> tuple[list[XSpace], list[XProblem]]:
        """Look Spaces up by id (any state: live, scheduled, ended, canceled), 100 a request.

        `GET /2/spaces?ids=`: ids X does not know come back as problems (its partial "Not Found
        Error" entries, `value` = the id), as do malformed ids, which are never sent.
        Raises UpstreamError when a request fails.
        """
        wanted, problems = distinct_valid(space_ids, SPACE_ID_RE, "Not a Space id.")
        spaces, more = await self._spaces_batched(SPACES_BY_IDS, "ids", wanted)
        return spaces, problems + more

    async def _spaces_batched(
        self, endpoint: str, key: str, values: Sequence[str]
    ) -> tuple[list[XSpace], list[XProblem]]:
        problems: list[XProblem] = []
        spaces: dict[str, XSpace] = {}
        for batch in chunks(values, BATCH_SIZE):
            params = {
                key: ",".join(batch),
                "space.fields": SPACE_FIELDS,
                "expansions": SPACE_EXPANSIONS,
                "user.fields": USER_FIELDS,
            }
            body = await self._get(endpoint, endpoint, params)
            for space in self._spaces_in(body):
                spaces[space.id] = space
            problems.extend(parse_problems(body))
        return list(spaces.values()), problems

    async def space_by_id(self, space_id: str) -> XSpace | None:
        """Fetch one Space (any state) by id; None when X does not know it."""
        if not SPACE_ID_RE.fullmatch(space_id):
            return None
        params = {
            "space.fields": SPACE_FIELDS,
            "expansions": SPACE_EXPANSIONS,
            "user.fields": USER_FIELDS,
        }
        body = await self._get(SPACE_BY_ID, f"/2/spaces/{space_id}", params)
        spaces = self._spaces_in(body)
        return next((s for s in spaces if s.id == space_id), spaces[0] if spaces else None)

    def _users_in(self, data: object) -> list[XUser]:
        items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
        users = [u for u in (parse_user(item) for item in items) if u is not None]
        for user in users:
            self._by_id[user.id] = user
        if len(users) < len(items):
            log.warning("X returned %d malformed user objects", len(items) - len(users))
        return users

    def _spaces_in(self, body: Mapping[str, Any]) -> list[XSpace]:
        includes = body.get("includes")
        if isinstance(includes, dict):
            self._users_in(includes.get("users"))
        data = body.get("data")
        items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
        spaces = [s for s in (parse_space(item) for item in items) if s is not None]
        if len(spaces) < len(items):
            log.warning("X returned %d Space objects without an id", len(items) - len(spaces))
        return spaces

    async def _get(self, endpoint: str, path: str, params: Mapping[str, str]) -> dict[str, Any]:
        """Send one logical GET with pacing and retries; return the JSON object body."""
        if self._auth_failed is not None:
            raise self._auth_failed
        try:
            body = await self._get_with_retries(endpoint, path, params)
        except UpstreamError as exc:
            self._last_error = exc
            raise
        self._last_error = None
        return body

    async def _get_with_retries(
        self, endpoint: str, path: str, params: Mapping[str, str]
    ) -> dict[str, Any]:
        attempt = 0
        while True:
            capped = self.usage_capped_until
            if capped is not None:
                # Every request would be refused until the reset; do not spend any.
                raise usage_cap_error(capped, self._clock())
            await self._wait_for_endpoint(endpoint)
            await self._pace()
            if self._auth_failed is not None:
                # Another caller hit 401/403 while this one waited for its slot.
                raise self._auth_failed
            self._requests_made += 1
            failure: str
            status: int | None = None
            try:
                response = await self._http.get(
                    self._base_url + path,
                    params=dict(params),
                    headers={"Authorization": f"Bearer {self._token.get_secret_value()}"},
                    timeout=self._timeout,
                )
            except httpx.TransportError as exc:
                # The name only: an exception's text may quote request details.
                failure = f"X request to {endpoint} failed ({type(exc).__name__})"
            except httpx.HTTPError as exc:
                raise UpstreamError(
                    f"X request to {endpoint} failed ({type(exc).__name__})"
                ) from None
            else:
                status = response.status_code
                self._record_rate_limit(endpoint, response.headers)
                if status < 300:
                    return json_object(endpoint, response)
                if status in (401, 403):
                    raise self._fail_auth(endpoint, response)
                if status == 429 and is_usage_cap_response(response):
                    raise self._start_usage_cap(endpoint, response)
                if status == 429:
                    wait = self._wait_after_429(endpoint, response, attempt)
                    if attempt >= self._max_retries:
                        raise UpstreamError(
                            f"X rate limit on {endpoint} still exceeded after retries",
                            status=429,
                            retry_after=wait,
                        )
                    log.warning("X rate limit hit on %s; waiting %.1fs", endpoint, wait)
                    await self._sleep(wait)
                    attempt += 1
                    continue
                if status < 500:
                    raise UpstreamError(
                        f"X rejected the request to {endpoint}: "
                        f"{status} {problem_text(response, self._token)}",
                        status=status,
                    )
                failure = f"X returned {status} for {endpoint}"
            if attempt >= self._max_retries:
                raise UpstreamError(
                    f"{failure}; gave up after {attempt + 1} attempts", status=status
                )
            delay = self._backoff(attempt)
            log.warning("%s; retrying in %.1fs", failure, delay)
            await self._sleep(delay)
            attempt += 1

    async def _pace(self) -> None:
        async with self._pace_lock:
            wait = self._next_slot - time.monotonic()
            if wait > 0:
                await self._sleep(wait)
            self._next_slot = max(self._next_slot, time.monotonic()) + self._min_interval

    async def _wait_for_endpoint(self, endpoint: str) -> None:
        limit = self._rate_limits.get(endpoint)
        if limit is None or limit.remaining != 0 or limit.reset_at is None:
            return
        wait = (limit.reset_at - self._clock()).total_seconds() + _RESET_MARGIN
        if wait <= 0:
            return
        if wait > self._max_wait:
            raise UpstreamError(
                f"X rate limit for {endpoint} is used up; it resets in {wait:.0f}s",
                status=429,
                retry_after=wait,
            )
        log.info("X rate limit for %s used up; waiting %.1fs for the reset", endpoint, wait)
        await self._sleep(wait)
        # The window has reset; the next response's headers will say how much is left.
        self._rate_limits[endpoint] = RateLimit(limit.limit, None, None)

    def _wait_after_429(self, endpoint: str, response: httpx.Response, attempt: int) -> float:
        limit = self._rate_limits.get(endpoint)
        if limit is not None and limit.reset_at is not None:
            wait = max(0.0, (limit.reset_at - self._clock()).total_seconds()) + _RESET_MARGIN
        else:
            wait = self._backoff(attempt)
        if wait > self._max_wait:
            raise UpstreamError(
                f"X rate limit exceeded on {endpoint}; it resets in {wait:.0f}s",
                status=429,
                retry_after=wait,
            )
        # The wait happens here, so the pre-request check must not wait a second time.
        if limit is not None:
            self._rate_limits[endpoint] = RateLimit(limit.limit, None, None)
        return wait

    def _start_usage_cap(self, endpoint: str, response: httpx.Response) -> UpstreamError:
        now = self._clock()
        # Without a reset header, look again in a day rather than hammer a capped account.
        self._capped_until = usage_cap_reset(response.headers, now) or now + USAGE_CAP_RECHECK
        log.error(
            "X monthly usage cap reached on %s; no requests until %s",
            endpoint,
            self._capped_until.isoformat(),
        )
        return usage_cap_error(self._capped_until, self._clock())

    def _backoff(self, attempt: int) -> float:
        return jittered_backoff(attempt, self._backoff_base)

    def _record_rate_limit(self, endpoint: str, headers: Mapping[str, str]) -> None:
        limit = parse_rate_limit(headers)
        if limit is not None:
            self._rate_limits[endpoint] = limit

    def _fail_auth(self, endpoint: str, response: httpx.Response) -> UpstreamError:
        error = auth_error(endpoint, response, self._token)
        self._auth_failed = error
        log.error("%s", error.message)
        return error
