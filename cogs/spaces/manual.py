"""/spaces announce: a pasted Space link, previewed privately, posted once the moderator confirms.

Nothing is posted and nobody is pinged until Post is pressed; Cancel posts nothing.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import discord

from bot.clients.x import parse_space_url
from bot.core.checks import require_member_can_post, safe_text
from bot.core.confirm import ConfirmView
from bot.core.tree import defer, edit_message, respond
from bot.domain.catalog.pick import pick_artist
from bot.domain.spaces.keys import nonce_for
from bot.domain.spaces.model import Transition
from bot.domain.spaces.text import space_url
from bot.domain.text import clean_field
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.services.spaces.accounts import act_name_of, looks_like_handle
from bot.store.spaces_codec import Delivery
from cogs.artist_names import named
from cogs.spaces.base import SpacesBase
from cogs.spaces.confirm import ANNOUNCE_WORDS
from cogs.spaces.helpers import describe_space, live_role
from cogs.spaces.render import (
    ARTIST_LIMIT,
    announcement_text,
    jump_url,
    space_embed,
)

log = logging.getLogger(__name__)

TITLE_MAX = 100  # characters a moderator may give a Space's title
NO_ARTIST = "An artist"


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines())


def _who_is_pinged(transition: Transition, configured: int | None, role_id: int | None) -> str:
    if transition.kind != "live":
        return "It pings nobody (a scheduled Space is announced without a ping)."
    if configured is not None and role_id is None:
        return (
            "It pings nobody: the ping role was deleted; "
            "pick one with `/spaces setup` or `/spaces edit`."
        )
    if role_id is None:
        return "It pings nobody (no role is set in `/spaces setup`)."
    return f"It pings <@&{role_id}>, and nobody else."


def _missing_names(named: bool, titled: bool) -> str:
    """Say which placeholders fans would read and how to replace them; empty when none."""
    missing = []
    if not named:
        missing.append(f"“{NO_ARTIST}” (add `artist`)")
    if not titled:
        missing.append("“Untitled Space” (add `title`)")
    if not missing:
        return ""
    return "\nFans would read " + " and ".join(missing) + "."


async def _artist_for_fans(cog: SpacesBase, guild_id: int, text: str) -> tuple[str, str]:
    """Return the artist name fans will read, and a note when it is no known act.

    The option is free text shown to fans: an act named exactly (or picked from the list) is
    shown by its catalog name; anything else is shown as typed, and the preview says that it
    matched no act, with "Did you mean …?" for a near miss ("blakpink").
    """
    catalog = await cog.catalog()
    if catalog is None or looks_like_handle(text):
        return text, ""
    pick = pick_artist(catalog, text, extra_aliases=await cog.server_aliases(guild_id))
    if pick.entry is not None:
        return pick.entry.name, ""
    if pick.kind == "choose":  # a real name several acts share: as typed is right
        return text, ""
    shown = safe_text(text, ARTIST_LIMIT)
    if pick.kind == "near":
        guesses = named(catalog, pick.entries[: pick.likely])
        return text, (
            f"\n“{shown}” did not match a known act. Did you mean {guesses}? Fans will read "
            f"“{shown}” as you typed it; if you meant that act, run the command again with its "
            "exact name."
        )
    return text, f"\n“{shown}” did not match a known act: fans will read it as you typed it."


async def announce_preview(
    cog: SpacesBase,
    interaction: discord.Interaction,
    url: str,
    artist: str | None,
    title: str | None,
) -> None:
    """Show what `/spaces announce` would post and who it would ping, with Post / Cancel.

    Raises InvalidInput for a bad link or title, NotFound without setup or for a Space X does
    not know, Conflict when this server already announced the Space in that state.
    """
    guild = interaction.guild
    assert guild is not None  # noqa: S101 - guild_only
    space_id = parse_space_url(url)
    if space_id is None:
        raise InvalidInput(
            "That is not a Space link: paste one like `https://x.com/i/spaces/1AbC…`."
        )
    title_text = clean_field(title, what="title", limit=TITLE_MAX)
    artist_text = clean_field(artist, what="artist", limit=ARTIST_LIMIT)
    config = await cog._config(guild.id)
    target = guild.get_channel(config.channel_id)
    if target is None:
        raise NotFound("The announcement channel no longer exists; run `/spaces setup`.")
    require_member_can_post(interaction, target)
    await defer(interaction)
    transition, creator_name = await describe_space(cog.x_client, space_id)
    if title_text:
        transition = replace(transition, title=title_text)
    name, unknown = creator_name or NO_ARTIST, ""
    if artist_text:
        name, unknown = await _artist_for_fans(cog, guild.id, artist_text)
    elif creator_name:
        # A handle the catalog knows is named after its act ("BTS"), as its follows are.
        name = act_name_of(await cog.catalog(), creator_name)
    if await cog.tracking.get_delivery(guild.id, space_id, transition.kind) is not None:
        raise Conflict("That Space was already announced in this server.")
    delivery = Delivery(
        guild_id=guild.id,
        space_id=space_id,
        state=transition.kind,
        event_id=None,
        channel_id=config.channel_id,
        role_id=live_role(guild, config.role_id),
        artist_name=name,
        template=None,
        nonce=nonce_for(guild.id, space_id, transition.kind),
        status="pending",
        message_id=None,
        attempts=0,
    )

    async def post(ix: discord.Interaction) -> None:
        await _post(cog, ix, target, transition, delivery)

    view = ConfirmView(interaction.user.id, post, ANNOUNCE_WORDS)
    view.add_item(discord.ui.Button(label="Open on X", url=space_url(space_id)))
    text = (
        f"Preview: this is what fans will see in {target.mention}. "
        f"{_who_is_pinged(transition, config.role_id, delivery.role_id)} "
        "Nothing is posted until you press Post."
        + _missing_names(bool(artist_text or creator_name), bool(transition.title))
        + unknown
        + "\n"
        + _quote(announcement_text(delivery, transition))
    )
    await respond(
        interaction,
        text[:2000],
        embed=space_embed(delivery.artist_name, transition),
        view=view,
        ephemeral=True,
    )
    view.origin = interaction


async def _post(
    cog: SpacesBase,
    interaction: discord.Interaction,
    target: discord.abc.GuildChannel,
    transition: Transition,
    delivery: Delivery,
) -> None:
    """Queue and send the confirmed announcement once; say where it went."""
    await defer(interaction)
    # Permissions may have been taken away while the preview was open.
    require_member_can_post(interaction, target)
    event_id = await cog.tracking.queue_manual(transition, delivery)
    if event_id is None:
        raise Conflict("That Space was already announced in this server.")
    report = await cog.announcer.process_event(event_id)
    if report is not None and report.broken:
        raise NotAllowed(
            f"Discord refused the post in <#{delivery.channel_id}>; see `/spaces status`."
        )
    sent = await cog.tracking.get_delivery(delivery.guild_id, delivery.space_id, delivery.state)
    where = f"<#{delivery.channel_id}>"
    if sent is not None and sent.message_id is not None:
        where = jump_url(delivery.guild_id, delivery.channel_id, sent.message_id)
    artist = safe_text(delivery.artist_name, ARTIST_LIMIT)
    await edit_message(
        interaction, content=f"Announced **{artist}**'s Space: {where}", embed=None, view=None
    )
    log.info("Space %s announced by hand in server %s", delivery.space_id, delivery.guild_id)
