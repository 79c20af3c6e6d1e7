"""parse_when: the fan phrases from issue 6 across Seoul, Paris (DST) and São Paulo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.timeparse import (
    MAX_AHEAD,
    PAST_GRACE,
    describe_examples,
    parse_when,
    read_when,
)
from bot.errors import InvalidInput

SEOUL = ZoneInfo("Asia/Seoul")
PARIS = ZoneInfo("Europe/Paris")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")

# Sunday 22 Nov 16:30 UTC: already Monday 23 Nov 01:30 in Seoul, 17:30 in Paris, 13:30 in SP.
BOUNDARY = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)
# 00:30 CET on Sunday 29 March 2026; at 02:00 Paris jumps to 03:00 CEST.
SPRING = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
# 00:30 CEST on Sunday 25 October 2026; at 03:00 Paris falls back to 02:00 CET.
AUTUMN = datetime(2026, 10, 24, 22, 30, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Every phrase of the issue, in every zone, at the KST/UTC day boundary (now = BOUNDARY).
BOUNDARY_CASES = [
    # "tomorrow" is the member's tomorrow: in Seoul it is already the 23rd, so the 24th.
    ("tomorrow 8pm", SEOUL, utc(2026, 11, 24, 11, 0)),
    ("tomorrow 8pm", PARIS, utc(2026, 11, 23, 19, 0)),
    ("tomorrow 8pm", SAO_PAULO, utc(2026, 11, 23, 23, 0)),
    ("in 2 hours", SEOUL, utc(2026, 11, 22, 18, 30)),
    ("in 2 hours", PARIS, utc(2026, 11, 22, 18, 30)),
    ("in 2 hours", SAO_PAULO, utc(2026, 11, 22, 18, 30)),
    ("friday 20:00", SEOUL, utc(2026, 11, 27, 11, 0)),
    ("friday 20:00", PARIS, utc(2026, 11, 27, 19, 0)),
    ("friday 20:00", SAO_PAULO, utc(2026, 11, 27, 23, 0)),
    ("2026-12-01 18:00 KST", SEOUL, utc(2026, 12, 1, 9, 0)),
    ("2026-12-01 18:00 KST", PARIS, utc(2026, 12, 1, 9, 0)),
    ("2026-12-01 18:00 KST", SAO_PAULO, utc(2026, 12, 1, 9, 0)),
    ("내일 저녁 8시", SEOUL, utc(2026, 11, 24, 11, 0)),
    ("내일 저녁 8시", PARIS, utc(2026, 11, 23, 19, 0)),
    ("내일 저녁 8시", SAO_PAULO, utc(2026, 11, 23, 23, 0)),
    ("오늘 밤 10시", SEOUL, utc(2026, 11, 23, 13, 0)),
    ("오늘 밤 10시", PARIS, utc(2026, 11, 22, 21, 0)),
    ("오늘 밤 10시", SAO_PAULO, utc(2026, 11, 23, 1, 0)),
    ("모레 오후 3시", SEOUL, utc(2026, 11, 25, 6, 0)),
    ("모레 오후 3시", PARIS, utc(2026, 11, 24, 14, 0)),
    ("모레 오후 3시", SAO_PAULO, utc(2026, 11, 24, 18, 0)),
    ("3시간 후", SEOUL, utc(2026, 11, 22, 19, 30)),
    ("3시간 후", PARIS, utc(2026, 11, 22, 19, 30)),
    ("3시간 후", SAO_PAULO, utc(2026, 11, 22, 19, 30)),
    ("금요일 20시", SEOUL, utc(2026, 11, 27, 11, 0)),
    ("금요일 20시", PARIS, utc(2026, 11, 27, 19, 0)),
    ("금요일 20시", SAO_PAULO, utc(2026, 11, 27, 23, 0)),
]


@pytest.mark.parametrize(("text", "zone", "expected"), BOUNDARY_CASES)
def test_phrases_at_the_kst_utc_day_boundary(text: str, zone: ZoneInfo, expected: datetime) -> None:
    """Each issue phrase resolves to the right instant in each zone when Seoul is a day ahead."""
    result = parse_when(text, zone, BOUNDARY)
    assert result == expected
    assert result.tzinfo is UTC


# Paris on the night clocks spring forward (now = SPRING, 00:30 CET).
SPRING_CASES = [
    ("tomorrow 8pm", utc(2026, 3, 30, 18, 0)),  # CEST, +02:00
    ("in 2 hours", utc(2026, 3, 29, 1, 30)),
    # Three real hours, not 03:30 wall time, which would be only two hours away.
    ("in 3 hours", utc(2026, 3, 29, 2, 30)),
    ("friday 20:00", utc(2026, 4, 3, 18, 0)),
    ("2026-12-01 18:00 KST", utc(2026, 12, 1, 9, 0)),
    ("내일 저녁 8시", utc(2026, 3, 30, 18, 0)),
    ("오늘 밤 10시", utc(2026, 3, 29, 20, 0)),
    ("모레 오후 3시", utc(2026, 3, 31, 13, 0)),
    ("3시간 후", utc(2026, 3, 29, 2, 30)),
    ("금요일 20시", utc(2026, 4, 3, 18, 0)),
    ("today 8pm", utc(2026, 3, 29, 18, 0)),
]


@pytest.mark.parametrize(("text", "expected"), SPRING_CASES)
def test_paris_phrases_on_the_spring_forward_night(text: str, expected: datetime) -> None:
    """Wall times after the jump use CEST; durations count real hours across the gap."""
    assert parse_when(text, PARIS, SPRING) == expected


# Paris on the night clocks fall back (now = AUTUMN, 00:30 CEST).
AUTUMN_CASES = [
    ("tomorrow 8pm", utc(2026, 10, 26, 19, 0)),  # CET, +01:00
    ("in 2 hours", utc(2026, 10, 25, 0, 30)),
    # Three real hours land on the second 02:30 (CET), not on 03:30 wall time.
    ("in 3 hours", utc(2026, 10, 25, 1, 30)),
    ("friday 20:00", utc(2026, 10, 30, 19, 0)),
    ("2026-12-01 18:00 KST", utc(2026, 12, 1, 9, 0)),
    ("내일 저녁 8시", utc(2026, 10, 26, 19, 0)),
    ("오늘 밤 10시", utc(2026, 10, 25, 21, 0)),
    ("모레 오후 3시", utc(2026, 10, 27, 14, 0)),
    ("3시간 후", utc(2026, 10, 25, 1, 30)),
    ("금요일 20시", utc(2026, 10, 30, 19, 0)),
]


@pytest.mark.parametrize(("text", "expected"), AUTUMN_CASES)
def test_paris_phrases_on_the_fall_back_night(text: str, expected: datetime) -> None:
    """Wall times after the change use CET; durations count real hours through the fold."""
    assert parse_when(text, PARIS, AUTUMN) == expected


@pytest.mark.parametrize("text", ["02:30", "today 2:30am", "오늘 새벽 2시 30분"])
def test_wall_time_in_the_dst_gap_is_refused_with_the_nearest_times(text: str) -> None:
    """02:30 does not exist in Paris on 29 March: refused, naming 01:59 and 03:00 instead."""
    with pytest.raises(InvalidInput, match="does not exist") as err:
        parse_when(text, PARIS, SPRING)
    assert "01:59" in err.value.message
    assert "03:00" in err.value.message


@pytest.mark.parametrize("text", ["02:30", "today 2:30am"])
def test_ambiguous_wall_time_takes_the_first_occurrence(text: str) -> None:
    """02:30 happens twice in Paris on 25 October: the first (CEST) is taken, and it says so."""
    reading = read_when(text, PARIS, AUTUMN)
    assert reading.instant == utc(2026, 10, 25, 0, 30)
    assert reading.instant.astimezone(PARIS).strftime("%H:%M %Z") == "02:30 CEST"
    assert "happens twice" in reading.explain()
    assert "took the first" in reading.explain()


def test_bare_time_is_judged_in_the_member_zone_not_utc() -> None:
    """At 22:00 in São Paulo (01:00 UTC next day), "11pm" is in one hour, not tomorrow."""
    now = utc(2026, 11, 23, 1, 0)
    assert parse_when("11pm", SAO_PAULO, now) == utc(2026, 11, 23, 2, 0)


def test_bare_time_already_passed_today_means_tomorrow() -> None:
    """In Seoul at 01:30, "1am" is the next 1 am, tomorrow, not 30 minutes ago."""
    assert parse_when("1am", SEOUL, BOUNDARY) == utc(2026, 11, 23, 16, 0)


def test_bare_time_still_ahead_today_means_today() -> None:
    """In Seoul at 01:30 on the 23rd, "8pm" is 20:00 on the 23rd, although UTC is on the 22nd."""
    assert parse_when("8pm", SEOUL, BOUNDARY) == utc(2026, 11, 23, 11, 0)


def test_weekday_named_on_that_day_means_today_if_still_ahead() -> None:
    """On a Friday morning, "friday 20:00" is tonight; "next friday 20:00" is next week."""
    friday_morning = utc(2026, 11, 27, 1, 0)  # 10:00 KST
    assert parse_when("friday 20:00", SEOUL, friday_morning) == utc(2026, 11, 27, 11, 0)
    assert parse_when("금요일 20시", SEOUL, friday_morning) == utc(2026, 11, 27, 11, 0)
    assert parse_when("next friday 20:00", SEOUL, friday_morning) == utc(2026, 12, 4, 11, 0)


def test_weekday_named_on_that_day_after_the_time_means_next_week() -> None:
    """On a Friday at 21:00, "friday 20:00" is a week later, not an hour ago."""
    friday_night = utc(2026, 11, 27, 12, 0)  # 21:00 KST
    assert parse_when("friday 20:00", SEOUL, friday_night) == utc(2026, 12, 4, 11, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8pm Asia/Seoul", utc(2026, 11, 23, 11, 0)),
        ("8pm asia/seoul", utc(2026, 11, 23, 11, 0)),
        ("tomorrow 8pm KST", utc(2026, 11, 24, 11, 0)),
        ("20:00 UTC", utc(2026, 11, 22, 20, 0)),
        ("2026-12-01 18:00 +09:00", utc(2026, 12, 1, 9, 0)),
        ("2026-12-01T18:00Z", utc(2026, 12, 1, 18, 0)),
        ("8pm EST", utc(2026, 11, 23, 1, 0)),
        ("8pm PT", utc(2026, 11, 23, 4, 0)),
        ("friday 20:00 America/Sao_Paulo", utc(2026, 11, 27, 23, 0)),
    ],
)
def test_explicit_zone_in_the_text_overrides_the_member_zone(text: str, expected: datetime) -> None:
    """A zone written in the text wins over the member's own zone (Paris here)."""
    assert parse_when(text, PARIS, BOUNDARY) == expected


