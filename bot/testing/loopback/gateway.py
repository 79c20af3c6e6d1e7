"""Gateway v10 over an aiohttp websocket: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from bot.domain.shards import shard_of

if TYPE_CHECKING:
    from bot.testing.loopback.server import LoopbackDiscord

_log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, RESUME = 0, 1, 2, 3, 6
RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 7, 8, 9, 10, 11

# Which intent an event needs (events not listed are always sent).
_INTENT_OF = {
    "GUILD_CREATE": 1 << 0,
    "GUILD_UPDATE": 1 << 0,
    "GUILD_DELETE": 1 << 0,
    "GUILD_ROLE_CREATE": 1 << 0,
    "GUILD_ROLE_UPDATE": 1 << 0,
    "GUILD_ROLE_DELETE": 1 << 0,
    "CHANNEL_CREATE": 1 << 0,
    "CHANNEL_UPDATE": 1 << 0,
    "CHANNEL_DELETE": 1 << 0,
    "GUILD_MEMBER_ADD": 1 << 1,
    "GUILD_MEMBER_UPDATE": 1 << 1,
    "GUILD_MEMBER_REMOVE": 1 << 1,
    "GUILD_SCHEDULED_EVENT_CREATE": 1 << 16,
    "GUILD_SCHEDULED_EVENT_UPDATE": 1 << 16,
    "GUILD_SCHEDULED_EVENT_DELETE": 1 << 16,
}
_MESSAGE_EVENTS = {"MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE"}
# Events whose payload is the guild itself, so its id is `id` rather than `guild_id`.
_GUILD_EVENTS = {"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"}
REPLAY_BUFFER = 1000
# Discord's close codes for sharding (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
INVALID_SHARD, SHARDING_REQUIRED = 4010, 4011
# Discord refuses a session that would receive more servers than this (one shard per 2,500).
MAX_GUILDS_PER_SHARD = 2500


def guild_of_event(event: str, data: dict[str, Any]) -> int | None:
    """Return the id of the guild an event belongs to (None for DMs and the bot itself)."""
    raw = data.get("id") if event in _GUILD_EVENTS else data.get("guild_id")
    return int(raw) if raw is not None else None


@dataclass
class Session:
    """One identified gateway session; survives its websocket so RESUME can replay."""

    id: str
    intents: int
    shard: list[int] | None
    seq: int = 0
    ws: web.WebSocketResponse | None = None
    buffer: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=REPLAY_BUFFER))
    queue: asyncio.Queue[dict[str, Any] | None] = field(default_factory=asyncio.Queue)
    alive: bool = True

    def serves(self, guild_id: int | None) -> bool:
        """Say whether this session's shard receives the guild's events (DMs go to shard 0)."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0
        return shard_of(guild_id, count) == shard_id

    def wants(self, event: str, data: dict[str, Any]) -> bool:
        """Return True when this session's intents cover the event."""
        if event in _MESSAGE_EVENTS:
            bit = (1 << 9) if data.get("guild_id") else (1 << 12)
            return bool(self.intents & bit)
        needed = _INTENT_OF.get(event)
        return needed is None or bool(self.intents & needed)


