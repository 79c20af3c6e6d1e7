"""Permission sweep: every moderator command, found from the tree's markers, refuses members who
lack Manage Server at run time (even where a server unhid it), writes nothing and posts nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.core.checks import is_moderator_command
from bot.testing.loopback.entities import MemberFx
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import Attachment
from bot.testing.loopback.world import GuildFixture
from tests.fuzz.fuzz_support import (
    ATTACHMENT,
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    USER,
    CommandSpec,
    FuzzWorld,
    fuzz_world,
    leaf_commands,
    probe,
    slash,
)

REFUSAL = "Only moderators can do this"

PACK = yaml.safe_dump(
    {
        "questions": [
            {
                "prompt": "Which act debuted first?",
                "answer": "BTS",
                "distractors": ["IVE", "NewJeans", "aespa"],
            }
        ]
    }
).encode()


def valid_value(world: FuzzWorld, opt: dict[str, Any]) -> Any:
    """Return a value a moderator would give this option (so a missing check would act)."""
    g = world.guild
    by_name: dict[str, Any] = {
        "alias": "sweepalias",
        "artist": "@BTS_twt",
        "keywords": "live",
        "template": "{artist} is live: {url}",
        "url": "https://x.com/i/spaces/1SweepSpace01",
        "name": "sweep pack",
        "daily_time": "20:00",
        "reminders": "30,0",
        "zone": "Europe/Paris",
        "channel": g.general,
        "daily_channel": g.general,
        "ping_role": g.stans,
    }
    if opt.get("choices"):
        return opt["choices"][0]["value"]
    if opt["name"] in by_name:
        return by_name[opt["name"]]
    otype = int(opt["type"])
    if otype == STRING:
        return "sweep"[: int(opt.get("max_length", 5))].ljust(int(opt.get("min_length", 1)), "x")
    if otype in (INTEGER, NUMBER):
        return int(opt.get("min_value", 1)) + 1 if "max_value" in opt else 1
    defaults = {
        BOOLEAN: True,
        USER: g.member,
        ROLE: g.stans,
        MENTIONABLE: g.member,
        CHANNEL: g.general,
        ATTACHMENT: Attachment("sweep.yaml", PACK, "application/x-yaml"),
    }
    return defaults[otype]


def sweep_options(world: FuzzWorld, spec: CommandSpec) -> dict[str, Any]:
    """Return every option of the command, filled with moderator-plausible values."""
    options = {o["name"]: valid_value(world, o) for o in spec.options}
    if spec.path == "aliases add":
        options["artist"] = "BTS"
    if spec.path == "aliases remove":
        options["alias"] = "bangtan"
    if spec.path == "trivia settings":
        options["daily_off"] = False
    return options


async def snapshot(world: FuzzWorld) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table, to prove a refused command wrote nothing."""
    db = world.bot.store.db
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    out: dict[str, list[tuple[Any, ...]]] = {}
    for (name,) in tables:
        rows = await db.fetchall(f'SELECT * FROM "{name}"')  # noqa: S608 - names from sqlite_master
        out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def channel_posts(world: FuzzWorld) -> int:
    """Return how many messages sit in the guild's channels (ephemeral replies never do)."""
    return sum(len(world.loopback.messages_in(c)) for c in world.guild.channels)


async def prepare(world: FuzzWorld) -> None:
    """As a moderator, create what the destructive commands would remove."""
    g = world.guild
    steps: list[tuple[str, dict[str, Any]]] = [
        ("spaces setup", {"channel": g.announcements}),
        ("spaces follow", {"artist": "@BTS_twt"}),
        ("aliases add", {"alias": "bangtan", "artist": "BTS"}),
        ("trivia pack import", {"file": Attachment("p.yaml", PACK), "name": "sweep pack"}),
    ]
    for command, options in steps:
        outcome = await probe(world, slash(world, command, options, user=g.moderator))
        assert not outcome.problems, (command, outcome.problems)
        assert REFUSAL not in outcome.text


