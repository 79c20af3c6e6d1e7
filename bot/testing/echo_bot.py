"""A tiny discord.py bot for the loopback's own tests and the latency bench.

Importable (`build_echo_bot`) or runnable as a script configured ONLY through the environment:
DISCORD_TOKEN, DISCORD_API_BASE and DISCORD_GATEWAY_URL.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import sys

import discord
import yarl
from discord import app_commands
from discord.ext import commands

_log = logging.getLogger("echo_bot")


class PressView(discord.ui.View):
    """One button that rewrites the message it sits on."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Press", custom_id="echo:press", style=discord.ButtonStyle.primary)
    async def press(
        self, interaction: discord.Interaction, button: discord.ui.Button[PressView]
    ) -> None:
        """Edit the message to say who pressed."""
        await interaction.response.edit_message(
            content=f"pressed by {interaction.user.id}", view=None
        )


class NameModal(discord.ui.Modal, title="Your name"):
    """A one-field modal."""

    name: discord.ui.TextInput[NameModal] = discord.ui.TextInput(
        label="Name", custom_id="echo:name"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Echo the submitted name ephemerally."""
        await interaction.response.send_message(f"hello {self.name.value}", ephemeral=True)


class EchoBot(commands.Bot):
    """commands.Bot with a handful of slash commands exercising the loopback."""

    def __init__(
        self, *, sync: bool = True, shard_id: int | None = None, shard_count: int | None = None
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
            allowed_mentions=discord.AllowedMentions.none(),
            shard_id=shard_id,
            shard_count=shard_count,
        )
        self.sync_on_start = sync
        self.errors: list[BaseException] = []
        self.ready_event = asyncio.Event()
        self._add_commands()

    async def setup_hook(self) -> None:
        """Sync the global command schema (the loopback records the PUT)."""
        if self.sync_on_start:
            await self.tree.sync()

    async def on_ready(self) -> None:
        """Log readiness (the subprocess test reads it from stderr)."""
        _log.info("echo bot ready as %s", self.user)
        self.ready_event.set()

    def _add_commands(self) -> None:
        tree = self.tree

        @tree.command(name="echo", description="Repeat the text")
        async def echo(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.send_message(text)

        @tree.command(name="slow", description="Answer after 3.5 seconds")
        async def slow(interaction: discord.Interaction) -> None:
            await asyncio.sleep(3.5)
            try:
                await interaction.response.send_message("too late")
            except discord.NotFound as exc:
                self.errors.append(exc)

        @tree.command(name="say", description="Post text in a channel")
        async def say(
            interaction: discord.Interaction, channel: discord.TextChannel, text: str
        ) -> None:
            target = self.get_channel(channel.id)
            assert isinstance(target, discord.TextChannel)
            try:
                await target.send(text)
            except discord.Forbidden as exc:
                self.errors.append(exc)
                await interaction.response.send_message("cannot post there", ephemeral=True)
                return
            await interaction.response.send_message("posted", ephemeral=True)

        @tree.command(name="ignore", description="Never answer (the test answers by raw HTTP)")
        async def ignore(interaction: discord.Interaction) -> None:
            return

        @tree.command(name="buttons", description="Show a button")
        async def buttons(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("press it", view=PressView())

        @tree.command(name="defer", description="Defer, then follow up")
        async def defer(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send(text, ephemeral=True)

        @tree.command(name="export", description="Answer with an .ics file, then follow up")
        async def export(interaction: discord.Interaction) -> None:
            cal = discord.File(io.BytesIO(b"BEGIN:VCALENDAR"), "events.ics")
            await interaction.response.send_message("calendar", file=cal, ephemeral=True)
            again = discord.File(io.BytesIO(b"END:VCALENDAR"), "more.ics")
            await interaction.followup.send("more", file=again)

        @tree.command(name="ask", description="Open a modal")
        async def ask(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(NameModal())

        @tree.command(name="size", description="Report an attachment's size")
        async def size(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()
            await interaction.response.send_message(f"{file.filename}: {len(data)} bytes")

        group = app_commands.Group(name="fans", description="Fan tools")

        @group.command(name="greet", description="Greet a member")
        async def greet(
            interaction: discord.Interaction, member: discord.Member, times: int = 1
        ) -> None:
            await interaction.response.send_message(f"hi {member.mention} x{times}")

        @group.command(name="pick", description="Pick an idol")
        async def pick(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(f"picked {name}")

        @pick.autocomplete("name")
        async def pick_complete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            if current == "everyone":  # Deliberately over Discord's 25-choice limit.
                return [app_commands.Choice(name=f"fan {i}", value=str(i)) for i in range(30)]
            names = ["Jisoo", "Jennie", "Rosé", "Lisa"]
            return [
                app_commands.Choice(name=n, value=n) for n in names if current.lower() in n.lower()
            ]

        tree.add_command(group)


def build_echo_bot(
    *, sync: bool = True, shard_id: int | None = None, shard_count: int | None = None
) -> EchoBot:
    """Return a fresh EchoBot; with `shard_id`/`shard_count` it IDENTIFYs as that one shard."""
    return EchoBot(sync=sync, shard_id=shard_id, shard_count=shard_count)


async def _main() -> int:
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    bot = build_echo_bot()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    runner = asyncio.create_task(bot.start(os.environ["DISCORD_TOKEN"]))
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
    _log.info("echo bot shutting down")
    await bot.close()
    stopper.cancel()
    if runner.done() and runner.exception() is not None:
        raise runner.exception()  # type: ignore[misc]
    await runner
    return 0


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s"
    )
    sys.exit(asyncio.run(_main()))
