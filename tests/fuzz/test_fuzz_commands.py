"""Bad-input fuzzing of every slash command and autocomplete, read from the bot's own tree."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import Attachment
from bot.testing.loopback.world import GuildFixture
from tests.fuzz.fuzz_strategies import PACK_BYTES_MAX, focused_text, options_for
from tests.fuzz.fuzz_support import (
    DISCORD_INT_MAX,
    INTEGER,
    NUMBER,
    CommandSpec,
    FuzzWorld,
    describe_failure,
    fuzz_world,
    leaf_commands,
    probe,
    run_hypothesis,
    slash,
    unwanted_pings,
)

EXAMPLES_PER_COMMAND = 18
EXAMPLES_PER_AUTOCOMPLETE = 12
# Discord caps INTEGER options at ±2^53; a bot-level bound should be far tighter than that.
SENSIBLE_INT_LIMIT = 10**9
# Integer ids picked by autocomplete in the party feature, still being finished by its owner.
PENDING_INT_BOUNDS: set[str] = set()


async def seed(world: FuzzWorld) -> None:
    """Give the fuzz real state to trip over: a Spaces setup, a follow, an alias, a pack."""
    g, lb = world.guild, world.loopback
    steps: list[tuple[str, dict[str, Any]]] = [
        ("spaces setup", {"channel": g.announcements}),
        ("spaces follow", {"artist": "@BTS_twt"}),
        ("aliases add", {"alias": "bangtan", "artist": "BTS"}),
        ("trivia settings", {"seconds": 10, "questions": 2}),
    ]
    names = {s.path for s in leaf_commands(world.bot, lb, g)}
    for command, options in steps:
        if command not in names:
            continue
        outcome = await probe(world, slash(world, command, options, user=g.moderator))
        assert not outcome.problems, (command, outcome.problems)
    if "party schedule" in names:
        await seed_party(world)


async def seed_party(world: FuzzWorld) -> None:
    """Schedule one party with a hostile title, so party ids and autocomplete hit a real row."""
    g, lb = world.guild, world.loopback
    title = f"@everyone <@&{g.stans.id}> **party** \u202e"
    ix = await lb.slash(
        g, "party schedule", {"title": title, "when": "tomorrow 20:00"}, user=g.member
    )
    await ix.settled()
    buttons = [c for row in ix.components for c in row.get("components", [])]
    confirm = next(b["custom_id"] for b in buttons if b.get("label") == "Confirm")
    outcome = await probe(world, lambda: lb.click(ix, confirm, user=g.member))
    await ix.wait_until(lambda: "Posted" in ix.content, timeout=10)
    assert not outcome.problems, outcome.problems


def _fuzz_one(world: FuzzWorld, spec: CommandSpec) -> st.SearchStrategy[Any]:
    channels = [*world.channels, world.dm_channel()] if spec.in_dms else world.channels
    return st.tuples(
        options_for(world, spec),
        st.sampled_from(world.people),
        st.sampled_from(channels),
    )


async def test_every_integer_option_is_bounded(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Every INTEGER/NUMBER option declares min and max within a sensible range."""
    async with fuzz_world(loopback, guild, tmp_path) as world:
        specs = leaf_commands(world.bot, loopback, guild)
    unbounded = sorted(
        f"{spec.path}:{opt['name']}"
        for spec in specs
        for opt in spec.options
        if int(opt["type"]) in (INTEGER, NUMBER)
        and not (
            -SENSIBLE_INT_LIMIT <= opt.get("min_value", -DISCORD_INT_MAX) <= SENSIBLE_INT_LIMIT
            and -SENSIBLE_INT_LIMIT <= opt.get("max_value", DISCORD_INT_MAX) <= SENSIBLE_INT_LIMIT
        )
    )
    assert len(specs) > 20
    assert set(unbounded) <= PENDING_INT_BOUNDS, f"unbounded integer options: {unbounded}"
    if unbounded:
        pytest.xfail(f"party feature (not ours) still has unbounded ids: {unbounded}")


