"""X API v2 wire format for the fake X: problem bodies, partial errors, timestamps, faults.

Taken from X's documented answers (problem+json for 401/403/429, `errors` beside `data`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

# Faults a test can queue with FakeX.fail_next (see bot/testing/fake_x.py).
FAULT_KINDS = frozenset(
    {
        "429",
        "usage_cap",
        "500",
        "503",
        "timeout",
        "malformed_json",
        "partial_errors",
        "no_data",
        "string_bools",
        "null_titles",
        "401",
        "403",
    }
)
DEFAULT_SPACE_FIELDS = ("id", "state")
HANDLE_RE = re.compile(r"[A-Za-z0-9_]{1,15}")
ID_RE = re.compile(r"[0-9]{1,19}")
SPACE_ID_RE = re.compile(r"[A-Za-z0-9]{1,20}")
PROBLEM_JSON = "application/problem+json"

UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}
FORBIDDEN = {
    "client_id": "27384756",
    "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and "
    "tokens from a Twitter developer App that is attached to a Project.",
    "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
    "title": "Client Forbidden",
    "required_enrollment": "Appropriate Level of API Access",
    "reason": "client-not-enrolled",
    "type": "https://api.twitter.com/2/problems/client-forbidden",
}
# X's answer once a project's monthly usage cap is exhausted (a 429 that lasts until the reset).
USAGE_CAPPED = {
    "title": "UsageCapExceeded",
    "detail": "Usage cap exceeded: Monthly product cap",
    "type": "https://api.twitter.com/2/problems/usage-capped",
    "period": "Monthly",
    "scope": "Product",
}
TOO_MANY = {
    "title": "Too Many Requests",
    "detail": "Too Many Requests",
    "type": "about:blank",
    "status": 429,
}


@dataclass
class Fault:
    """A queued misbehaviour: the next `remaining` requests matching `path_prefix` get `kind`."""

    path_prefix: str
    kind: str
    remaining: int

    def matches(self, path: str) -> bool:
        """Say whether a request path is under the prefix ("...$": that exact path only)."""
        if self.path_prefix.endswith("$"):
            return path == self.path_prefix[:-1]
        return path.startswith(self.path_prefix)


@dataclass
class Window:
    """One endpoint's rate-limit window: when it started and how many requests it counted."""

    started: datetime
    used: int = 0


def iso(value: datetime | str | None) -> str | None:
    """Return X's timestamp format (UTC, milliseconds, "Z"); strings pass through."""
    if value is None or isinstance(value, str):
        return value
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def not_found(value: str, parameter: str, resource_type: str) -> dict[str, str]:
    """Return one partial "Not Found Error" as X puts it in a 200 answer's `errors`."""
    label = {"usernames": "usernames", "user_ids": "id", "id": "id", "ids": "ids"}[parameter]
    kind = "user" if resource_type == "user" else "space"
    return {
        "value": value,
        "detail": f"Could not find {kind} with {label}: [{value}].",
        "title": "Not Found Error",
        "resource_type": resource_type,
        "parameter": parameter,
        "resource_id": value,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


def invalid_request(message: str) -> web.Response:
    """Return X's 400 "Invalid Request" answer naming the bad parameter in `message`."""
    body = {
        "errors": [{"parameters": {}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    return web.json_response(body, status=400)


def render_space(space: dict[str, Any], fields: set[str], kind: str | None) -> dict[str, Any]:
    """Return a Space object with only the requested `space.fields` (and a fault's quirks)."""
    out = {k: v for k, v in space.items() if k in fields or k in DEFAULT_SPACE_FIELDS}
    if kind == "string_bools" and "is_ticketed" in out:
        out["is_ticketed"] = "true" if out["is_ticketed"] else "false"
    if kind == "null_titles" and "title" in fields:
        out["title"] = None
    return out


def space_body(
    spaces: list[dict[str, Any]],
    users: dict[str, dict[str, Any]],
    request: web.Request,
    kind: str | None,
) -> dict[str, Any]:
    """Return a Spaces answer: `data` with the requested fields, `includes.users` on expansion."""
    fields = set(filter(None, request.query.get("space.fields", "").split(",")))
    expansions = set(filter(None, request.query.get("expansions", "").split(",")))
    body: dict[str, Any] = {}
    if spaces:
        body["data"] = [render_space(s, fields, kind) for s in spaces]
    user_ids: list[str] = []
    for space in spaces:
        if "creator_id" in expansions:
            user_ids.append(space["creator_id"])
        if "host_ids" in expansions:
            user_ids.extend(space.get("host_ids") or [])
    included = [users[u] for u in dict.fromkeys(user_ids) if u in users]
    if included:
        body["includes"] = {"users": included}
    return body


def error_response(
    kind: str | None,
    *,
    now: datetime,
    rate_limit: int,
    reset_in_429: float,
    reset_in_cap: float,
) -> web.Response | None:
    """Return X's answer for an error fault ("429", "usage_cap", "500", "503", "401", "403")."""
    if kind == "429":
        reset = now + timedelta(seconds=reset_in_429)
        headers = {
            "x-rate-limit-limit": str(rate_limit),
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(int(reset.timestamp())),
        }
        return web.json_response(TOO_MANY, status=429, headers=headers, content_type=PROBLEM_JSON)
    if kind == "usage_cap":
        reset = now + timedelta(seconds=reset_in_cap)
        headers = {"x-rate-limit-reset": str(int(reset.timestamp()))}
        return web.json_response(
            USAGE_CAPPED, status=429, headers=headers, content_type=PROBLEM_JSON
        )
    if kind in ("500", "503"):
        title = "Internal Server Error" if kind == "500" else "Service Unavailable"
        body = {"title": title, "detail": title, "type": "about:blank", "status": int(kind)}
        return web.json_response(body, status=int(kind), content_type=PROBLEM_JSON)
    if kind == "401":
        return web.json_response(UNAUTHORIZED, status=401, content_type=PROBLEM_JSON)
    if kind == "403":
        return web.json_response(FORBIDDEN, status=403)
    return None
