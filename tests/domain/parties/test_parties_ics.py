"""ICS export: RFC 5545 built with icalendar; read back by icalendar and checked with dateutil."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from dateutil.tz import tzical
from icalendar import Calendar

from bot.domain.parties import Party, build_ics, party_uid

STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _party(**overrides: object) -> Party:
    fields: dict[str, object] = {
        "id": 7,
        "guild_id": 42,
        "title": "MV party",
        "starts_at": datetime(2026, 3, 20, 9, 0, tzinfo=UTC),
        "duration": timedelta(minutes=90),
        "channel_id": 1,
        "organiser_id": 2,
        "zone": "Asia/Seoul",
    }
    fields.update(overrides)
    return Party(**fields)  # type: ignore[arg-type]


def _events(data: bytes) -> list[object]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_one_party_round_trip() -> None:
    """UID, DTSTAMP, UTC DTSTART/DTEND, SUMMARY, DESCRIPTION and URL survive a round trip."""
    party = _party(link="https://youtu.be/abc", platform="YouTube", notes="Bring lightsticks")
    cal = Calendar.from_ical(build_ics([party], stamp=STAMP, artist_names={}))
    assert str(cal["VERSION"]) == "2.0"
    assert "Lightstick" in str(cal["PRODID"])
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == party_uid(party) == "party-42-7@lightstick"
    assert event.decoded("DTSTAMP") == STAMP
    start = event.decoded("DTSTART")
    assert start == party.starts_at
    assert start.utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == party.starts_at + timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "MV party"
    assert str(event["URL"]) == "https://youtu.be/abc"
    description = str(event["DESCRIPTION"])
    assert "Bring lightsticks" in description
    assert "https://youtu.be/abc" in description
    assert "RRULE" not in event


def test_uid_is_stable_across_exports() -> None:
    """Exporting the same party twice (even after an edit) yields the same UID."""
    first = _events(build_ics([_party()], stamp=STAMP))
    second = _events(build_ics([_party(title="Renamed")], stamp=STAMP + timedelta(days=1)))
    assert str(first[0]["UID"]) == str(second[0]["UID"])  # type: ignore[index]


def test_special_characters_are_escaped() -> None:
    """Commas, semicolons, backslashes, newlines and Hangul round-trip unchanged."""
    title = "컴백; MV, party \\ night"
    notes = "Line one\nLine two; with, punctuation\r\nBEGIN:VEVENT"
    data = build_ics([_party(title=title, notes=notes)], stamp=STAMP)
    # The injected "BEGIN:VEVENT" stays escaped text inside DESCRIPTION, not a new line.
    assert data.count(b"\r\nBEGIN:VEVENT\r\n") == 1
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert "Line two; with, punctuation" in str(event["DESCRIPTION"])


def test_artist_name_in_description() -> None:
    """A linked act's display name appears in the description."""
    [event] = _events(
        build_ics([_party(artist_id="ive")], stamp=STAMP, artist_names={"ive": "IVE (아이브)"})
    )
    assert "IVE (아이브)" in str(event["DESCRIPTION"])  # type: ignore[index]


def test_weekly_rrule_keeps_local_time_across_dst() -> None:
    """A weekly party carries RRULE:FREQ=WEEKLY whose expansion stays at 20:00 Paris time."""
    paris = ZoneInfo("Europe/Paris")
    start = datetime(2026, 3, 22, 19, 0, tzinfo=UTC)  # 20:00 CET, a week before DST
    data = build_ics([_party(starts_at=start, weekly=True, zone="Europe/Paris")], stamp=STAMP)
    cal = Calendar.from_ical(data)
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Paris"]
    [event] = cal.walk("VEVENT")
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    dtstart = event.decoded("DTSTART")
    assert dtstart == start
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=dtstart)
    occurrences = [dt for _, dt in zip(range(3), rule, strict=False)]
    assert [o.astimezone(paris).hour for o in occurrences] == [20, 20, 20]
    assert occurrences[1].astimezone(UTC) == datetime(2026, 3, 29, 18, 0, tzinfo=UTC)


