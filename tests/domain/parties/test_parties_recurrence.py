"""Weekly repeats keep the local wall time across a DST change in the party's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.parties import next_weekly, roll_forward, weekly_occurrence

PARIS = ZoneInfo("Europe/Paris")
SEOUL = ZoneInfo("Asia/Seoul")


def test_spring_forward_keeps_20_00_in_paris() -> None:
    """20:00 CET on 2026-03-22 repeats at 20:00 CEST on 2026-03-29 (18:00 UTC, not 19:00)."""
    start = datetime(2026, 3, 22, 19, 0, tzinfo=UTC)  # 20:00 CET
    nxt = next_weekly(start, PARIS)
    assert nxt == datetime(2026, 3, 29, 18, 0, tzinfo=UTC)
    assert nxt.astimezone(PARIS).hour == 20


def test_fall_back_keeps_20_00_in_paris() -> None:
    """20:00 CEST on 2026-10-18 repeats at 20:00 CET on 2026-10-25 (19:00 UTC)."""
    start = datetime(2026, 10, 18, 18, 0, tzinfo=UTC)
    nxt = next_weekly(start, PARIS)
    assert nxt == datetime(2026, 10, 25, 19, 0, tzinfo=UTC)


def test_zone_without_dst_is_exactly_seven_days() -> None:
    """In Asia/Seoul a weekly repeat is exactly 168 hours later."""
    start = datetime(2026, 3, 22, 9, 0, tzinfo=UTC)
    assert (next_weekly(start, SEOUL) - start).total_seconds() == 7 * 24 * 3600


def test_roll_forward_skips_past_occurrences() -> None:
    """A weekly party whose start passed moves to its first occurrence after `after`."""
    start = datetime(2026, 3, 15, 19, 0, tzinfo=UTC)  # 20:00 CET
    after = datetime(2026, 3, 30, 0, 0, tzinfo=UTC)
    assert roll_forward(start, PARIS, after) == datetime(2026, 4, 5, 18, 0, tzinfo=UTC)
    assert roll_forward(start, PARIS, start) == weekly_occurrence(start, PARIS, 1)


@given(
    st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis needs naive bounds
        max_value=datetime(2030, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.integers(min_value=1, max_value=60),
)
def test_wall_time_is_preserved(start: datetime, weeks: int) -> None:
    """For any existing Paris wall time, n weeks later has the same weekday, hour and minute."""
    local = start.astimezone(PARIS)
    later = weekly_occurrence(start, PARIS, weeks).astimezone(PARIS)
    assert (later.weekday(), later.minute) == (local.weekday(), local.minute)
    # Only a spring-forward gap (02:xx does not exist that night) may shift the hour.
    assert later.hour == local.hour or local.hour == 2
