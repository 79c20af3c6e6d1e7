"""Shared fixtures: the loopback Discord, a default guild, and the discord.py error guard."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.core.client import Lightstick
from bot.store import Store
from bot.store.backend import redact_url
from bot.store.db import DatabaseUnavailable, DatabaseUnusable
from bot.store.pg_admin import create_database, drop_database, probe, scratch_schema
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.guard import DiscordLogGuard
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


@pytest.fixture(autouse=True)
def discord_log_guard() -> Iterator[DiscordLogGuard]:
    """Fail the test if discord.py (logger "discord" and children) logs ERROR or worse."""
    guard = DiscordLogGuard()
    logger = logging.getLogger("discord")
    logger.addHandler(guard.handler)
    try:
        yield guard
    finally:
        logger.removeHandler(guard.handler)
    problems = guard.problems()
    if problems:
        pytest.fail("discord_log_guard:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
async def loopback() -> AsyncIterator[LoopbackDiscord]:
    """Start a loopback Discord on 127.0.0.1; at teardown fail on unexpected violations.

    Unhandled exceptions reported to the event loop (dead tasks) also fail the test.
    """
    server = await LoopbackDiscord().start()
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    guard_errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, ctx: guard_errors.append(ctx))
    try:
        yield server
    finally:
        await server.close()
        loop.set_exception_handler(previous)
        violations = server.unexpected_violations()
        errors = [f"{c.get('message')}: {c.get('exception')!r}" for c in guard_errors]
        if violations or errors:
            lines = [v.describe() for v in violations] + [
                f"unhandled in event loop: {e}" for e in errors
            ]
            pytest.fail("loopback Discord:\n  " + "\n  ".join(lines), pytrace=False)


@pytest.fixture
def guild(loopback: LoopbackDiscord) -> GuildFixture:
    """Add the default populated guild to the loopback."""
    return loopback.add_guild("Lightstick Test Guild")


DEFAULT_TEST_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
T = TypeVar("T")


def _run_aside(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on its own loop in a worker thread.

    Session fixtures are first requested from inside a test's running loop, where
    `asyncio.run` is refused.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database of its own for this test run (created, then dropped at the end).

    The server is TEST_POSTGRES_URL (default: the local one every machine of the project runs).
    Unreachable: the PostgreSQL tests are skipped, or fail when LIGHTSTICK_REQUIRE_POSTGRES=1.
    """
    admin = os.environ.get("TEST_POSTGRES_URL", DEFAULT_TEST_POSTGRES_URL)
    try:
        _run_aside(lambda: probe(admin))
    except (DatabaseUnavailable, DatabaseUnusable) as exc:
        reason = f"PostgreSQL at {redact_url(admin)} is not reachable ({exc})"
        if os.environ.get("LIGHTSTICK_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason}, and LIGHTSTICK_REQUIRE_POSTGRES=1", pytrace=False)
        pytest.skip(f"{reason}; set TEST_POSTGRES_URL to run the PostgreSQL half")
    url = _run_aside(lambda: create_database(admin))
    try:
        yield url
    finally:
        _run_aside(lambda: drop_database(admin, url))


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated Store on a fresh database (no mocks: the real schema), once per backend.

    SQLite: a new file in tmp_path. PostgreSQL: a new schema in the run's database.
    """
    async with contextlib.AsyncExitStack() as stack:
        if request.param == "sqlite":
            s = await Store.open(tmp_path / "db.sqlite")
        else:
            url = request.getfixturevalue("postgres_database")
            schema = await stack.enter_async_context(scratch_schema(url, prefix="test"))
            s = await Store.open(url, schema=schema)
        stack.push_async_callback(s.close)
        await s.migrate()
        yield s


@pytest.fixture
async def lightstick(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> AsyncIterator[Lightstick]:
    """A running Lightstick (fresh database) connected to the loopback with the default guild."""
    async with start_lightstick(loopback, tmp_path / "lightstick.db") as bot:
        yield bot


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """The run's PostgreSQL database URL (skipped, or failed, like the store fixture)."""
    url: str = request.getfixturevalue("postgres_database")
    return url
