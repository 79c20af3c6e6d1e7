"""Build RFC 5545 calendars for parties with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from icalendar import Event

from bot.domain.parties.model import Party
from bot.domain.parties.vtimezone import build_vtimezone
from bot.domain.text import clean_text

PRODID = "-//Lightstick//Streaming parties//EN"


def party_uid(party: Party) -> str:
    """Return the party's stable calendar UID (same party, same UID on every export)."""
    return f"party-{party.guild_id}-{party.id}@lightstick"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _description(party: Party, artist_name: str | None) -> str:
    lines: list[str] = []
    if artist_name:
        lines.append(f"Artist: {artist_name}")
    if party.link:
        label = f" ({party.platform})" if party.platform else ""
        lines.append(f"Link{label}: {party.link}")
    if party.notes:
        lines.append(party.notes)
    # Rows saved before the sanitiser existed may still hold controls; calendars never get them.
    return clean_text("\n".join(lines), multiline=True)


def _event(party: Party, stamp: datetime, artist_name: str | None) -> Event:
    from icalendar import Event, vRecur

    event = Event()
    event.add("uid", party_uid(party))
    event.add("dtstamp", stamp)
    if party.weekly:
        # A weekly repeat must follow the organiser's wall clock across DST, which a UTC
        # DTSTART with RRULE cannot express; so weekly parties carry a TZID (+ VTIMEZONE).
        zone = _zone(party.zone)
        event.add("dtstart", party.starts_at.astimezone(zone))
        event.add("dtend", party.ends_at.astimezone(zone))
        event.add("rrule", vRecur(freq="WEEKLY"))
    else:
        event.add("dtstart", party.starts_at.astimezone(UTC))
        event.add("dtend", party.ends_at.astimezone(UTC))
    event.add("summary", clean_text(party.title))
    description = _description(party, artist_name)
    if description:
        event.add("description", description)
    if party.link:
        event.add("url", party.link)
        event.add("location", party.link)
    event.add("status", "CANCELLED" if party.status == "cancelled" else "CONFIRMED")
    return event


def build_ics(
    parties: Iterable[Party],
    *,
    stamp: datetime | None = None,
    artist_names: Mapping[str, str] | None = None,
) -> bytes:
    """Return an RFC 5545 calendar (bytes) with one VEVENT per party."""
    now = (stamp or datetime.now(UTC)).astimezone(UTC)
    names = artist_names or {}
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    first_year: dict[str, int] = {}
    for party in parties:
        artist = names.get(party.artist_id) if party.artist_id else None
        calendar.add_component(_event(party, now, artist))
        if party.weekly:
            key = _zone(party.zone).key
            year = party.starts_at.astimezone(UTC).year - 1
            first_year[key] = min(first_year.get(key, year), year)
    fallback: date | None = None
    for key, year in first_year.items():
        # Yearly rules keep a weekly party at its local time for as long as the zone's law holds.
        vtimezone = build_vtimezone(key, year)
        if vtimezone is not None:
            calendar.add_component(vtimezone)
        else:
            fallback = min(fallback or date(year, 1, 1), date(year, 1, 1))
    if fallback is not None:
        calendar.add_missing_timezones(first_date=fallback)
    data: bytes = calendar.to_ical()
    return data