def test_explicit_zone_judges_tomorrow_in_that_zone() -> None:
    """For a Paris member at 17:30 (01:30 next day in Seoul), "tomorrow 8pm KST" is Seoul's."""
    assert parse_when("tomorrow 8pm KST", PARIS, BOUNDARY) == utc(2026, 11, 24, 11, 0)


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("20h", PARIS, utc(2026, 11, 22, 19, 0)),
        ("tomorrow 20h30", SAO_PAULO, utc(2026, 11, 23, 23, 30)),
        ("in 2h", SAO_PAULO, utc(2026, 11, 22, 18, 30)),
        ("tomorrow 8.30pm", SEOUL, utc(2026, 11, 24, 11, 30)),
        ("1시간 반 후", SEOUL, utc(2026, 11, 22, 18, 0)),
        ("내일 저녁 여덟 시에", SEOUL, utc(2026, 11, 24, 11, 0)),
        ("12월 1일 오후 6시", SEOUL, utc(2026, 12, 1, 9, 0)),
        ("오늘 밤 12시", SEOUL, utc(2026, 11, 23, 15, 0)),
    ],
)
def test_other_common_spellings(text: str, zone: ZoneInfo, expected: datetime | None) -> None:
    """French/Brazilian "20h", "8.30pm", half hours and Korean dates read as fans mean them."""
    if expected is None:
        with pytest.raises(InvalidInput):
            parse_when(text, zone, BOUNDARY)
    else:
        assert parse_when(text, zone, BOUNDARY) == expected