class Gateway:
    """The websocket side of the loopback; `dispatch` sends an event to the guild's sessions."""

    def __init__(self, server: LoopbackDiscord) -> None:
        self.server = server
        self.heartbeat_interval_ms = 41250
        self.sessions: dict[str, Session] = {}
        self.sockets: set[web.WebSocketResponse] = set()
        self.received: list[dict[str, Any]] = []
        self.identify_count = 0
        self.ready_count = 0
        self.resume_count = 0
        self.max_guilds_per_shard = MAX_GUILDS_PER_SHARD
        self.resume_gate = asyncio.Event()
        self.resume_gate.set()
        self._changed = asyncio.Event()

    # -- test-facing API ----------------------------------------------------------------
    def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Queue a DISPATCH to every live session of the guild's shard; return how many.

        Buffered while a session is disconnected. Events of no guild (DMs) go to shard 0.
        """
        sent = 0
        guild_id = guild_of_event(event, data)
        for session in list(self.sessions.values()):
            if session.alive and session.serves(guild_id) and session.wants(event, data):
                self._send_dispatch(session, event, data)
                sent += 1
        return sent

    async def drop_connections(self, code: int = 4000) -> None:
        """Close every socket abruptly from the server side; sessions stay resumable."""
        for session in self.sessions.values():
            session.ws = None
        for ws in list(self.sockets):
            await ws.close(code=code, message=b"loopback drop")

    async def wait_for(self, predicate: Any, timeout: float = 5.0) -> None:
        """Wait until predicate() is true (re-checked whenever gateway state changes)."""
        async with asyncio.timeout(timeout):
            while not predicate():
                ev = self._changed
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ev.wait(), 0.05)

    def shards_connected(self) -> list[tuple[int, int] | None]:
        """Return the shard ([id, count] as a tuple, None when unsharded) of every live session."""
        return [
            (int(s.shard[0]), int(s.shard[1])) if s.shard is not None else None
            for s in self.sessions.values()
            if s.alive and s.ws is not None
        ]

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # -- internals ------------------------------------------------------------------------
    def _send_dispatch(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.buffer.append(frame)
        if session.ws is not None:
            session.queue.put_nowait(frame)

    async def _writer(
        self, ws: web.WebSocketResponse, queue: asyncio.Queue[dict[str, Any] | None]
    ) -> None:
        while True:
            frame = await queue.get()
            if frame is None or ws.closed:
                return
            try:
                await ws.send_str(json.dumps(frame))
            except (ConnectionError, RuntimeError):
                return

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one gateway websocket connection."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        self.sockets.add(ws)
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        writer = asyncio.create_task(self._writer(ws, queue))
        session: Session | None = None
        queue.put_nowait(
            {
                "op": HELLO,
                "d": {"heartbeat_interval": self.heartbeat_interval_ms},
                "s": None,
                "t": None,
            }
        )
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                self.received.append(frame)
                session = await self._on_frame(ws, queue, session, frame) or session
        finally:
            self.sockets.discard(ws)
            queue.put_nowait(None)
            await writer
            if session is not None and session.ws is ws:
                session.ws = None
                # A client's clean 1000/1001 close ends the session like Discord does.
                if ws.close_code in (1000, 1001):
                    session.alive = False
                    self.sessions.pop(session.id, None)
            self._notify()
        return ws

    async def _on_frame(
        self,
        ws: web.WebSocketResponse,
        queue: asyncio.Queue[dict[str, Any] | None],
        session: Session | None,
        frame: dict[str, Any],
    ) -> Session | None:
        op, data = frame.get("op"), frame.get("d")
        if op == HEARTBEAT:
            queue.put_nowait({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
            return None
        if op == IDENTIFY:
            return await self._identify(ws, queue, data or {})
        if op == RESUME:
            return await self._resume(ws, queue, data or {})
        if op == REQUEST_MEMBERS and session is not None:
            self._members_chunk(session, data or {})
            return None
        if op == PRESENCE:
            return None
        _log.warning("loopback gateway: unhandled op %s", op)
        return None

    async def _identify(
        self,
        ws: web.WebSocketResponse,
        queue: asyncio.Queue[dict[str, Any] | None],
        data: dict[str, Any],
    ) -> Session | None:
        if data.get("token") != self.server.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        self.identify_count += 1
        shard = data.get("shard")
        if not _valid_shard(shard):
            self.server.violate(f"invalid_shard: IDENTIFY with shard {shard!r}")
            await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return None
        session = Session(
            id=secrets.token_hex(16), intents=int(data.get("intents") or 0), shard=shard
        )
        guilds = [g for g in list(self.server.guilds.values()) if session.serves(g.id)]
        if len(guilds) > self.max_guilds_per_shard:
            await ws.close(code=SHARDING_REQUIRED, message=b"Sharding required.")
            return None
        session.ws, session.queue = ws, queue
        self.sessions[session.id] = session
        ready: dict[str, Any] = {
            "v": 10,
            "user": {**self.server.bot_user.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.server.gateway_url,
            "application": {"id": str(self.server.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "auth": {},
            "_trace": ["loopback"],
        }
        if shard is not None:
            ready["shard"] = shard
        self._send_dispatch(session, "READY", ready)
        for guild in guilds:
            self._send_dispatch(session, "GUILD_CREATE", guild.create_payload(initial=True))
        self.ready_count += 1
        self._notify()
        return session

    async def _resume(
        self,
        ws: web.WebSocketResponse,
        queue: asyncio.Queue[dict[str, Any] | None],
        data: dict[str, Any],
    ) -> Session | None:
        await self.resume_gate.wait()
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or not session.alive or data.get("token") != self.server.token:
            queue.put_nowait({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return None
        last = int(data.get("seq") or 0)
        session.ws, session.queue = ws, queue
        for frame in list(session.buffer):
            if frame["s"] > last:
                queue.put_nowait(frame)
        self._send_dispatch(session, "RESUMED", {"_trace": ["loopback"]})
        self.resume_count += 1
        self._notify()
        return session

    def _members_chunk(self, session: Session, data: dict[str, Any]) -> None:
        guild = self.server.guilds.get(int(data.get("guild_id") or 0))
        if guild is None or not session.serves(guild.id):
            return
        members = [m.payload() for m in guild.members.values()]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        self._send_dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def close(self) -> None:
        """Close all sockets with 1001 (going away)."""
        for ws in list(self.sockets):
            await ws.close(code=1001)


def _valid_shard(shard: Any) -> bool:
    """Say whether IDENTIFY's `shard` is absent or a [shard_id, num_shards] Discord accepts."""
    if shard is None:
        return True
    if not isinstance(shard, list) or len(shard) != 2:
        return False
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in shard):
        return False
    shard_id, count = int(shard[0]), int(shard[1])
    return count >= 1 and 0 <= shard_id < count