def test_many_parties() -> None:
    """Several parties give one VEVENT each with distinct UIDs."""
    data = build_ics([_party(id=i) for i in range(1, 4)], stamp=STAMP)
    uids = {str(e["UID"]) for e in _events(data)}  # type: ignore[index]
    assert uids == {"party-42-1@lightstick", "party-42-2@lightstick", "party-42-3@lightstick"}


def test_cancelled_status() -> None:
    """A cancelled party is exported with STATUS:CANCELLED."""
    [event] = _events(build_ics([_party(status="cancelled")], stamp=STAMP))
    assert str(event["STATUS"]) == "CANCELLED"  # type: ignore[index]


# --- VTIMEZONE with yearly rules (issue 12, item 5) -----------------------------------------------

FAN_ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Europe/Paris",
             "America/Chicago", "Asia/Seoul", "America/Sao_Paulo", "Asia/Tokyo"]  # fmt: skip


def _offset_from_rules(vtimezone: Any, instant: datetime) -> timedelta:
    """Evaluate a VTIMEZONE's RRULEs with dateutil (not icalendar) at a UTC instant."""
    latest: tuple[datetime, timedelta] | None = None
    for part in vtimezone.subcomponents:
        start = part.decoded("DTSTART")
        before, after = part.decoded("TZOFFSETFROM"), part.decoded("TZOFFSETTO")
        onsets = [start]
        if "RRULE" in part:
            rule = rrulestr(part["RRULE"].to_ical().decode(), dtstart=start)
            onsets = list(rule.between(start, instant.replace(tzinfo=None) + before, inc=True))
        for onset in onsets:
            at = (onset - before).replace(tzinfo=UTC)
            if at <= instant and (latest is None or at > latest[0]):
                latest = (at, after)
    assert latest is not None
    return latest[1]


@pytest.mark.parametrize("zone", FAN_ZONES)
def test_vtimezone_is_yearly_rules_right_far_past_2038(zone: str) -> None:
    """The VTIMEZONE is yearly RRULEs (no RDATE) giving zoneinfo's offset each month to 2050."""
    start = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    data = build_ics([_party(starts_at=start, weekly=True, zone=zone)], stamp=STAMP)
    assert b"RDATE" not in data
    assert b"2038" not in data
    [vtimezone] = Calendar.from_ical(data).walk("VTIMEZONE")
    assert vtimezone["TZID"] == zone
    for year in (2027, 2037, 2039, 2045, 2050):
        for month in range(1, 13):
            instant = datetime(year, month, 15, 12, 0, tzinfo=UTC)
            expected = instant.astimezone(ZoneInfo(zone)).utcoffset()
            assert _offset_from_rules(vtimezone, instant) == expected, (zone, instant)


def test_weekly_party_stays_at_local_time_in_2040() -> None:
    """Read by dateutil's own VTIMEZONE parser (tzical), the weeks of 2040 are still 20:00."""
    new_york = ZoneInfo("America/New_York")
    start = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # Tue 1 Dec 20:00 EST
    data = build_ics([_party(starts_at=start, weekly=True, zone="America/New_York")], stamp=STAMP)
    text = data.decode()
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE") + 13]
    calendar_zone = tzical(StringIO(block)).get("America/New_York")
    [event] = Calendar.from_ical(data).walk("VEVENT")
    local_start = event.decoded("DTSTART").replace(tzinfo=None)
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=local_start)
    weeks = rule.between(datetime(2040, 1, 1), datetime(2040, 12, 31))  # noqa: DTZ001
    assert len(weeks) == 52
    for week in weeks:
        instant = week.replace(tzinfo=calendar_zone).astimezone(UTC)
        assert instant.astimezone(new_york).strftime("%H:%M") == "20:00", week
