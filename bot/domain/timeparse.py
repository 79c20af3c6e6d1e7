"""Read a party time written by a fan ("tomorrow 8pm", "내일 저녁 8시") as an aware UTC instant.

dateparser does the heavy lifting, but three of its habits are worked around here:
- "prefer future" is judged against whatever base it is given; we hand it the member's NAIVE wall
  clock, so "8pm" means the next 8 pm where the member lives, not in UTC (its known day-skip bug);
- relative phrases ("in 2 hours") come back as base + delta in wall time, which is an hour off
  across a DST change, so they are detected and re-applied to the absolute `now`;
- its Korean support misses most time words, so a small normalizer rewrites them into English.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import fuzz, process

from bot.errors import InvalidInput

__all__ = [
    "COMMON_ZONES",
    "MAX_AHEAD",
    "PAST_GRACE",
    "ZONE_ALIASES",
    "describe_examples",
    "normalize_korean",
    "parse_when",
    "resolve_zone",
    "search_zones",
]

log = logging.getLogger(__name__)

MAX_TEXT = 200
PAST_GRACE = timedelta(minutes=1)
MAX_AHEAD = timedelta(days=365)
# An odd shift (with seconds) that no wall-clock phrase can reproduce by accident.
_PROBE_SHIFT = timedelta(hours=1, minutes=7, seconds=13)
# Periods dateparser reports when the text pins a clock time (or "tonight"-style part of day).
_TIMED_PERIODS = frozenset({"time", "part_of_day"})
_SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "future",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "RETURN_TIME_AS_PERIOD": True,
    # No "timestamp" parser: a bare number must not become a 1970s epoch instant.
    "PARSERS": ["relative-time", "absolute-time"],
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day)?\b")
_IANA_RE = re.compile(r"\b[A-Za-z][A-Za-z_]*(?:/[A-Za-z0-9_+\-]+)+")

# --- zones ------------------------------------------------------------------------------------

# Where fans of Korean acts mostly live; ranked first in autocomplete.
COMMON_ZONES = (
    "Asia/Seoul", "Asia/Manila", "Asia/Tokyo", "Asia/Jakarta", "Asia/Bangkok",
    "Asia/Ho_Chi_Minh", "Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Taipei", "Asia/Hong_Kong",
    "Asia/Shanghai", "Asia/Kolkata", "Australia/Sydney", "Europe/Paris", "Europe/London",
    "Europe/Berlin", "Europe/Madrid", "Europe/Istanbul", "America/Sao_Paulo", "America/New_York",
    "America/Chicago", "America/Los_Angeles", "America/Mexico_City", "America/Lima",
    "America/Bogota", "America/Santiago", "America/Argentina/Buenos_Aires", "UTC",
)  # fmt: skip
# Only abbreviations that name one place for our fans (CST or IST would be a guess).
ZONE_ALIASES = {
    "KST": "Asia/Seoul", "JST": "Asia/Tokyo", "PHT": "Asia/Manila", "PHST": "Asia/Manila",
    "WIB": "Asia/Jakarta", "ICT": "Asia/Bangkok", "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong", "MYT": "Asia/Kuala_Lumpur", "CET": "Europe/Paris",
    "CEST": "Europe/Paris", "BST": "Europe/London", "BRT": "America/Sao_Paulo",
    "EST": "America/New_York", "EDT": "America/New_York", "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
}  # fmt: skip
MAX_ZONE_NAME = 64
_REGIONS = (
    "Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/",
    "Europe/", "Indian/", "Pacific/",
)  # fmt: skip


@cache
def _zone_index() -> tuple[dict[str, str], tuple[str, ...]]:
    """Every loadable zone by lower-case name, and the region zones offered in autocomplete."""
    every = {z for z in available_timezones() if z not in ("Factory", "localtime")}
    offered = [*sorted(z for z in every if z.startswith(_REGIONS)), "UTC"]
    return {z.lower(): z for z in every}, tuple(offered)


def _fold(text: str) -> str:
    """Lower-case, drop accents and treat "_", "-" and spaces alike ("São Paulo" -> "sao paulo")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().replace("_", " ").replace("-", " ").split())


def _city(zone: str) -> str:
    return _fold(zone.rsplit("/", 1)[-1])


