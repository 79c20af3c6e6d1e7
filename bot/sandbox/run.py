"""Serve the sandbox on 127.0.0.1 until SIGINT/SIGTERM: `python -m bot --sandbox [--port N]`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator

from aiohttp import web

from bot.sandbox.logbuffer import LogBuffer
from bot.sandbox.session import Sandbox, open_sandbox
from bot.sandbox.web import build_app

log = logging.getLogger(__name__)

HOST = "127.0.0.1"  # never 0.0.0.0: the sandbox has no accounts and acts as anyone
DEFAULT_PORT = 8765
REAL_DISCORD_HINT = (
    "To run on real Discord instead, put DISCORD_TOKEN=... in .env (see README) and run `make run`."
)


@contextlib.asynccontextmanager
async def serve_sandbox(port: int = DEFAULT_PORT) -> AsyncIterator[tuple[Sandbox, str]]:
    """Start the sandbox and its page on 127.0.0.1; yield it with the page's URL.

    `port` 0 picks a free port. Raises OSError when the port is taken.
    """
    logs = LogBuffer()
    logs.attach()
    try:
        async with open_sandbox(logs) as box:
            runner = web.AppRunner(build_app(box), access_log=None, shutdown_timeout=1.0)
            await runner.setup()
            try:
                site = web.TCPSite(runner, HOST, port)
                await site.start()
                bound = runner.addresses[0][1]
                yield box, f"http://{HOST}:{bound}/"
            finally:
                await runner.cleanup()
    finally:
        logs.detach()


async def run_sandbox(port: int | None = None) -> int:
    """Serve the sandbox until SIGINT/SIGTERM; print its URL on stdout. Return an exit code.

    Without an explicit port it tries DEFAULT_PORT and falls back to a free one.
    """
    _quiet_terminal()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    ports = [port] if port is not None else [DEFAULT_PORT, 0]
    for index, candidate in enumerate(ports):
        try:
            async with serve_sandbox(candidate) as (_, url):
                _say(f"Lightstick sandbox: open {url}  (Ctrl+C stops it)")
                await stopping.wait()
                log.info("sandbox stopped")
                return 0
        except OSError as exc:
            if index + 1 == len(ports):
                _say(f"Cannot serve the sandbox on {HOST}:{candidate}: {exc.strerror or exc}")
                return 1
            log.info("port %s is taken; picking a free one", candidate)
    return 1


def _quiet_terminal() -> None:
    """Keep the terminal to warnings and errors: the page's log panel shows every line."""
    for handler in logging.getLogger().handlers:
        handler.setLevel(max(handler.level, logging.WARNING))


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
