"""Checks and builders behind /spaces: channel permissions, sample posts, pasted links."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import discord

from bot.clients.x import XClient
from bot.core.checks import missing_channel_permissions
from bot.domain.catalog import Catalog
from bot.domain.catalog.pick import pick_artist
from bot.domain.catalog.search import ID_PREFIX
from bot.domain.spaces.keys import handle_key
from bot.domain.spaces.model import Transition, normalise_state
from bot.domain.text import join_words
from bot.errors import InvalidInput, NotAllowed, NotFound, UpstreamError
from bot.store.spaces import Follow, SpacesConfig
from bot.store.spaces_codec import Delivery
from cogs.artist_names import choice_text, near_miss_text
from cogs.spaces.render import announcement_text

log = logging.getLogger(__name__)

NEEDED = ("view_channel", "send_messages", "embed_links")
NO_API_HELP = (
    "Following Spaces needs X API access, which the bot's operator has not enabled. "
    "Until then, `/spaces announce` posts a Space from its link."
)
SAMPLE_SPACE_ID = "1SampleSpace"
NOT_FOLLOWED = "This server doesn't follow that artist. See `/spaces list`."


def check_role(guild: discord.Guild, role: discord.Role | None) -> None:
    """Refuse @everyone as the ping role."""
    if role is not None and role.is_default():
        raise InvalidInput("Pick a fan role to ping, not @everyone.")


ROLE_DELETED = (
    "The ping role was deleted, so live posts ping nobody; "
    "pick one with `/spaces setup` or `/spaces edit`."
)


def live_role(guild: discord.Guild | None, role_id: int | None) -> int | None:
    """Return the role a live post may ping: None when none is set or it was deleted.

    Roles are resolved when used, so a deleted role never shows as a dead mention. Without
    the server in the cache (`guild` None) the stored role is kept.
    """
    if role_id is None or guild is None:
        return role_id
    return role_id if guild.get_role(role_id) is not None else None


def deleted_roles(
    guild: discord.Guild | None, config: SpacesConfig | None, follows: Sequence[Follow]
) -> set[int]:
    """Return the ping roles set in `/spaces setup` or on follows that the server deleted."""
    ids = {f.role_id for f in follows if f.role_id is not None}
    if config is not None and config.role_id is not None:
        ids.add(config.role_id)
    return {role_id for role_id in ids if live_role(guild, role_id) is None}


def role_problem(
    guild: discord.Guild | None, config: SpacesConfig | None, follows: Sequence[Follow]
) -> str | None:
    """Return the warning moderators see when a ping role in use was deleted, else None."""
    return ROLE_DELETED if deleted_roles(guild, config, follows) else None


def check_channel(
    guild: discord.Guild, channel: discord.abc.GuildChannel, role: discord.Role | None
) -> None:
    """Raise NotAllowed naming every permission the bot lacks to announce in `channel`."""
    me = guild.me
    if me is None or not isinstance(channel, discord.TextChannel):
        raise InvalidInput("Pick a text or announcement channel.")
    missing = missing_channel_permissions(channel, me, NEEDED)
    if (
        role is not None
        and not role.mentionable
        and not channel.permissions_for(me).mention_everyone
    ):
        missing.append(f"Mention @everyone, @here, and All Roles (or make {role.name} mentionable)")
    if missing:
        raise NotAllowed(
            f"I can't announce in {channel.mention}: I'm missing {join_words(missing)}."
        )


def sample_announcement(
    guild_id: int,
    channel_id: int,
    role_id: int | None,
    artist_name: str,
    template: str | None,
    nonce: str,
) -> tuple[Transition, Delivery]:
    """Build the sample live Space and delivery that `/spaces test` posts."""
    now = datetime.now(UTC)
    sample = Transition(
        space_id=SAMPLE_SPACE_ID,
        creator_id="0",
        kind="live",
        title="Sample Space: this is what fans will see",
        scheduled_start=None,
        started_at=now,
        ended_at=None,
        participant_count=1234,
        peak_listeners=1234,
        was_live=True,
    )
    delivery = Delivery(
        guild_id=guild_id,
        space_id=SAMPLE_SPACE_ID,
        state="live",
        event_id=None,
        channel_id=channel_id,
        role_id=role_id,
        artist_name=artist_name,
        template=template,
        nonce=nonce,
        status="pending",
        message_id=None,
        attempts=0,
    )
    return sample, delivery


async def describe_space(client: XClient | None, space_id: str) -> tuple[Transition, str | None]:
    """Return the transition to announce for a pasted link (from X when possible) and creator."""
    now = datetime.now(UTC)
    space = None
    if client is not None:
        try:
            space = await client.space_by_id(space_id)
        except UpstreamError as exc:
            log.info("space lookup failed, announcing from the link only: %s", exc.message)
        else:
            if space is None:
                raise NotFound("X doesn't know that Space; check the link.")
    if space is None:
        return Transition(space_id, "0", "live", None, None, now, None, None, 0, True), None
    state = normalise_state(space.state)
    if state == "ended":
        raise InvalidInput("That Space has already ended.")
    creator = client.cached_user(space.creator_id) if client and space.creator_id else None
    transition = Transition(
        space_id,
        space.creator_id or "0",
        state,
        space.title,
        space.scheduled_start,
        space.started_at or (now if state == "live" else None),
        None,
        space.participant_count,
        space.participant_count or 0,
        state == "live",
    )
    return transition, ("@" + creator.username) if creator else None


def artist_choices(catalog: Catalog | None, current: str) -> list[tuple[str, str]]:
    """Return (label, value) choices: a typed @handle, then catalog acts with X handles."""
    typed = current.strip()[:100]
    choices: list[tuple[str, str]] = [(typed, typed)] if typed.startswith("@") else []
    if catalog is not None:
        if typed:
            ids = [i for _, i in catalog.autocomplete(current, limit=25)]
            entries = [e for e in (catalog.get(i) for i in ids) if e and e.x_handles]
        else:
            entries = catalog.with_x_handles()[:25]
        choices.extend(
            (catalog.label(e)[:100], f"{ID_PREFIX}{e.id}") for e in entries[: 25 - len(choices)]
        )
    return choices


def follow_choices(follows: list[Follow], current: str) -> list[tuple[str, str]]:
    """Return (label, value) choices for a server's follows, one per act or raw handle."""
    needle = current.strip().casefold()
    seen: dict[str, str] = {}
    for f in follows:
        key = f.artist_id or f.handle_key
        label = f"{f.artist_name} (@{f.handle})" if f.artist_id else f"@{f.handle}"
        if needle in label.casefold() and key not in seen:
            seen[key] = label[:100]
    return [(label, key) for key, label in list(seen.items())[:25]]


