"""Pick the parts of a normalised phrase: the day, the clock time, a duration, and what is left.

Input is the English vocabulary of words.py. Each part is matched, recorded and cut out of the
text; words left over that no rule explains make the caller refuse (or try dateparser on them as
a date), so an unread word is never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.domain.timeparse.words import WEEKDAYS

PODS = ("morning", "daytime", "afternoon", "evening", "tonight", "night", "dawn", "am", "pm")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_UNIT_MINUTES = {"w": 7 * 1440, "d": 1440, "h": 60, "m": 1}

_SHORTHAND: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    (r"\b(?:tmrw|tmrow|tmr|tmrrw|tomoz|2moro|2morrow|2mrw|2mrrw|tomorow|tommorow|tommorrow"
     r"|tomm?orrow)\b", "tomorrow"),
    (r"\b(?:tonite|2nite|2night|this\s+evening|this\s+eve)\b", "tonight"),
    (r"\b(?:the\s+)?day\s+after\s+tomorrow\b", "overmorrow"),
    (r"\bthis\s+(morning|afternoon)\b", r"today \1"),
    (r"\bin\s+the\s+(morning|afternoon|evening)\b", r" \1 "),
    (r"\bat\s+night\b", " night "),
    (r"\b(?:noon|midday)\b", " 12:00 "),
    (r"\bmidnight\b", " night @12 "),
    (r"(\d)\s*(?:a\.m\.|a\.m|am)(?![a-z])", r"\1 am"),
    (r"(\d)\s*(?:p\.m\.|p\.m|pm)(?![a-z])", r"\1 pm"),
    (r"\b(\d{1,2})\s*o'?\s*clock\b", r" @\1 "),
    (r"\b(\d{1,2})\.(\d{2})\s*(am|pm)\b", r"\1:\2 \3"),
    (r"\b(\d{1,2}:\d{2})\s*(?:h|hrs?)\b", r"\1"),  # "20:00h", "20:00 hrs"
    (r"\b(\d{4})-(\d{1,2})-(\d{1,2})t(?=\d)", r"\1-\2-\3 "),
    (r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b", r"\1-\2-\3"),
    (r"\b(?:the\s+)?week\s+after\s+next\s+(?:on\s+)?", " wk+2 "),
    (r"\bnext\s+week\s+(?:on\s+)?", " wk+1 "),
    (r"\b(" + "|".join(WEEKDAYS) + r")\s+(?:of\s+)?next\s+week\b", r" wk+1 \1 "),
    (r"\bthis\s+week\s+(?:on\s+)?", " wk+0 "),
    (r"\b(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)\b\.?",
     lambda m: next(d for d in WEEKDAYS if d.startswith(m[1][:3]))),
    (r"\bthis\s+(?=" + "|".join(WEEKDAYS) + ")", " "),
]  # fmt: skip
_SHORTHAND_RE = [(re.compile(p), r) for p, r in _SHORTHAND]

_DURATION_RE = re.compile(
    r"\b(?:in|after)\s+(?P<body>(?:(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|half\s+an?)"
    r"\s*(?:weeks?|w|days?|d|hours?|hrs?|hr|h|minutes?|mins?|min|m)(?![a-z])\s*(?:\d{1,2}\b(?!\s*(?:am|pm|:|[a-z]))\s*)?"
    r"(?:and\s+a\s+half\s*)?(?:and\s+)?)+)"
    r"|(?P<body2>(?:(?:\d+(?:\.\d+)?|an?|one|two|three)\s*(?:days?|hours?|hrs?|minutes?|mins?)\s*)+)"
    r"\s*(?:from\s+now|later)\b"
)
_DURATION_PART_RE = re.compile(
    r"(?P<n>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|half\s+an?)\s*"
    r"(?P<u>weeks?|w|days?|d|hours?|hrs?|hr|h|minutes?|mins?|min|m)(?![a-z])\s*(?P<tail>\d{1,2}\b(?!\s*(?:am|pm|:|[a-z])))?"
    r"\s*(?P<half>and\s+a\s+half)?"
)
_H_CLOCK_RE = re.compile(r"\b(\d{1,2})h(\d{2})?\b")
# "8pm-10pm", "20:00~22:00", "8pm to 10pm": a party's start and end; the end is set by duration.
_RANGE_RE = re.compile(
    r"(?<![\w:/.@-])(?P<start>@?\d{1,2}(?::\d{2})?(?:\s*(?:am|pm))?)\s*(?:-|–|~|〜|to|until|till|hasta|ate)\s*"
    r"(?P<end>@?\d{1,2}(?::\d{2})?(?:\s*(?:am|pm))?)(?![\d:])"
)
_BARE_BEFORE_POD_RE = re.compile(
    r"(?<![\d:@/.-])\b(\d{1,2})\s+(?=(?:tonight|night|morning|evening|afternoon|dawn)\b)"
)
_AT_HOUR_RE = re.compile(r"\b(?:at|around|@)\s*(\d{1,2})\b(?![:\d]|\s*(?:am|pm)\b)")
_CLOCK_RE = re.compile(
    r"(?P<word>@)?(?<![\d-])(?P<h>\d{1,2})(?::(?P<m>\d{1,2}))?(?:\s*(?P<ampm>am|pm)\b)?(?![\d/-])"
)
_ISO_RE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MD_RE = re.compile(r"\bmd:(\d{1,2})-(\d{1,2})\b")
_NUMERIC_RE = re.compile(r"(?<![\d:])\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?\b(?![:\d])")
_NAMED_RE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE.replace("(", "(?P<m1>", 1)
    + r"|" + _MONTH_RE.replace("(", "(?P<m2>", 1)
    + r"\s+(?:the\s+)?(?P<d2>\d{1,2})(?:st|nd|rd|th)?)"
    r"(?:,?\s+(?P<y>\d{4}))?\b"
)  # fmt: skip
_DAY_WORDS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "overmorrow": 2}
_DAY_RE = re.compile(r"\b(yesterday|today|tonight|tomorrow|overmorrow)\b")
_WEEKDAY_RE = re.compile(r"(?:\b(?P<mod>next|wk\+\d)\s+)?\b(?P<day>" + "|".join(WEEKDAYS) + r")\b")
_WEEK_ONLY_RE = re.compile(r"\bwk\+\d\b")
_POD_RE = re.compile(r"\b(" + "|".join(PODS) + r")\b")
_FILLER_RE = re.compile(r"\b(?:at|on|the|of|around|about|approx|starts?|starting|from)\b|[^\w@+:]")


@dataclass
class Parts:
    """What a phrase says, part by part (None where it says nothing)."""

    minutes_ahead: float | None = None  # "in 2 hours" -> 120
    days_ahead: int | None = None  # "in 3 days" -> 3 (needs a clock time)
    day_word: str | None = None  # today, tomorrow...
    weekday: int | None = None  # 0 = Monday
    weekday_mode: str | None = None  # None, "next" or "wk+N"
    ymd: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    numeric: tuple[int, int, int | None] | None = None  # "12/5": (first, second, year)
    numeric_text: str = ""
    clocks: list[tuple[int, int, bool, str | None]] = field(default_factory=list)
    # (hour, minute, said in words, am/pm)
    pods: list[str] = field(default_factory=list)
    clock_text: str = ""
    iso_date: bool = False  # the date was written as ISO 8601 (2026-12-14): clocks are 24-hour
    range_end: str | None = None  # "10 pm" of "8pm-10pm": not used, the member is told
    leftover: str = ""


def twelve_hour_doubt(hour: str, iso_date: bool) -> bool:
    """Say whether a clock time written with minutes and no am/pm may be a 12-hour one.

    Only a one-digit hour 1-9 ("7:30") is as open as a bare "7": people write a 12-hour
    clock's morning or evening that way. A two-digit hour ("07:30", "10:00", "11:30", "19:30")
    is how a 24-hour clock is written, and so is any time after an ISO date ("2026-12-14 8:30").
    """
    return len(hour) == 1 and hour != "0" and not iso_date


def _cut(text: str, m: re.Match[str]) -> str:
    return text[: m.start()] + " " + text[m.end() :]


def _duration_minutes(body: str) -> float:
    total = 0.0
    for m in _DURATION_PART_RE.finditer(body):
        n = m["n"]
        amount = 0.5 if n.startswith("half") else _NUMBER_WORDS.get(n) or float(n)
        unit = _UNIT_MINUTES[m["u"][0]]
        total += amount * unit + (0.5 * unit if m["half"] else 0)
        if m["tail"]:  # "1h30": the number after the unit is of the next smaller unit
            total += int(m["tail"]) * (60 if unit == 1440 else 1)
    return total


def split(text: str) -> Parts:
    """Return the parts of a phrase already in the words.py vocabulary."""
    for pattern, replacement in _SHORTHAND_RE:
        text = pattern.sub(replacement, text)
    parts = Parts()
    m = _DURATION_RE.search(text)
    if m:
        body = m["body"] or m["body2"]
        minutes = _duration_minutes(body)
        clock_units = re.search(r"\d\s*(?:h|m)|hours?|hrs?|hr\b|minutes?|mins?|min\b|half", body)
        if minutes and minutes % 1440 == 0 and not clock_units:
            parts.days_ahead = int(minutes // 1440)
        elif minutes:
            parts.minutes_ahead = minutes
        text = _cut(text, m)
    text = _H_CLOCK_RE.sub(lambda m: f" {m[1]}:{m[2] or '00'} ", text)
    if (m := _RANGE_RE.search(text)) and any(c in m[0] for c in ":m@"):
        parts.range_end = m["end"].lstrip("@")
        text = text[: m.start()] + f" {m['start']} " + text[m.end() :]
    text = _BARE_BEFORE_POD_RE.sub(r" @\1 ", text)
    text = _AT_HOUR_RE.sub(r" @\1 ", text)
    if m := _ISO_RE.search(text):
        parts.ymd = (int(m[1]), int(m[2]), int(m[3]))
        parts.iso_date = True
        text = _cut(text, m)
    elif m := _MD_RE.search(text):
        parts.ymd = (None, int(m[1]), int(m[2]))
        text = _cut(text, m)
    elif m := _NAMED_RE.search(text):
        month = _MONTHS.index((m["m1"] or m["m2"])[:3]) + 1
        parts.ymd = (int(m["y"]) if m["y"] else None, month, int(m["d1"] or m["d2"]))
        text = _cut(text, m)
    elif m := _NUMERIC_RE.search(text):
        a, b = int(m[1]), int(m[2])
        if "." in m[0] and not m[3] and (b > 12 or b == 0) and a <= 24:
            text = _cut(text, m) + f" {a}:{b:02d} "  # "20.00", "20.30": a clock, not a date
        else:
            year = int(m[3]) if m[3] else None
            if year is not None and year < 100:
                year += 2000
            parts.numeric, parts.numeric_text = (a, b, year), m[0]
            text = _cut(text, m)
    for word in _DAY_RE.findall(text):
        if word == "tonight":
            parts.pods.append("tonight")
            parts.day_word = parts.day_word or "today"
        else:
            parts.day_word = word
    text = _DAY_RE.sub(" ", text)
    if m := _WEEKDAY_RE.search(text):
        parts.weekday, parts.weekday_mode = WEEKDAYS.index(m["day"]), m["mod"]
        text = _cut(text, m)
    if m := _WEEK_ONLY_RE.search(text):
        parts.weekday_mode = m[0]
        text = _cut(text, m)
    parts.pods.extend(m[1] for m in _POD_RE.finditer(text))
    text = re.sub(r"\b(?:morning|daytime|afternoon|evening|night|dawn)\b", " ", text)
    for m in list(_CLOCK_RE.finditer(text)):
        parts.clocks.append((int(m["h"]), int(m["m"] or 0),
                             bool(m["word"]) or m["m"] is None
                             or twelve_hour_doubt(m["h"], parts.iso_date),
                             m["ampm"]))  # fmt: skip
        parts.clock_text = m[0].lstrip("@")
        if m["m"] is not None and len(m["m"]) != 2:
            parts.clocks[-1] = (99, 99, False, None)  # "8:5": not a way anyone writes a time
    text = _CLOCK_RE.sub(" ", text)
    text = re.sub(r"\b(?:am|pm)\b", " ", text)
    parts.leftover = " ".join(_FILLER_RE.sub(" ", text).split())
    return parts