def moderator_specs(world: FuzzWorld) -> list[CommandSpec]:
    """Return the moderator commands exactly as the tree marks them."""
    specs = leaf_commands(world.bot, world.loopback, world.guild)
    return [s for s in specs if is_moderator_command(s.command)]


async def test_moderator_commands_refuse_everyone_else(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Non-moderators are refused every marked command: ephemeral, no write, no post."""
    failures: list[str] = []
    async with fuzz_world(loopback, guild, tmp_path) as world:
        await prepare(world)
        specs = moderator_specs(world)
        paths = {s.path for s in specs}
        # The sweep must not go vacuous if a marker is dropped: these are moderator-only.
        assert {
            "settings",
            "spaces setup",
            "trivia pack import",
            "aliases add",
            "party settings",
            "timezone server",
        } <= paths
        for spec in specs:
            options = sweep_options(world, spec)
            outsiders: list[MemberFx] = [guild.member, guild.everything_but_manage]
            for user in outsiders:
                rows, posts = await snapshot(world), channel_posts(world)
                outcome = await probe(world, slash(world, spec.path, options, user=user))
                who = f"/{spec.path} as {user.user.global_name}"
                failures += [f"{who}: {p}" for p in outcome.problems]
                if outcome.ix is None or not outcome.ix.ephemeral:
                    failures.append(f"{who}: the refusal is not ephemeral")
                if "Manage Server" not in outcome.text:
                    failures.append(f"{who}: not refused with Manage Server: {outcome.text!r}")
                if await snapshot(world) != rows:
                    failures.append(f"{who}: the database changed")
                if channel_posts(world) != posts:
                    failures.append(f"{who}: a message was posted in a channel")
            control = await probe(world, slash(world, spec.path, options, user=guild.moderator))
            if REFUSAL in control.text or control.ix is None or control.ix.response_type is None:
                failures.append(f"/{spec.path} as moderator: {control.text!r} {control.problems}")
    assert not failures, "\n".join(failures)


async def test_unmarked_commands_serve_plain_members(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """No unmarked command refuses a plain member as a moderator command would."""
    unmarked_refusing: list[str] = []
    async with fuzz_world(loopback, guild, tmp_path) as world:
        await prepare(world)
        specs = leaf_commands(world.bot, loopback, guild)
        for spec in specs:
            if is_moderator_command(spec.command):
                continue
            options = sweep_options(world, spec)
            outcome = await probe(world, slash(world, spec.path, options, user=guild.member))
            assert not outcome.problems, (spec.path, outcome.problems)
            if REFUSAL in outcome.text:
                unmarked_refusing.append(spec.path)
    assert not unmarked_refusing, (
        f"moderator-only but not marked extras=moderator_only(): {unmarked_refusing}"
    )


async def test_help_marks_moderator_commands(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """/help shows members exactly the unmarked commands, and moderators the marked ones in
    their own section, straight from the tree."""
    async with fuzz_world(loopback, guild, tmp_path) as world:
        specs = leaf_commands(world.bot, loopback, guild)
        ix = await loopback.slash(guild, "help", user=guild.member)
        await ix.settled()
        [members] = ix.embeds
        ix = await loopback.slash(guild, "help", user=guild.moderator)
        await ix.settled()
        _, staff = ix.embeds

        def listed(embed: dict[str, Any]) -> set[str]:
            lines = [ln for f in embed["fields"] for ln in f["value"].splitlines()]
            return {ln[2:].split("`")[0] for ln in lines if ln.startswith("`/")}

        def usage(spec: CommandSpec) -> str:
            required = [o["name"] for o in spec.options if o.get("required")]
            return " ".join([spec.path, *required])

        marked = {usage(s) for s in specs if is_moderator_command(s.command)}
        assert listed(staff) == marked
        assert listed(members) == {usage(s) for s in specs} - marked