def lookup_zone(name: str) -> ZoneInfo | None:
    """Return the zone for an IANA name (any case) or a known abbreviation, else None."""
    name = name.strip()
    if not name or len(name) > MAX_ZONE_NAME:
        return None
    by_lower, offered = _zone_index()
    key = ZONE_ALIASES.get(name.upper()) or by_lower.get(name.lower())
    if key is None:
        cities = [z for z in offered if _city(z) == _fold(name)]
        key = cities[0] if len(cities) == 1 else None
    return ZoneInfo(key) if key else None


def resolve_zone(name: str) -> ZoneInfo:
    """Return the ZoneInfo for an IANA name, city or abbreviation; raise InvalidInput if unknown."""
    zone = lookup_zone(name)
    if zone is None:
        raise InvalidInput(
            "I don't know that timezone. Pick one from the list, or type an IANA name such as "
            "`Asia/Seoul`, `Europe/Paris` or `America/Sao_Paulo`."
        )
    return zone


def search_zones(query: str, limit: int = 25) -> list[str]:
    """Return up to `limit` zone names matching `query`, common fan zones first."""
    _, offered = _zone_index()
    rank = {z: i for i, z in enumerate(COMMON_ZONES)}
    q = _fold(query)[:MAX_ZONE_NAME]
    if not q:
        return list(COMMON_ZONES[:limit])
    alias = ZONE_ALIASES.get(q.upper())
    scored: list[tuple[int, int, str]] = []
    for zone in offered:
        full, city = _fold(zone), _city(zone)
        if city == q or full == q:
            tier = 0
        elif city.startswith(q):
            tier = 1
        elif full.startswith(q) or any(w.startswith(q) for w in city.split()):
            tier = 2
        elif q in full:
            tier = 3
        else:
            continue
        scored.append((tier, rank.get(zone, len(rank)), zone))
    found = [zone for _, _, zone in sorted(scored)]
    if not found and len(q) >= 3:
        # A typo ("seol", "manilla"): fall back to fuzzy matching on city names.
        cities = {zone: _city(zone) for zone in offered}
        hits = process.extract(q, cities, scorer=fuzz.WRatio, limit=limit, score_cutoff=75)
        found = [zone for _, _, zone in hits]
    if alias:
        found = [alias, *(z for z in found if z != alias)]
    return found[:limit]


# --- Korean -> English -------------------------------------------------------------------------

_NATIVE_NUMBERS = {
    "열한": 11, "열두": 12, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
    "한": 1, "두": 2, "세": 3, "네": 4, "열": 10,
}  # fmt: skip
_NUM = r"(\d{1,2}|" + "|".join(_NATIVE_NUMBERS) + ")"
_DAY_WORDS = {"어제": -1, "오늘": 0, "내일모레": 2, "내일": 1, "모레": 2, "글피": 3}
_KO_WEEKDAYS = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}
_DURATION_RE = re.compile(
    r"(?:(?P<d>\d{1,3})\s*일\s*)?(?:(?P<h>" + _NUM[1:-1] + r")\s*시간\s*(?P<half>반\s*)?)?"
    r"(?:(?P<m>\d{1,4})\s*분\s*)?(?:후|뒤|있다가|이따가)(?:에)?"
)
_CLOCK_RE = re.compile(
    r"(?:(?P<period>오전|오후|아침|낮|저녁|새벽|밤)\s*)?"
    r"(?:(?P<h>" + _NUM[1:-1] + r")\s*시(?!간)\s*(?:(?P<half>반)|(?P<m>\d{1,2})\s*분)?"
    r"|(?P<hc>\d{1,2}):(?P<mc>\d{2}))"
    r"\s*(?:에|쯤|경)?"
)
_NAMED_TIMES = {"정오": (12, 0), "자정": (0, 1)}
_PART_OF_DAY = {"아침": "morning", "오후": "afternoon", "저녁": "evening", "밤": "night"}
_DAY_RE = re.compile("|".join(_DAY_WORDS))
_KO_WEEKDAY_RE = re.compile(r"(?:이번\s*주\s*)?([월화수목금토일])요일(?:\s*에)?")


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NATIVE_NUMBERS[token]


