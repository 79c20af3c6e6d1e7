"""Scripted Discord failures for the loopback: default error bodies, Fault, JSON answers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

# What Discord answers for each status a test can script with LoopbackDiscord.fail_next.
DEFAULT_FAULT_BODIES = {
    401: {"message": "401: Unauthorized", "code": 0},
    403: {"message": "Missing Permissions", "code": 50013},
    404: {"message": "Unknown Message", "code": 10008},
    429: {"message": "You are being rate limited.", "retry_after": 0.05, "global": False},
    500: {"message": "500: Internal Server Error", "code": 0},
    502: {"message": "502: Bad Gateway", "code": 0},
}


@dataclass
class Fault:
    """A scripted error answer for the next `count` matching requests."""

    method: str
    regex: re.Pattern[str]
    status: int
    body: dict[str, Any]
    count: int


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> web.Response:
    """Answer with Content-Type exactly 'application/json', as discord.py requires."""
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(payload).encode(), headers=hdrs)
