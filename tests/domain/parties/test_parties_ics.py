"""ICS export: RFC 5545 built with icalendar and parsed back by the same library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
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
