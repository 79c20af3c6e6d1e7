"""Read a party time written by a fan ("tomorrow 8pm", "내일 저녁 8시", "amanhã às 20h").

Right or refused, never silently wrong: words.py rewrites each language into one small English
vocabulary, grammar.py picks out the day, clock, duration and zone, and reader.py settles the
instant with zoneinfo (DST included), refusing with examples whenever it is unsure.
"""

from bot.domain.timeparse.reader import (
    MAX_AHEAD,
    MAX_TEXT,
    MONTH_FIRST_LOCALES,
    PAST_GRACE,
    Reading,
    describe_examples,
    parse_when,
    read_when,
)
from bot.domain.timeparse.zones import (
    AMBIGUOUS_ABBREVIATIONS,
    COMMON_ZONES,
    ZONE_ALIASES,
    lookup_zone,
    resolve_zone,
    search_zones,
)

__all__ = [
    "AMBIGUOUS_ABBREVIATIONS",
    "COMMON_ZONES",
    "MAX_AHEAD",
    "MAX_TEXT",
    "MONTH_FIRST_LOCALES",
    "PAST_GRACE",
    "ZONE_ALIASES",
    "Reading",
    "describe_examples",
    "lookup_zone",
    "parse_when",
    "read_when",
    "resolve_zone",
    "search_zones",
]