@pytest.mark.timeout(240)
async def test_fuzz_every_command(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Hostile option values: a timely answer within limits, no ERROR, no error code, no ping."""
    failures: dict[str, str] = {}
    async with fuzz_world(loopback, guild, tmp_path) as world:
        await seed(world)
        specs = leaf_commands(world.bot, loopback, guild)
        for spec in specs:

            async def check(value: Any, spec: CommandSpec = spec) -> None:
                options, user, channel = value
                outcome = await probe(
                    world, slash(world, spec.path, options, user=user, channel=channel)
                )
                if "Something went wrong on my side" in outcome.text:
                    outcome.problems.append("the person was shown an unexpected-error code")
                assert not outcome.problems, f"/{spec.path} {options!r}: {outcome.problems}"

            try:
                await run_hypothesis(
                    _fuzz_one(world, spec), check, max_examples=EXAMPLES_PER_COMMAND
                )
            except Exception as exc:
                failures[spec.path] = describe_failure(exc)
        # Trivia games and announcements keep posting between and after the examples.
        await asyncio.sleep(1.5)
        late = await unwanted_pings(world, set(loopback.messages.pings))
        if late:
            failures["(background posts)"] = "\n".join(late)
    assert not failures, "\n\n".join(f"/{k}:\n{v}" for k, v in failures.items())


@pytest.mark.timeout(180)
async def test_fuzz_every_autocomplete(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Whatever is typed into an autocomplete option, the bot offers valid choices in time."""
    failures: dict[str, str] = {}
    async with fuzz_world(loopback, guild, tmp_path) as world:
        await seed(world)
        targets = [
            (spec, opt)
            for spec in leaf_commands(world.bot, loopback, guild)
            for opt in spec.options
            if opt.get("autocomplete")
        ]
        assert targets
        for spec, opt in targets:

            async def check(
                value: Any, spec: CommandSpec = spec, opt: dict[str, Any] = opt
            ) -> None:
                typed, user = value
                choices: list[dict[str, Any]] = []

                async def act() -> Any:
                    nonlocal choices
                    choices = await loopback.autocomplete(
                        guild, spec.path, {opt["name"]: typed}, focused=opt["name"], user=user
                    )
                    return next(reversed(loopback.interactions.values()))

                outcome = await probe(world, act)
                for choice in choices:
                    if int(opt["type"]) == INTEGER and not isinstance(choice["value"], int):
                        outcome.problems.append(f"non-integer choice {choice!r}")
                assert not outcome.problems, (
                    f"/{spec.path} {opt['name']}={typed!r}: {outcome.problems}"
                )

            strategy = st.tuples(focused_text(opt, world), st.sampled_from(world.people))
            try:
                await run_hypothesis(strategy, check, max_examples=EXAMPLES_PER_AUTOCOMPLETE)
            except Exception as exc:
                failures[f"{spec.path}:{opt['name']}"] = describe_failure(exc)
    assert not failures, "\n\n".join(f"/{k}:\n{v}" for k, v in failures.items())


@pytest.mark.parametrize(
    "data",
    [b"[" + b"1," * 120_000 + b"]", b"[" * 5000, b"questions: [" + b"{}, " * 60_000 + b"]"],
    ids=["long-flow-list", "deep-nesting", "many-empty-questions"],
)
async def test_slow_yaml_pack_never_blocks_the_bot(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path, data: bytes
) -> None:
    """A slow-to-parse pack under the size cap is refused without stalling the event loop."""
    assert len(data) <= PACK_BYTES_MAX
    async with fuzz_world(loopback, guild, tmp_path) as world:
        options = {"file": Attachment("pack.yaml", data), "name": "slow"}
        outcome = await probe(
            world, slash(world, "trivia pack import", options, user=guild.moderator)
        )
        assert not outcome.problems
        assert "can't be used" in outcome.text
