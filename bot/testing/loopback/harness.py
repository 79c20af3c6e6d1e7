"""Run a discord.py client in-loop, or a bot as a real subprocess, against the loopback."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import discord
import yarl

from bot.testing.loopback.server import LoopbackDiscord

# The folder that holds the `bot` package: a checkout, or site-packages when installed.
REPO_ROOT = Path(__file__).resolve().parents[3]
ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def configure_discord_py(server: LoopbackDiscord) -> Iterator[LoopbackDiscord]:
    """Point discord.py's REST base and gateway at the loopback; restore them afterwards."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = server.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    try:
        yield server
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@contextlib.asynccontextmanager
async def run_client_in_loop(
    server: LoopbackDiscord, client: ClientT, *, ready_timeout: float = 10.0
) -> AsyncIterator[ClientT]:
    """Start `client` against the loopback in this event loop, wait for on_ready, close on exit."""
    with configure_discord_py(server):
        task = asyncio.create_task(client.start(server.token), name="loopback-client")
        try:
            async with asyncio.timeout(ready_timeout):
                while not client.is_ready():
                    if task.done():
                        task.result()  # Surface the client's startup exception.
                        raise AssertionError("client stopped before becoming ready")
                    await asyncio.sleep(0.005)
            yield client
        finally:
            if not client.is_closed():
                await client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 5.0)


class BotProcess:
    """A bot running as a real child process; stdout/stderr are captured."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self._out = bytearray()
        self._err = bytearray()
        assert proc.stdout is not None
        assert proc.stderr is not None
        self._readers = [
            asyncio.create_task(self._pump(proc.stdout, self._out)),
            asyncio.create_task(self._pump(proc.stderr, self._err)),
        ]

    @staticmethod
    async def _pump(stream: asyncio.StreamReader, sink: bytearray) -> None:
        while chunk := await stream.read(4096):
            sink.extend(chunk)

    @property
    def pid(self) -> int:
        """Return the process id."""
        return self.proc.pid

    @property
    def stdout(self) -> str:
        """Return everything the process wrote to stdout so far."""
        return self._out.decode(errors="replace")

    @property
    def stderr(self) -> str:
        """Return everything the process wrote to stderr so far."""
        return self._err.decode(errors="replace")

    @property
    def returncode(self) -> int | None:
        """Return the exit code (negative signal number when killed), or None while running."""
        return self.proc.returncode

    def kill(self) -> None:
        """Send SIGKILL."""
        if self.proc.returncode is None:
            self.proc.kill()

    def terminate(self) -> None:
        """Send SIGTERM."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)

    async def wait_for_output(self, pattern: str, timeout: float = 10.0) -> str:
        """Wait until stdout or stderr matches the regex; return the matching text."""
        regex = re.compile(pattern)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = regex.search(self.stdout) or regex.search(self.stderr)
            if found:
                return found.group(0)
            if self.returncode is not None or loop.time() > deadline:
                raise AssertionError(f"{pattern!r} never appeared\n--- stderr ---\n{self.stderr}")
            await asyncio.sleep(0.02)

    async def wait(self, timeout: float = 10.0) -> int:
        """Wait for exit and for the output pipes to drain; return the exit code."""
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        await asyncio.wait_for(asyncio.gather(*self._readers), timeout)
        return code


@contextlib.asynccontextmanager
async def run_bot_process(
    server: LoopbackDiscord,
    env: dict[str, str] | None = None,
    args: Sequence[str] = (),
    *,
    module: str = "bot",
    ready_timeout: float = 20.0,
    wait_ready: bool = True,
) -> AsyncIterator[BotProcess]:
    """Run `python -m module` (or a .py script path) configured only by env vars; wait for READY."""
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    child_env.update(
        DISCORD_TOKEN=server.token,
        DISCORD_API_BASE=server.api_base,
        DISCORD_GATEWAY_URL=server.gateway_url,
        PYTHONUNBUFFERED="1",
    )
    child_env.update(env or {})
    target = [module] if module.endswith(".py") else ["-m", module]
    readies_before = server.gateway.ready_count
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *target,
        *args,
        cwd=REPO_ROOT,
        env=child_env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    bot = BotProcess(proc)
    try:
        if wait_ready:
            await _wait_process_ready(server, bot, readies_before, ready_timeout)
        yield bot
    finally:
        if bot.returncode is None:
            bot.terminate()
            try:
                await bot.wait(5.0)
            except TimeoutError:
                bot.kill()
                await bot.wait(5.0)
        else:
            await bot.wait(5.0)


async def _wait_process_ready(
    server: LoopbackDiscord, bot: BotProcess, before: int, timeout: float
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while server.gateway.ready_count <= before:
        if bot.returncode is not None:
            await bot.wait(5.0)
            raise AssertionError(
                f"bot process exited with {bot.returncode} before READY\n"
                f"--- stdout ---\n{bot.stdout}\n--- stderr ---\n{bot.stderr}"
            )
        if loop.time() > deadline:
            raise AssertionError(
                f"bot process not READY after {timeout}s\n--- stderr ---\n{bot.stderr}"
            )
        await asyncio.sleep(0.02)
