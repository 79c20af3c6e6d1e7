"""Embeds, link buttons and message text of Space announcements (Discord objects live here)."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.core.checks import safe_text
from bot.domain.spaces.model import Transition
from bot.domain.spaces.text import (
    DEFAULT_SCHEDULED_TEMPLATE,
    DEFAULT_TEMPLATE,
    format_duration,
    format_listeners,
    render_template,
    space_url,
)
from bot.store.spaces_codec import Delivery

X_BLACK = discord.Colour(0x1D9BF0)
LIVE_RED = discord.Colour(0xE0245E)
ENDED_GREY = discord.Colour(0x71767B)
NO_PINGS = discord.AllowedMentions.none()
TITLE_LIMIT = 200
ARTIST_LIMIT = 100
STATE_LABELS = {
    "scheduled": "🗓️ Scheduled",
    "live": "🔴 Live now",
    "ended": "⏹️ Ended",
    "went_live": "▶️ Went live",
    "cancelled": "🚫 Cancelled",
}


def _stamp(moment: datetime) -> str:
    return discord.utils.format_dt(moment, "F") + " (" + discord.utils.format_dt(moment, "R") + ")"


def safe_title(title: str | None) -> str:
    """Return a Space title safe to show (no mentions or markdown, bounded), or a placeholder."""
    return safe_text(title, TITLE_LIMIT) if title and title.strip() else "Untitled Space"


def link_view(space_id: str) -> discord.ui.View:
    """Return a view holding one link button to the Space."""
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Open on X", url=space_url(space_id)))
    return view


def _time_fields(t: Transition, state: str) -> list[tuple[str, str]]:
    """Return the embed's time fields for one state: only times X really reported.

    A Space that ended without going live shows when it was scheduled for and when it ended,
    never a start; a missing time leaves its field out (or says "not set" for a schedule).
    """
    fields: list[tuple[str, str]] = []
    never_live = state in ("scheduled", "cancelled") or (state == "ended" and not t.was_live)
    if never_live:
        name = {"scheduled": "Starts", "cancelled": "Was to start"}.get(state, "Scheduled for")
        start = t.scheduled_start
        fields.append((name, _stamp(start) if start else "not set"))
        if state == "ended" and t.ended_at is not None:
            fields.append(("Ended", _stamp(t.ended_at)))
        return fields
    if t.started_at is not None:
        fields.append(("Started", _stamp(t.started_at)))
    if state == "ended":
        if t.ended_at is not None:
            fields.append(("Ended", _stamp(t.ended_at)))
        if t.started_at is not None and t.ended_at is not None:
            fields.append(("Lasted", format_duration(t.ended_at - t.started_at)))
    return fields


def space_embed(artist_name: str, t: Transition, state: str | None = None) -> discord.Embed:
    """Build the announcement embed: artist, title, state, start, listeners and link."""
    state = state or t.kind
    artist = safe_text(artist_name, ARTIST_LIMIT)
    colour = {"live": LIVE_RED, "ended": ENDED_GREY}.get(state, X_BLACK)
    embed = discord.Embed(title=safe_title(t.title), url=space_url(t.space_id), colour=colour)
    embed.set_author(name=f"{artist_name[:ARTIST_LIMIT]} · X Space")
    embed.add_field(name="Artist", value=artist, inline=True)
    embed.add_field(name="State", value=STATE_LABELS.get(state, state), inline=True)
    for name, value in _time_fields(t, state):
        embed.add_field(name=name, value=value)
    if state == "ended" and t.was_live:
        peak = max(t.peak_listeners, t.participant_count or 0)
        embed.add_field(name="Peak", value=format_listeners(peak))
    elif state == "live":
        embed.add_field(name="Listening", value=format_listeners(t.participant_count))
    embed.set_footer(text="Times show in your own timezone.")
    return embed


def announcement_text(d: Delivery, t: Transition) -> str:
    """Render the message text for this state: the follow's template is for live posts only.

    A template says the Space is live ("is LIVE right now!"), so scheduled posts always use the
    standard scheduled wording.
    """
    live = t.kind == "live"
    template = (d.template or DEFAULT_TEMPLATE) if live else DEFAULT_SCHEDULED_TEMPLATE
    start = t.started_at if t.kind == "live" else t.scheduled_start
    text = render_template(
        template,
        {
            "artist": safe_text(d.artist_name, ARTIST_LIMIT),
            "title": safe_title(t.title),
            "url": space_url(t.space_id),
            "start": discord.utils.format_dt(start, "R") if start else "now",
        },
    )
    if t.kind == "live" and d.role_id is not None:
        text = f"<@&{d.role_id}> {text}"
    return text[:2000]


def announcement_mentions(d: Delivery, t: Transition) -> discord.AllowedMentions:
    """Allow exactly the configured role on a live post; nobody anywhere else."""
    if t.kind == "live" and d.role_id is not None:
        return discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(d.role_id)], replied_user=False
        )
    return NO_PINGS


def ended_text(d: Delivery, t: Transition) -> str:
    """Return the text of an announcement edited to "ended" (edits never notify anyone)."""
    artist = safe_text(d.artist_name, ARTIST_LIMIT)
    if t.was_live and t.started_at is not None and t.ended_at is not None:
        lasted = format_duration(t.ended_at - t.started_at)
        peak = format_listeners(max(t.peak_listeners, t.participant_count or 0))
        return f"**{artist}**'s X Space has ended after {lasted}, with a peak of {peak}."
    if t.was_live:
        return f"**{artist}**'s X Space has ended."
    if t.cancelled:
        return f"**{artist}**'s scheduled X Space was cancelled."
    return f"**{artist}**'s scheduled X Space has ended or was cancelled."


def ended_state(t: Transition) -> str:
    """Return the state an ended post shows: "cancelled" when X said so, else "ended"."""
    return "cancelled" if t.cancelled and not t.was_live else "ended"


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    """Return the link that opens one message in Discord."""
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def went_live_text(scheduled: Delivery, live: Delivery) -> str:
    """Return the text of a scheduled post once its Space went live (a jump to the live post)."""
    artist = safe_text(scheduled.artist_name, ARTIST_LIMIT)
    assert live.message_id is not None  # noqa: S101 - the live post was just sent
    url = jump_url(live.guild_id, live.channel_id, live.message_id)
    return f"**{artist}**'s X Space went live: {url}"


def went_live_view(live: Delivery, space_id: str) -> discord.ui.View:
    """Return link buttons to the live post and to the Space."""
    assert live.message_id is not None  # noqa: S101 - the live post was just sent
    view = discord.ui.View(timeout=None)
    url = jump_url(live.guild_id, live.channel_id, live.message_id)
    view.add_item(discord.ui.Button(label="Go to the live post", url=url))
    view.add_item(discord.ui.Button(label="Open on X", url=space_url(space_id)))
    return view
