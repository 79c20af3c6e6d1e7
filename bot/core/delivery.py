"""Exactly-once sends beyond Discord's nonce memory: find our own earlier post in a channel."""

from __future__ import annotations

from collections.abc import Callable

import discord

# Discord deduplicates a repeated nonce for a few minutes only; a delivery interrupted by a
# crash and resumed later checks this many recent messages for its own post instead.
HISTORY_SCAN = 50


async def find_own_post(
    channel: discord.abc.Messageable,
    me: discord.abc.Snowflake,
    matches: Callable[[discord.Message], bool],
    *,
    limit: int = HISTORY_SCAN,
) -> int | None:
    """Return the id of the newest recent message by `me` that `matches`, or None."""
    async for message in channel.history(limit=limit):
        if message.author.id == me.id and matches(message):
            return message.id
    return None
