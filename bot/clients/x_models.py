"""Typed X API v2 results and the tolerant parsers that build them from raw JSON.

X documents every Space field as optional, real responses have carried `null` titles and
`is_ticketed` as a string, so each field is parsed on its own: garbage in one field becomes
None and never costs the rest of the response.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

HANDLE_RE = re.compile(r"[A-Za-z0-9_]{1,15}")
USER_ID_RE = re.compile(r"[0-9]{1,19}")
SPACE_ID_RE = re.compile(r"[A-Za-z0-9]{1,20}")

# host/path of a Space link; the id is validated separately so "…/spaces/abc!" is rejected.
_SPACE_URL_RE = re.compile(
    r"^(?:https?://)?(?:(?:www|mobile)\.)?(?:x|twitter)\.com/i/spaces/([^/?#\s]+)"
    r"(?:/peek)?/?(?:[?#]\S*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class XUser:
    """An X account as returned by user lookup (ids are decimal strings)."""

    id: str
    username: str
    name: str | None


@dataclass(frozen=True, slots=True)
class XSpace:
    """A Space as returned by Spaces lookup; every field but id and state may be missing."""

    id: str
    state: str
    title: str | None
    creator_id: str | None
    host_ids: tuple[str, ...]
    started_at: datetime | None
    scheduled_start: datetime | None
    ended_at: datetime | None
    participant_count: int | None
    subscriber_count: int | None
    lang: str | None
    is_ticketed: bool | None

    @property
    def url(self) -> str:
        """Return the public link to this Space."""
        return f"https://x.com/i/spaces/{self.id}"


@dataclass(frozen=True, slots=True)
class XProblem:
    """One entry of a response's `errors[]`, or a value the client refused to send."""

    value: str | None
    detail: str
    type: str | None


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The `x-rate-limit-*` headers of the latest response from one endpoint."""

    limit: int | None
    remaining: int | None
    reset_at: datetime | None


def parse_space_url(text: str) -> str | None:
    """Return the Space id from an x.com/twitter.com Space link, or None if it is not one."""
    if not isinstance(text, str) or len(text) > 2000:
        return None
    # Discord users wrap links in <...> to suppress the embed.
    match = _SPACE_URL_RE.match(text.strip().removeprefix("<").removesuffix(">"))
    if match is None:
        return None
    space_id = match.group(1)
    return space_id if SPACE_ID_RE.fullmatch(space_id) else None


def normalize_handle(raw: str) -> str | None:
    """Return the handle without "@" and surrounding spaces, or None if X would reject it."""
    handle = raw.strip().removeprefix("@")
    return handle if HANDLE_RE.fullmatch(handle) else None


def parse_datetime(value: object) -> datetime | None:
    """Return an aware UTC datetime from X's ISO 8601 text, or None for anything else."""
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # X always sends "Z"; a naive value can only mean UTC.
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_bool(value: object) -> bool | None:
    """Return a bool from a JSON bool or a "true"/"false" string, else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
    return None


def parse_count(value: object) -> int | None:
    """Return a non-negative int from a JSON number or digit string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 20:
        return int(value.strip())
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _ident(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value:
        return value
    return None


def parse_user(raw: object) -> XUser | None:
    """Return an XUser from one user object, or None when id or username is unusable."""
    if not isinstance(raw, Mapping):
        return None
    user_id = _ident(raw.get("id"))
    username = _text(raw.get("username"))
    if user_id is None or not username:
        return None
    return XUser(id=user_id, username=username, name=_text(raw.get("name")))


def parse_space(raw: object) -> XSpace | None:
    """Return an XSpace from one Space object, or None when it has no usable id.

    The id is held to the same rule as a pasted link's (`SPACE_ID_RE`): it becomes a link
    button's URL, and Discord refuses the whole post over a malformed one.
    """
    if not isinstance(raw, Mapping):
        return None
    space_id = _ident(raw.get("id"))
    if space_id is None or not SPACE_ID_RE.fullmatch(space_id):
        return None
    state = _text(raw.get("state"))
    hosts_raw = raw.get("host_ids")
    if isinstance(hosts_raw, list):
        host_ids = tuple(h for h in (_ident(item) for item in hosts_raw) if h is not None)
    else:
        single = _ident(hosts_raw)
        host_ids = (single,) if single is not None else ()
    return XSpace(
        id=space_id,
        state=state.strip().lower() if state and state.strip() else "unknown",
        title=_text(raw.get("title")),
        creator_id=_ident(raw.get("creator_id")),
        host_ids=host_ids,
        started_at=parse_datetime(raw.get("started_at")),
        scheduled_start=parse_datetime(raw.get("scheduled_start")),
        ended_at=parse_datetime(raw.get("ended_at")),
        participant_count=parse_count(raw.get("participant_count")),
        subscriber_count=parse_count(raw.get("subscriber_count")),
        lang=_text(raw.get("lang")),
        is_ticketed=parse_bool(raw.get("is_ticketed")),
    )


def parse_problem(raw: object) -> XProblem | None:
    """Return an XProblem from one `errors[]` entry (v2 shape, or v1's code/message)."""
    if not isinstance(raw, Mapping):
        return None
    value = raw.get("value", raw.get("resource_id"))
    detail = _text(raw.get("detail")) or _text(raw.get("message")) or _text(raw.get("title"))
    return XProblem(
        value=_ident(value),
        detail=(detail or "unknown error")[:500],
        type=_text(raw.get("type")),
    )


def parse_problems(body: Mapping[str, Any]) -> list[XProblem]:
    """Return the parsed `errors[]` of a response body (empty when absent or malformed)."""
    errors = body.get("errors")
    if not isinstance(errors, list):
        return []
    return [p for p in (parse_problem(item) for item in errors) if p is not None]


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimit | None:
    """Return the `x-rate-limit-*` headers as a RateLimit, or None when none are present."""
    limit = _header_int(headers, "x-rate-limit-limit")
    remaining = _header_int(headers, "x-rate-limit-remaining")
    reset = _header_int(headers, "x-rate-limit-reset")
    if limit is None and remaining is None and reset is None:
        return None
    reset_at: datetime | None = None
    if reset is not None and 0 <= reset < 10**11:
        reset_at = datetime.fromtimestamp(reset, UTC)
    return RateLimit(limit=limit, remaining=remaining, reset_at=reset_at)


# X's problem type for a project or app past its monthly post cap (a 429, unlike a 15-minute
# rate limit it lasts until the billing period resets).
USAGE_CAP_TYPE = "https://api.twitter.com/2/problems/usage-capped"
# Headers X sends with a cap's reset (epoch seconds); the first one present wins.
_CAP_RESET_HEADERS = ("x-app-limit-24hour-reset", "x-rate-limit-reset")


def is_usage_cap(body: object) -> bool:
    """Say whether a 429 body is X's usage-cap problem ("UsageCapExceeded"), not a rate limit."""
    if not isinstance(body, Mapping):
        return False
    kind = _text(body.get("type")) or ""
    title = _text(body.get("title")) or ""
    detail = (_text(body.get("detail")) or "").casefold()
    return kind == USAGE_CAP_TYPE or title == "UsageCapExceeded" or "usage cap" in detail


def usage_cap_reset(headers: Mapping[str, str], now: datetime) -> datetime | None:
    """Return when a usage cap resets according to the headers (if later than `now`)."""
    for name in _CAP_RESET_HEADERS:
        value = _header_int(headers, name)
        if value is not None and 0 <= value < 10**11:
            reset = datetime.fromtimestamp(value, UTC)
            if reset > now:
                return reset
    return None
