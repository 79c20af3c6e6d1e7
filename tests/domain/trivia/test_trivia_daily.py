"""The daily question is due once per server-local day, at the configured local time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.trivia.daily import daily_due, local_date, parse_daily_time
from bot.errors import InvalidInput


def test_parse_daily_time_normalises_and_refuses_nonsense() -> None:
    """'9:05' becomes '09:05'; '24:00' and words are refused with a clear message."""
    assert parse_daily_time("9:05") == "09:05"
    assert parse_daily_time(" 21:30 ") == "21:30"
    for bad in ("24:00", "9pm", "12:60", ""):
        with pytest.raises(InvalidInput):
            parse_daily_time(bad)


def test_due_uses_server_local_time_and_date() -> None:
    """20:00 in Seoul is 11:00 UTC; it is due from then, once per Seoul date."""
    before = datetime(2025, 3, 1, 10, 59, tzinfo=UTC)
    after = datetime(2025, 3, 1, 11, 0, tzinfo=UTC)
    assert not daily_due(before, "Asia/Seoul", "20:00", None)
    assert daily_due(after, "Asia/Seoul", "20:00", None)
    assert not daily_due(after, "Asia/Seoul", "20:00", local_date(after, "Asia/Seoul"))
    assert daily_due(after, "Asia/Seoul", "20:00", "2025-02-28")
