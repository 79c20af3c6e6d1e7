"""Composition root: `lightstick` / `python -m bot` `[--check | --health] [--sync] [--sandbox]`,
`lightstick migrate` and `lightstick migrate-db --from URL --to URL`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
import tempfile
from pathlib import Path

import asyncpg
import discord
from pydantic import ValidationError

from bot import __version__
from bot.core.client import Lightstick
from bot.logs import configure_logging
from bot.sandbox.run import REAL_DISCORD_HINT, run_sandbox
from bot.settings import Settings
from bot.store import Store
from bot.store.backend import backend_of, sqlite_path
from bot.store.copy import run_migrate_db
from bot.store.db import DatabaseUnavailable, DatabaseUnusable
from bot.store.migrate import (
    MigrationError,
    check_postgres_schema,
    check_schema,
    current_version,
)
from bot.store.pg_admin import scratch_schema

log = logging.getLogger("bot")

EXIT_CONFIG = 2
EXIT_DATABASE = 3

# Gateway close codes that mean the shard settings are wrong for this bot.
SHARD_REFUSALS = {
    4010: "Discord refused the shard settings. Check SHARD_COUNT and SHARD_IDS.",
    4011: (
        "Discord says this bot is in too many servers for its shards (at most 2,500 per shard). "
        "Set SHARD_COUNT higher, or leave it unset to use Discord's recommendation."
    ),
}

SETUP_GUIDANCE = """\
Lightstick needs a Discord bot token to start, and none is configured.

  1. Open https://discord.com/developers/applications and create an application
     (New Application), named as you like.
  2. In its Bot tab, press "Reset Token" and copy the token. Leave every
     privileged gateway intent OFF: Lightstick needs none of them.
  3. Put the token in a file named .env next to this README:
         cp .env.example .env
         # then edit .env:  DISCORD_TOKEN=your-token-here
     (or export DISCORD_TOKEN in the environment).
  4. Run `make run` again. `/about` then shows the invite link with the exact
     permissions Lightstick needs. See README.md for every setting.

Just looking? `python -m bot --sandbox` runs every command in your browser.
"""


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def _prog() -> str:
    """Name the program as it was started: `lightstick` (console script) or `python -m bot`."""
    name = Path(sys.argv[0]).name
    return "python -m bot" if name in {"__main__.py", "-m", ""} else name


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog=_prog(), description="Run Lightstick.")
    probe = parser.add_mutually_exclusive_group()
    probe.add_argument("--check", action="store_true", help="boot smoke test without logging in")
    probe.add_argument(
        "--health",
        action="store_true",
        help="liveness probe: the database file opens and its schema is current",
    )
    parser.add_argument("--sync", action="store_true", help="sync slash commands on this start")
    parser.add_argument("--version", action="version", version=f"Lightstick {__version__}")
    parser.add_argument(
        "command",
        nargs="?",
        choices=["sandbox", "migrate", "migrate-db"],
        help="`sandbox`: same as --sandbox; `migrate`: bring the database's schema up to date "
        "and exit; `migrate-db`: copy a database (--from, --to)",
    )
    parser.add_argument(
        "--from", dest="source", metavar="URL", help="migrate-db: the database to copy from"
    )
    parser.add_argument(
        "--to", dest="target", metavar="URL", help="migrate-db: the empty database to copy to"
    )
    parser.add_argument(
        "--sandbox", action="store_true", help="try Lightstick in a browser, no Discord needed"
    )
    parser.add_argument(
        "--sandbox-if-no-token",
        action="store_true",
        help="start the sandbox when DISCORD_TOKEN is not set (what `make run` does)",
    )
    parser.add_argument("--port", type=int, default=None, help="sandbox port (default 8765)")
    args = parser.parse_args(argv)
    if args.command != "migrate-db" and (args.source is not None or args.target is not None):
        parser.error("--from and --to belong to `migrate-db` (e.g. migrate-db --from URL --to URL)")
    return args


def start_sandbox(port: int | None) -> int:
    """Serve the sandbox (bot/sandbox) on 127.0.0.1 until interrupted."""
    try:
        return asyncio.run(run_sandbox(port))
    except KeyboardInterrupt:
        return 0


def load_settings() -> Settings | None:
    """Build the settings, reporting invalid values without a traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        _err("Lightstick's settings are invalid:")
        for problem in exc.errors():
            where = ".".join(str(p) for p in problem["loc"]).upper()
            # A check across settings (SHARD_IDS against SHARD_COUNT) names them in its text.
            text = problem["msg"].removeprefix("Value error, ")
            _err(f"  {where}: {text}" if where else f"  {text}")
        _err("Fix them in .env or the environment (see .env.example).")
        return None


async def run_check(settings: Settings) -> int:
    """Load settings, migrate a temporary database and load every cog, without logging in.

    With a PostgreSQL DATABASE_URL the temporary database is a scratch schema in it, dropped
    at the end, so the PostgreSQL migrations are checked against the real server.
    """
    url = settings.database()
    async with contextlib.AsyncExitStack() as stack:
        if backend_of(url) == "postgresql":
            try:
                schema = await stack.enter_async_context(scratch_schema(url, "lightstick_check"))
            except (DatabaseUnavailable, DatabaseUnusable) as exc:
                _err(f"check failed: {exc}")
                return EXIT_DATABASE
            store = await Store.open(url, schema=schema)
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="lightstick-check-"))
            store = await Store.open(Path(tmp) / "check.db")
        try:
            try:
                version = await store.migrate()
            except MigrationError as exc:
                _err(f"check failed: {exc}")
                return EXIT_DATABASE
            bot = Lightstick(settings=settings, store=store)
            try:
                await bot.prepare()
                commands = [c.qualified_name for c in bot.tree.walk_commands()]
                extensions = len(bot.extensions)
            finally:
                await bot.close()
        finally:
            await store.close()
    if bot.failed_extensions:
        for name, why in bot.failed_extensions.items():
            _err(f"check failed: extension {name}: {why}")
        return 1
    _err(f"check ok: schema v{version}, {extensions} extensions, {len(commands)} commands")
    return 0


