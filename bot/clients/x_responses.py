"""How the X client reads X's answers: error bodies, the usage cap, JSON objects, batches.

Plain functions without client state, so bot/clients/x.py keeps only requests and pacing.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import httpx
from pydantic import SecretStr

from bot.clients.x_models import XProblem, is_usage_cap, normalize_handle, parse_problems
from bot.errors import UpstreamError

PROBLEM_TEXT_MAX = 300
BACKOFF_CAP = 60.0  # seconds


def chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    """Yield `items` in consecutive slices of at most `size` (X takes 100 ids a request)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def distinct_valid(
    values: Sequence[str], pattern: re.Pattern[str], detail: str
) -> tuple[list[str], list[XProblem]]:
    """Return the distinct values matching `pattern` in order, and a problem for each other one."""
    problems: list[XProblem] = []
    wanted: dict[str, None] = {}
    for value in values:
        if not pattern.fullmatch(value):
            problems.append(XProblem(value=value[:50], detail=detail, type="invalid-id"))
        else:
            wanted[value] = None
    return list(wanted), problems


def valid_handles(usernames: Sequence[str]) -> tuple[dict[str, str], list[XProblem]]:
    """Return {lower-cased handle: handle} of the usable handles, and a problem per other one."""
    problems: list[XProblem] = []
    wanted: dict[str, str] = {}
    for raw in usernames:
        handle = normalize_handle(raw)
        if handle is None:
            detail = "Not a valid X handle (1-15 letters, digits or _)."
            problems.append(XProblem(value=raw[:50], detail=detail, type="invalid-handle"))
        else:
            wanted.setdefault(handle.lower(), handle)
    return wanted, problems


def is_usage_cap_response(response: httpx.Response) -> bool:
    """Whether a 429 says the app's monthly usage cap is used up (not a short rate limit)."""
    try:
        return is_usage_cap(response.json())
    except ValueError:
        return False


def usage_cap_error(until: datetime, now: datetime) -> UpstreamError:
    """Return the error callers get while the monthly cap lasts (`retry_after` in seconds)."""
    wait = max((until - now).total_seconds(), 0.0)
    return UpstreamError(
        f"X's monthly usage cap for this app is used up until {until:%Y-%m-%d %H:%M} UTC",
        status=429,
        retry_after=wait,
        usage_capped=True,
    )


def json_object(endpoint: str, response: httpx.Response) -> dict[str, Any]:
    """Return the response's JSON object; raise UpstreamError for malformed or non-object JSON."""
    try:
        body = response.json()
    except ValueError:
        raise UpstreamError(
            f"X returned malformed JSON for {endpoint}", status=response.status_code
        ) from None
    if not isinstance(body, dict):
        raise UpstreamError(
            f"X returned a non-object JSON body for {endpoint}", status=response.status_code
        )
    return body


def problem_text(response: httpx.Response, token: SecretStr) -> str:
    """Summarize an error body (`title`/`detail`) without trusting it to be JSON.

    At most PROBLEM_TEXT_MAX characters; the bearer token never appears in the result.
    """
    try:
        body = response.json()
    except ValueError:
        return "no details"
    if not isinstance(body, dict):
        return "no details"
    parts = [body.get("title"), body.get("detail")]
    problems = parse_problems(body)
    if problems:
        parts.append(problems[0].detail)
    text = " - ".join(dict.fromkeys(p for p in parts if isinstance(p, str) and p))
    return scrub(text[:PROBLEM_TEXT_MAX], token) or "no details"


def scrub(text: str, token: SecretStr) -> str:
    """Replace the bearer token in `text` with "[token]"."""
    secret = token.get_secret_value()
    return text.replace(secret, "[token]") if secret else text


def jittered_backoff(attempt: int, base: float) -> float:
    """Return seconds to wait before retry `attempt` (0-based): doubling, capped, plus jitter."""
    wait: float = min(BACKOFF_CAP, base * 2.0**attempt)
    return wait + random.uniform(0, wait / 2)


def auth_error(endpoint: str, response: httpx.Response, token: SecretStr) -> UpstreamError:
    """Return the fatal error for a 401/403: X refused the bearer token (never shown in it)."""
    reason = "Unauthorized" if response.status_code == 401 else "Forbidden"
    return UpstreamError(
        f"X refused the bearer token on {endpoint} ({response.status_code} {reason}: "
        f"{problem_text(response, token)}); Spaces polling stops until it is fixed",
        status=response.status_code,
        fatal=True,
    )
