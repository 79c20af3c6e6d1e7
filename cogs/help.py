"""What /help shows: members' commands by area with an example each, moderators' apart."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.core.checks import is_moderator_command, truncate

FIELD_LIMIT = 1024  # Discord's cap on an embed field's value

# Which area a top-level command belongs to; unknown ones fall under "More".
AREAS: dict[str, str] = {
    "artist": "Artists",
    "aliases": "Artists",
    "spaces": "Live Spaces",
    "trivia": "Trivia",
    "party": "Streaming parties",
    "timezone": "Timezones",
    "about": "Lightstick",
    "help": "Lightstick",
    "settings": "Lightstick",
}
AREA_ORDER = ("Artists", "Live Spaces", "Trivia", "Streaming parties", "Timezones", "Lightstick")

# One example per area, as a member would type it.
EXAMPLES: dict[str, str] = {
    # Each example does what it says: tests/cogs/test_ux_review_e2e.py runs every one.
    "Artists": "`/artist name:블랙핑크` finds BLACKPINK: Hangul names, nicknames and any "
    "capitals work.",
    "Live Spaces": "`/spaces live` shows which followed artists are on air now.",
    "Trivia": "`/trivia start questions:5` starts a five-question game in this channel.",
    "Streaming parties": "`/party schedule title:MV party when:friday 8pm` plans a party.",
    "Timezones": "`/timezone set zone:Europe/Paris` shows party times in your own zone.",
}

MEMBER_START = "**Start here:** `/artist name:BLACKPINK` shows an artist card you can share."
MODERATOR_START = (
    "**Start here:** `/settings` shows what is set up in this server and what is missing."
)

# "Moderators: do X" and "Do X (moderators)." say again what the moderator section says.
_MODERATOR_WORDS = re.compile(r"^Moderators:\s*|\s*\(moderators\)", re.IGNORECASE)


@dataclass(frozen=True)
class HelpLine:
    """One command as /help lists it."""

    area: str
    usage: str
    description: str
    moderator: bool

    def text(self) -> str:
        """Return the line people read: the command, its required options, what it does."""
        return f"`{self.usage}`: {self.description}"


def plain_description(description: str) -> str:
    """Drop the "Moderators:" prefix or "(moderators)" note: the section already says it."""
    text = _MODERATOR_WORDS.sub("", description).strip()
    return text[:1].upper() + text[1:]


def help_lines(tree: app_commands.CommandTree[Any]) -> list[HelpLine]:
    """Return every leaf command of the tree (so /help never goes stale), in tree order."""
    lines = []
    for command in tree.walk_commands():
        if isinstance(command, app_commands.Group):
            continue
        root = command.qualified_name.split(" ", 1)[0]
        required = " ".join(p.display_name for p in command.parameters if p.required)
        usage = f"/{command.qualified_name}" + (f" {required}" if required else "")
        lines.append(
            HelpLine(
                area=AREAS.get(root, "More"),
                usage=usage,
                description=plain_description(command.description),
                moderator=is_moderator_command(command),
            )
        )
    return lines


def chunk_lines(lines: Iterable[str], limit: int = FIELD_LIMIT) -> list[str]:
    """Pack lines into blocks no longer than an embed field allows."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        line = truncate(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            blocks.append(current)
            current = line
        else:
            current = candidate
    if current:
        blocks.append(current)
    return blocks


def _add_area_fields(
    embed: discord.Embed, lines: list[HelpLine], *, examples: bool
) -> discord.Embed:
    for area in (*AREA_ORDER, "More"):
        texts = [line.text() for line in lines if line.area == area]
        if not texts:
            continue
        if examples and area in EXAMPLES:
            texts.append(f"Example: {EXAMPLES[area]}")
        for i, block in enumerate(chunk_lines(texts)):
            embed.add_field(
                name=area if i == 0 else f"{area}, continued", value=block, inline=False
            )
    return embed


def help_embeds(
    lines: list[HelpLine], *, moderator: bool, colour: discord.Colour, docs_url: str
) -> list[discord.Embed]:
    """Build /help: members' commands with an example per area; moderators' in a second embed.

    `moderator` is the person's Manage Server permission, read when they ran /help.
    """
    start = MODERATOR_START if moderator else MEMBER_START
    guide = f"\nEverything in detail: [Lightstick's guide]({docs_url})." if docs_url else ""
    members = discord.Embed(
        title="Lightstick commands", description=f"{start}{guide}", colour=colour
    )
    _add_area_fields(members, [line for line in lines if not line.moderator], examples=True)
    if not moderator:
        members.set_footer(
            text="Moderators, people with Manage Server, also see their own commands here."
        )
        return [members]
    staff = discord.Embed(
        title="For moderators",
        description=(
            "You have Manage Server, so these work for you; each one checks that again when it "
            "runs."
        ),
        colour=colour,
    )
    _add_area_fields(staff, [line for line in lines if line.moderator], examples=False)
    return [members, staff]
