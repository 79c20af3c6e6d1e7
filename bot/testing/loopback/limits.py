"""Discord's hard limits: message/embed/component validation, mentions, and rate-limit buckets."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.testing.loopback.state import DiscordError, Pings, form_error, violation_error

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
EMBED_LIMITS = {"title": 256, "description": 4096}
MAX_FIELDS = 25
MAX_ROWS = 5
MAX_BUTTONS_PER_ROW = 5
MAX_CUSTOM_ID = 100
MAX_LABEL = 80
IS_COMPONENTS_V2 = 1 << 15

_USER_MENTION = re.compile(r"<@!?(\d{15,21})>")
_ROLE_MENTION = re.compile(r"<@&(\d{15,21})>")


def _too_long(path: str, limit: int) -> DiscordError:
    return form_error(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _check_len(path: str, value: Any, limit: int, *, required: bool = False) -> int:
    if value is None:
        if required:
            raise form_error(path, "BASE_TYPE_REQUIRED", "This field is required")
        return 0
    text = str(value)
    if required and not text.strip():
        raise form_error(path, "BASE_TYPE_REQUIRED", "This field is required")
    if len(text) > limit:
        raise _too_long(path, limit)
    return len(text)


def validate_embeds(embeds: list[dict[str, Any]]) -> None:
    """Raise Invalid Form Body when embeds break Discord's documented limits."""
    if len(embeds) > MAX_EMBEDS:
        raise _too_long("embeds", MAX_EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        p = f"embeds.{i}"
        total += _check_len(f"{p}.title", embed.get("title"), 256)
        total += _check_len(f"{p}.description", embed.get("description"), 4096)
        fields = embed.get("fields") or []
        if len(fields) > MAX_FIELDS:
            raise _too_long(f"{p}.fields", MAX_FIELDS)
        for j, fld in enumerate(fields):
            total += _check_len(f"{p}.fields.{j}.name", fld.get("name"), 256, required=True)
            total += _check_len(f"{p}.fields.{j}.value", fld.get("value"), 1024, required=True)
        footer = embed.get("footer") or {}
        total += _check_len(f"{p}.footer.text", footer.get("text"), 2048, required="text" in footer)
        author = embed.get("author") or {}
        total += _check_len(f"{p}.author.name", author.get("name"), 256, required="name" in author)
    if total > MAX_EMBED_TOTAL:
        raise form_error(
            "embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )


MAX_URL = 512
_URL_BAD_CHARS = re.compile(r'[\s"<>\\^`{|}]')


def _check_button(path: str, button: dict[str, Any], seen: set[str]) -> None:
    style = button.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        raise form_error(
            f"{path}.style", "BASE_TYPE_CHOICES", f"Value must be one of 1-6, got {style}"
        )
    _check_len(f"{path}.label", button.get("label"), MAX_LABEL)
    if style == 5:
        if not button.get("url"):
            raise form_error(f"{path}.url", "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
        _check_url(f"{path}.url", button["url"])
        if button.get("custom_id"):
            raise form_error(
                f"{path}.custom_id",
                "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                "A custom id is not allowed",
            )
        return
    if style == 6:
        return
    if button.get("url"):
        raise form_error(f"{path}.url", "BUTTON_COMPONENT_URL_NOT_ALLOWED", "A url is not allowed")
    _check_custom_id(path, button.get("custom_id"), seen)


def _check_url(path: str, url: Any) -> None:
    """Refuse what Discord refuses in a link button: not http(s)/discord, malformed, > 512."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if (
        parts is None
        or len(url) > MAX_URL
        or parts.scheme not in ("http", "https", "discord")
        or not parts.netloc
        or _URL_BAD_CHARS.search(url)
    ):
        raise form_error(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")


def _check_custom_id(path: str, custom_id: Any, seen: set[str]) -> None:
    _check_len(f"{path}.custom_id", custom_id, MAX_CUSTOM_ID, required=True)
    if custom_id in seen:
        raise form_error(
            f"{path}.custom_id",
            "COMPONENT_CUSTOM_ID_DUPLICATED",
            "Component custom id cannot be duplicated",
        )
    seen.add(str(custom_id))


def validate_components(components: list[dict[str, Any]], flags: int) -> None:
    """Raise Invalid Form Body when action rows, buttons or selects break Discord's limits."""
    if flags & IS_COMPONENTS_V2:
        return  # Components v2 layouts have different limits; Lightstick uses classic rows.
    if len(components) > MAX_ROWS:
        raise _too_long("components", MAX_ROWS)
    seen: set[str] = set()
    for i, row in enumerate(components):
        p = f"components.{i}"
        if row.get("type") != 1:
            raise form_error(
                f"{p}.type", "UNION_TYPE_CHOICES", "Top-level components must be action rows"
            )
        children = row.get("components") or []
        if not children:
            raise form_error(
                f"{p}.components", "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length."
            )
        buttons = [c for c in children if c.get("type") == 2]
        if buttons and len(buttons) != len(children):
            raise form_error(f"{p}.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "Mixed row")
        if len(buttons) > MAX_BUTTONS_PER_ROW:
            raise _too_long(f"{p}.components", MAX_BUTTONS_PER_ROW)
        if not buttons and len(children) != 1:
            raise form_error(
                f"{p}.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "One select per row"
            )
        for j, child in enumerate(children):
            cp = f"{p}.components.{j}"
            if child.get("type") == 2:
                _check_button(cp, child, seen)
            else:
                _check_custom_id(cp, child.get("custom_id"), seen)
                _check_len(f"{cp}.placeholder", child.get("placeholder"), 150)
                options = child.get("options")
                if child.get("type") == 3 and not 1 <= len(options or []) <= 25:
                    raise form_error(
                        f"{cp}.options", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25"
                    )


def validate_allowed_mentions(am: dict[str, Any] | None) -> None:
    """Reject allowed_mentions that mixes parse types with explicit id lists, like Discord does."""
    if not am:
        return
    parse = am.get("parse") or []
    for kind in ("users", "roles"):
        if kind in parse and am.get(kind):
            raise form_error(
                f"allowed_mentions.{kind}",
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )
        if len(am.get(kind) or []) > 100:
            raise _too_long(f"allowed_mentions.{kind}", 100)


def validate_message(body: dict[str, Any], *, n_files: int, existing_attachments: int = 0) -> None:
    """Validate a full (merged) message body: empty, content, embeds, components, mentions."""
    content = body.get("content") or ""
    if len(content) > MAX_CONTENT:
        raise _too_long("content", MAX_CONTENT)
    embeds = body.get("embeds") or []
    components = body.get("components") or []
    attachments = body.get("attachments")
    n_attachments = len(attachments) if attachments is not None else existing_attachments
    if not (
        content.strip()
        or embeds
        or components
        or n_files
        or n_attachments
        or body.get("sticker_ids")
        or body.get("poll")
    ):
        raise violation_error(400, 50006, "Cannot send an empty message", "empty_message")
    validate_embeds(embeds)
    validate_components(components, int(body.get("flags") or 0))
    validate_allowed_mentions(body.get("allowed_mentions"))


def compute_pings(
    content: str,
    allowed_mentions: dict[str, Any] | None,
    *,
    member_ids: set[int],
    roles: dict[int, bool],
    can_mention_everyone: bool,
) -> Pings:
    """Return who a message pings; `roles` maps role id -> mentionable (or bot may ping it)."""
    am = allowed_mentions
    parse = {"users", "roles", "everyone"} if am is None else set(am.get("parse") or [])
    allowed_users = {int(u) for u in (am or {}).get("users") or []}
    allowed_roles = {int(r) for r in (am or {}).get("roles") or []}
    users = {int(u) for u in _USER_MENTION.findall(content)} & member_ids
    if "users" not in parse:
        users &= allowed_users
    mentioned_roles = {int(r) for r in _ROLE_MENTION.findall(content)}
    pinged_roles = {
        r
        for r in mentioned_roles
        if r in roles and roles[r] and ("roles" in parse or r in allowed_roles)
    }
    everyone = (
        ("@everyone" in content or "@here" in content)
        and "everyone" in parse
        and can_mention_everyone
    )
    return Pings(users=frozenset(users), roles=frozenset(pinged_roles), everyone=everyone)


# -- rate limits -----------------------------------------------------------------------


@dataclass
class RouteLimit:
    """A per-route bucket: `limit` requests per `per` seconds for each value of the major id."""

    method: str
    pattern: str
    limit: int
    per: float
    name: str

    def __post_init__(self) -> None:
        self.regex = re.compile(self.pattern)


@dataclass
class _Window:
    started: float
    count: int = 0


@dataclass
class RateLimits:
    """Configurable rate limiting with Discord's headers; disable or relax for fast tests."""

    enabled: bool = True
    global_rps: int = 50
    routes: list[RouteLimit] = field(
        default_factory=lambda: [
            RouteLimit("POST", r"^/channels/(\d+)/messages$", 5, 5.0, "channel-send"),
            RouteLimit("PATCH", r"^/channels/(\d+)/messages/\d+$", 5, 5.0, "channel-edit"),
            RouteLimit("DELETE", r"^/channels/(\d+)/messages/\d+$", 5, 1.0, "channel-delete"),
            RouteLimit("POST", r"^/users/@me/channels$", 5, 5.0, "dm-open"),
            RouteLimit("POST", r"^/guilds/(\d+)/scheduled-events$", 5, 5.0, "event-create"),
            RouteLimit("PUT", r"^/applications/\d+/(?:guilds/(\d+)/)?commands$", 10, 60.0, "sync"),
            RouteLimit("*", r"^/.*$", 50, 1.0, "default"),
        ]
    )
    hits: int = 0
    global_hits: int = 0
    _windows: dict[str, _Window] = field(default_factory=dict)
    _global: _Window = field(default_factory=lambda: _Window(0.0))

    def set_route_limit(self, name: str, limit: int, per: float) -> None:
        """Change one named bucket's limit (e.g. 'channel-send')."""
        for route in self.routes:
            if route.name == name:
                route.limit, route.per = limit, per
                return
        raise KeyError(name)

    def reset(self) -> None:
        """Forget all windows (fresh buckets)."""
        self._windows.clear()
        self._global = _Window(0.0)

    def check(
        self, method: str, path: str, now: float, *, exempt_global: bool
    ) -> tuple[dict[str, str], DiscordError | None, float]:
        """Count a request; return headers to send, a 429 error if limited, and retry_after."""
        if not self.enabled:
            return {}, None, 0.0
        if not exempt_global:
            if now - self._global.started >= 1.0:
                self._global = _Window(now)
            self._global.count += 1
            if self._global.count > self.global_rps:
                retry = round(max(0.001, self._global.started + 1.0 - now), 3)
                self.hits += 1
                self.global_hits += 1
                headers = {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}
                return headers, DiscordError(429, 0, "You are being rate limited."), retry
        route = next(r for r in self.routes if r.method in (method, "*") and r.regex.search(path))
        match = route.regex.search(path)
        # Routes without a captured major id get one bucket per concrete path.
        groups = match.groups() if match else ()
        major = next((g for g in groups if g), "") if groups else path
        key = f"{route.name}:{major}"
        window = self._windows.get(key)
        if window is None or now - window.started >= route.per:
            window = self._windows[key] = _Window(now)
        window.count += 1
        reset_after = max(0.0, window.started + route.per - now)
        headers = {
            "X-RateLimit-Limit": str(route.limit),
            "X-RateLimit-Remaining": str(max(0, route.limit - window.count)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": f"loopback-{route.name}",
        }
        if window.count > route.limit:
            self.hits += 1
            headers["X-RateLimit-Scope"] = "user"
            return (
                headers,
                DiscordError(429, 0, "You are being rate limited."),
                round(max(reset_after, 0.001), 3),
            )
        return headers, None, 0.0
