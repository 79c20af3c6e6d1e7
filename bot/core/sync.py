"""Sync slash commands only when their schema changed (Discord rate-limits sync) or when asked."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands

from bot.store.guilds import MetaRepo

log = logging.getLogger(__name__)


def schema_payload(
    tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None
) -> list[dict[str, object]]:
    """Return the payload Discord would receive for a sync of `guild` (None = global)."""
    commands = tree._get_all_commands(guild=guild)
    return [cmd.to_dict(tree) for cmd in commands]


def schema_hash(payload: list[dict[str, object]]) -> str:
    """Return a stable hash of a command payload."""
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


async def sync_if_needed(
    tree: app_commands.CommandTree[Any],
    meta: MetaRepo,
    *,
    dev_guild_id: int | None,
    force: bool,
) -> bool:
    """Sync the tree when forced or when its hash differs from the last synced one.

    With `dev_guild_id` the commands go to that one server (instant); otherwise globally. The
    hash of what was synced is kept in `meta`. Raises discord.HTTPException when Discord refuses.
    """
    guild: discord.Object | None = None
    if dev_guild_id is not None:
        guild = discord.Object(id=dev_guild_id)
        tree.copy_global_to(guild=guild)
    key = f"command_schema_hash:{guild.id if guild else 'global'}"
    digest = schema_hash(schema_payload(tree, guild))
    previous = await meta.get(key)
    if not force and previous == digest:
        log.info("command schema unchanged (%s); not syncing", digest[:12])
        return False
    synced = await tree.sync(guild=guild)
    await meta.put(key, digest)
    log.info("synced %d commands to %s", len(synced), f"guild {guild.id}" if guild else "global")
    return True
