"""The party post in its channel: publish it, re-render it, and tell members about a cancel."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.core.checks import (
    is_moderator,
    missing_channel_permissions,
    permission_name,
    safe_text,
    who_can_fix,
)
from bot.core.tree import NO_PINGS
from bot.domain.parties import Party, RsvpCounts, batch_mentions
from bot.domain.text import join_words
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
            f"I can't post in {channel.mention}: I'm missing {join_words(missing)} there. "
            + who_can_fix(asker, len(missing))
        )
    return channel


MENTION_EVERYONE = permission_name("mention_everyone")
ROLE_DELETED = "the role set for new parties was deleted"


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


@dataclass(frozen=True)
class AnnounceRole:
    """Whom a new party's post pings: `role`, or nobody; `problem` says why the role set by
    moderators can't be pinged and `fix` what a moderator does about it."""

    role: discord.Role | None
    problem: str | None = None
    fix: str | None = None

    def fixer(self, asker: discord.Permissions) -> str:
        """Say who can fix the problem: "You can ..." to a moderator, else "A moderator can ..."."""
        who = "You can" if is_moderator(asker) else "A moderator can"
        return f"{who} {self.fix}."


def announce_role(
    guild: discord.Guild, channel: PostChannel | None, role_id: int | None
) -> AnnounceRole:
    """Return whom a new party's post in `channel` pings (None: judged server-wide)."""
    if role_id is None:
        return AnnounceRole(None)
    role = guild.get_role(role_id)
    if role is None:
        return AnnounceRole(None, ROLE_DELETED, "pick another with `/party settings announce_role`")
    me = guild.me
    perms = (
        None if me is None else (channel.permissions_for(me) if channel else me.guild_permissions)
    )
    if role.mentionable or (perms is not None and perms.mention_everyone):
        return AnnounceRole(role)
    where = f" in {channel.mention}" if channel is not None else ""
    return AnnounceRole(
        None,
        f"{role.mention} isn't mentionable and I don't have the **{MENTION_EVERYONE}** "
        f"permission{where}",
        "turn on “Allow anyone to @mention this role” for it (Server Settings, Roles) or give "
        "me that permission",
    )


def describe_announce_role(guild: discord.Guild | None, role_id: int | None) -> str:
    """Say, for moderators' settings, which role new party posts ping, flagging one that can't
    be pinged (a mention that the reply itself never pings)."""
    if role_id is None:
        return "New parties ping nobody (`/party settings announce_role` picks a role)."
    found = announce_role(guild, None, role_id) if guild is not None else AnnounceRole(None)
    if found.problem is None:
        return (
            f"New parties ping <@&{role_id}> (`/party settings announce_role_off:True` stops it)."
        )
    if found.problem == ROLE_DELETED:
        return (
            "⚠️ New parties ping a role that was deleted, so nobody is pinged: pick another with "
            "`/party settings announce_role`, or stop it with `announce_role_off:True`."
        )
    return (
        f"⚠️ New parties are set to ping <@&{role_id}>, but {found.problem}, so nobody is "
        f"pinged. To fix it, {found.fix}."
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