@pytest.mark.parametrize(
    "text", ["yesterday 8pm", "today 9am", "어제 저녁 8시", "2026-11-01 18:00"]
)
def test_past_times_are_refused_with_examples(text: str) -> None:
    """A time already gone is refused, showing when it was and example phrases."""
    with pytest.raises(InvalidInput) as err:
        parse_when(text, PARIS, BOUNDARY)
    assert "already passed" in err.value.message
    assert "tomorrow 8pm" in err.value.message


def test_a_time_within_the_grace_minute_is_accepted() -> None:
    """A wall time 30 seconds ago (the member typed slowly) is still accepted."""
    now = utc(2026, 11, 22, 19, 0, 30)  # 20:00:30 in Paris
    assert parse_when("today 20:00", PARIS, now) == utc(2026, 11, 22, 19, 0)
    with pytest.raises(InvalidInput, match="already passed"):
        parse_when("today 19:58", PARIS, now)


def test_times_more_than_a_year_ahead_are_refused() -> None:
    """365 days ahead is the limit: just inside is accepted, just beyond refused."""
    # now + 365 d = 2027-11-22 16:30 UTC = 17:30 in Paris.
    assert parse_when("2027-11-22 17:00", PARIS, BOUNDARY) == utc(2027, 11, 22, 16, 0)
    with pytest.raises(InvalidInput, match="more than a year away") as err:
        parse_when("2027-11-22 18:00", PARIS, BOUNDARY)
    assert "tomorrow 8pm" in err.value.message