def template_preview(artist_name: str, template: str | None) -> str:
    """Return what fans would read for a live sample Space under `template`, as a quote."""
    sample, delivery = sample_announcement(0, 0, None, artist_name, template, "preview")
    text = announcement_text(delivery, sample)
    return "\n".join("> " + line for line in text.splitlines())[:1200]


def follow_preview(artist_name: str, template: str | None) -> str:
    """Say what fans will read for a live and for a scheduled Space of this follow.

    A custom template is used for live posts only; scheduled posts keep the standard wording.
    """
    sample, delivery = sample_announcement(0, 0, None, artist_name, template, "preview")
    later = replace(
        sample,
        kind="scheduled",
        scheduled_start=datetime.now(UTC) + timedelta(hours=5),
        started_at=None,
        was_live=False,
    )
    scheduled = "\n".join("> " + line for line in announcement_text(delivery, later).splitlines())
    note = " (your template is for live posts only)" if template else ""
    return (
        f"A live Space will read:\n{template_preview(artist_name, template)}\n"
        f"A scheduled Space will read{note}:\n{scheduled[:600]}"
    )


def follow_changes(old: Follow, new: Follow) -> list[str]:
    """Name what a re-follow or `/spaces edit` changes ("the channel to <#1>", "the template")."""
    changes = []
    if old.channel_id != new.channel_id:
        where = f"<#{new.channel_id}>" if new.channel_id else "the setup channel"
        changes.append(f"the channel to {where}")
    if old.role_id != new.role_id:
        changes.append(
            f"the ping role to <@&{new.role_id}>"
            if new.role_id
            else "the ping role to the setup one"
        )
    if old.keywords != new.keywords:
        changes.append(
            f"the keywords to {', '.join(new.keywords)}" if new.keywords else "the keywords to none"
        )
    if old.template != new.template:
        changes.append("the template" if new.template else "the default template")
    return changes


def followed(
    follows: list[Follow],
    artist: str,
    catalog: Catalog | None,
    aliases: Mapping[str, str] | None = None,
) -> list[Follow]:
    """Return a server's follows of one act or handle; raise NotFound if it has none.

    `artist` is read as `/spaces follow` reads it: an act id, an @handle, or an act's name by
    the rule every artist option follows ("BTS", "방탄소년단", a server alias). A near miss
    ("OT7") is never taken for a followed act: the NotFound says "Did you mean GOT7?".
    """
    key = artist.strip().removeprefix(ID_PREFIX)
    matching = [f for f in follows if key in (f.artist_id, f.handle_key)] or [
        f for f in follows if f.handle_key == handle_key(key)
    ]
    if matching or catalog is None:
        if not matching:
            raise NotFound(NOT_FOLLOWED)
        return matching
    ids = {f.artist_id for f in follows if f.artist_id}
    pick = pick_artist(catalog, artist, extra_aliases=aliases, keep=lambda e: e.id in ids)
    if pick.entry is not None:
        matching = [f for f in follows if f.artist_id == pick.entry.id]
    elif pick.kind == "choose":
        raise InvalidInput(choice_text(catalog, pick))
    elif pick.kind == "near":
        raise NotFound(near_miss_text(catalog, pick))
    if not matching:
        raise NotFound(NOT_FOLLOWED)
    return matching
