"""LoopbackDiscord: a strict, recording Discord (REST v10 + gateway v10) on 127.0.0.1."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web

from bot.testing.loopback import interactions, rest, webhooks
from bot.testing.loopback.entities import ChannelFx, UserFx
from bot.testing.loopback.faults import DEFAULT_FAULT_BODIES, Fault, json_response
from bot.testing.loopback.gateway import Gateway
from bot.testing.loopback.injected import InjectedInteraction
from bot.testing.loopback.limits import RateLimits
from bot.testing.loopback.messages import MessageStore
from bot.testing.loopback.state import (
    FILES_KEY,
    JSON_KEY,
    REC_KEY,
    Clock,
    DiscordError,
    Pings,
    RecordedFile,
    RecordedRequest,
    Violation,
    snowflake,
    to_id,
)
from bot.testing.loopback.world import GuildFixture

API_PREFIX = "/api/v10"
DEFAULT_TOKEN = "bG9vcGJhY2s.loopback.bot-token"  # Not a secret: only this loopback accepts it.


class LoopbackDiscord:
    """A small Discord that the real discord.py client logs into; records everything."""

    def __init__(self, *, token: str = DEFAULT_TOKEN, bot_name: str = "Lightstick") -> None:
        self.token = token
        self.clock = Clock()
        self.application_id = snowflake()
        self.bot_user = UserFx(self.application_id, bot_name, global_name=bot_name, bot=True)
        self.users: dict[int, UserFx] = {self.bot_user.id: self.bot_user}
        self.guilds: dict[int, GuildFixture] = {}
        self.channels: dict[int, ChannelFx] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self._expected: list[re.Pattern[str]] = []
        self.faults: list[Fault] = []
        self.rate_limits = RateLimits()
        self.messages = MessageStore(self)
        self.interactions: dict[int, InjectedInteraction] = {}
        self.interactions_by_token: dict[str, InjectedInteraction] = {}
        self.nonces: dict[tuple[int, str], tuple[float, int]] = {}
        self.gateway = Gateway(self)
        # What GET /gateway/bot recommends to a bot that does not set its shard count.
        self.recommended_shards = 1
        self.port = 0
        self._runner: web.AppRunner | None = None

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> LoopbackDiscord:
        """Bind 127.0.0.1 on a free port and start serving."""
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{id}/{filename}", self._cdn)
        rest.register(app, self, API_PREFIX)
        webhooks.register(app, self, API_PREFIX)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        # aiohttp does not expose the bound port publicly; port 0 means "pick a free one".
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        """Close websockets and stop the HTTP server."""
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LoopbackDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        """Return http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Return the REST base URL (what discord.http.Route.BASE must be)."""
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Return the websocket URL (what DiscordWebSocket.DEFAULT_GATEWAY must be)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- world ----------------------------------------------------------------------------
    def new_user(
        self, username: str, *, global_name: str | None = None, bot: bool = False
    ) -> UserFx:
        """Create a user known to the loopback."""
        user = UserFx(snowflake(), username, global_name=global_name, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str = "Loopback Fans",
        *,
        manage_events: bool = True,
        prepare: Callable[[GuildFixture], None] | None = None,
        shard: tuple[int, int] | None = None,
    ) -> GuildFixture:
        """Create a populated guild; the session of its shard receives GUILD_CREATE (a join).

        `prepare` may change the guild (names, system channel, ...) before the bot hears of it.
        `shard=(shard_id, shard_count)` gives the guild an id that lands on that shard.
        """
        guild = GuildFixture(self, name, manage_events=manage_events, shard=shard)
        self.guilds[guild.id] = guild
        if prepare is not None:
            prepare(guild)
        self.dispatch("GUILD_CREATE", guild.create_payload(initial=False))
        return guild

    def remove_guild(self, guild: Any) -> None:
        """Remove the bot from a guild (a kick); a connected bot receives GUILD_DELETE."""
        removed = self.guilds.pop(to_id(guild))
        for channel_id in removed.channels:
            self.channels.pop(channel_id, None)
        self.dispatch("GUILD_DELETE", {"id": str(removed.id)})

    def readd_guild(self, guild: GuildFixture) -> None:
        """Invite the bot back to a guild it was removed from (a rejoin: GUILD_CREATE again)."""
        self.guilds[guild.id] = guild
        for channel in guild.channels.values():
            self.channels[channel.id] = channel
        self.dispatch("GUILD_CREATE", guild.create_payload(initial=False))

    def guild_of_channel(self, channel_id: int) -> GuildFixture | None:
        """Return the guild that owns a channel (None for DMs)."""
        channel = self.channels.get(channel_id)
        if channel is None or channel.guild_id is None:
            return None
        return self.guilds.get(channel.guild_id)

    def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send a gateway DISPATCH to every connected (or resumable) session of its shard."""
        return self.gateway.dispatch(event, data)

    async def drop_connection(self, code: int = 4000) -> None:
        """Drop every gateway socket; the client should RESUME and get missed events replayed."""
        await self.gateway.drop_connections(code)

    async def wait_ready(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until READY has been sent `count` times in total."""
        await self.gateway.wait_for(lambda: self.gateway.ready_count >= count, timeout)

    def advance(self, seconds: float) -> None:
        """Move the loopback clock forward (interaction deadlines, token expiry, nonces)."""
        self.clock.advance(seconds)

    # -- assertions -------------------------------------------------------------------------
    def requests_to(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Return recorded requests whose method matches and path matches the regex."""
        pattern = re.compile(path_regex)
        return [r for r in self.requests if r.method == method.upper() and pattern.search(r.path)]

    def messages_in(self, channel: Any) -> list[dict[str, Any]]:
        """Return the channel's messages as Discord would show them now (edits applied)."""
        return self.messages.in_channel(to_id(channel))

    def scheduled_events(self, guild: Any) -> list[dict[str, Any]]:
        """Return the guild's scheduled events."""
        return list(self.guilds[to_id(guild)].scheduled_events.values())

    def pings(self, message: Any) -> Pings:
        """Return who the message actually pinged when it was posted."""
        return self.messages.pings[to_id(message)]

    def expect_violation(self, pattern: str) -> None:
        """Declare that violations matching this regex are expected in the current test."""
        self._expected.append(re.compile(pattern))

    def unexpected_violations(self) -> list[Violation]:
        """Return violations not covered by expect_violation."""
        return [
            v for v in self.violations if not any(p.search(v.describe()) for p in self._expected)
        ]

    def assert_no_unexpected_violations(self) -> None:
        """Raise AssertionError listing violations the test did not expect."""
        bad = self.unexpected_violations()
        if bad:
            lines = "\n".join(f"  - {v.describe()}" for v in bad)
            raise AssertionError(f"loopback Discord recorded violations:\n{lines}")

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        json_body: dict[str, Any] | None = None,
        count: int = 1,
    ) -> None:
        """Make the next `count` matching requests fail with this status and body."""
        body = (
            json_body
            if json_body is not None
            else DEFAULT_FAULT_BODIES.get(status, {"message": "error", "code": 0})
        )
        self.faults.append(Fault(method.upper(), re.compile(path_regex), status, body, count))

    def violate(self, description: str, method: str = "", path: str = "") -> None:
        """Record a violation 'kind: message'."""
        kind, _, message = description.partition(": ")
        self.violations.append(Violation(kind, message, method, path))

    # -- injection (see interactions.py) --------------------------------------------------
    async def slash(
        self, guild: Any, command: str, options: dict[str, Any] | None = None, **kw: Any
    ) -> InjectedInteraction:
        """Invoke a synced slash command as a user; returns the interaction handle."""
        return await interactions.slash(self, guild, command, options or {}, **kw)

    async def autocomplete(
        self,
        guild: Any,
        command: str,
        options: dict[str, Any] | None = None,
        *,
        focused: str,
        **kw: Any,
    ) -> list[dict[str, Any]]:
        """Type into an autocomplete option; return the choices the bot offered."""
        return await interactions.autocomplete(
            self, guild, command, options or {}, focused=focused, **kw
        )

    async def click(self, message: Any, custom_id: str, **kw: Any) -> InjectedInteraction:
        """Click a button or choose select values on a stored message."""
        return await interactions.click(self, message, custom_id, **kw)

    async def forge_component(
        self, message: Any, data: dict[str, Any], **kw: Any
    ) -> InjectedInteraction:
        """Send a component interaction with arbitrary data (a modified client's click)."""
        return await interactions.forge_component(self, message, data, **kw)

    async def forge_modal_submit(
        self, guild: Any, data: dict[str, Any], **kw: Any
    ) -> InjectedInteraction:
        """Send a modal submit no modal of the bot opened (a modified client)."""
        return await interactions.forge_modal_submit(self, guild, data, **kw)

    async def submit_modal(self, ix: Any, values: dict[str, Any], **kw: Any) -> InjectedInteraction:
        """Submit the modal a previous interaction opened, with text values by custom_id."""
        return await interactions.submit_modal(self, ix, values, **kw)

    # -- HTTP plumbing ------------------------------------------------------------------------
    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        item = self.messages.cdn.get(int(request.match_info["id"]))
        if item is None:
            return web.Response(status=404)
        _filename, data, ctype = item
        return web.Response(body=data, headers={"Content-Type": ctype})

    async def _read_body(self, request: web.Request) -> tuple[Any, list[RecordedFile]]:
        if not request.can_read_body:
            return None, []
        ctype = request.content_type
        if ctype.startswith("multipart/"):
            payload: Any = None
            files: list[RecordedFile] = []
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, aiohttp.BodyPartReader):
                    continue
                name = part.name or ""
                data = await part.read()
                if name == "payload_json":
                    payload = json.loads(bytes(data).decode())
                else:
                    ctype_part = part.headers.get("Content-Type", "application/octet-stream")
                    files.append(RecordedFile(name, part.filename or name, ctype_part, bytes(data)))
            return payload, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            return raw.decode(errors="replace"), []

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.count > 0 and fault.method in (method, "*") and fault.regex.search(path):
                fault.count -= 1
                return fault
        return None

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)  # type: ignore[no-any-return]
        path = request.path[len(API_PREFIX) :]
        body, files = await self._read_body(request)
        rec = RecordedRequest(
            request.method,
            path,
            dict(request.query),
            body,
            files,
            dict(request.headers),
            self.clock.now(),
            datetime.now(UTC),
        )
        self.requests.append(rec)
        request[REC_KEY] = rec
        request[JSON_KEY] = body if isinstance(body, dict | list) else {}
        request[FILES_KEY] = files
        resp = await self._answer(request, handler, rec)
        rec.status = resp.status
        return resp

    async def _answer(
        self, request: web.Request, handler: Any, rec: RecordedRequest
    ) -> web.Response:
        method, path = rec.method, rec.path
        headers: dict[str, str] = {}
        try:
            if request.match_info.http_exception is not None:
                raise DiscordError(
                    404, 0, "404: Not Found", violation=f"unknown_endpoint: {method} {path}"
                )
            fault = self._take_fault(method, path)
            if fault is not None:
                return self._fault_response(fault, rec)
            is_interaction = path.startswith(("/interactions/", "/webhooks/"))
            if not is_interaction and request.headers.get("Authorization") != f"Bot {self.token}":
                raise DiscordError(401, 0, "401: Unauthorized")
            headers, limited, retry = self.rate_limits.check(
                method, path, time.monotonic(), exempt_global=is_interaction
            )
            if limited is not None:
                return self._limited(headers, retry, rec)
            result = await handler(request)
        except DiscordError as err:
            if err.violation:
                self.violate(err.violation, method, path)
            rec.response = err.body()
            return json_response(err.status, err.body(), headers)
        if isinstance(result, web.Response):
            return result
        status, payload = result if isinstance(result, tuple) else (200, result)
        rec.response = payload
        if status == 204:
            return web.Response(status=204, headers=headers)
        return json_response(status, payload, headers)

    def _limited(self, headers: dict[str, str], retry: float, rec: RecordedRequest) -> web.Response:
        is_global = headers.get("X-RateLimit-Global") == "true"
        body = {"message": "You are being rate limited.", "retry_after": retry, "global": is_global}
        rec.response = body
        hdrs = {**headers, "Via": "1.1 google", "Retry-After": str(math.ceil(retry))}
        return json_response(429, body, hdrs)

    def _fault_response(self, fault: Fault, rec: RecordedRequest) -> web.Response:
        rec.response = fault.body
        headers: dict[str, str] = {}
        if fault.status == 429:
            self.rate_limits.hits += 1
            retry = float(fault.body.get("retry_after", 0.05))
            headers = {
                "Via": "1.1 google",
                "Retry-After": str(math.ceil(retry)),
                "X-RateLimit-Scope": "user",
            }
        return json_response(fault.status, fault.body, headers)