async def run_migrate(settings: Settings) -> int:
    """Bring the database DATABASE_URL (or DATABASE_PATH) names to the latest schema; print
    the versions before and after. Exit 0, or 3 when the database cannot be opened or migrated."""
    shown = settings.database_shown()
    try:
        store = await Store.open(settings.database())
    except OSError as exc:
        _err(f"migrate failed: cannot open the database at {shown}: {exc.strerror or exc}")
        return EXIT_DATABASE
    except (DatabaseUnavailable, DatabaseUnusable) as exc:
        _err(f"migrate failed: {exc}")
        return EXIT_DATABASE
    try:
        before = await current_version(store.db)
        after = await store.migrate()
    except MigrationError as exc:
        _err(f"migrate failed: {exc}")
        return EXIT_DATABASE
    except (sqlite3.DatabaseError, asyncpg.PostgresError, DatabaseUnavailable) as exc:
        _err(f"migrate failed on {shown}: {exc}")
        return EXIT_DATABASE
    finally:
        await store.close()
    if before == after:
        sys.stdout.write(f"{shown} is already at schema v{after}; nothing to do.\n")
    else:
        sys.stdout.write(f"migrated {shown} from schema v{before} to v{after}.\n")
    return 0


def run_health(settings: Settings) -> int:
    """Open the database read-only and check its schema is this code's latest; no writes."""
    url = settings.database()
    try:
        if backend_of(url) == "postgresql":
            version = asyncio.run(check_postgres_schema(url))
        else:
            version = check_schema(sqlite_path(url))
    except MigrationError as exc:
        _err(f"health failed: {exc}")
        return EXIT_DATABASE
    _err(f"health ok: schema v{version}")
    return 0


async def run_bot(settings: Settings, *, force_sync: bool) -> int:
    """Open the store, migrate, and run the bot until SIGINT/SIGTERM."""
    assert settings.discord_token is not None  # noqa: S101 - checked by main()
    shown = settings.database_shown()
    try:
        store = await Store.open(settings.database())
    except OSError as exc:
        _err(f"Cannot open the database at {shown}: {exc.strerror or exc}")
        return EXIT_DATABASE
    except DatabaseUnavailable as exc:
        _err(f"Cannot reach the database: {exc}. Check DATABASE_URL and that the server runs.")
        return EXIT_DATABASE
    except DatabaseUnusable as exc:
        _err(
            f"Cannot use the database: {exc}. Fix DATABASE_URL (or DATABASE_PATH) "
            "or restore the file."
        )
        return EXIT_DATABASE
    try:
        try:
            await store.migrate()
        except MigrationError as exc:
            _err(f"Database problem: {exc}")
            return EXIT_DATABASE
        except sqlite3.DatabaseError as exc:
            # A file whose header is fine but whose pages are not (a torn copy, a bad disk).
            _err(f"Cannot use the database {shown}: {exc}. Restore the file.")
            return EXIT_DATABASE
        bot = Lightstick(settings=settings, store=store, force_sync=force_sync)
        loop = asyncio.get_running_loop()
        stopping = asyncio.Event()

        closing: list[asyncio.Task[None]] = []

        def _stop(signame: str) -> None:
            if not stopping.is_set():
                log.info("received %s; shutting down", signame)
                stopping.set()
                closing.append(loop.create_task(bot.close()))

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, _stop, sig.name)
        try:
            async with bot:
                await bot.start(settings.discord_token.get_secret_value())
        except discord.LoginFailure:
            _err(
                "Discord rejected DISCORD_TOKEN. Reset the token in the Developer Portal "
                "and update .env."
            )
            return EXIT_CONFIG
        except discord.PrivilegedIntentsRequired:
            _err("Discord refused a privileged intent; Lightstick should need none.")
            return EXIT_CONFIG
        except discord.ConnectionClosed as exc:
            if exc.code not in SHARD_REFUSALS:
                raise
            _err(SHARD_REFUSALS[exc.code])
            return EXIT_CONFIG
    finally:
        await store.close()
    log.info("stopped cleanly")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = parse_args(argv)
    if args.command == "migrate-db":
        if not args.source or not args.target:
            _err("migrate-db needs both --from URL and --to URL (see README, Moving up).")
            return EXIT_CONFIG
        configure_logging("WARNING", [])
        return asyncio.run(run_migrate_db(args.source, args.target, sys.stdout.write))
    settings = load_settings()
    if settings is None:
        return EXIT_CONFIG
    configure_logging(
        settings.log_level,
        [
            settings.discord_token,
            settings.x_bearer_token,
            settings.database_url,
            *settings.database_passwords(),
        ],
    )
    if args.command == "migrate":
        return asyncio.run(run_migrate(settings))
    if args.health:
        return run_health(settings)
    if args.check:
        return asyncio.run(run_check(settings))
    if args.sandbox or args.command == "sandbox":
        return start_sandbox(args.port)
    if settings.discord_token is None:
        if args.sandbox_if_no_token:
            sys.stdout.write(
                f"No DISCORD_TOKEN is set, so Lightstick starts its sandbox. {REAL_DISCORD_HINT}\n"
            )
            return start_sandbox(args.port)
        _err(SETUP_GUIDANCE)
        return EXIT_CONFIG
    try:
        return asyncio.run(run_bot(settings, force_sync=args.sync))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
