"""The setup guide a server gets when Lightstick joins: where it goes and what it says."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

import discord

from bot.core.checks import missing_channel_permissions
from bot.domain.text import join_words

log = logging.getLogger(__name__)

# The guide is an embed, so the bot needs Embed Links as well as the right to post.
GUIDE_PERMISSIONS = ("view_channel", "send_messages", "embed_links")

# Features whose kept data a returning server hears about, in this order (cog names).
KEPT_ORDER = ("Spaces", "Parties", "Trivia", "Aliases", "Timezone")


def guide_channel(guild: discord.Guild) -> discord.TextChannel | None:
    """Return the first channel the guide may go to, or None when there is none.

    The system channel first, then the text channels in the order members see them; a
    channel counts only where the bot has View Channel, Send Messages and Embed Links.
    """
    me: discord.Member | None = guild.me  # None before the bot's own member is cached
    if me is None:
        return None
    candidates: list[discord.TextChannel] = []
    if guild.system_channel is not None:
        candidates.append(guild.system_channel)
    candidates += sorted(guild.text_channels, key=lambda c: (c.position, c.id))
    for channel in candidates:
        if not missing_channel_permissions(channel, me, GUIDE_PERMISSIONS):
            return channel
    return None


async def kept_parts(cogs: Iterable[tuple[str, Any]], guild_id: int) -> list[str]:
    """Ask each feature what it kept of a returning server ("3 followed artists", ...).

    A cog takes part by defining `async kept_on_rejoin(guild_id) -> list[str]`; one that
    fails is logged and left out, so the guide still goes out.
    """
    found = dict(cogs)
    order = [n for n in KEPT_ORDER if n in found] + sorted(set(found) - set(KEPT_ORDER))
    parts: list[str] = []
    for name in order:
        kept = getattr(found[name], "kept_on_rejoin", None)
        if kept is None:
            continue
        try:
            parts += await kept(guild_id)
        except Exception:
            log.exception("kept_on_rejoin of %s failed", name)
    return parts


def first_steps(*, x_enabled: bool, zone: str) -> list[str]:
    """Return the moderators' numbered steps; step 1 depends on what the operator enabled.

    `zone` is the server's default timezone as it is now (a returning server keeps its own).
    """
    if x_enabled:
        step_one = (
            "`/spaces setup` picks the channel and the fan role for live X Space "
            "announcements; then `/spaces follow` an artist and `/spaces test` shows a sample."
        )
    else:
        step_one = (
            "`/spaces announce` posts a live X Space from its x.com link, in the channel "
            "`/spaces setup` picks. This bot does not watch X by itself: its operator has not "
            "enabled X access. `/trivia start` starts a K-pop trivia game, and "
            "`/party schedule` plans a streaming party."
        )
    return [
        step_one,
        f"`/timezone server` sets the default timezone for party times; it is {zone} "
        "until you change it.",
        "`/settings` shows every feature of this server at a glance.",
    ]


# What everyone may run, as the guide's last line names it; a command a step already named
# is left out, so no command is introduced twice.
EVERYONE = (
    ("`/artist`", "shows any act's card"),
    ("`/trivia start`", "plays"),
    ("`/party schedule`", "plans a streaming party"),
)


def everyone_line(steps: Sequence[str]) -> str:
    """Return the line for every member, naming only commands the steps did not."""
    named = [
        f"{command} {does}" for command, does in EVERYONE if not any(command in s for s in steps)
    ]
    return "Everyone: " + join_words([*named, "`/help` lists the rest"]) + "."


def guide_text(
    *, first_time: bool, x_enabled: bool, kept: Sequence[str], zone: str
) -> tuple[str, str]:
    """Return the guide's title and text. Mentions nobody: no user, role or @everyone.

    `kept` lists what a returning server kept ("3 followed artists", "server timezone
    Asia/Tokyo"); `zone` is the server's default timezone now.
    """
    if first_time:
        title = "Thanks for adding Lightstick!"
        opening = ""
    else:
        title = "Lightstick is back!"
        if kept:
            # "I kept ..." reads right for one thing or many: no verb to agree with a list.
            opening = f"Welcome back! I kept your {join_words(kept)}.\n\n"
        else:
            opening = (
                "Welcome back! Nothing was set up here before, so here is the guide again.\n\n"
            )
    steps = first_steps(x_enabled=x_enabled, zone=zone)
    numbered = "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1))
    return (
        title,
        f"{opening}Moderators, people with Manage Server, start here:\n{numbered}\n\n"
        f"{everyone_line(steps)}",
    )
