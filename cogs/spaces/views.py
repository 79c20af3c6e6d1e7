"""Embeds for /spaces list, /spaces status and /spaces live."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

import discord

from bot.core.checks import safe_text, truncate
from bot.domain.spaces.model import TrackedSpace
from bot.domain.spaces.text import format_listeners, space_url
from bot.domain.text import plural
from bot.store.spaces import BrokenChannel, Delivery, Follow, SpacesConfig
from cogs.spaces.helpers import ROLE_DELETED
from cogs.spaces.render import X_BLACK, jump_url, safe_title

FIELD_LIMIT = 1024
DESCRIPTION_LIMIT = 4000


def _stamp(value: str | None) -> str:
    if not value:
        return "never"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return "unknown"
    return discord.utils.format_dt(moment, "R")


def _broken_lines(broken: Sequence[BrokenChannel]) -> str:
    return "\n".join(
        f"<#{b.channel_id}>: {safe_text(b.reason, 80)} "
        f"(since {discord.utils.format_dt(b.since, 'R')})"
        for b in broken[:10]
    )


def list_embed(
    config: SpacesConfig | None,
    follows: Sequence[Follow],
    broken: Sequence[BrokenChannel],
    *,
    deleted: Collection[int] = (),
) -> discord.Embed:
    """Build the /spaces list embed: defaults, follows with overrides, broken channels, and a
    warning when one of the ping roles (`deleted`, role ids) was deleted from the server."""

    def ping(role_id: int) -> str:
        return "a deleted role" if role_id in deleted else f"<@&{role_id}>"

    embed = discord.Embed(title="X Space announcements", colour=X_BLACK)
    if config is None:
        embed.description = "Not set up yet: run `/spaces setup`."
    else:
        role = ping(config.role_id) if config.role_id else "no ping"
        embed.description = f"Default channel <#{config.channel_id}> · live posts: {role}"
    lines = []
    for f in follows:
        parts = [f"**{safe_text(f.artist_name, 80)}** @{f.handle}"]
        if f.x_user_id is None:
            parts.append("(not resolved yet)")
        if f.channel_id:
            parts.append(f"→ <#{f.channel_id}>")
        if f.role_id:
            parts.append(f"pings {ping(f.role_id)}")
        if f.keywords:
            parts.append("keywords: " + safe_text(", ".join(f.keywords), 120))
        if f.template:
            parts.append("custom message")
        lines.append(" ".join(parts))
    embed.add_field(
        name=f"Following ({len(follows)})",
        value=truncate("\n".join(lines) or "Nobody yet: `/spaces follow`.", FIELD_LIMIT),
        inline=False,
    )
    if broken:
        embed.add_field(
            name="Broken channels", value=truncate(_broken_lines(broken), FIELD_LIMIT), inline=False
        )
    if deleted:
        embed.add_field(name="Ping role", value=f"⚠️ {ROLE_DELETED}", inline=False)
    return embed


STATE_TEXT = {
    "ok": "working",
    "not polled yet": "not checked yet",
    "disabled": "off: the bot's operator has not enabled X API access",
    "auth_failed": "stopped: X refused the token",
    "rate_limited": "paused: rate limit reached",
    "usage_capped": "stopped: this app used up X's monthly usage cap",
    "error": "X returned errors",
}


def describe_api_state(state: str, detail: str | None) -> str:
    """Say in plain words what the poller's stored state means for this server's Spaces."""
    text = STATE_TEXT.get(state, "in an unknown state")
    if state == "usage_capped":
        reset = _stamp(detail)
        return (
            f"{text}. No Space announcements until X resets it ({reset}); polling resumes by "
            "itself then. The bot operator can raise the cap in X's developer portal."
        )
    if state == "auth_failed":
        # The stored detail names X's endpoint and HTTP status: the operator's log has it.
        return (
            f"{text}. No Space announcements until the bot's operator gives it a working one; "
            "polling resumes by itself then."
        )
    if detail and state not in ("ok", "rate_limited"):
        text += f"\n{safe_text(detail, 300)}"
    return text


def describe_poller(poller: str, last_poll: str | None) -> str:
    """Say which Lightstick process checks X: `poller` is "this", "other" or "none"."""
    if poller == "this":
        return f"This Lightstick process checks X; last poll {_stamp(last_poll)}."
    if poller == "other":
        return f"Polled by another Lightstick process, last poll {_stamp(last_poll)}."
    return (
        "No Lightstick process is checking X right now; one with X access takes over at its "
        f"next round. Last poll {_stamp(last_poll)}."
    )


def status_embed(
    *,
    configured: bool,
    status: Mapping[str, str],
    follows: int,
    broken: Sequence[BrokenChannel],
    poller: str,
    role_warning: str | None = None,
) -> discord.Embed:
    """Build the /spaces status embed from the poller's stored facts; `poller` as in
    `describe_poller`, `role_warning` when a ping role was deleted."""
    embed = discord.Embed(title="X Spaces status", colour=X_BLACK)
    state = status.get("api_state", "disabled" if not configured else "not polled yet")
    text = describe_api_state(state, status.get("api_detail"))
    embed.add_field(name="X API", value=truncate(text, FIELD_LIMIT), inline=False)
    embed.add_field(
        name="Who polls", value=describe_poller(poller, status.get("last_poll_at")), inline=False
    )
    embed.add_field(name="Last poll", value=_stamp(status.get("last_poll_at")))
    embed.add_field(name="Last success", value=_stamp(status.get("last_success_at")))
    remaining = status.get("remaining")
    budget = plural(int(remaining), "request") if remaining and remaining.isdigit() else "unknown"
    if status.get("reset_at"):
        budget += f", resets {_stamp(status.get('reset_at'))}"
    embed.add_field(name="Budget left", value=budget)
    embed.add_field(name="Accounts polled (all servers)", value=status.get("accounts", "0") or "0")
    embed.add_field(name="Followed here", value=str(follows))
    embed.add_field(
        name="Broken channels",
        value=truncate(_broken_lines(broken), FIELD_LIMIT) if broken else "none",
        inline=False,
    )
    if role_warning:
        embed.add_field(name="Ping role", value=f"⚠️ {role_warning}", inline=False)
    return embed


def live_embed(spaces: Sequence[tuple[Follow, TrackedSpace]]) -> discord.Embed:
    """Build the /spaces live embed: live Spaces first, then scheduled ones."""
    embed = discord.Embed(title="Live and upcoming X Spaces", colour=X_BLACK)
    lines = []
    seen: set[str] = set()
    for follow, space in spaces:
        if space.space_id in seen:
            continue
        seen.add(space.space_id)
        artist = safe_text(follow.artist_name, 80)
        link = f"[{safe_title(space.title)}]({space_url(space.space_id)})"
        if space.state == "live":
            when = discord.utils.format_dt(space.started_at, "R") if space.started_at else "now"
            lines.append(
                f"🔴 **{artist}**: {link}, live since {when} · "
                f"{format_listeners(space.participant_count)}"
            )
        else:
            start = space.scheduled_start
            when = discord.utils.format_dt(start, "F") if start else "time not set"
            lines.append(f"🗓️ **{artist}**: {link}, {when}")
    embed.description = (
        truncate("\n".join(lines), DESCRIPTION_LIMIT)
        if lines
        else ("No live or scheduled Spaces right now for the artists this server follows.")
    )
    return embed


def unseen_embed(guild_id: int, posts: Sequence[Delivery]) -> discord.Embed:
    """Build /spaces live for a bot that cannot see X: say so, and list recent announcements."""
    embed = discord.Embed(title="Live and upcoming X Spaces", colour=X_BLACK)
    lines = [
        "I can't see X: the bot's operator has not enabled X access, so I can't tell which "
        "Spaces are live right now."
    ]
    shown: dict[str, Delivery] = {}
    for post in posts:  # one line per Space: its live post over its scheduled one
        if post.space_id not in shown or post.state == "live":
            shown[post.space_id] = post
    if shown:
        lines.append("Announced here in the last day (they may have ended since):")
    else:
        lines.append("Nothing was announced here in the last day.")
    for post in shown.values():
        assert post.message_id is not None  # noqa: S101 - only sent posts are listed
        icon = "🔴" if post.state == "live" else "🗓️"
        url = jump_url(guild_id, post.channel_id, post.message_id)
        lines.append(f"{icon} **{safe_text(post.artist_name, 80)}**: [the announcement]({url})")
    embed.description = truncate("\n".join(lines), DESCRIPTION_LIMIT)
    return embed
