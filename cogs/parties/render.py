"""Embeds and texts for party posts, previews and reminders (rendering only, no state)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.core.checks import safe_text, truncate
from bot.domain.parties import Party, PartyDraft, RsvpCounts, format_duration
from bot.domain.text import plural

PARTY_COLOUR = discord.Colour.from_rgb(255, 105, 180)
ENDED_COLOUR = discord.Colour.light_grey()
# Names shown under a party post; the rest are counted ("and 12 more").
GOING_NAMES_LIMIT = 15
_STATUS_PREFIX = {"cancelled": "Cancelled: ", "done": "Ended: "}


def ts(moment: datetime, style: str) -> str:
    """Render a Discord timestamp that every member sees in their own timezone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def when_line(start: datetime) -> str:
    """Render a start time as full date and relative time."""
    return f"{ts(start, 'F')} ({ts(start, 'R')})"


def _link_line(link: str | None, platform: str | None) -> str | None:
    if not link:
        return None
    # Angle brackets keep the link clickable while suppressing Discord's preview card.
    return f"**{platform or 'Link'}:** <{link}>"


def _body(
    *,
    start: datetime,
    duration_text: str,
    link: str | None,
    platform: str | None,
    artist_name: str | None,
    notes: str | None,
    weekly: bool,
    organiser_id: int | None,
) -> str:
    lines = [
        f"🕗 {when_line(start)}",
        f"⏱️ {duration_text}" + (" · repeats weekly" if weekly else ""),
        *(
            ["🔁 RSVPs start fresh each week: answer again for each week's party."]
            if weekly
            else []
        ),
    ]
    if artist_name:
        lines.append(f"🎤 {safe_text(artist_name, 100)}")
    link_line = _link_line(link, platform)
    if link_line:
        lines.append(link_line)
    if organiser_id is not None:
        lines.append(f"Organised by <@{organiser_id}>")
    if notes:
        lines.append("")
        lines.append(safe_text(notes, 1000))
    return "\n".join(lines)


def going_names(going_ids: Sequence[int], total: int) -> str:
    """Render who is going as mentions (embeds never ping), then "and N more" past the limit."""
    shown = [f"<@{user_id}>" for user_id in going_ids[:GOING_NAMES_LIMIT]]
    more = total - len(shown)
    if more > 0:
        shown.append(f"and {more} more")
    return ", ".join(shown)


def party_embed(
    party: Party,
    counts: RsvpCounts,
    artist_name: str | None = None,
    going_ids: Sequence[int] = (),
) -> discord.Embed:
    """Render the party post: title, artist, time, link, notes, RSVP counts and who is going.

    `going_ids` are the first members going (PartyRepo.going_user_ids); at most
    GOING_NAMES_LIMIT are named, the rest counted.
    """
    prefix = _STATUS_PREFIX.get(party.status, "")
    embed = discord.Embed(
        title=truncate(prefix + discord.utils.escape_markdown(party.title), 256),
        description=_body(
            start=party.starts_at,
            duration_text=format_duration(party.duration),
            link=party.link,
            platform=party.platform,
            artist_name=artist_name,
            notes=party.notes,
            weekly=party.weekly,
            organiser_id=party.organiser_id,
        ),
        colour=PARTY_COLOUR if party.status == "scheduled" else ENDED_COLOUR,
    )
    going = f"{counts.going}/{party.capacity}" if party.capacity else str(counts.going)
    embed.add_field(name="Going", value=going)
    embed.add_field(name="Maybe", value=str(counts.maybe))
    embed.add_field(name="Can't", value=str(counts.cant))
    if going_ids:
        embed.add_field(
            name="Who's going", value=going_names(going_ids, counts.going), inline=False
        )
    hint = " · /party export to add it to your calendar" if party.status == "scheduled" else ""
    embed.set_footer(text=f"Party #{party.id}{hint}")
    return embed


def preview_embed(draft: PartyDraft, zone_label: str, artist_name: str | None) -> discord.Embed:
    """Render the ephemeral preview shown before anything is posted."""
    embed = discord.Embed(
        title=truncate(discord.utils.escape_markdown(draft.title), 256),
        description=_body(
            start=draft.starts_at,
            duration_text=format_duration(draft.duration),
            link=draft.link,
            platform=draft.platform,
            artist_name=artist_name,
            notes=draft.notes,
            weekly=draft.weekly,
            organiser_id=None,
        ),
        colour=PARTY_COLOUR,
    )
    embed.add_field(name="How I read the time", value=truncate(zone_label, 1024), inline=False)
    embed.add_field(name="Posted in", value=f"<#{draft.channel_id}>")
    if draft.capacity:
        embed.add_field(name="Capacity", value=str(draft.capacity))
    return embed


def moved_header(party: Party, old: datetime, new: datetime, *, late: bool) -> str:
    """Render the first line of the notice that a party's time changed (old and new time)."""
    text = (
        f"🕒 **{safe_text(party.title, 100)}** has a new time: {ts(new, 'F')} ({ts(new, 'R')}), "
        f"instead of {ts(old, 'F')}."
    )
    if late:
        text += "\n-# Sent late: I was offline when the time changed."
    return text


def reminder_header(party: Party, lead_minutes: int, *, late: bool) -> str:
    """Render the first line of a reminder message."""
    title = safe_text(party.title, 100)
    if lead_minutes <= 0:
        text = f"🎉 **{title}** is starting now! {ts(party.starts_at, 'F')}"
    else:
        text = f"⏰ **{title}** starts {ts(party.starts_at, 'R')} ({ts(party.starts_at, 't')})"
    if party.link:
        text += f"\n{party.platform or 'Link'}: <{party.link}>"
    if late:
        text += "\n-# Sent late: I was offline when this reminder was due."
    return text


def cancel_summary(pinged: int, to_ping: int, rsvped: int) -> str:
    """Say truthfully whom a cancel notice reached: `pinged` of the `to_ping` members who kept
    pings on, out of the `rsvped` who answered Going or Maybe (the rest turned pings off)."""
    if rsvped == 0:
        return "Nobody had RSVPed, so nobody was pinged."
    quiet = rsvped - to_ping
    sees = "sees" if quiet == 1 else "see"
    if to_ping == 0:
        who = plural(quiet, "member")
        return f"Pinged nobody: {who} who RSVPed turned pings off and {sees} the post."
    if pinged == 0:
        text = "I couldn't post the cancel notice, so nobody was pinged"
    else:
        text = f"Pinged {plural(pinged, 'member')} who RSVPed"
        if pinged < to_ping:
            text += f"; the notice to {to_ping - pinged} more failed to post"
    if quiet:
        text += f"; {quiet} more turned pings off and {sees} the post"
    return text + "."