def _to_24h(period: str | None, hour: int) -> tuple[int, int] | None:
    """Map a Korean period word and clock hour to (24-hour hour, days to add); None if nonsense."""
    if hour > 24:
        return None
    if hour == 24:
        return 0, 1
    if not period:
        return hour, 0
    if hour > 12:
        # "오후 15시", "밤 22시": already a 24-hour figure; "오전 15시" is a contradiction.
        return (hour, 0) if period in ("오후", "낮", "저녁", "밤") else None
    if period in ("오전", "아침", "새벽"):
        return hour % 12, 0
    if period in ("오후", "낮"):
        return (12 if hour == 12 else hour + 12), 0
    if period == "저녁":
        return (0, 1) if hour == 12 else (hour + 12, 0)
    # 밤: 6-11 is this evening; 12 and the small hours belong to the night after midnight.
    if hour == 12 or hour <= 5:
        return hour % 12, 1
    return hour + 12, 0


def _english_day(offset: int) -> str:
    return {-1: "yesterday", 0: "today", 1: "tomorrow", 2: "day after tomorrow"}.get(
        offset, f"in {offset} days"
    )


def normalize_korean(text: str) -> str:
    """Rewrite common Korean date/time words into English dateparser reads reliably."""
    if not re.search(r"[\uac00-\ud7a3]", text):
        return text
    day_shift = 0

    def duration(m: re.Match[str]) -> str:
        parts = []
        if m["d"]:
            parts.append(f"{int(m['d'])} days")
        if m["h"]:
            parts.append(f"{_number(m['h'])} hours")
        minutes = (30 if m["half"] else 0) + (int(m["m"]) if m["m"] else 0)
        if minutes:
            parts.append(f"{minutes} minutes")
        return f" in {' '.join(parts)} " if parts else m[0]

    def clock(m: re.Match[str]) -> str:
        nonlocal day_shift
        if m["hc"] is not None:
            hour, minute = int(m["hc"]), int(m["mc"])
        else:
            hour = _number(m["h"])
            minute = 30 if m["half"] else int(m["m"] or 0)
        mapped = _to_24h(m["period"], hour)
        if mapped is None or minute > 59:
            return m[0]
        hour, shift = mapped
        day_shift = max(day_shift, shift)
        return f" {hour:02d}:{minute:02d} "

    out = unicodedata.normalize("NFKC", text)
    out = _DURATION_RE.sub(duration, out)
    out = _CLOCK_RE.sub(clock, out)
    for word, (hour, shift) in _NAMED_TIMES.items():
        if word in out:
            out = out.replace(word, f" {hour:02d}:00 ")
            day_shift = max(day_shift, shift)
    shift_used = False

    def day(m: re.Match[str]) -> str:
        nonlocal shift_used
        shift_used = True
        return f" {_english_day(_DAY_WORDS[m[0]] + day_shift)} "

    def weekday(m: re.Match[str]) -> str:
        nonlocal shift_used
        if shift_used:
            return " "
        shift_used = True
        return f" {_WEEKDAYS[(_KO_WEEKDAYS[m[1]] + day_shift) % 7]} "

    out = _DAY_RE.sub(day, out, count=1)
    out = _KO_WEEKDAY_RE.sub(weekday, out, count=1)
    for word, english in _PART_OF_DAY.items():
        out = out.replace(word, f" {english} ")
    return " ".join(out.split())


# --- English touch-ups ------------------------------------------------------------------------

_H_CLOCK_RE = re.compile(r"\b([01]?\d|2[0-3])h([0-5]\d)?\b(?!\s*(?:later|from|after|ago))")
_DOT_CLOCK_RE = re.compile(r"\b(\d{1,2})\.([0-5]\d)\s*(am|pm)\b")


def _normalize_english(text: str) -> str:
    """Accept the "20h"/"20h30" style of French and Brazilian fans and "8.30pm"."""

    def h_clock(m: re.Match[str]) -> str:
        before = text[: m.start()].rstrip().lower()
        if before.endswith("in"):
            return m[0]  # "in 2h" is a duration
        return f"{int(m[1]):02d}:{m[2] or '00'}"

    text = _H_CLOCK_RE.sub(h_clock, text)
    return _DOT_CLOCK_RE.sub(r"\1:\2\3", text)


# --- parsing ----------------------------------------------------------------------------------


