"""normalize_korean: the Korean time words dateparser misses, rewritten into English."""

from __future__ import annotations

import pytest

from bot.domain.timeparse import normalize_korean


@pytest.mark.parametrize(
    ("korean", "english"),
    [
        ("내일 저녁 8시", "tomorrow 20:00"),
        ("오늘 밤 10시", "today 22:00"),
        ("모레 오후 3시", "day after tomorrow 15:00"),
        ("내일모레 오전 11시", "day after tomorrow 11:00"),
        ("3시간 후", "in 3 hours"),
        ("3시간 뒤에", "in 3 hours"),
        ("30분 후", "in 30 minutes"),
        ("1시간 반 후", "in 1 hours 30 minutes"),
        ("2시간 15분 뒤", "in 2 hours 15 minutes"),
        ("세 시간 후", "in 3 hours"),
        ("금요일 20시", "friday 20:00"),
        ("이번 주 토요일 오후 2시", "saturday 14:00"),
        ("일요일 저녁 7시 30분", "sunday 19:30"),
        ("내일 오후 8시 반", "tomorrow 20:30"),
        ("내일 아침 9시", "tomorrow 09:00"),
        ("내일 새벽 2시", "tomorrow 02:00"),
        ("오전 12시", "00:00"),
        ("오후 12시", "12:00"),
        ("낮 1시", "13:00"),
        ("저녁 여덟 시", "20:00"),
        ("열한 시", "11:00"),
        ("내일 정오", "tomorrow 12:00"),
        ("밤 22시", "22:00"),
        ("오후 8:30", "20:30"),
        ("8시쯤", "08:00"),
        ("2일 후 오후 8시", "in 2 days 20:00"),
    ],
)
def test_common_phrases_become_english(korean: str, english: str) -> None:
    """Period words (오전/오후/저녁/밤/새벽/아침), day words, 반/분, 후/뒤 map as meant."""
    assert normalize_korean(korean) == english


@pytest.mark.parametrize(
    ("korean", "english"),
    [
        # Midnight and the small hours "tonight" belong to the next calendar day.
        ("오늘 밤 12시", "tomorrow 00:00"),
        ("오늘 밤 1시", "tomorrow 01:00"),
        ("내일 자정", "day after tomorrow 00:00"),
        ("금요일 밤 1시", "saturday 01:00"),
        ("일요일 밤 12시", "monday 00:00"),
        ("밤 12시", "00:00"),
    ],
)
def test_late_night_rolls_to_the_next_day(korean: str, english: str) -> None:
    """ "오늘 밤 12시" is the midnight at the end of today, i.e. tomorrow 00:00."""
    assert normalize_korean(korean) == english


@pytest.mark.parametrize("text", ["tomorrow 8pm", "in 2 hours", "friday 20:00", "8pm KST"])
def test_text_without_hangul_is_untouched(text: str) -> None:
    """English input passes through unchanged."""
    assert normalize_korean(text) == text


@pytest.mark.parametrize("korean", ["오전 15시", "오후 8시 75분", "25시"])
def test_impossible_times_are_left_for_the_parser_to_refuse(korean: str) -> None:
    """A contradiction such as "오전 15시" is not silently turned into some other time."""
    out = normalize_korean(korean)
    assert "15:00" not in out
    assert "20:75" not in out
    assert "01:00" not in out


def test_dates_written_in_korean_survive_for_dateparser() -> None:
    """ "12월 1일" is left as is (dateparser reads it) while the time words are rewritten."""
    assert normalize_korean("12월 1일 오후 6시") == "12월 1일 18:00"
