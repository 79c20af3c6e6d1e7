"""The Discord side of the fan-out: post and edit announcements through discord.py's HTTP."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

import discord

from bot.core.delivery import find_own_post
from bot.domain.spaces.model import Transition
from bot.domain.spaces.text import space_url
from bot.services.spaces.fanout import DeliveryBroken, DeliveryGone
from bot.store.spaces_codec import Delivery
from cogs.spaces.helpers import live_role
from cogs.spaces.render import (
    NO_PINGS,
    STATE_LABELS,
    announcement_mentions,
    announcement_text,
    ended_state,
    ended_text,
    link_view,
    space_embed,
    went_live_text,
    went_live_view,
)

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)

# Discord error codes that mean the channel will not take posts until a moderator acts.
UNKNOWN_CHANNEL = 10003
UNKNOWN_MESSAGE = 10008
MISSING_ACCESS = 50001

# Why a channel is broken, as moderators read it in /spaces status and /settings.
CHANNEL_DELETED = "the channel was deleted"


def refusal_reason(code: int) -> str:
    """Say in words why Discord refused a post (403), from its JSON error code."""
    if code == MISSING_ACCESS:
        return "I can't see this channel any more"
    return "I'm missing a permission here: View Channel, Send Messages or Embed Links"


class DiscordSender:
    """Send announcements with deterministic nonces; map refusals to broken channels."""

    def __init__(self, bot: Lightstick) -> None:
        self._bot = bot

    def _with_live_role(self, d: Delivery) -> Delivery:
        """Drop a ping role deleted from the server: the post pings nobody, no dead mention."""
        role_id = live_role(self._bot.get_guild(d.guild_id), d.role_id)
        return d if role_id == d.role_id else replace(d, role_id=role_id)

    def _channel(self, d: Delivery) -> discord.PartialMessageable:
        # A partial channel needs no cache: the fan-out works for servers not yet streamed in.
        return self._bot.get_partial_messageable(
            d.channel_id, guild_id=d.guild_id, type=discord.ChannelType.text
        )

    async def send(self, delivery: Delivery, transition: Transition) -> int:
        """Post a scheduled or live announcement; return the message id."""
        delivery = self._with_live_role(delivery)
        if delivery.status == "sending":
            # A crash interrupted this delivery. Discord's nonce dedup only lasts minutes, so
            # look for the post itself before sending it again.
            existing = await self._find_existing(delivery, transition)
            if existing is not None:
                log.info(
                    "Space %s: found the interrupted post in server %s",
                    transition.space_id,
                    delivery.guild_id,
                )
                return existing
        try:
            message = await self._channel(delivery).send(
                content=announcement_text(delivery, transition),
                embed=space_embed(delivery.artist_name, transition),
                view=link_view(transition.space_id),
                allowed_mentions=announcement_mentions(delivery, transition),
                nonce=delivery.nonce,
            )
        except discord.Forbidden as exc:
            raise DeliveryBroken(refusal_reason(exc.code)) from None
        except discord.NotFound:
            raise DeliveryBroken(CHANNEL_DELETED) from None
        return message.id

    async def edit_live(self, delivery: Delivery, transition: Transition) -> None:
        """Edit a post to what `transition` says now: back to live after a wrong "ended", or a
        scheduled Space's new time and title; an edit notifies nobody."""
        delivery = self._with_live_role(delivery)
        await self._edit(
            delivery,
            content=announcement_text(delivery, transition),
            embed=space_embed(delivery.artist_name, transition),
            view=link_view(transition.space_id),
        )

    async def _find_existing(self, delivery: Delivery, transition: Transition) -> int | None:
        """Return the id of our own recent post for this Space and state, if there is one."""
        me = self._bot.user
        if me is None:
            return None
        url = space_url(transition.space_id)
        label = STATE_LABELS.get(delivery.state, delivery.state)

        def is_this_post(message: discord.Message) -> bool:
            return any(
                embed.url == url
                and any(f.name == "State" and f.value == label for f in embed.fields)
                for embed in message.embeds
            )

        try:
            return await find_own_post(self._channel(delivery), me, is_this_post)
        except discord.Forbidden as exc:
            raise DeliveryBroken(refusal_reason(exc.code)) from None
        except discord.NotFound:
            raise DeliveryBroken(CHANNEL_DELETED) from None

    async def edit_ended(self, delivery: Delivery, transition: Transition) -> None:
        """Edit the earlier announcement to "ended", or "cancelled" when X said so (no one is
        notified by an edit)."""
        await self._edit(
            delivery,
            content=ended_text(delivery, transition),
            embed=space_embed(delivery.artist_name, transition, ended_state(transition)),
            view=link_view(transition.space_id),
        )

    async def edit_went_live(
        self, scheduled: Delivery, live: Delivery, transition: Transition
    ) -> None:
        """Edit the scheduled post to say the Space went live, with a jump to the live post."""
        await self._edit(
            scheduled,
            content=went_live_text(scheduled, live),
            embed=space_embed(scheduled.artist_name, transition, "went_live"),
            view=went_live_view(live, transition.space_id),
        )

    async def _edit(
        self, delivery: Delivery, *, content: str, embed: discord.Embed, view: discord.ui.View
    ) -> None:
        """Edit the delivery's post; DeliveryGone if it was deleted, DeliveryBroken if the
        channel is gone or the bot lost a permission."""
        if delivery.message_id is None:
            raise DeliveryGone
        message = self._channel(delivery).get_partial_message(delivery.message_id)
        try:
            await message.edit(content=content, embed=embed, view=view, allowed_mentions=NO_PINGS)
        except discord.Forbidden as exc:
            raise DeliveryBroken(refusal_reason(exc.code)) from None
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_CHANNEL:
                raise DeliveryBroken(CHANNEL_DELETED) from None
            raise DeliveryGone from None
