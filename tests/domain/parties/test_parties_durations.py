"""Party durations: compact forms, Korean units, default and 5 min..12 h bounds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.parties import DEFAULT_DURATION, format_duration, parse_duration
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("2h", timedelta(hours=2)),
        ("1h30m", timedelta(minutes=90)),
        ("1h 30m", timedelta(minutes=90)),
        ("45", timedelta(minutes=45)),
        ("2 hours", timedelta(hours=2)),
        ("1시간 30분", timedelta(minutes=90)),
        ("5m", timedelta(minutes=5)),
        ("12h", timedelta(hours=12)),
    ],
)
def test_parses_forms(text: str, expected: timedelta) -> None:
    """Hours, minutes, both, bare minutes and Korean units are all understood."""
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", [None, "", "   "])
def test_default_is_one_hour(text: str | None) -> None:
    """No duration means one hour."""
    assert parse_duration(text) == DEFAULT_DURATION == timedelta(hours=1)


@pytest.mark.parametrize("text", ["4m", "12h1m", "13h", "0"])
def test_out_of_bounds(text: str) -> None:
    """Less than 5 minutes or more than 12 hours is refused with the bounds in the message."""
    with pytest.raises(InvalidInput, match="5 minutes and 12 hours"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["soon", "1d", "h", "1.5h", "-30m"])
def test_unreadable(text: str) -> None:
    """Text that is not a duration is refused with examples."""
    with pytest.raises(InvalidInput, match="1h30m"):
        parse_duration(text)


def test_format_round_trips() -> None:
    """Formatted durations parse back to the same value."""
    for minutes in (5, 45, 60, 90, 720):
        duration = timedelta(minutes=minutes)
        assert parse_duration(format_duration(duration)) == duration
