"""Describe an IANA zone as an RFC 5545 VTIMEZONE with yearly rules (RRULE), from zoneinfo.

A calendar app keeps a weekly party at its local time only while the VTIMEZONE covers the date.
icalendar's generated VTIMEZONE lists each change as an RDATE and stops in 2038; here each
STANDARD/DAYLIGHT part is one yearly rule ("2nd Sunday of March at 02:00", RFC 5545 3.6.5),
which holds as long as the zone's law does. A zone whose changes follow no "nth weekday of a
month" rule (none of the common fan zones) returns None, and the caller falls back to icalendar.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from icalendar import Timezone

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_CHECK_YEARS = 4  # a rule must describe this many consecutive years of real changes


@dataclass(frozen=True)
class _Change:
    """One clock change: the wall time it happens at (old offset) and the offsets around it."""

    wall: datetime  # naive, in the offset before the change
    before: timedelta
    after: timedelta
    name: str


def _changes(zone: ZoneInfo, year: int) -> list[_Change]:
    """Return the zone's offset changes during `year`, found hour by hour then minute by minute."""
    found: list[_Change] = []
    t = datetime(year, 1, 1, tzinfo=UTC) - timedelta(hours=14)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(hours=14)
    prev = t.astimezone(zone).utcoffset()
    while t < end:
        nxt = t + timedelta(hours=1)
        offset = nxt.astimezone(zone).utcoffset()
        if offset != prev:
            m = t
            while m.astimezone(zone).utcoffset() == prev:
                m += timedelta(minutes=1)
            local = m.astimezone(zone)
            before = prev or timedelta(0)
            wall = (m + before).replace(tzinfo=None)
            if wall.year == year:
                found.append(_Change(wall, before, offset or timedelta(0), local.tzname() or ""))
            prev = offset
        t = nxt
    return found


def _rule(day: date) -> tuple[int, str]:
    """Return (month, BYDAY) for a day: "2SU" = second Sunday, "-1SU" = last Sunday."""
    last = calendar.monthrange(day.year, day.month)[1]
    weekday = _DAYS[day.weekday()]
    if day.day + 7 > last:
        return day.month, f"-1{weekday}"
    return day.month, f"{(day.day - 1) // 7 + 1}{weekday}"


def _nth(year: int, month: int, byday: str) -> date:
    weekday = _DAYS.index(byday[-2:])
    n = int(byday[:-2])
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month]
    matching = [d for d in days if d.weekday() == weekday]
    return matching[n - 1] if n > 0 else matching[n]


def build_vtimezone(key: str, first_year: int) -> Timezone | None:
    """Return a VTIMEZONE for IANA `key` with yearly rules from `first_year` on, or None.

    None means the zone's changes are not a fixed "nth weekday of a month" pattern over the
    years checked; the caller should then use icalendar's own (dated) VTIMEZONE.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    zone = ZoneInfo(key)
    changes = _changes(zone, first_year)
    tz = Timezone()
    tz.add("tzid", key)
    if not changes:
        at = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(zone)
        fixed = TimezoneStandard()
        fixed.add("dtstart", datetime(1970, 1, 1))  # noqa: DTZ001 - RFC 5545 local time
        fixed.add("tzoffsetfrom", at.utcoffset() or timedelta(0))
        fixed.add("tzoffsetto", at.utcoffset() or timedelta(0))
        fixed.add("tzname", at.tzname())
        tz.add_component(fixed)
        return tz
    for change in changes:
        month, byday = _rule(change.wall.date())
        for year in range(first_year + 1, first_year + _CHECK_YEARS):
            again = [c for c in _changes(zone, year) if c.after == change.after]
            expected = _nth(year, month, byday)
            if not any(c.wall.date() == expected and c.wall.time() == change.wall.time()
                       for c in again):  # fmt: skip
                return None
        part: TimezoneDaylight | TimezoneStandard = (
            TimezoneDaylight() if change.after > change.before else TimezoneStandard()
        )
        part.add("dtstart", change.wall)
        part.add("rrule", vRecur(freq="YEARLY", bymonth=month, byday=byday))
        part.add("tzoffsetfrom", change.before)
        part.add("tzoffsetto", change.after)
        part.add("tzname", change.name)
        tz.add_component(part)
    return tz
