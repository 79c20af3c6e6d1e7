"""read_when explains its choices: the zone really used and why, the date order, DST repeats."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeparse import read_when
from bot.errors import InvalidInput

# Monday 23 Nov 2026, 10:00 UTC.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def test_day_month_order_follows_the_locale_and_is_said() -> None:
    """ "5/12" is 5 December for pt-BR and 12 May for en-US, and the reading says which."""
    br = read_when("5/12 20h", ZoneInfo("America/Sao_Paulo"), NOW, "pt-BR")
    us = read_when("5/12 8pm", ZoneInfo("America/New_York"), NOW, "en-US")
    assert br.instant.astimezone(ZoneInfo("America/Sao_Paulo")).strftime("%m-%d") == "12-05"
    assert us.instant.astimezone(ZoneInfo("America/New_York")).strftime("%m-%d") == "05-12"
    assert "5 December (day/month, as written in pt-BR)" in br.explain()
    assert "12 May (month/day, as written in en-US)" in us.explain()


def test_numeric_date_without_a_locale_is_asked_about() -> None:
    """Without a locale, "5/12" could be either: the member is asked to write the month."""
    with pytest.raises(InvalidInput, match="day/month or month/day"):
        read_when("5/12 20:00", PARIS, NOW)


def test_written_zone_is_named_with_its_reason() -> None:
    """ "8pm KST" from Paris: read as Korea time (KST), because the member wrote KST."""
    reading = read_when("tomorrow 8pm KST", PARIS, NOW)
    assert "read as **Korea time (KST)** (you wrote KST)" in reading.explain()
    assert reading.instant == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("member", "expected_utc_hour"),
    [("Asia/Kolkata", 14), ("Asia/Jerusalem", 18)],  # 20:00 IST: +05:30 India, +02:00 Israel
)
def test_ambiguous_abbreviation_is_resolved_from_the_members_zone(
    member: str, expected_utc_hour: int
) -> None:
    """IST means India for a Kolkata member and Israel for a Jerusalem member."""
    reading = read_when("tomorrow 8pm IST", ZoneInfo(member), NOW)
    assert reading.instant.astimezone(UTC).hour == expected_utc_hour


def test_ambiguous_abbreviation_elsewhere_asks_with_the_choices() -> None:
    """CST from Paris is a question listing US Central and China time, never a guess."""
    with pytest.raises(InvalidInput) as err:
        read_when("8pm CST", PARIS, NOW)
    assert "US Central time (America/Chicago)" in err.value.message
    assert "China time (Asia/Shanghai)" in err.value.message


def test_est_written_in_summer_means_the_new_york_wall_clock() -> None:
    """ "1pm EST" in July is 13:00 in New York (EDT, 17:00 UTC), not 13:00 at -05:00."""
    july = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert read_when("1pm EST", PARIS, july).instant == datetime(2026, 7, 1, 17, 0, tzinfo=UTC)


def test_repeated_wall_time_says_which_was_taken() -> None:
    """01:30 on 1 Nov 2026 happens twice in New York: the first (EDT) is taken and said."""
    now = datetime(2026, 11, 1, 4, 30, tzinfo=UTC)  # 00:30 EDT
    reading = read_when("1:30am", ZoneInfo("America/New_York"), now)
    assert reading.instant == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert "happens twice" in reading.explain()
    assert "(EDT)" in reading.explain()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tomorrow 25:00", "`25:00` is not a time"),
        ("in 400 days", "one-year limit"),
        ("tonight", "add a clock time"),
        ("at 9", "9 am or 9 pm"),
        ("8pm tomorrow 9pm", "more than one time"),
        ("tomorrow 8pm please", "`please`"),
    ],
)
def test_errors_name_the_real_problem(text: str, message: str) -> None:
    """Each refusal names its own cause rather than a generic "couldn't read"."""
    with pytest.raises(InvalidInput) as err:
        read_when(text, PARIS, NOW)
    assert message in err.value.message


def test_dateparser_reads_month_names_the_grammar_has_no_table_for() -> None:
    """A French member's "5 décembre 20h" is read by dateparser's month names."""
    reading = read_when("5 décembre 20h", PARIS, NOW, "fr")
    assert reading.instant == datetime(2026, 12, 5, 19, 0, tzinfo=UTC)


def test_a_time_range_uses_the_start_and_says_so() -> None:
    """ "8pm-10pm" starts at 8 pm; the reading says the end is set by `duration`, not the text."""
    reading = read_when("tomorrow 8pm-10pm", PARIS, NOW)
    assert reading.instant == datetime(2026, 11, 24, 19, 0, tzinfo=UTC)
    assert "I used the start time" in reading.explain()


def test_refusal_examples_include_one_in_the_members_language() -> None:
    """A pt-BR member's refusal shows `amanhã às 20h` beside the English and Korean examples."""
    with pytest.raises(InvalidInput) as err:
        read_when("amanhã", ZoneInfo("America/Sao_Paulo"), NOW, "pt-BR")
    assert "`amanhã às 20h`" in err.value.message
    assert "`내일 저녁 8시`" in err.value.message
