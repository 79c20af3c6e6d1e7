"""A local fake of X API v2 user and Spaces lookup, speaking the documented wire format.

Tests own an in-memory world (users, Spaces) and a fault queue. Use it in-loop:

    async with FakeX() as fake:
        fake.add_user("bts_bighit")
        ... XClient(http, fake.base_url, SecretStr(fake.token)) ...

or standalone for a subprocess bot: `python -m bot.testing.fake_x --port 8123 --state world.json`
(the JSON file is re-read whenever it changes: {"users": [{"username", "id"?, "name"?}],
"spaces": [{"creator", "id", "state", ...set_space keyword arguments}]}).

Endpoints: `GET /2/users/by`, `/2/spaces/by/creator_ids` (live and scheduled Spaces only, as X
documents), `/2/spaces/:id` and `/2/spaces?ids=` (any state; unknown ids as partial errors).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.testing.fake_x_wire import (
    FAULT_KINDS,
    HANDLE_RE,
    ID_RE,
    PROBLEM_JSON,
    SPACE_ID_RE,
    TOO_MANY,
    UNAUTHORIZED,
    Fault,
    Window,
    error_response,
    invalid_request,
    iso,
    not_found,
    space_body,
)

log = logging.getLogger(__name__)


@dataclass
class RecordedRequest:
    """One request the fake received (the Authorization header is never kept)."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    time: datetime
    status: int = 0


