"""Reminder planning and the after-downtime rule: on time, late (< 10 min) or skipped."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.parties import (
    Party,
    Reminder,
    batch_mentions,
    describe_lead_minutes,
    format_lead_minutes,
    parse_lead_minutes,
    plan_reminders,
    reminder_action,
    still_planned,
)
from bot.errors import InvalidInput

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def test_plan_default_leads() -> None:
    """Default leads (15, 0) give 15 minutes before and at start, earliest first."""
    assert plan_reminders(START, (15, 0)) == [START - timedelta(minutes=15), START]


def test_plan_deduplicates() -> None:
    """The same lead twice yields one reminder."""
    assert plan_reminders(START, [0, 0, 5]) == [START - timedelta(minutes=5), START]


def test_plan_refuses_naive() -> None:
    """A naive start is a programming error."""
    with pytest.raises(ValueError, match="aware"):
        plan_reminders(START.replace(tzinfo=None), [0])


@pytest.mark.parametrize(
    ("late_by", "action"),
    [
        (timedelta(seconds=-5), "send"),
        (timedelta(0), "send"),
        (timedelta(seconds=60), "send"),
        (timedelta(seconds=61), "late"),
        (timedelta(minutes=5), "late"),
        (timedelta(minutes=9, seconds=59), "late"),
        (timedelta(minutes=10), "skip"),
        (timedelta(minutes=30), "skip"),
    ],
)
def test_catch_up_rule(late_by: timedelta, action: str) -> None:
    """9:59 late is still sent (late); exactly 10:00 late and older are skipped."""
    assert reminder_action(START, START + late_by) == action


def test_parse_lead_minutes() -> None:
    """Lead lists are parsed, deduplicated and ordered largest first."""
    assert parse_lead_minutes("15,0") == (15, 0)
    assert parse_lead_minutes(" 0 , 60;15,15 ") == (60, 15, 0)
    assert format_lead_minutes((0, 60, 15)) == "60,15,0"


@pytest.mark.parametrize("text", ["", "abc", "-5", "1441", "1,2,3,4,5,6", "15,x"])
def test_parse_lead_minutes_refuses(text: str) -> None:
    """Empty, non-numeric, negative, over-a-day or more than five leads are refused."""
    with pytest.raises(InvalidInput):
        parse_lead_minutes(text)


def test_batch_mentions_fit_and_cover_everyone() -> None:
    """Mentions are split under 2000 characters, each member exactly once, header first."""
    ids = [10**17 + i for i in range(300)]
    batches = batch_mentions("⏰ **MV party** starts soon", ids)
    assert len(batches) > 1
    assert batches[0][0].startswith("⏰ **MV party** starts soon\n<@")
    assert all(len(content) <= 2000 for content, _ in batches)
    flat = [i for _, group in batches for i in group]
    assert flat == ids
    for content, group in batches:
        assert [int(m) for m in re.findall(r"<@(\d+)>", content)] == group


def test_batch_mentions_small_and_duplicates() -> None:
    """Two members fit in one message; a repeated id is mentioned once."""
    assert batch_mentions("Hi", [1, 2, 1]) == [("Hi\n<@1> <@2>", [1, 2])]


def test_a_moved_notice_survives_a_later_move_but_an_old_reminder_does_not() -> None:
    """After the party moved again, a claimed "moved" row still belongs (it reports a change
    that happened); a "remind" row planned for the earlier start does not."""
    party = Party(
        id=1,
        guild_id=2,
        title="MV party",
        starts_at=START + timedelta(hours=2),
        duration=timedelta(hours=1),
        channel_id=3,
        organiser_id=4,
        zone="UTC",
    )
    moved = Reminder(1, 1, 2, "moved", START, 0, "sending", START, START + timedelta(hours=1))
    remind = Reminder(2, 1, 2, "remind", START - timedelta(minutes=15), 15, "sending")
    assert still_planned(moved, party)
    assert not still_planned(remind, party)


@pytest.mark.parametrize(
    ("leads", "said"),
    [
        ((60, 15, 0), "60 and 15 minutes before, and at the start"),
        ((15, 0), "15 minutes before and at the start"),
        ((120, 60, 15), "120, 60 and 15 minutes before"),
        ((1,), "1 minute before"),
        ((0,), "at the start"),
        ((), "never"),
    ],
)
def test_lead_minutes_are_said_as_a_person_would(leads: tuple[int, ...], said: str) -> None:
    """ "60,15,0" reads "60 and 15 minutes before, and at the start", not "60 min before ..."."""
    assert describe_lead_minutes(leads) == said
