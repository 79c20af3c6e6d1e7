"""PostgreSQL housekeeping outside the repositories: scratch schemas and throw-away databases.

`lightstick --check` migrates a scratch schema and drops it; the test suite creates one database
per run and one schema per test. Names are generated here, never taken from input.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.store.backend import redact_url
from bot.store.db import DatabaseUnavailable, DatabaseUnusable


def _name(prefix: str) -> str:
    """Return a fresh lower-case identifier: the prefix, the process id and random hex."""
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"


def with_database(url: str, database: str) -> str:
    """Return `url` pointing at another database on the same server."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


async def _connect(url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(url, timeout=5)
    except asyncpg.PostgresError as exc:
        raise DatabaseUnusable(
            f"cannot use the PostgreSQL database {redact_url(url)}: {exc}"
        ) from exc
    except (OSError, TimeoutError, asyncpg.InterfaceError) as exc:
        raise DatabaseUnavailable(
            f"cannot reach the PostgreSQL server {redact_url(url)}: {exc}"
        ) from exc


async def probe(url: str) -> None:
    """Connect once and disconnect; raise DatabaseUnavailable or DatabaseUnusable."""
    conn = await _connect(url)
    await conn.close()


async def create_database(admin_url: str, prefix: str = "lightstick_test") -> str:
    """Create an empty database named `<prefix>_<pid>_<hex>` and return its URL."""
    name = _name(prefix)
    conn = await _connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(admin_url, name)


async def drop_database(admin_url: str, url: str) -> None:
    """Drop the database `url` names (closing its other sessions first); idempotent."""
    name = urlsplit(url).path.lstrip("/")
    conn = await _connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def scratch_schema(url: str, prefix: str = "lightstick_scratch") -> AsyncIterator[str]:
    """Create a fresh schema in the database `url` names, yield its name, then drop it."""
    name = _name(prefix)
    conn = await _connect(url)
    try:
        try:
            await conn.execute(f'CREATE SCHEMA "{name}"')
        except asyncpg.InsufficientPrivilegeError as exc:
            raise DatabaseUnusable(
                f"cannot make a scratch schema in {redact_url(url)} ({exc}): the database user "
                "needs CREATE on the database for it (GRANT CREATE ON DATABASE ... TO ...)"
            ) from exc
        try:
            yield name
        finally:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    finally:
        await conn.close()
