"""Time zones for fans: IANA lookup and search, and the zone names people write after a time.

Abbreviations are never read from a fixed offset table: each maps to IANA zones (zoneinfo then
gives the offset of that date, DST included), so "1pm ET" in June is New York's 13:00 EDT.
An abbreviation that names several places (IST, CST, BST...) is resolved from the member's own
zone when that zone uses it, and otherwise the member is asked. Sources: IANA tz database
abbreviations (tzdata), and US/Australian usage where "EST"/"AEST" written in summer means the
local wall clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import fuzz, process

from bot.errors import InvalidInput

# Where fans of Korean acts mostly live; ranked first in autocomplete.
COMMON_ZONES = (
    "Asia/Seoul", "Asia/Manila", "Asia/Tokyo", "Asia/Jakarta", "Asia/Bangkok",
    "Asia/Ho_Chi_Minh", "Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Taipei", "Asia/Hong_Kong",
    "Asia/Shanghai", "Asia/Kolkata", "Australia/Sydney", "Europe/Paris", "Europe/London",
    "Europe/Berlin", "Europe/Madrid", "Europe/Istanbul", "America/Sao_Paulo", "America/New_York",
    "America/Chicago", "America/Los_Angeles", "America/Mexico_City", "America/Lima",
    "America/Bogota", "America/Santiago", "America/Argentina/Buenos_Aires", "UTC",
)  # fmt: skip
# Abbreviations that name one place for our fans -> that place's IANA zone.
ZONE_ALIASES = {
    "KST": "Asia/Seoul", "JST": "Asia/Tokyo", "PHT": "Asia/Manila", "PHST": "Asia/Manila",
    "WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura",
    "ICT": "Asia/Bangkok", "SGT": "Asia/Singapore", "HKT": "Asia/Hong_Kong",
    "MYT": "Asia/Kuala_Lumpur", "CET": "Europe/Paris", "CEST": "Europe/Paris",
    "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "EET": "Europe/Athens",
    "EEST": "Europe/Athens", "MSK": "Europe/Moscow", "BRT": "America/Sao_Paulo",
    "ART": "America/Argentina/Buenos_Aires", "CLT": "America/Santiago", "PET": "America/Lima",
    "COT": "America/Bogota", "ET": "America/New_York", "EST": "America/New_York",
    "EDT": "America/New_York", "CT": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage", "HST": "Pacific/Honolulu", "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney", "AET": "Australia/Sydney", "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland", "PKT": "Asia/Karachi",
    "NPT": "Asia/Kathmandu", "GST": "Asia/Dubai",
}  # fmt: skip
# Abbreviations that name several places: asked about unless the member's own zone uses them.
AMBIGUOUS_ABBREVIATIONS = {
    "IST": ("Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"),
    "CST": ("America/Chicago", "Asia/Shanghai", "Asia/Taipei", "America/Havana"),
    "BST": ("Europe/London", "Asia/Dhaka"),
    "AST": ("America/Halifax", "Asia/Riyadh"),
    "ACST": ("Australia/Adelaide", "Australia/Darwin"),
}
# What a person calls each zone in a sentence ("read as Korea time (KST)").
ZONE_NAMES = {
    "Asia/Seoul": "Korea time", "Asia/Tokyo": "Japan time", "Asia/Manila": "Philippine time",
    "Asia/Jakarta": "Western Indonesia time", "Asia/Makassar": "Central Indonesia time",
    "Asia/Jayapura": "Eastern Indonesia time", "Asia/Bangkok": "Indochina time",
    "Asia/Singapore": "Singapore time", "Asia/Hong_Kong": "Hong Kong time",
    "Asia/Kuala_Lumpur": "Malaysia time", "Europe/Paris": "Central European time",
    "Europe/Lisbon": "Western European time", "Europe/Athens": "Eastern European time",
    "Europe/Moscow": "Moscow time", "America/Sao_Paulo": "Brasília time",
    "America/Argentina/Buenos_Aires": "Argentina time", "America/Santiago": "Chile time",
    "America/Lima": "Peru time", "America/Bogota": "Colombia time",
    "America/New_York": "US Eastern time", "America/Chicago": "US Central time",
    "America/Denver": "US Mountain time", "America/Los_Angeles": "US Pacific time",
    "America/Anchorage": "Alaska time", "Pacific/Honolulu": "Hawaii time",
    "Australia/Sydney": "Australian Eastern time", "Australia/Perth": "Australian Western time",
    "Pacific/Auckland": "New Zealand time", "Asia/Karachi": "Pakistan time",
    "Asia/Kathmandu": "Nepal time", "Asia/Dubai": "Gulf time", "Asia/Kolkata": "India time",
    "Asia/Jerusalem": "Israel time", "Europe/Dublin": "Irish time", "Asia/Shanghai": "China time",
    "Asia/Taipei": "Taiwan time", "America/Havana": "Cuba time", "Europe/London": "UK time",
    "Asia/Dhaka": "Bangladesh time", "America/Halifax": "Atlantic time",
    "Asia/Riyadh": "Arabia time", "Australia/Adelaide": "Australian Central time (Adelaide)",
    "Australia/Darwin": "Australian Central time (Darwin)",
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
    # An abbreviation offers its zone first; an ambiguous one offers every zone it can mean.
    alias_keys = AMBIGUOUS_ABBREVIATIONS.get(q.upper()) or (
        (ZONE_ALIASES[q.upper()],) if q.upper() in ZONE_ALIASES else ()
    )
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
    if alias_keys:
        found = [*alias_keys, *(z for z in found if z not in alias_keys)]
    return found[:limit]


# --- zones written in a phrase ------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneReading:
    """The zone a phrase is read in: `zone` (ZoneInfo or fixed offset) and how it was chosen."""

    zone: tzinfo
    label: str  # "Korea time (KST)", "America/Sao_Paulo"
    reason: str  # "you wrote KST", "your timezone"


# Words people write for a zone, in the fans' languages -> an abbreviation or IANA name.
_ZONE_WORDS = [
    (r"한국\s*시간|한국시|서울\s*시간|韓国時間|韓国時|เวลาเกาหลี|waktu\s+korea", "KST"),
    (r"일본\s*시간|日本時間|เวลาญี่ปุ่น|waktu\s+jepang", "JST"),
    (r"เวลาไทย|เวลาประเทศไทย", "ICT"),
    (r"(?:korean?|seoul|kpop)\s+(?:standard\s+)?time|hora\s+(?:de\s+)?(?:corea|coreana|seul)"
     r"|hor[áa]rio\s+(?:da\s+)?(?:coreia|coreano|de\s+seul)", "KST"),
    (r"(?:japan|japanese|tokyo)\s+time|hora\s+(?:de\s+)?jap[óo]n|hor[áa]rio\s+(?:do\s+)?jap[ãa]o",
     "JST"),
    (r"hor[áa]rio\s+de\s+bras[íi]lia|(?:brazil|brazilian|brasilia)\s+time", "BRT"),
    (r"(?:philippine|manila|ph)\s+time", "PHT"),
    (r"(?:indian?)\s+(?:standard\s+)?time", "Asia/Kolkata"),
    (r"(?:uk|london|british)\s+time", "Europe/London"),
    (r"(?:us\s+)?eastern\s+(?:standard\s+|daylight\s+)?time", "ET"),
    (r"(?:us\s+)?central\s+(?:standard\s+|daylight\s+)?time", "CT"),
    (r"(?:us\s+)?mountain\s+(?:standard\s+|daylight\s+)?time", "MT"),
    (r"(?:us\s+)?pacific\s+(?:standard\s+|daylight\s+)?time", "PT"),
]  # fmt: skip
_ZONE_WORDS_RE = [(re.compile(p, re.IGNORECASE), name) for p, name in _ZONE_WORDS]
_IANA_RE = re.compile(r"\b[A-Za-z][A-Za-z_]*(?:/[A-Za-z0-9_+\-]+)+")
_OFFSET_RE = re.compile(
    r"\b(?P<base>utc|gmt)(?:\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?(?![\w/])"
    r"|(?<=\d)\s*(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})\b|(?<=\d)(?P<z>Z)\b",
    re.IGNORECASE,
)
_ABBR_RE = re.compile(r"(?<![\w/])([A-Za-z]{2,5})(?![\w/])")
_AFTER_CLOCK_RE = re.compile(r"(?:\d|am|pm|h)\s*$", re.IGNORECASE)


def zone_name(zone: tzinfo, at: datetime) -> str:
    """Return how a person calls `zone` ("Korea time", "UTC+09:00", "America/Lima")."""
    if isinstance(zone, ZoneInfo):
        return ZONE_NAMES.get(zone.key, zone.key)
    return _offset_label(zone.utcoffset(at) or timedelta(0))


def zone_key(zone: tzinfo, at: datetime) -> str:
    """Return the IANA key that keeps `zone`'s wall clock, for storing with a party.

    A ZoneInfo gives its own key; a fixed offset (a phrase's "UTC+9") gives the matching
    "Etc/GMT-9" (POSIX signs: inverted). An offset IANA has no name for (+05:30, -13) gives
    "UTC": neither has DST, so a week later is the same wall time in both.
    """
    if isinstance(zone, ZoneInfo):
        return zone.key
    seconds = int((zone.utcoffset(at) or timedelta(0)).total_seconds())
    key = f"Etc/GMT{-seconds // 3600:+d}"
    # IANA's Etc zones run from Etc/GMT-14 (UTC+14) to Etc/GMT+12 (UTC-12).
    if seconds == 0 or seconds % 3600 or not -12 <= seconds // 3600 <= 14:
        return "UTC"
    return key


def _offset_label(offset: timedelta) -> str:
    if not offset:
        return "UTC"
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _uses(zone: ZoneInfo, abbr: str, now: datetime) -> bool:
    """True if `zone` calls its time `abbr` now or half a year from now (DST names included)."""
    return any(
        (now + timedelta(days=d)).astimezone(zone).tzname() == abbr for d in (0, 91, 182, 273)
    )


def _describe(key: str) -> str:
    return f"{ZONE_NAMES.get(key, key)} ({key})"


def _abbreviation(
    abbr: str, member: ZoneInfo, now: datetime, written: str | None = None
) -> ZoneReading:
    reason = f"you wrote {written or abbr}"
    if _uses(member, abbr, now):
        return ZoneReading(member, f"{zone_name(member, now)} ({abbr})", reason)
    choices = AMBIGUOUS_ABBREVIATIONS.get(abbr)
    if choices:
        listed = ", ".join(_describe(c) for c in choices[:-1]) + f" or {_describe(choices[-1])}"
        raise InvalidInput(
            f"`{abbr}` means different zones: {listed}. Write the zone you mean instead, "
            f"e.g. `8pm {choices[0]}` or `8pm {choices[1]}`, or set yours with `/timezone set`."
        )
    key = ZONE_ALIASES[abbr]
    return ZoneReading(ZoneInfo(key), f"{ZONE_NAMES.get(key, key)} ({abbr})", reason)


def _offset(m: re.Match[str]) -> tuple[tzinfo, str]:
    if m["z"]:
        return UTC, "Z"
    sign, hours, minutes = (
        (m["sign"], m["h"], m["m"]) if m["base"] else (m["sign2"], m["h2"], m["m2"])
    )
    if sign is None:
        return UTC, m["base"].upper()
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > timedelta(hours=14) or int(minutes or 0) >= 60:
        raise InvalidInput(f"`{m[0].strip()}` is not a real UTC offset (they run from -12 to +14).")
    return timezone(-delta if sign == "-" else delta), m[0].strip()


def split_zone(text: str, member: ZoneInfo, now: datetime) -> tuple[str, ZoneReading]:
    """Remove a zone written in `text` and return (rest, how to read it); else the member's zone.

    Raises InvalidInput when the written zone is ambiguous for this member or impossible.
    """
    for pattern, name in _ZONE_WORDS_RE:
        m = pattern.search(text)
        if m:
            rest = text[: m.start()] + " " + text[m.end() :]
            if "/" in name:
                return rest, ZoneReading(ZoneInfo(name), _describe(name), f"you wrote {m[0]}")
            return rest, _abbreviation(name, member, now, " ".join(m[0].split()))
    for m in _IANA_RE.finditer(text):
        zone = lookup_zone(m[0])
        if zone is not None:
            rest = text[: m.start()] + " " + text[m.end() :]
            return rest, ZoneReading(zone, zone.key, f"you wrote {m[0]}")
    m = _OFFSET_RE.search(text)
    if m:
        fixed, written = _offset(m)
        label = _offset_label(fixed.utcoffset(None) or timedelta(0))
        return text[: m.start()] + " " + text[m.end() :], ZoneReading(
            fixed, label, f"you wrote {written}"
        )
    for m in _ABBR_RE.finditer(text):
        word, abbr = m[1], m[1].upper()
        if abbr not in ZONE_ALIASES and abbr not in AMBIGUOUS_ABBREVIATIONS:
            continue
        # Lower-case "art", "pet" or "et" are words; only a zone right after a clock time is.
        if not word.isupper() and (len(word) < 3 or not _AFTER_CLOCK_RE.search(text[: m.start()])):
            continue
        return text[: m.start()] + " " + text[m.end() :], _abbreviation(abbr, member, now)
    return text, ZoneReading(member, member.key, "your timezone")
