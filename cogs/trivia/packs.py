"""/trivia pack import, template, list and remove: the bodies behind the cog's pack commands."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING, Any

import discord

from bot.core.checks import require_manage_guild, safe_text, truncate
from bot.core.tree import respond
from bot.domain.text import plural
from bot.domain.trivia.formats import ImportResult, parse_pack
from bot.domain.trivia.formats.template import TEMPLATE, TEMPLATE_FILENAME
from bot.domain.trivia.model import KIND_LABELS, PACK_BYTES_MAX, PACK_NAME_MAX
from bot.domain.trivia.validate import clean
from bot.errors import InvalidInput, NotAllowed
from cogs.trivia.host import TriviaHost

if TYPE_CHECKING:
    from bot.core.client import Lightstick

REPLY_MAX = 2000
LISTED_MAX = 8  # skipped entries named in the reply; the rest are counted


def _guild(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None:
        raise NotAllowed("Trivia only works inside a server.")
    return interaction.guild_id


# "2 typed answers", but "2 multiple choice" (the kind's name does not take an "s").
_KIND_PLURALS = {"multiple choice": "multiple choice", "typed answer": "typed answers"}


def import_reply(name: str, result: ImportResult) -> str:
    """Say what was imported (format, count of each kind), what was skipped and why."""
    kinds = ", ".join(
        plural(n, KIND_LABELS[k], _KIND_PLURALS.get(KIND_LABELS[k]))
        for k, n in result.counts().items()
    )
    lines = [
        f"Imported **{safe_text(name, PACK_NAME_MAX)}** from a {result.format}: "
        f"{plural(len(result.questions), 'question')} ({kinds}).",
        "Play them with `/trivia start category:Server packs`.",
    ]
    if result.skipped:
        lines.append(f"Skipped {len(result.skipped)}:")
        lines += [f"• {safe_text(s, 300)}" for s in result.skipped[:LISTED_MAX]]
        if len(result.skipped) > LISTED_MAX:
            lines.append(f"…and {len(result.skipped) - LISTED_MAX} more.")
    if result.ignored:
        lines.append("Not used:")
        lines += [f"• {safe_text(s, 300)}" for s in result.ignored[:LISTED_MAX]]
    return truncate("\n".join(lines), REPLY_MAX)


async def import_pack(
    cog: TriviaHost,
    interaction: discord.Interaction[Lightstick],
    file: discord.Attachment,
    name: str,
) -> None:
    """Validate an attached pack of any accepted format and store it for this server only."""
    require_manage_guild(interaction)
    guild_id = _guild(interaction)
    pack_name = clean(name)
    if not pack_name:
        raise InvalidInput("Give the pack a name.")
    if file.size > PACK_BYTES_MAX:
        raise InvalidInput(f"That file is larger than {PACK_BYTES_MAX // 1024} KB.")
    await interaction.response.defer(ephemeral=True, thinking=True)
    data = await file.read()
    # Validating 256 KB of questions is CPU work: keep it off the event loop.
    result = await asyncio.to_thread(parse_pack, data, file.filename)
    await cog.packs(guild_id).add_pack(
        pack_name, interaction.user.id, result.questions, cog.bot.clock()
    )
    await respond(interaction, import_reply(pack_name, result), ephemeral=True)


async def send_template(interaction: discord.Interaction[Lightstick]) -> None:
    """Send the example pack as a YAML file, with a pointer to the other formats."""
    file = discord.File(io.BytesIO(TEMPLATE.encode()), filename=TEMPLATE_FILENAME)
    await respond(
        interaction,
        "Here is an example pack: edit it and import it with `/trivia pack import`. "
        "Red trivia lists and sir-lancebot quiz files are accepted as they are.",
        file=file,
        ephemeral=True,
    )


async def list_packs(cog: TriviaHost, interaction: discord.Interaction[Lightstick]) -> None:
    """List the server's packs with their sizes."""
    packs = await cog.packs(_guild(interaction)).list_packs()
    lines = [
        f"• **{safe_text(p.name, PACK_NAME_MAX)}**: {plural(p.question_count, 'question')}, "
        f"by <@{p.created_by}> {discord.utils.format_dt(p.created_at, 'd')}"
        for p in packs
    ]
    await respond(interaction, "\n".join(lines) or "This server has no packs yet.", ephemeral=True)


async def remove_pack(
    cog: TriviaHost, interaction: discord.Interaction[Lightstick], name: str
) -> None:
    """Delete a pack and its questions (moderators)."""
    require_manage_guild(interaction)
    count = await cog.packs(_guild(interaction)).remove_pack(clean(name))
    await respond(
        interaction,
        f"Removed **{safe_text(clean(name), PACK_NAME_MAX)}** ({plural(count, 'question')}).",
        ephemeral=True,
    )
