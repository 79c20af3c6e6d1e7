"""Shared records of the loopback Discord: ids, clock, recorded requests, violations, pings."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
CONNECT = 1 << 20
SPEAK = 1 << 21
CHANGE_NICKNAME = 1 << 26
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_EVENTS = 1 << 33
CREATE_EVENTS = 1 << 44
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 53) - 1

EVERYONE_DEFAULT = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
    | ADD_REACTIONS
    | EMBED_LINKS
    | ATTACH_FILES
    | USE_EXTERNAL_EMOJIS
    | CONNECT
    | SPEAK
    | CHANGE_NICKNAME
    | CREATE_INSTANT_INVITE
    | SEND_MESSAGES_IN_THREADS
)
BOT_INVITE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
)

JSON_KEY = web.RequestKey("loopback_json", object)
FILES_KEY = web.RequestKey("loopback_files", list)
REC_KEY = web.RequestKey("loopback_rec", object)

_counter = itertools.count(1)


def snowflake(*, shard: tuple[int, int] | None = None) -> int:
    """Return a fresh Discord-style snowflake (increasing with the wall clock).

    `shard=(shard_id, shard_count)` picks the timestamp (at most count - 1 ms ahead) so that
    `(id >> 22) % shard_count == shard_id`: a guild id that lands on that shard.
    """
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    if shard is not None:
        shard_id, count = shard
        if not 0 <= shard_id < count:
            raise ValueError(f"no shard {shard_id} among {count}")
        ms += (shard_id - ms) % count
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def iso(dt: datetime | None = None) -> str:
    """Format an aware datetime the way Discord does (ISO 8601 with offset)."""
    return (dt or datetime.now(UTC)).isoformat()


class Clock:
    """Monotonic clock the tests can move forward to expire tokens without sleeping."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        """Return monotonic seconds including any advance."""
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the loopback's notion of time forward."""
        self.offset += seconds


@dataclass(frozen=True)
class RecordedFile:
    """One uploaded file of a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request as Discord would have received it."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[RecordedFile]
    headers: dict[str, str]
    at: float
    wall: datetime
    status: int = 0
    response: Any = None

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


@dataclass(frozen=True)
class Violation:
    """A request production Discord would have refused, with the reason."""

    kind: str
    message: str
    method: str = ""
    path: str = ""

    def describe(self) -> str:
        """Return 'kind: message (METHOD path)' for matching and reports."""
        where = f" ({self.method} {self.path})" if self.method else ""
        return f"{self.kind}: {self.message}{where}"


@dataclass(frozen=True)
class Attachment:
    """A file a test attaches to a slash-command ATTACHMENT option."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Pings:
    """Who a message actually notified: user ids, role ids and whether @everyone/@here fired."""

    users: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[int] = field(default_factory=frozenset)
    everyone: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "users", frozenset(self.users))
        object.__setattr__(self, "roles", frozenset(self.roles))

    @property
    def nobody(self) -> bool:
        """Return True when the message pinged no one at all."""
        return not (self.users or self.roles or self.everyone)


class DiscordError(Exception):
    """An error answer in Discord's wire format, raised by handlers."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: dict[str, Any] | None = None,
        violation: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.violation = violation

    def body(self) -> dict[str, Any]:
        """Return the JSON body Discord sends for this error."""
        out: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            out["errors"] = self.errors
        return out


def form_error(path: str, code: str, message: str, *, kind: str = "invalid_form") -> DiscordError:
    """Build a 400 50035 Invalid Form Body error for one field path like 'embeds.0.title'."""
    tree: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(path.split(".")):
        tree = {part: tree}
    return DiscordError(
        400, 50035, "Invalid Form Body", errors=tree, violation=f"{kind}: {path}: {message}"
    )


def violation_error(status: int, code: int, message: str, kind: str) -> DiscordError:
    """Build an error that is also recorded as a violation of Discord's rules."""
    return DiscordError(status, code, message, violation=f"{kind}: {message}")


def to_id(obj: Any) -> int:
    """Accept an int, a str id, a dict with 'id', or any object with `.id`; return the id."""
    if isinstance(obj, bool):
        raise TypeError(f"not an id: {obj!r}")
    if isinstance(obj, int):
        return obj
    if isinstance(obj, str) and obj.isdigit():
        return int(obj)
    if isinstance(obj, dict) and "id" in obj:
        return int(obj["id"])
    ident = getattr(obj, "id", None)
    if ident is not None:
        return int(ident)
    raise TypeError(f"cannot take an id from {obj!r}")


def matches_any(text: str, patterns: list[re.Pattern[str]]) -> bool:
    """Return True when any compiled pattern is found in text."""
    return any(p.search(text) for p in patterns)


def body_of(request: web.Request) -> Any:
    """Return the parsed JSON body (or payload_json) of a request; {} when absent."""
    return request[JSON_KEY]


def files_of(request: web.Request) -> list[RecordedFile]:
    """Return the multipart files of a request."""
    return request[FILES_KEY]
