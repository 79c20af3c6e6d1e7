"""Turn the parts of a phrase into one instant, or refuse with the reason and examples.

The day, clock and zone are settled here with zoneinfo, not by dateparser, because the faults
fans hit were all in how a library guesses: "prefer future" judged at a month end, part-of-day
words taken as clock times, zone abbreviations read from a fixed offset table. dateparser stays
the engine for dates written with month names in languages the grammar has no table for.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.domain.timeparse.grammar import Parts, split
from bot.domain.timeparse.named_dates import dateparser_date
from bot.domain.timeparse.words import WEEKDAYS, normalize
from bot.domain.timeparse.zones import ZoneReading, split_zone, zone_key, zone_name
from bot.errors import InvalidInput

log = logging.getLogger(__name__)

MAX_TEXT = 200
PAST_GRACE = timedelta(minutes=1)
MAX_AHEAD = timedelta(days=365)
# A day-month without a year that passed less than this long ago is refused, not moved a year on.
RECENTLY_PASSED = timedelta(days=30)
# Locales that write month/day ("12/5" = 5 December); every other locale writes day/month.
MONTH_FIRST_LOCALES = frozenset({"en-US", "ko", "ja", "zh-CN", "zh-TW"})


@dataclass(frozen=True)
class Reading:
    """A phrase read: the UTC `instant`, the zone it was read in and why, and notes on choices."""

    instant: datetime
    zone_key: str  # the IANA zone the time was read in ("Asia/Seoul"): a weekly party keeps it
    zone_label: str  # "Korea time (KST)" or "America/Sao_Paulo"
    reason: str  # "you wrote KST", "your timezone"
    local: str  # "Tue 1 Dec 2026, 20:00"
    notes: tuple[str, ...] = ()

    def explain(self) -> str:
        """Return one line for the preview: the local time, the zone and why, and any notes."""
        line = f"{self.local}, read as **{self.zone_label}** ({self.reason})"
        return " ".join([line + ".", *self.notes])


# One example in the member's own language, by Discord locale language.
_LOCAL_EXAMPLES = {"pt": "amanhã às 20h", "es": "mañana a las 20:00", "ja": "明日 午後8時",
                   "id": "besok jam 20.00", "th": "พรุ่งนี้ 20:00 น."}  # fmt: skip


def describe_examples(now: datetime | None = None, locale: str | None = None) -> str:
    """Return the example phrases shown when a time cannot be used (one in `locale`'s language)."""
    sample = (now or datetime.now(UTC)).date() + timedelta(days=14)
    local = _LOCAL_EXAMPLES.get((locale or "").split("-")[0])
    return (
        "Try `tomorrow 8pm`, `in 2 hours`, `friday 20:00`, "
        f"`{sample.isoformat()} 18:00 KST`, `내일 저녁 8시`, `모레 오후 3시`, "
        + (f"`3시간 후` or `{local}`. " if local else "or `3시간 후`. ")
        + "Times are read in your `/timezone` unless you name a zone."
    )


class _Refusal(Exception):
    """Why a phrase cannot be used; read_when adds examples in the member's language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse(reason: str) -> _Refusal:
    return _Refusal(reason)


def _to_24h(hour: int, pod: str | None, words: bool) -> tuple[int, int] | None:
    """Map a clock hour and part of day to (hour 0-23, days to add); None if they disagree."""
    if hour == 24:
        return 0, 1
    if pod is None:
        return (hour, 0) if not words or hour == 0 or 13 <= hour <= 23 else None
    if hour > 12:
        return (hour, 0) if pod not in ("am", "morning", "dawn") and hour <= 23 else None
    if pod in ("am", "morning", "dawn"):
        return hour % 12, 0
    if pod in ("pm", "afternoon"):
        return (hour % 12 + 12, 0) if hour else None
    if pod == "daytime":
        return (hour + 12, 0) if 1 <= hour <= 6 else (hour, 0) if hour >= 7 else None
    # evening, tonight, night: 12 (and 0) is the midnight that ends the day; small hours follow it.
    if hour in (0, 12):
        return 0, 1
    if hour <= (4 if pod == "evening" else 5):
        return (hour, 1) if pod != "evening" else (hour + 12, 0)
    return hour + 12, 0


def _clock(parts: Parts) -> tuple[int, int, int]:
    """Return (hour, minute, days to add) from the phrase's single clock time."""
    if len(parts.clocks) > 1:
        raise _refuse("I see more than one time there; give only the start time.")
    hour, minute, words, ampm = parts.clocks[0]
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise _refuse(
            f"`{parts.clock_text.strip()}` is not a time: hours run 0-23 and minutes 0-59."
        )
    pods = {p for p in parts.pods if p != "tonight"} or set(parts.pods)
    if ampm:
        if not 1 <= hour <= 12:
            raise _refuse(f"`{hour}{ampm}` is not a time: with am/pm, hours run 1-12.")
        pods = {ampm}
    if len(pods) > 1:
        raise _refuse(f"`{' / '.join(sorted(pods))}` disagree; say the part of day once.")
    pod = next(iter(pods), None)
    mapped = _to_24h(hour, pod, words)
    if mapped is None:
        if pod is None:
            raise _refuse(_which_half(hour, minute, ":" in parts.clock_text))
        raise _refuse(f"`{hour}` and `{pod}` disagree: that is not a time of day.")
    return mapped[0], minute, mapped[1]


def _which_half(hour: int, minute: int, with_minutes: bool) -> str:
    """Ask whether a 12-hour clock time (hour 1-12) is am or pm, offering forms that read.

    Each form offered is one the reader takes as it stands: the pm form, the 24-hour pm form
    and, for a time written with minutes, the 24-hour am form with its leading zero.
    """
    pm_24 = f"{hour % 12 + 12:02d}:{minute:02d}"
    if with_minutes:
        hhmm = f"{hour}:{minute:02d}"
        am_24 = f"{hour % 12:02d}:{minute:02d}"
        return f"Is `{hhmm}` am or pm? Write `{hhmm}pm` or `{pm_24}` for pm, `{am_24}` for am."
    # 낮 (daytime) 12시 is noon; 저녁 (evening) reads 1-11 as pm.
    korean = f"낮 {hour}시" if hour == 12 else f"저녁 {hour}시"
    return f"Is `{hour}` {hour} am or {hour} pm? Write `{hour}pm`, `{pm_24}` or `{korean}`."


def _numeric(parts: Parts, locale: str | None) -> tuple[tuple[int, int], str]:
    """Return (month, day) of "12/5" in the member's order, and a note saying which order."""
    assert parts.numeric is not None  # noqa: S101 - only called when present
    a, b, _ = parts.numeric
    readings = [(m, d) for m, d in ((a, b), (b, a)) if 1 <= m <= 12 and 1 <= d <= 31]
    month_first = locale in MONTH_FIRST_LOCALES or (locale or "").split("-")[0] in ("ko", "ja")
    if not readings:
        raise _refuse(f"`{parts.numeric_text}` is not a date.")
    if len(set(readings)) == 1 or (locale is None and len(readings) == 1):
        chosen, why = readings[0], "the only date it can be"
    elif locale is None:
        raise _refuse(f"Is `{parts.numeric_text}` day/month or month/day? Write the month's name.")
    else:
        chosen = readings[0] if month_first else readings[-1]
        why = f"{'month/day' if month_first else 'day/month'}, as written in {locale}"
    month, day = chosen
    label = f"{day} {date(2000, month, 1):%B}"
    return chosen, f"`{parts.numeric_text}` read as {label} ({why})."


def _date_named(
    parts: Parts, today: date, locale: str | None, notes: list[str]
) -> tuple[date | None, bool]:
    """Return the day the phrase names (None: none named) and whether its year was guessed."""
    ymd = parts.ymd
    if parts.numeric is not None:
        (month, day), note = _numeric(parts, locale)
        ymd = (parts.numeric[2], month, day)
        notes.append(note)
    if ymd is not None:
        year, month, day = ymd
        try:
            return date(year or today.year, month, day), year is None
        except ValueError:
            raise _refuse(f"{day}/{month} is not a day on the calendar.") from None
    if parts.day_word is not None:
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "overmorrow": 2}
        return today + timedelta(days=offset[parts.day_word]), False
    if parts.days_ahead is not None:
        return today + timedelta(days=parts.days_ahead), False
    if parts.weekday is not None:
        mode = parts.weekday_mode
        if mode and mode.startswith("wk+"):
            monday = today - timedelta(days=today.weekday())
            return monday + timedelta(days=7 * int(mode[3:]) + parts.weekday), False
        ahead = (parts.weekday - today.weekday()) % 7
        if mode == "next" and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead), False
    if parts.weekday_mode:
        raise _refuse(
            "Which day of that week? e.g. `next week friday 8pm` or `다음 주 금요일 저녁 8시`."
        )
    return None, False


