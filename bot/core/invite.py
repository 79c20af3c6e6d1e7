"""The exact permissions Lightstick asks for when invited, and what each one is for."""

from __future__ import annotations

import discord

# (permission attribute, why Lightstick needs it). Keep in step with the README's table.
INVITE_PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("view_channel", "see the channels moderators pick for announcements, parties and trivia"),
    ("send_messages", "post Space announcements, trivia questions, party posts and reminders"),
    ("embed_links", "show artist cards, announcements and party posts as embeds"),
    ("attach_files", "attach the .ics calendar file from /party export"),
    ("read_message_history", "edit its own announcements, from live to ended, and party posts"),
    ("manage_events", "mirror streaming parties as native Discord events; optional"),
)

SCOPES = ("bot", "applications.commands")


def invite_permissions() -> discord.Permissions:
    """Return the minimal permission set the features need."""
    perms = discord.Permissions.none()
    for name, _why in INVITE_PERMISSIONS:
        setattr(perms, name, True)
    return perms


def invite_url(application_id: int) -> str:
    """Return the ready-made invite link for this application."""
    return discord.utils.oauth_url(application_id, permissions=invite_permissions(), scopes=SCOPES)
