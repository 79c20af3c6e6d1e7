"""Deterministic identifiers and poll planning: nonces, handle normalising, request batches."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from bot.errors import InvalidInput

NONCE_MAX = 25
BATCH_SIZE = 100
_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_HANDLE_URL = re.compile(
    r"^(?:https?://)?(?:www\.|mobile\.)?(?:x|twitter)\.com/([A-Za-z0-9_]{1,15})/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def nonce_for(guild_id: int, space_id: str, state: str) -> str:
    """Return the Discord nonce of one announcement: same inputs, same nonce, in every process."""
    digest = hashlib.sha256(f"lightstick:{guild_id}:{space_id}:{state}".encode()).hexdigest()
    return "ls" + digest[: NONCE_MAX - 2]


def plan_batches(account_ids: Iterable[str], size: int = BATCH_SIZE) -> list[list[str]]:
    """Split the followed accounts into sorted, de-duplicated batches of at most `size` ids."""
    unique = sorted({a for a in account_ids if a}, key=lambda a: (len(a), a))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


def normalise_handle(text: str) -> str:
    """Return an X username without "@" (keeping its case); raise InvalidInput if not one."""
    raw = text.strip()
    match = _HANDLE_URL.match(raw)
    if match:
        raw = match.group(1)
    raw = raw.removeprefix("@")
    if not _HANDLE.match(raw):
        raise InvalidInput(
            "That is not an X handle: use letters, digits and _ only, at most 15 characters "
            "(for example `@BTS_twt`)."
        )
    return raw


def handle_key(handle: str) -> str:
    """Return the case-insensitive key of an X handle ("@BTS_twt" -> "bts_twt")."""
    return handle.strip().removeprefix("@").lower()
