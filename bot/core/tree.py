"""The command tree: the single error funnel, and `respond`, the one way to answer a person."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.core.checks import permission_name, safe_text, truncate
from bot.errors import UserError
from bot.store.db import storage_failure

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
MESSAGE_LIMIT = 2000  # Discord's cap on a message's content
DATABASE_BUSY = "The database is busy right now; please try again in a moment."
STORAGE_FULL = "Lightstick's storage is full; the team has been alerted."
STORAGE_GONE = (
    "Lightstick's storage is unavailable, so nothing was saved; the team has been alerted."
)
DATABASE_UNREACHABLE = (
    "The database is unreachable right now, so nothing was saved. Try again in a minute; "
    "the team has been alerted."
)
MISSING: Any = discord.utils.MISSING


async def respond(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    embeds: list[discord.Embed] | None = None,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
    allowed_mentions: discord.AllowedMentions | None = None,
    file: discord.File | None = None,
) -> None:
    """Answer an interaction: the initial response if not yet sent, else a followup; never pings."""
    mentions = allowed_mentions or NO_PINGS
    kwargs: dict[str, Any] = {
        "content": content,
        "ephemeral": ephemeral,
        "allowed_mentions": mentions,
    }
    if embed is not None:
        kwargs["embed"] = embed
    if embeds is not None:
        kwargs["embeds"] = embeds
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


# Discord drops an interaction not acknowledged within 3 s. A command still waiting (on a
# locked database, say) past this point is deferred so its answer can follow; the margin
# keeps clear of a store call that gives up at DEFAULT_BUSY_TIMEOUT_MS (2 s).
DEFER_AFTER_SECONDS = 1.5


async def defer(
    interaction: discord.Interaction[Any], *, ephemeral: bool = True, thinking: bool = True
) -> None:
    """Defer the interaction unless it was already answered (or deferred by the deadline guard).

    Slash commands show "thinking" (ephemeral unless asked otherwise); components and modals
    defer as an update of their message.
    """
    if interaction.response.is_done():
        return
    if interaction.type is discord.InteractionType.application_command:
        await interaction.response.defer(ephemeral=ephemeral, thinking=thinking)
    else:
        await interaction.response.defer()


async def edit_message(interaction: discord.Interaction[Any], **changes: Any) -> None:
    """Edit the message a component sits on, whether or not the interaction was deferred."""
    if interaction.response.is_done():
        await interaction.edit_original_response(**changes)
    else:
        await interaction.response.edit_message(**changes)


def answer_in_time(interaction: discord.Interaction[Any]) -> None:
    """Make sure the interaction is acknowledged before Discord's 3 s deadline.

    Starts a tracked timer: if nothing has answered after DEFER_AFTER_SECONDS, the interaction
    is deferred, and the eventual answer (or the "database is busy" message) follows it.
    """
    if interaction.type is discord.InteractionType.autocomplete:
        return
    coro = _defer_when_late(interaction)
    spawn = getattr(interaction.client, "spawn", None)
    if spawn is not None:
        spawn(coro, name=f"deadline-{interaction.id}")
    else:
        # A plain client in tests: fire and forget is fine for a 1.5 s timer.
        asyncio.get_running_loop().create_task(coro)


async def _defer_when_late(interaction: discord.Interaction[Any]) -> None:
    await asyncio.sleep(DEFER_AFTER_SECONDS)
    if interaction.response.is_done():
        return
    try:
        await defer(interaction)
        log.info(
            "deferred interaction %s: no answer after %s s", interaction.id, DEFER_AFTER_SECONDS
        )
    except (discord.InteractionResponded, discord.HTTPException):
        # The command answered while the defer was in flight; that answer stands.
        log.debug("late defer of %s lost the race", interaction.id, exc_info=True)


def error_code() -> str:
    """Return a short code that ties a user's report to the logged traceback."""
    return secrets.token_hex(2).upper()


def describe_error(error: BaseException) -> tuple[str, bool]:
    """Map an exception to the text a person sees, and whether it was unexpected."""
    if isinstance(error, app_commands.CommandInvokeError):
        return describe_error(error.original)
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand “{safe_text(str(error.value), 80)}” for that option.", False
    if isinstance(error, UserError):
        return error.message, False
    storage = storage_failure(error)
    if storage == "busy":
        return DATABASE_BUSY, False
    if storage == "full":
        return STORAGE_FULL, False
    if storage == "gone":
        return STORAGE_GONE, False
    if storage == "unavailable":
        return DATABASE_UNREACHABLE, False
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s.", False
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works inside a server.", False
    if isinstance(error, app_commands.MissingPermissions):
        return "You don't have permission to use this command.", False
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = ", ".join(permission_name(p) for p in error.missing_permissions)
        return f"I'm missing permissions here: {missing}.", False
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here.", False
    if isinstance(error, discord.Forbidden) and error.code == 50013:
        return (
            "Discord refused: I'm missing a permission in that channel. "
            "Ask a moderator to check my role.",
            False,
        )
    return "", True


async def handle_interaction_error(
    interaction: discord.Interaction, error: BaseException, *, where: str
) -> None:
    """Tell the person what went wrong (ephemerally); log unexpected errors with a code."""
    text, unexpected = describe_error(error)
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    storage = storage_failure(original)
    if storage == "full":
        # The person gets a plain message; operators must hear about it at once.
        log.error("database storage is full (in %s)", where, exc_info=original)
    elif storage == "busy":
        log.warning("database locked by another process (in %s)", where)
    elif storage == "unavailable":
        log.error("the database server is unreachable (in %s): %s", where, original)
    if unexpected:
        code = error_code()
        log.error("unexpected error in %s (code %s)", where, code, exc_info=error)
        text = f"Something went wrong on my side (code {code}). The team can look it up."
    if interaction.type is discord.InteractionType.autocomplete:
        return
    try:
        # A long UserError (a pack with many faults) must still reach the person, shortened.
        await respond(interaction, truncate(text, MESSAGE_LIMIT), ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error message for %s", where, exc_info=True)


class LightstickTree(app_commands.CommandTree[discord.Client]):
    """CommandTree that funnels every error through one place and registers guilds on use.

    The bot sets `on_guild_seen` (awaited with a server id before any command runs there), so the
    tree needs nothing else from the bot class.
    """

    def __init__(self, client: discord.Client, *args: Any, **kwargs: Any) -> None:
        super().__init__(client, *args, **kwargs)
        self.on_guild_seen: Callable[[int], Awaitable[None]] | None = None

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Guard the 3 s deadline, and make sure the server's rows exist before any feature
        touches them."""
        answer_in_time(interaction)
        if interaction.guild_id is not None and self.on_guild_seen is not None:
            try:
                await self.on_guild_seen(interaction.guild_id)
            except Exception as exc:
                # discord.py only routes AppCommandError from here to on_error; a database that
                # is busy or unreachable must still get its plain answer, not a dead task.
                if storage_failure(exc) is None:
                    raise
                await handle_interaction_error(interaction, exc, where="server registration")
                return False
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Send the person a clear, ephemeral message; log what they should not see."""
        name = interaction.command.qualified_name if interaction.command else "unknown command"
        await handle_interaction_error(interaction, error, where=f"/{name}")


class LightstickView(discord.ui.View):
    """A View whose errors go through the same funnel as slash commands."""

    async def on_error(
        self,
        interaction: discord.Interaction[Any],
        error: Exception,
        item: discord.ui.Item[Any],
    ) -> None:
        """Send the person a clear, ephemeral message; log unexpected errors with a code."""
        await handle_interaction_error(interaction, error, where=f"component {item!r}")
