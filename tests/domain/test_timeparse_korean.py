"""Korean phrasings: period words, day words, 반/분, 후/뒤, 이번 주/다음 주/다다음 주, 밤 12시."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeparse import parse_when
from bot.errors import InvalidInput

SEOUL = ZoneInfo("Asia/Seoul")
# Monday 23 Nov 2026, 01:30 in Seoul.
NOW = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("korean", "local"),
    [
        ("내일 저녁 8시", "2026-11-24 20:00"),
        ("오늘 밤 10시", "2026-11-23 22:00"),
        ("모레 오후 3시", "2026-11-25 15:00"),
        ("내일모레 오전 11시", "2026-11-25 11:00"),
        ("3시간 후", "2026-11-23 04:30"),
        ("3시간 뒤에", "2026-11-23 04:30"),
        ("30분 후", "2026-11-23 02:00"),
        ("1시간 반 후", "2026-11-23 03:00"),
        ("2시간 15분 뒤", "2026-11-23 03:45"),
        ("세 시간 후", "2026-11-23 04:30"),
        ("금요일 20시", "2026-11-27 20:00"),
        ("이번 주 토요일 오후 2시", "2026-11-28 14:00"),
        ("다음 주 금요일 오후 8시", "2026-12-04 20:00"),
        ("다다음 주 월요일 저녁 7시", "2026-12-07 19:00"),
        ("일요일 저녁 7시 30분", "2026-11-29 19:30"),
        ("내일 오후 8시 반", "2026-11-24 20:30"),
        ("내일 아침 9시", "2026-11-24 09:00"),
        ("내일 새벽 2시", "2026-11-24 02:00"),
        ("오후 12시", "2026-11-23 12:00"),
        ("낮 1시", "2026-11-23 13:00"),
        ("저녁 여덟 시", "2026-11-23 20:00"),
        ("내일 정오", "2026-11-24 12:00"),
        ("밤 22시", "2026-11-23 22:00"),
        ("오후 8:30", "2026-11-23 20:30"),
        ("2일 후 오후 8시", "2026-11-25 20:00"),
        ("12월 1일 화요일 저녁 8시", "2026-12-01 20:00"),
        ("2026년 12월 1일 화요일 저녁 8시", "2026-12-01 20:00"),
    ],
)
def test_common_phrases_read_as_meant(korean: str, local: str) -> None:
    """Each phrase lands on the Seoul wall time a Korean speaker means."""
    found = parse_when(korean, SEOUL, NOW).astimezone(SEOUL)
    assert f"{found:%Y-%m-%d %H:%M}" == local


@pytest.mark.parametrize(
    ("korean", "local"),
    [
        ("오늘 밤 12시", "2026-11-24 00:00"),
        ("오늘 밤 1시", "2026-11-24 01:00"),
        ("내일 자정", "2026-11-25 00:00"),
        ("금요일 밤 1시", "2026-11-28 01:00"),
        ("일요일 밤 12시", "2026-11-30 00:00"),
        ("12월 10일 밤 12시", "2026-12-11 00:00"),
    ],
)
def test_late_night_rolls_to_the_next_day(korean: str, local: str) -> None:
    """ "밤 12시" after a day is the midnight that ends it, i.e. the next day's 00:00."""
    found = parse_when(korean, SEOUL, NOW).astimezone(SEOUL)
    assert f"{found:%Y-%m-%d %H:%M}" == local


@pytest.mark.parametrize("korean", ["오전 15시", "오후 8시 75분", "25시", "8시쯤", "저녁"])
def test_impossible_or_unclear_times_are_refused(korean: str) -> None:
    """A contradiction ("오전 15시"), a bare "8시" (am or pm?) or "저녁" alone is refused."""
    with pytest.raises(InvalidInput):
        parse_when(korean, SEOUL, NOW)


def test_a_weekday_that_contradicts_the_date_is_refused() -> None:
    """ "12월 1일 금요일" (1 Dec 2026 is a Tuesday) is refused rather than guessed."""
    with pytest.raises(InvalidInput, match="Tuesday"):
        parse_when("12월 1일 금요일 저녁 8시", SEOUL, NOW)
