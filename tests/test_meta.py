"""Meta tests: extensions load, commands fit Discord's limits, strings are bounded."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from discord import AppCommandOptionType

from bot.core.client import EXTENSIONS, Lightstick
from bot.core.sync import schema_hash, schema_payload
from bot.settings import Settings
from bot.store import Store

NAME = re.compile(r"^[-_\w]{1,32}$")


@pytest.fixture
async def prepared_bot(tmp_path: Path) -> AsyncIterator[Lightstick]:
    store = await Store.open(tmp_path / "db.sqlite")
    await store.migrate()
    settings = Settings(_env_file=None, discord_token="x")  # type: ignore[call-arg]
    bot = Lightstick(settings=settings, store=store)
    await bot.prepare()
    yield bot
    await bot.close()
    await store.close()


async def test_every_extension_loads(prepared_bot: Lightstick) -> None:
    """Each listed extension loads without error."""
    assert prepared_bot.failed_extensions == {}
    assert set(prepared_bot.extensions) == set(EXTENSIONS)


def walk_options(options: list[dict[str, Any]], path: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for opt in options:
        here = f"{path} {opt['name']}"
        found.append((here, opt))
        if opt["type"] in (1, 2):
            found.extend(walk_options(opt.get("options", []), here))
    return found


async def test_commands_fit_discord_limits(prepared_bot: Lightstick) -> None:
    """Names are valid and unique, descriptions within 100, options within 25, payload < 8000."""
    payload = schema_payload(prepared_bot.tree, None)
    top_names = [c["name"] for c in payload]
    assert len(top_names) == len(set(top_names)), top_names
    assert len(payload) <= 100
    for cmd in payload:
        assert NAME.match(cmd["name"]), cmd["name"]
        assert cmd["name"] == cmd["name"].lower(), cmd["name"]
        assert 1 <= len(cmd["description"]) <= 100, cmd["name"]
        assert len(cmd.get("options", [])) <= 25, cmd["name"]
        size = len(str(cmd["name"])) + len(cmd["description"])
        for path, opt in walk_options(cmd.get("options", []), cmd["name"]):
            assert NAME.match(opt["name"]), path
            assert opt["name"] == opt["name"].lower(), path
            assert 1 <= len(opt["description"]) <= 100, path
            assert len(opt.get("options", [])) <= 25, path
            assert len(opt.get("choices", [])) <= 25, path
            size += len(opt["name"]) + len(opt["description"])
        assert size < 8000, cmd["name"]
        siblings = [o["name"] for o in cmd.get("options", [])]
        assert len(siblings) == len(set(siblings)), cmd["name"]


async def test_every_string_option_is_bounded(prepared_bot: Lightstick) -> None:
    """Every string option declares a max_length, so no one can paste a novel into the bot."""
    for cmd in schema_payload(prepared_bot.tree, None):
        for path, opt in walk_options(cmd.get("options", []), cmd["name"]):
            if opt["type"] == AppCommandOptionType.string.value:
                assert opt.get("max_length"), f"/{path} has no max_length"
                assert opt["max_length"] <= 6000, path


async def test_schema_hash_tracks_the_commands(prepared_bot: Lightstick, tmp_path: Path) -> None:
    """Two separately built bots hash alike; adding or changing a command changes the hash."""
    from discord import app_commands

    first = schema_hash(schema_payload(prepared_bot.tree, None))
    store = await Store.open(tmp_path / "other.db")
    try:
        await store.migrate()
        settings = Settings(_env_file=None, discord_token="x")  # type: ignore[call-arg]
        other = Lightstick(settings=settings, store=store)
        await other.prepare()
        assert schema_hash(schema_payload(other.tree, None)) == first
        await other.close()
    finally:
        await store.close()

    @app_commands.command(name="extra", description="A new command.")
    async def extra(interaction) -> None:  # type: ignore[no-untyped-def]
        """Do nothing."""

    prepared_bot.tree.add_command(extra)
    assert schema_hash(schema_payload(prepared_bot.tree, None)) != first


async def test_guild_tables_cascade_from_guilds(tmp_path: Path) -> None:
    """Every table with a guild_id references guilds ON DELETE CASCADE (so purges are complete)."""
    store = await Store.open(tmp_path / "db.sqlite")
    try:
        await store.migrate()
        tables = [
            r[0]
            for r in await store.db.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in tables:
            cols = {r[1] for r in await store.db.fetchall(f"PRAGMA table_info({table})")}
            if "guild_id" not in cols or table == "guilds":
                continue
            fks = await store.db.fetchall(f"PRAGMA foreign_key_list({table})")
            assert any(
                fk["table"] == "guilds"
                and fk["from"] == "guild_id"
                and fk["on_delete"] == "CASCADE"
                for fk in fks
            ), f"{table}.guild_id must reference guilds ON DELETE CASCADE"
    finally:
        await store.close()