@pytest.mark.parametrize(
    "text", ["asdf", "🎉🎉🎉", "whenever the comeback drops", "8", "@everyone"]
)
def test_unreadable_text_is_refused_with_examples(text: str) -> None:
    """Text that is no time at all gets a clear message with example phrases."""
    with pytest.raises(InvalidInput) as err:
        parse_when(text, SEOUL, BOUNDARY)
    message = err.value.message
    assert "tomorrow 8pm" in message
    assert "내일 저녁 8시" in message
    assert "@everyone" not in message


@pytest.mark.parametrize("text", ["tomorrow", "friday", "2026-12-01", "내일", "in 2 days"])
def test_a_date_without_a_time_asks_for_the_time(text: str) -> None:
    """A party needs a clock time: a bare day is refused with a hint, not read as midnight."""
    with pytest.raises(InvalidInput, match="Add a time of day"):
        parse_when(text, SEOUL, BOUNDARY)


@pytest.mark.parametrize("text", ["", "   ", "x" * 201])
def test_empty_or_overlong_text_is_refused(text: str) -> None:
    """Empty text and text over 200 characters are refused before parsing."""
    with pytest.raises(InvalidInput):
        parse_when(text, SEOUL, BOUNDARY)


def test_naive_now_is_a_programming_error() -> None:
    """Passing a naive `now` is a bug in the caller, not a user error."""
    with pytest.raises(ValueError, match="aware"):
        parse_when("8pm", SEOUL, datetime(2026, 1, 1))  # noqa: DTZ001


def test_examples_use_a_date_ahead_of_now() -> None:
    """The ISO example in the help text is never a date already in the past."""
    text = describe_examples(BOUNDARY)
    assert "2026-12-06 18:00 KST" in text
    assert "내일 저녁 8시" in text


