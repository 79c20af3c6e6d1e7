"""Streaming parties: pure rules for links, durations, reminders, repeats, bounds and ICS."""

from bot.domain.parties.bounds import (
    MAX_SCHEDULED_EVENTS,
    MAX_UPCOMING_PER_GUILD,
    NOTES_MAX,
    TITLE_MAX,
    check_upcoming_room,
    read_start,
    validate_capacity,
    validate_notes,
    validate_title,
)
from bot.domain.parties.durations import DEFAULT_DURATION, format_duration, parse_duration
from bot.domain.parties.ics import build_ics, party_uid
from bot.domain.parties.links import LinkInfo, classify_link
from bot.domain.parties.model import (
    RSVP_STATUSES,
    Party,
    PartyDraft,
    PartyStatus,
    Reminder,
    ReminderKind,
    ReminderState,
    RsvpCounts,
    RsvpStatus,
    reminder_nonce,
)
from bot.domain.parties.recurrence import next_weekly, roll_forward, weekly_occurrence
from bot.domain.parties.reminders import (
    DEFAULT_LEAD_MINUTES,
    LATE_WINDOW,
    ReminderAction,
    batch_mentions,
    format_lead_minutes,
    parse_lead_minutes,
    plan_reminders,
    reminder_action,
)

__all__ = [
    "DEFAULT_DURATION",
    "DEFAULT_LEAD_MINUTES",
    "LATE_WINDOW",
    "MAX_SCHEDULED_EVENTS",
    "MAX_UPCOMING_PER_GUILD",
    "NOTES_MAX",
    "RSVP_STATUSES",
    "TITLE_MAX",
    "LinkInfo",
    "Party",
    "PartyDraft",
    "PartyStatus",
    "Reminder",
    "ReminderAction",
    "ReminderKind",
    "ReminderState",
    "RsvpCounts",
    "RsvpStatus",
    "batch_mentions",
    "build_ics",
    "check_upcoming_room",
    "classify_link",
    "format_duration",
    "format_lead_minutes",
    "next_weekly",
    "parse_duration",
    "parse_lead_minutes",
    "party_uid",
    "plan_reminders",
    "read_start",
    "reminder_action",
    "reminder_nonce",
    "roll_forward",
    "validate_capacity",
    "validate_notes",
    "validate_title",
    "weekly_occurrence",
]
