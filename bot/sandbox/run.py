"""Serve the sandbox on 127.0.0.1 until SIGINT/SIGTERM: `python -m bot --sandbox [--port N]`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
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

    Without an explicit port it uses DEFAULT_PORT, or a free one when that is taken.
    """
    _quiet_terminal()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    chosen = port if port is not None else DEFAULT_PORT if port_is_free(DEFAULT_PORT) else 0
    try:
        async with serve_sandbox(chosen) as (_, url):
            _say(f"Lightstick sandbox: open {url}  (Ctrl+C stops it)")
            await stopping.wait()
    except OSError as exc:
        _say(f"Cannot serve the sandbox on {HOST}:{chosen}: {exc.strerror or exc}")
        return 1
    log.info("sandbox stopped")
    return 0


def port_is_free(port: int) -> bool:
    """Return whether 127.0.0.1:`port` can be bound right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _quiet_terminal() -> None:
    """Keep the terminal to warnings and errors: the page's log panel shows every line."""
    for handler in logging.getLogger().handlers:
        handler.setLevel(max(handler.level, logging.WARNING))


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