def test_result_does_not_depend_on_the_machine_timezone() -> None:
    """The host's TZ (here Pacific/Kiritimati, UTC+14) changes nothing."""
    code = (
        "import json; from datetime import datetime, UTC; from zoneinfo import ZoneInfo;"
        "from bot.domain.timeparse import parse_when;"
        "now = datetime(2026, 11, 22, 16, 30, tzinfo=UTC);"
        "print(json.dumps([parse_when(t, ZoneInfo('Asia/Seoul'), now).isoformat()"
        " for t in ('tomorrow 8pm', '8pm', 'in 2 hours', '내일 저녁 8시')]))"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [
        "2026-11-24T11:00:00+00:00",
        "2026-11-23T11:00:00+00:00",
        "2026-11-22T18:30:00+00:00",
        "2026-11-24T11:00:00+00:00",
    ]


# --- properties ---------------------------------------------------------------------------------

ZONES = st.sampled_from(
    [SEOUL, PARIS, SAO_PAULO, ZoneInfo("America/New_York"), ZoneInfo("Pacific/Kiritimati")]
)
NOWS = st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2035, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
TOKENS = st.sampled_from(
    [
        "tomorrow", "today", "friday", "next", "in", "2", "hours", "minutes", "8pm", "20:00",
        "02:30", "KST", "UTC", "+09:00", "Asia/Seoul", "EST", "PT", "2026-12-01", "18:00",
        "내일", "저녁", "8시", "오늘", "밤", "10시", "모레", "오후", "3시", "3시간", "후",
        "금요일", "20시", "반", "30분", "새벽", "자정", "정오", "20h", "noon", "midnight",
        "ago", "yesterday", "9999", "0", "-1", "at", "on", "amanhã", "às", "明日", "午後", "8時",
        "พรุ่งนี้", "2", "ทุ่ม", "besok", "jam", "malam", "mañana", "a las", "IST", "CST", "5/12",
        "12/5", "31/2", "md:1-1", "@", "wk+1", "tonight", "tmrw", "다음 주", "다다음 주", "(토)",
        "2026년 12월 1일", "화요일", "de", "diciembre", "dec", "5th", "in 1h30", "half an hour",
        "13pm", "24:00", "25:00", "8.30pm", "20.00", "GMT+9", "UTC-3", "Z", "+09:00", "T",
    ]
)  # fmt: skip
PHRASES = st.one_of(
    st.text(max_size=200),
    st.lists(TOKENS, max_size=8).map(" ".join),
)


def check_outcome(text: str, zone: ZoneInfo, now: datetime) -> None:
    try:
        result: datetime | None = parse_when(text, zone, now)
    except InvalidInput as err:
        refusal, result = err.message, None
    if result is None:
        assert refusal, "a refusal must tell the member why"
        return
    assert result.tzinfo is UTC
    # The grace minute lets a just-passed time through; nothing earlier, nothing past a year.
    assert now - PAST_GRACE <= result <= now + MAX_AHEAD


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=PHRASES, zone=ZONES, now=NOWS)
def test_parse_when_only_ever_raises_invalid_input(
    text: str, zone: ZoneInfo, now: datetime
) -> None:
    """For any text ≤ 200 chars: InvalidInput, or an aware UTC instant within the allowed window."""
    check_outcome(text, zone, now)


@settings(max_examples=60, deadline=None)
@given(
    zone=ZONES,
    now=NOWS,
    hours=st.integers(min_value=1, max_value=48),
)
def test_durations_are_exact_real_time(zone: ZoneInfo, now: datetime, hours: int) -> None:
    """ "in N hours" and "N시간 후" are exactly N real hours after now, whatever DST does."""
    expected = now.replace(microsecond=0) + timedelta(hours=hours)
    assert parse_when(f"in {hours} hours", zone, now) == expected
    assert parse_when(f"{hours}시간 후", zone, now) == expected


@pytest.mark.parametrize("text", ["9999-12-31 23:59 EST", "9999-12-31 23:59", "12/31/9999 11pm"])
def test_dates_at_the_edge_of_the_calendar_are_refused_in_words(text: str) -> None:
    """A date whose UTC instant leaves Python's calendar is refused, never an OverflowError."""
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="365 days"):
        read_when(text, ZoneInfo("America/New_York"), now, "en-US")


@pytest.mark.parametrize(
    ("text", "zone", "locale"),
    [
        ("sat 7:30", "America/New_York", "en-US"),
        ("토요일 7:30", "Asia/Seoul", "ko"),
        ("sábado 7:30", "America/Sao_Paulo", "pt-BR"),
        ("sabtu 7.30", "Asia/Jakarta", "id"),
        ("8:30 tomorrow", "Europe/London", "en-GB"),
        ("amanhã às 8h30", "America/Sao_Paulo", "pt-BR"),
    ],
)
def test_a_twelve_hour_clock_time_without_am_or_pm_is_asked_about(
    text: str, zone: str, locale: str
) -> None:
    """ "7:30" may be morning or evening: asked about, never silently read as 07:30."""
    now = datetime(2026, 11, 30, 3, 35, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="am or pm"):
        read_when(text, ZoneInfo(zone), now, locale)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sat 07:30", datetime(2026, 12, 5, 12, 30, tzinfo=UTC)),
        ("sat 19:30", datetime(2026, 12, 6, 0, 30, tzinfo=UTC)),
        ("sat 7:30pm", datetime(2026, 12, 6, 0, 30, tzinfo=UTC)),
        ("sat 12:30", datetime(2026, 12, 5, 17, 30, tzinfo=UTC)),
    ],
)
def test_clock_times_that_say_which_half_of_the_day_are_read(text: str, expected: datetime) -> None:
    """A leading zero, an hour past 12, am/pm, or 12:xx leave no doubt and are read as written."""
    now = datetime(2026, 11, 30, 3, 35, tzinfo=UTC)
    assert read_when(text, ZoneInfo("America/New_York"), now, "en-US").instant == expected