@dataclass
class FakeX:
    """The fake server and its world; all times come from `clock` so tests can fake them."""

    token: str = "fake-x-bearer-token-0123456789"
    rate_limit: int = 300
    rate_window: float = 900.0
    reset_in_429: float = 30.0
    # The "usage_cap" fault: seconds until the monthly cap resets (x-rate-limit-reset).
    reset_in_cap: float = 10 * 86400.0
    hang_seconds: float = 30.0
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[RecordedRequest] = field(default_factory=list)
    users: dict[str, dict[str, str]] = field(default_factory=dict)
    spaces: dict[str, dict[str, Any]] = field(default_factory=dict)
    state_file: Path | None = None

    def __post_init__(self) -> None:
        self._faults: list[Fault] = []
        self._windows: dict[str, Window] = {}
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._next_id = 1_000_000_000
        self._state_mtime = -1.0
        self.base_url = ""

    # -- world -------------------------------------------------------------------------------

    def add_user(self, username: str, id: str | None = None, name: str | None = None) -> str:
        """Add (or update) an account and return its id."""
        existing = self._user_id(username)
        user_id = id or existing
        if user_id is None:
            self._next_id += 1
            user_id = str(self._next_id)
        self.users[user_id] = {"id": user_id, "name": name or username, "username": username}
        return user_id

    def set_space(
        self,
        creator_username_or_id: str,
        space_id: str,
        state: str = "live",
        *,
        host_ids: list[str] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Create or replace a Space; `fields` are Space fields (datetimes may be datetime)."""
        creator = self._user_id(creator_username_or_id) or self.add_user(creator_username_or_id)
        now = self.clock()
        space: dict[str, Any] = {
            "id": space_id,
            "state": state,
            "creator_id": creator,
            "host_ids": host_ids if host_ids is not None else [creator],
            "created_at": iso(now),
            "title": f"Space {space_id}",
            "participant_count": 0,
            "subscriber_count": 0,
            "lang": "ko",
            "is_ticketed": False,
        }
        if state == "live":
            space["started_at"] = iso(now)
        for key, value in fields.items():
            space[key] = iso(value) if isinstance(value, datetime) else value
        self.spaces[space_id] = space
        return space

    def end_space(self, space_id: str, ended_at: datetime | None = None) -> None:
        """Mark a Space ended (creator lookup stops listing it; lookup by id still works)."""
        space = self.spaces[space_id]
        space["state"] = "ended"
        space["ended_at"] = iso(ended_at or self.clock())

    def cancel_space(self, space_id: str) -> None:
        """Cancel a scheduled Space: X's state "canceled" (creator lookup stops listing it)."""
        self.spaces[space_id]["state"] = "canceled"

    def remove_space(self, space_id: str) -> None:
        """Forget a Space entirely, as X does some time after it ends or is canceled."""
        self.spaces.pop(space_id, None)

    def fail_next(self, path_prefix: str, kind: str, count: int = 1) -> None:
        """Make the next `count` requests under `path_prefix` misbehave in the given way.

        A prefix ending in "$" matches that path only: "/2/spaces$" is the lookup by ids alone,
        while "/2/spaces" also matches the creator lookup and `/2/spaces/:id`.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        self._faults.append(Fault(path_prefix, kind, count))

    def count(self, path_prefix: str = "/2/") -> int:
        """Return how many requests arrived under `path_prefix`."""
        return sum(1 for r in self.requests if r.path.startswith(path_prefix))

    def _user_id(self, username_or_id: str) -> str | None:
        if username_or_id in self.users:
            return username_or_id
        lowered = username_or_id.lower().removeprefix("@")
        return next(
            (u["id"] for u in self.users.values() if u["username"].lower() == lowered), None
        )

    # -- server ------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeX:
        app = web.Application()
        app.router.add_get("/2/users/by", self._users_by)
        app.router.add_get("/2/spaces/by/creator_ids", self._spaces_by_creator)
        app.router.add_get("/2/spaces", self._spaces_by_ids)
        app.router.add_get("/2/spaces/{space_id}", self._space_by_id)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- request plumbing --------------------------------------------------------------------

    def _take_fault(self, path: str) -> str | None:
        for fault in self._faults:
            if fault.matches(path) and fault.remaining > 0:
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault.kind
        return None

    def _rate_headers(self, endpoint: str, *, consume: bool) -> tuple[dict[str, str], bool]:
        now = self.clock()
        window = self._windows.get(endpoint)
        if window is None or now >= window.started + timedelta(seconds=self.rate_window):
            window = self._windows[endpoint] = Window(started=now)
        exhausted = window.used >= self.rate_limit
        if consume and not exhausted:
            window.used += 1
        reset = window.started + timedelta(seconds=self.rate_window)
        headers = {
            "x-rate-limit-limit": str(self.rate_limit),
            "x-rate-limit-remaining": str(max(0, self.rate_limit - window.used)),
            "x-rate-limit-reset": str(int(reset.timestamp())),
        }
        return headers, exhausted

    async def _guard(
        self, request: web.Request, endpoint: str
    ) -> tuple[web.Response | None, str | None, dict[str, str]]:
        """Record, authenticate, apply faults and rate limits; return an early response if any."""
        record = RecordedRequest(
            path=request.path,
            query=dict(request.query),
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
            time=self.clock(),
        )
        self.requests.append(record)
        self._reload_state()
        early: web.Response | None = None
        headers: dict[str, str] = {}
        kind = None
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            early = web.json_response(UNAUTHORIZED, status=401, content_type=PROBLEM_JSON)
        else:
            kind = self._take_fault(request.path)
            early = await self._fault_response(kind, endpoint)
            if early is None:
                headers, exhausted = self._rate_headers(endpoint, consume=True)
                if exhausted:
                    early = web.json_response(
                        TOO_MANY, status=429, headers=headers, content_type=PROBLEM_JSON
                    )
        record.status = early.status if early is not None else 200
        return early, kind, headers

    async def _fault_response(self, kind: str | None, endpoint: str) -> web.Response | None:
        if kind == "timeout":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.hang_seconds)
            return web.json_response({"title": "Service Unavailable"}, status=503)
        fixed = error_response(
            kind,
            now=self.clock(),
            rate_limit=self.rate_limit,
            reset_in_429=self.reset_in_429,
            reset_in_cap=self.reset_in_cap,
        )
        if fixed is not None:
            return fixed
        if kind == "malformed_json":
            headers, _ = self._rate_headers(endpoint, consume=True)
            return web.Response(
                text='{"data": [{"id": "1DXxyRYNejbKM", "state": "li',
                status=200,
                headers=headers,
                content_type="application/json",
            )
        if kind == "no_data":
            headers, _ = self._rate_headers(endpoint, consume=True)
            return web.json_response({"meta": {"result_count": 0}}, headers=headers)
        return None

    # -- endpoints ---------------------------------------------------------------------------

    async def _users_by(self, request: web.Request) -> web.Response:
        early, kind, headers = await self._guard(request, "/2/users/by")
        if early is not None:
            return early
        names = [n for n in request.query.get("usernames", "").split(",") if n]
        if not names or len(names) > 100 or not all(HANDLE_RE.fullmatch(n) for n in names):
            return invalid_request("The `usernames` query parameter value is not valid")
        data: list[dict[str, str]] = []
        errors: list[dict[str, str]] = []
        for index, name in enumerate(names):
            user_id = self._user_id(name)
            if user_id is None or (kind == "partial_errors" and index == 0):
                errors.append(not_found(name, "usernames", "user"))
            else:
                data.append(self.users[user_id])
        body: dict[str, Any] = {}
        if data:
            body["data"] = data
        if errors:
            body["errors"] = errors
        return web.json_response(body, headers=headers)

    async def _spaces_by_creator(self, request: web.Request) -> web.Response:
        early, kind, headers = await self._guard(request, "/2/spaces/by/creator_ids")
        if early is not None:
            return early
        ids = [i for i in request.query.get("user_ids", "").split(",") if i]
        if not ids or len(ids) > 100 or not all(ID_RE.fullmatch(i) for i in ids):
            return invalid_request("The `user_ids` query parameter value is not valid")
        dropped = ids[0] if kind == "partial_errors" else None
        # Documented: this endpoint lists live and scheduled Spaces only.
        spaces = [
            s
            for s in self.spaces.values()
            if s["creator_id"] in ids
            and s["creator_id"] != dropped
            and s["state"] in ("live", "scheduled")
        ]
        body = space_body(spaces, self.users, request, kind)
        if dropped is not None:
            body["errors"] = [not_found(dropped, "user_ids", "user")]
        body["meta"] = {"result_count": len(spaces)}
        return web.json_response(body, headers=headers)

    async def _spaces_by_ids(self, request: web.Request) -> web.Response:
        early, kind, headers = await self._guard(request, "/2/spaces")
        if early is not None:
            return early
        ids = list(dict.fromkeys(i for i in request.query.get("ids", "").split(",") if i))
        if not ids or len(ids) > 100 or not all(SPACE_ID_RE.fullmatch(i) for i in ids):
            return invalid_request("The `ids` query parameter value is not valid")
        # "partial_errors": X answers the first id as not found although it exists.
        dropped = ids[0] if kind == "partial_errors" else None
        found = [i for i in ids if i in self.spaces and i != dropped]
        body = space_body([self.spaces[i] for i in found], self.users, request, kind)
        missing = [i for i in ids if i not in found]
        if missing:
            body["errors"] = [not_found(i, "ids", "space") for i in missing]
        return web.json_response(body, headers=headers)

    async def _space_by_id(self, request: web.Request) -> web.Response:
        early, kind, headers = await self._guard(request, "/2/spaces/:id")
        if early is not None:
            return early
        space_id = request.match_info["space_id"]
        space = self.spaces.get(space_id)
        if space is None or kind == "partial_errors":
            body: dict[str, Any] = {"errors": [not_found(space_id, "id", "space")]}
        else:
            body = space_body([space], self.users, request, kind)
            body["data"] = body["data"][0]
        return web.json_response(body, headers=headers)

    # -- standalone --------------------------------------------------------------------------

    def _reload_state(self) -> None:
        if self.state_file is None or not self.state_file.exists():
            return
        mtime = self.state_file.stat().st_mtime
        if mtime == self._state_mtime:
            return
        self._state_mtime = mtime
        world = json.loads(self.state_file.read_text(encoding="utf-8"))
        self.users.clear()
        self.spaces.clear()
        for user in world.get("users", []):
            self.add_user(user["username"], user.get("id"), user.get("name"))
        for space in world.get("spaces", []):
            space = dict(space)
            self.set_space(
                space.pop("creator"), space.pop("id"), space.pop("state", "live"), **space
            )


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeX(token=args.token, port=args.port, state_file=args.state)
    async with fake:
        log.warning("fake X API listening on %s", fake.base_url)
        await asyncio.Event().wait()


def main() -> None:
    """Run the fake X API until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=FakeX.token)
    parser.add_argument("--state", type=Path, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