def _wall_to_utc(wall: datetime, zone: tzinfo, label: str, notes: list[str]) -> datetime:
    """Return the instant of a wall time; refuse one skipped by DST, note a repeated one."""
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        # In the gap: find the wall-clock minute the clocks jump from, and where they land.
        probe = second.astimezone(UTC)
        while probe.astimezone(zone).replace(tzinfo=None) < wall:
            probe += timedelta(minutes=1)
        before = (probe - timedelta(minutes=1)).astimezone(zone)
        after = probe.astimezone(zone)
        raise _refuse(
            f"{wall:%H:%M} does not exist on {wall:%-d %B} in {label}: the clocks jump from "
            f"{before:%H:%M} to {after:%H:%M} for daylight saving. Pick {before:%H:%M} or "
            f"{after:%H:%M} (or later).",
        )
    gap = (first.utcoffset() or timedelta(0)) - (second.utcoffset() or timedelta(0))
    notes.append(
        f"{wall:%H:%M} happens twice on {wall:%-d %B} in {label}; I took the first "
        f"({first.tzname()}); the second is {int(gap.total_seconds() // 60)} minutes later."
    )
    return first.astimezone(UTC)


def read_when(
    text: str,
    zone: ZoneInfo,
    now: datetime,
    locale: str | None = None,
    *,
    zone_reason: str = "your timezone",
) -> Reading:
    """Read a fan's party time in `zone` (unless the text names one) as a Reading.

    `zone_reason` says why `zone` is the member's (shown when the text names no zone). `locale`
    is the member's Discord locale ("pt-BR"): the order of numeric dates and a language hint for
    dateparser. Raises InvalidInput, with the reason and examples, for anything it cannot
    read for sure: no clock time, an ambiguous zone or hour, a time skipped by DST, a time in the
    past (beyond a minute's grace) or more than 365 days ahead. Raises ValueError for a naive now.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    try:
        return _read(text, zone, now, locale, zone_reason)
    except _Refusal as refusal:
        raise InvalidInput(f"{refusal.reason} {describe_examples(now, locale)}") from None
    except OverflowError:
        # A date at the edge of Python's calendar ("9999-12-31 23:59 EST" is year 10000 in UTC).
        raise InvalidInput(
            f"That date is far past the one-year limit: parties can be planned up to "
            f"{MAX_AHEAD.days} days ahead. {describe_examples(now, locale)}"
        ) from None


def _read(
    text: str, zone: ZoneInfo, now: datetime, locale: str | None, zone_reason: str
) -> Reading:
    cleaned = " ".join(unicodedata.normalize("NFKC", text).split())
    if not cleaned:
        raise _refuse("Tell me when the party starts.")
    if len(cleaned) > MAX_TEXT:
        raise _refuse(f"That time is too long to read (max {MAX_TEXT} characters).")
    rest, reading = split_zone(cleaned, zone, now)
    if reading.reason == "your timezone":
        reading = ZoneReading(reading.zone, reading.label, zone_reason)
    parts = split(normalize(rest))
    notes: list[str] = []
    if parts.leftover:
        has_date = parts.ymd or parts.numeric or parts.day_word or parts.weekday is not None
        found = None if has_date else dateparser_date(parts.leftover, locale)
        if found is None:
            shown = re.sub(r"[`@<>]", "", parts.leftover[:60])
            raise _refuse(f"I couldn't read `{shown}` as part of a date and time.")
        parts.ymd = found
    return _resolve(parts, reading, now, locale, notes)


def _resolve(parts: Parts, reading: ZoneReading, now: datetime, locale: str | None,
             notes: list[str]) -> Reading:  # fmt: skip
    limit_note = f"parties can be planned up to {MAX_AHEAD.days} days ahead"
    if parts.minutes_ahead is not None:
        if parts.clocks or parts.ymd or parts.day_word or parts.weekday is not None:
            raise _refuse("Give either a duration (`in 2 hours`) or a time, not both.")
        delta = timedelta(minutes=parts.minutes_ahead)
        if delta > MAX_AHEAD:
            raise _refuse(f"That is past the one-year limit: {limit_note}.")
        instant = now.replace(microsecond=0) + delta
        return _reading(instant, reading, notes)
    if parts.days_ahead is not None and parts.days_ahead > MAX_AHEAD.days:
        raise _refuse(f"In {parts.days_ahead} days is past the one-year limit: {limit_note}.")
    if not parts.clocks:
        if parts.pods:
            raise _refuse(
                f"`{parts.pods[0]}` says the part of the day, not the time: add a clock time, "
                "e.g. `tonight at 9`, `this evening at 8`, `오늘 밤 9시`.",
            )
        if (
            parts.ymd
            or parts.numeric
            or parts.day_word
            or parts.weekday is not None
            or parts.days_ahead
        ):
            raise _refuse("Add a time of day, not just a date.")
        raise _refuse("I couldn't read that as a date and time.")
    hour, minute, shift = _clock(parts)
    if parts.range_end:
        notes.append(
            f"I used the start time; the party's length comes from `duration`, not from "
            f"`{parts.range_end}`."
        )
    local_now = now.astimezone(reading.zone)
    today = local_now.date()
    named, guessed_year = _date_named(parts, today, locale, notes)
    label = zone_name(reading.zone, now)

    def instant_on(day: date) -> datetime:
        wall = datetime.combine(day + timedelta(days=shift), time(hour, minute))
        return _wall_to_utc(wall, reading.zone, label, notes)

    if named is None:
        day = today
        # "8pm" already gone today means the next 8 pm ("tonight" stays today, and is refused).
        if "tonight" not in parts.pods and _naive_before(day, shift, hour, minute, local_now):
            day += timedelta(days=1)
        instant = instant_on(day)
    else:
        day = named
        if guessed_year and _naive_before(day, shift, hour, minute, local_now):
            if today - day <= RECENTLY_PASSED:
                # "nov 20" on 23 Nov is a slip, not next November: say so instead of guessing.
                raise _refuse(
                    f"{day:%-d %B} has just passed; for next year's, write "
                    f"`{day.year + 1}-{day:%m-%d}`.",
                )
            day = _next_year(day)
        only_weekday = not (parts.ymd or parts.numeric or parts.day_word)
        same_day = only_weekday and parts.weekday_mode in (None, "next") and day == today
        if same_day and _naive_before(day, shift, hour, minute, local_now):
            day += timedelta(days=7)  # "friday 20:00" said on Friday at 21:00
        dated = parts.ymd or parts.numeric or parts.day_word
        if parts.weekday is not None and dated and day.weekday() != parts.weekday:
            raise _refuse(
                f"{day:%-d %B %Y} is a {WEEKDAYS[day.weekday()].title()}, not a "
                f"{WEEKDAYS[parts.weekday].title()}; check the date.",
            )
        instant = instant_on(day)
    local = instant.astimezone(reading.zone)
    if instant < now - PAST_GRACE:
        raise _refuse(f"That time, {local:%a %-d %b %Y %H:%M} ({label}), has already passed.")
    if instant > now + MAX_AHEAD:
        raise _refuse(
            f"That time, {local:%a %-d %b %Y %H:%M} ({label}), is more than a year away; "
            f"{limit_note}.",
        )
    return _reading(instant, reading, notes)


def _naive_before(day: date, shift: int, hour: int, minute: int, local_now: datetime) -> bool:
    wall = datetime.combine(day + timedelta(days=shift), time(hour, minute))
    return wall < local_now.replace(tzinfo=None) - PAST_GRACE


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        raise _refuse("29 February is not in next year's calendar.") from None


def _reading(instant: datetime, reading: ZoneReading, notes: list[str]) -> Reading:
    local = instant.astimezone(reading.zone)
    return Reading(
        instant=instant,
        zone_key=zone_key(reading.zone, instant),
        zone_label=reading.label,
        reason=reading.reason,
        local=f"{local:%a %-d %b %Y, %H:%M}",
        notes=tuple(dict.fromkeys(notes)),
    )


def parse_when(text: str, zone: ZoneInfo, now: datetime, locale: str | None = None) -> datetime:
    """Return the aware UTC instant of a fan's party time; see read_when for the rules."""
    return read_when(text, zone, now, locale).instant
