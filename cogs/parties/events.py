"""Mirror parties as external Discord scheduled events (when the bot may manage events)."""

from __future__ import annotations

import logging

import discord

from bot.core.checks import truncate
from bot.domain.parties import MAX_SCHEDULED_EVENTS, Party

log = logging.getLogger(__name__)

LOCATION_LIMIT = 100
NAME_LIMIT = 100
DESCRIPTION_LIMIT = 1000

NO_PERMISSION_NOTE = (
    "I can't create a matching Discord event because I lack the **Manage Events** permission. "
    "The party works without it; a moderator can give me that permission to list parties "
    "among the server's events."
)
CAP_NOTE = (
    "This server already has 100 scheduled events (Discord's limit), so this party has no "
    "matching Discord event. Everything else works."
)


def can_manage_events(guild: discord.Guild) -> bool:
    """Say whether the bot holds Manage Events in this server."""
    me = guild.me
    return me is not None and me.guild_permissions.manage_events


def _location(party: Party) -> str:
    # A link longer than Discord allows for a location would arrive cut, and a cut URL is broken.
    if party.link and len(party.link) <= LOCATION_LIMIT:
        return party.link
    return "Discord"


def _description(party: Party) -> str:
    parts = [f"Streaming party #{party.id}. RSVP on the party post in <#{party.channel_id}>."]
    if party.link:
        parts.append(party.link)
    if party.notes:
        parts.append(party.notes)
    return truncate("\n".join(parts), DESCRIPTION_LIMIT)


async def _count_events(guild: discord.Guild) -> int:
    try:
        return len(await guild.fetch_scheduled_events(with_counts=False))
    except discord.HTTPException:
        log.debug("could not list scheduled events; using the cache", exc_info=True)
        return len(guild.scheduled_events)


async def _fetch(guild: discord.Guild, event_id: int) -> discord.ScheduledEvent | None:
    try:
        return await guild.fetch_scheduled_event(event_id, with_counts=False)
    except discord.NotFound:
        return None


async def sync_event(guild: discord.Guild, party: Party) -> tuple[int | None, str | None]:
    """Create or update the party's event; return (event id or None, a note for the organiser).

    The note is NO_PERMISSION_NOTE or CAP_NOTE when no event could exist; None otherwise.
    """
    if not can_manage_events(guild):
        return party.event_id, NO_PERMISSION_NOTE
    name = truncate(party.title, NAME_LIMIT)
    location = _location(party)
    description = _description(party)
    try:
        if party.event_id is not None:
            event = await _fetch(guild, party.event_id)
            if event is not None:
                await event.edit(
                    name=name,
                    start_time=party.starts_at,
                    end_time=party.ends_at,
                    location=location,
                    description=description,
                    entity_type=discord.EntityType.external,
                    privacy_level=discord.PrivacyLevel.guild_only,
                )
                return event.id, None
        if await _count_events(guild) >= MAX_SCHEDULED_EVENTS:
            return None, CAP_NOTE
        created = await guild.create_scheduled_event(
            name=name,
            start_time=party.starts_at,
            end_time=party.ends_at,
            location=location,
            description=description,
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
        )
    except discord.Forbidden:
        return party.event_id, NO_PERMISSION_NOTE
    except discord.HTTPException as exc:
        log.warning("scheduled event sync failed for party %s: %s", party.id, exc)
        return party.event_id, None
    return created.id, None


async def delete_event(guild: discord.Guild, event_id: int | None) -> bool:
    """Delete the party's event if it still exists; return whether one was removed."""
    if event_id is None or not can_manage_events(guild):
        return False
    try:
        event = await _fetch(guild, event_id)
        if event is None:
            return False
        await event.delete()
    except discord.HTTPException as exc:
        log.warning("could not delete scheduled event %s: %s", event_id, exc)
        return False
    return True
