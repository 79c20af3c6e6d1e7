"""Clock times written the 24-hour way are read, never asked about; the am/pm question offers
only forms the reader takes (issue 18 review)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeparse import read_when
from bot.errors import InvalidInput

SEOUL = ZoneInfo("Asia/Seoul")
PARIS = ZoneInfo("Europe/Paris")
# Monday 30 November 2026, 12:35 in Seoul.
NOW = datetime(2026, 11, 30, 3, 35, tzinfo=UTC)


def seoul(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    """Return a Seoul wall time in December 2026 as aware UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("tomorrow 10:00", SEOUL, seoul(1, 10)),
        ("tomorrow 10:30", SEOUL, seoul(1, 10, 30)),
        ("tomorrow 11:59", SEOUL, seoul(1, 11, 59)),
        ("tomorrow 12:00", SEOUL, seoul(1, 12)),
        ("tomorrow 10:00 KST", PARIS, seoul(1, 10)),
        ("2026-12-14 10:00", SEOUL, seoul(14, 10)),
        ("2026-12-14 11:30", SEOUL, seoul(14, 11, 30)),
        ("2026-12-14 8:30", SEOUL, seoul(14, 8, 30)),
        ("2026/12/14 9:05", SEOUL, seoul(14, 9, 5)),
        ("friday 10:15", SEOUL, seoul(4, 10, 15)),
        ("10:45", SEOUL, seoul(1, 10, 45)),
        ("tomorrow 10h", SEOUL, seoul(1, 10)),
        ("tomorrow 10.30", SEOUL, seoul(1, 10, 30)),
    ],
)
def test_a_two_digit_hour_or_an_iso_date_means_a_24_hour_clock(
    text: str, zone: ZoneInfo, expected: datetime
) -> None:
    """ "10:00", "11:59" and any time after an ISO date are read as written, never doubted."""
    assert read_when(text, zone, NOW, "en-US").instant == expected


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "ko", "pt-BR", "es-ES", "id", "ja", "th"])
def test_ten_oclock_is_read_in_every_locale(locale: str) -> None:
    """No locale turns "tomorrow 10:00" into an am/pm question."""
    assert read_when("tomorrow 10:00", SEOUL, NOW, locale).instant == seoul(1, 10)


@pytest.mark.parametrize("text", ["yesterday 10:00", "yesterday 11:30", "today 10:00"])
def test_a_24_hour_time_in_the_past_is_refused_as_passed(text: str) -> None:
    """ "yesterday 10:00" has already passed; it is not an am/pm question."""
    with pytest.raises(InvalidInput) as err:
        read_when(text, SEOUL, NOW, "en-US")
    assert "has already passed" in err.value.message
    assert "am or" not in err.value.message


def offered(message: str) -> list[str]:
    """Return the forms a refusal offers: the backticked words before "Try"."""
    return re.findall(r"`([^`]+)`", message.split(" Try ")[0])[1:]


@pytest.mark.parametrize("hour", range(1, 10))
@pytest.mark.parametrize("minute", [0, 5, 30])
def test_the_am_pm_question_offers_only_forms_that_read(hour: int, minute: int) -> None:
    """ "tomorrow 8:30" is asked about; every form offered reads, pm forms as pm, the
    leading-zero form as am (never `010:30`)."""
    with pytest.raises(InvalidInput) as err:
        read_when(f"tomorrow {hour}:{minute:02d}", SEOUL, NOW, "en-US")
    forms = offered(err.value.message)
    assert forms == [f"{hour}:{minute:02d}pm", f"{hour + 12}:{minute:02d}", f"0{hour}:{minute:02d}"]
    pm, pm_24, am = (read_when(f"tomorrow {f}", SEOUL, NOW).instant for f in forms)
    assert pm == pm_24 == seoul(1, hour + 12, minute)
    assert am == seoul(1, hour, minute)


@pytest.mark.parametrize("hour", range(1, 13))
def test_the_bare_hour_question_offers_only_forms_that_read(hour: int) -> None:
    """ "tomorrow at 12" offers `12pm`, `12:00` and `낮 12시` (all noon), not `24:00`."""
    with pytest.raises(InvalidInput) as err:
        read_when(f"tomorrow at {hour}", SEOUL, NOW, "en-US")
    forms = offered(err.value.message)
    assert len(forms) == 3
    readings = {read_when(f"내일 {f}" if "시" in f else f"tomorrow {f}", SEOUL, NOW).instant
                for f in forms}  # fmt: skip
    assert readings == {seoul(1, hour % 12 + 12 if hour != 12 else 12)}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("tomorrow 20:00 KST", "Asia/Seoul"),
        ("tomorrow 20:00", "Europe/Paris"),
        ("tomorrow 8pm Asia/Tokyo", "Asia/Tokyo"),
        ("tomorrow 8pm UTC+9", "Etc/GMT-9"),
        ("tomorrow 8pm UTC-3", "Etc/GMT+3"),
        ("tomorrow 20:00 UTC", "UTC"),
        ("tomorrow 8pm UTC+05:30", "UTC"),
    ],
)
def test_the_reading_names_the_zone_it_was_read_in(text: str, key: str) -> None:
    """A weekly party keeps the zone its time was read in: KST is Seoul, not the member's Paris;
    a written offset is the Etc zone of that offset (UTC when IANA has none)."""
    reading = read_when(text, PARIS, NOW, "en-GB")
    assert reading.zone_key == key
