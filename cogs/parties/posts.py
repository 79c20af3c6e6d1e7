"""The party post in its channel: publish it, re-render it, and tell members about a cancel."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.core.checks import missing_channel_permissions, permission_name, safe_text, who_can_fix
from bot.core.tree import NO_PINGS
from bot.domain.parties import Party, RsvpCounts, batch_mentions
from bot.errors import InvalidInput, NotAllowed
from bot.store.parties import PartyRepo
from cogs.parties.render import GOING_NAMES_LIMIT, party_embed, ts
from cogs.parties.views import rsvp_view

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)

POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links")

PostChannel = discord.TextChannel | discord.Thread | discord.VoiceChannel


def check_post_channel(
    channel: object, guild: discord.Guild, asker: discord.Permissions
) -> PostChannel:
    """Return the channel if the bot can post a party there; raise NotAllowed naming what lacks
    and who can fix it (`asker`: the permissions of the person who asked)."""
    if not isinstance(channel, discord.TextChannel | discord.Thread | discord.VoiceChannel):
        raise NotAllowed("Party posts need a text channel; pick one with the `channel` option.")
    me = guild.me
    if me is None:
        raise NotAllowed("I can't see my own permissions in this server yet; try again shortly.")
    missing = missing_channel_permissions(channel, me, POST_PERMISSIONS)
    if missing:
        raise NotAllowed(
            f"I can't post in {channel.mention}: I'm missing {', '.join(missing)} there. "
            + who_can_fix(asker)
        )
    return channel


MENTION_EVERYONE = permission_name("mention_everyone")


def check_announce_role(guild: discord.Guild, role: discord.Role) -> None:
    """Raise InvalidInput/NotAllowed unless the bot may ping `role` in announcements.

    A role can be pinged when it is mentionable or the bot holds Mention @everyone; without
    either, Discord would show the mention and notify nobody.
    """
    if role.is_default():
        raise InvalidInput("Pick a fan role to ping, not @everyone.")
    me = guild.me
    if role.mentionable or (me is not None and me.guild_permissions.mention_everyone):
        return
    raise NotAllowed(
        f"I can't ping {role.mention}: the role isn't mentionable and I don't have the "
        f"**{MENTION_EVERYONE}** permission. Turn on “Allow anyone to @mention this role” for "
        f"it (Server Settings, Roles), or give me that permission, then set it again."
    )


def announce_role(
    guild: discord.Guild, channel: PostChannel, role_id: int | None
) -> tuple[discord.Role | None, str | None]:
    """Return the role a new party's post pings (or None) and a note when it can't be pinged."""
    if role_id is None:
        return None, None
    role = guild.get_role(role_id)
    if role is None:
        return None, (
            "The role set to hear about new parties no longer exists, so nobody was pinged; a "
            "moderator can pick another with `/party settings announce_role`."
        )
    me = guild.me
    if role.mentionable or (me is not None and channel.permissions_for(me).mention_everyone):
        return role, None
    return None, (
        f"I didn't ping {role.mention}: the role isn't mentionable and I don't have the "
        f"**{MENTION_EVERYONE}** permission in {channel.mention}. A moderator can fix either."
    )


async def publish(
    channel: PostChannel, party: Party, artist_name: str | None, role: discord.Role | None = None
) -> discord.Message:
    """Post a new party with its RSVP buttons; pings exactly `role` when given, else nobody."""
    counts = RsvpCounts()
    content = None
    mentions = NO_PINGS
    if role is not None:
        content = f"{role.mention} New streaming party: **{safe_text(party.title, 100)}**"
        mentions = discord.AllowedMentions(
            everyone=False, users=False, roles=[role], replied_user=False
        )
    return await channel.send(
        content,
        embed=party_embed(party, counts, artist_name),
        view=rsvp_view(party, counts),
        allowed_mentions=mentions,
    )


async def refresh(
    bot: Lightstick, party: Party, counts: RsvpCounts, artist_name: str | None
) -> None:
    """Re-render an existing party post (edits, cancels, weekly moves); log if it is gone."""
    if party.message_id is None:
        return
    channel = bot.get_channel(party.channel_id)
    if not isinstance(channel, discord.TextChannel | discord.Thread | discord.VoiceChannel):
        return
    going = (
        await bot.store.guild(party.guild_id)
        .repo(PartyRepo)
        .going_user_ids(party.id, GOING_NAMES_LIMIT)
    )
    try:
        await channel.get_partial_message(party.message_id).edit(
            embed=party_embed(party, counts, artist_name, going),
            view=rsvp_view(party, counts),
            allowed_mentions=NO_PINGS,
        )
    except discord.HTTPException as exc:
        log.warning("could not update the post of party %s: %s", party.id, exc)


async def tell_cancelled(bot: Lightstick, party: Party, member_ids: list[int]) -> int:
    """Ping exactly the RSVPed members in the party channel; return how many were told."""
    if not member_ids:
        return 0
    channel = bot.get_channel(party.channel_id)
    if not isinstance(channel, discord.TextChannel | discord.Thread | discord.VoiceChannel):
        return 0
    header = (
        f"❌ **{safe_text(party.title, 100)}** ({ts(party.starts_at, 'F')}) was cancelled. "
        "Sorry to everyone who RSVPed!"
    )
    told = 0
    try:
        for content, ids in batch_mentions(header, member_ids):
            await channel.send(
                content,
                allowed_mentions=discord.AllowedMentions(
                    users=[discord.Object(i) for i in ids], roles=False, everyone=False
                ),
            )
            told += len(ids)
    except discord.HTTPException as exc:
        log.warning("could not tell members that party %s was cancelled: %s", party.id, exc)
    return told