def describe_examples(now: datetime | None = None) -> str:
    """Return the example phrases shown whenever a time cannot be used."""
    today = (now or datetime.now(UTC)).date()
    sample = today + timedelta(days=14)
    return (
        "Try `tomorrow 8pm`, `in 2 hours`, `friday 20:00`, "
        f"`{sample.isoformat()} 18:00 KST`, `내일 저녁 8시`, `모레 오후 3시` or `3시간 후`. "
        "Times are read in your `/timezone` unless you name a zone."
    )


def _split_zone(text: str) -> tuple[str, tzinfo | None]:
    """Remove an explicit zone ("Asia/Seoul", "KST", "+09:00") from the text and return it."""
    for m in _IANA_RE.finditer(text):
        zone = lookup_zone(m[0])
        if zone is not None:
            return text[: m.start()] + " " + text[m.end() :], zone
    # Imported on first use: dateparser costs ~5 MB and start-up time most bots never need.
    from dateparser.timezone_parser import pop_tz_offset_from_string

    rest, found = pop_tz_offset_from_string(text)
    if found is None:
        return text, None
    offset = found.utcoffset(None)
    return rest, timezone(offset, found.tzname(None))


def _dateparse(text: str, base: datetime) -> tuple[datetime, str] | None:
    settings = {**_SETTINGS, "RELATIVE_BASE": base}
    try:
        from dateparser.date import DateDataParser

        data = DateDataParser(languages=["en", "ko"], settings=settings).get_date_data(text)
    # dateparser raises assorted errors (overflow, bad day-of-month) on odd text; to the member
    # these are all "I couldn't read that".
    except Exception:
        log.debug("dateparser failed on %r", text, exc_info=True)
        return None
    if data.date_obj is None:
        return None
    return data.date_obj.replace(tzinfo=None), str(data.period)


def _weekday_today_fix(text: str, base: datetime, found: datetime) -> datetime:
    """Make "friday 20:00" said on a Friday morning mean tonight, as people mean it."""
    lowered = text.lower()
    if "next" in lowered or not _WEEKDAY_RE.search(lowered):
        return found
    earlier = found - timedelta(days=7)
    if earlier.date() == base.date() and earlier > base:
        return earlier
    return found


def _to_utc(wall: datetime, zone: tzinfo) -> datetime:
    # fold=0 picks the first of two repeated wall times, and for a wall time skipped by a DST gap
    # applies the pre-gap offset, which lands as far after the gap as it was inside it
    # (02:30 -> 03:30), which is what people expect.
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _zone_label(zone: tzinfo, instant: datetime) -> str:
    local = instant.astimezone(zone)
    name = zone.key if isinstance(zone, ZoneInfo) else local.tzname()
    return f"{local:%Y-%m-%d %H:%M} ({name})"


def parse_when(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """Parse a fan's party time, read in `zone` unless the text names one, as an aware UTC time.

    Raises InvalidInput (with examples) for unreadable text, a missing time of day, times more
    than a minute in the past, and times more than 365 days ahead.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    examples = describe_examples(now)
    cleaned = " ".join(unicodedata.normalize("NFKC", text).split())
    if not cleaned:
        raise InvalidInput(f"Tell me when the party starts. {examples}")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(f"That time is too long to read (max {MAX_TEXT} characters). {examples}")

    english = _normalize_english(normalize_korean(cleaned))
    rest, explicit = _split_zone(english)
    read_in: tzinfo = explicit or zone
    base = now.astimezone(read_in).replace(tzinfo=None, microsecond=0)
    first = _dateparse(rest, base)
    if first is None:
        raise InvalidInput(f"I couldn't read that as a date and time. {examples}")
    found, period = first
    if period not in _TIMED_PERIODS:
        raise InvalidInput(f"Add a time of day, not just a date. {examples}")

    probe = _dateparse(rest, base + _PROBE_SHIFT)
    if probe is not None and probe[0] - found == _PROBE_SHIFT:
        # It moved with the base: a duration ("in 2 hours"), so apply it to the real instant.
        result = now.replace(microsecond=0) + (found - base)
    else:
        result = _to_utc(_weekday_today_fix(rest, base, found), read_in)

    if result < now - PAST_GRACE:
        raise InvalidInput(
            f"That time, {_zone_label(read_in, result)}, has already passed. {examples}"
        )
    if result > now + MAX_AHEAD:
        raise InvalidInput(
            f"That time, {_zone_label(read_in, result)}, is more than a year away; "
            f"parties can be planned up to 365 days ahead. {examples}"
        )
    return result
