"""Shared machinery of the fuzz and permission-sweep tests: the command list read from the bot's
own tree and synced schema, a probe that checks one interaction end to end, and hypothesis run
from a worker thread while the bot keeps serving on the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx
from discord import app_commands
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.clients.musicbrainz import MusicBrainzClient
from bot.clients.x import XClient
from bot.core.client import Lightstick
from bot.services.musicbrainz import MusicBrainzService
from bot.store.musicbrainz_cache import MusicBrainzCacheRepo
from bot.testing.fake_musicbrainz import FakeMusicBrainz
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.entities import ChannelFx, MemberFx
from bot.testing.loopback.injected import InjectedInteraction
from bot.testing.loopback.options import find_command
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import snowflake
from bot.testing.loopback.world import GuildFixture

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
# Discord's INTEGER and NUMBER options carry values in -2^53..2^53.
DISCORD_INT_MAX = 2**53
ACK_DEADLINE = 3.0
# The longest the bot may hold the event loop on one input (CI runners are slow and shared).
STALL_LIMIT = 0.5


# -- the command list, from the tree -------------------------------------------------------


@dataclass(frozen=True)
class CommandSpec:
    """One leaf slash command: its path, the synced option schema and the tree's object."""

    path: str
    options: tuple[dict[str, Any], ...]
    command: app_commands.Command[Any, ..., Any]
    in_dms: bool = False


def leaf_commands(
    bot: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> list[CommandSpec]:
    """Return every leaf command of the bot's tree, paired with the schema Discord holds."""
    specs: list[CommandSpec] = []
    for command in bot.tree.walk_commands():
        if isinstance(command, app_commands.Group):
            continue
        words = command.qualified_name.split()
        schema = find_command(loopback, guild, words[0])
        options: list[dict[str, Any]] = schema.get("options") or []
        for word in words[1:]:
            sub = next(o for o in options if o["name"] == word and o["type"] in (1, 2))
            options = sub.get("options") or []
        contexts = schema.get("contexts")
        in_dms = schema.get("dm_permission") is not False and (contexts is None or 1 in contexts)
        specs.append(CommandSpec(command.qualified_name, tuple(options), command, in_dms))
    return specs


# -- the world the fuzz runs in --------------------------------------------------------------


@dataclass
class FuzzWorld:
    """A running Lightstick with fakes, the guild it serves, and the probe that checks replies."""

    bot: Lightstick
    loopback: LoopbackDiscord
    guild: GuildFixture
    fake_x: FakeX
    news: ChannelFx
    errors: list[logging.LogRecord] = field(default_factory=list)
    lag: LagMonitor = field(default_factory=lambda: LagMonitor())

    @property
    def people(self) -> list[MemberFx]:
        """Return who invokes commands; moderators weigh double so moderator paths run deep."""
        g = self.guild
        return [g.member, g.everything_but_manage, g.moderator, g.moderator, g.admin, g.owner]

    @property
    def channels(self) -> list[ChannelFx]:
        """Return the text channels of the guild (including the locked and the news one)."""
        return [c for c in self.guild.channels.values() if c.type in (0, 5)]

    def dm_channel(self) -> ChannelFx:
        """Return the plain member's DM channel with the bot (created once)."""
        user = self.guild.member.user
        for channel in self.loopback.channels.values():
            if channel.guild_id is None and channel.recipient is user:
                return channel
        channel = ChannelFx(snowflake(), user.username, None, type=1, recipient=user)
        self.loopback.channels[channel.id] = channel
        return channel


class LagMonitor:
    """Measure how long the event loop was blocked: a stall starves every other server."""

    TICK = 0.02

    def __init__(self) -> None:
        self.worst = 0.0

    def reset(self) -> float:
        """Return the worst stall since the last reset, and start measuring afresh."""
        worst, self.worst = self.worst, 0.0
        return worst

    async def run(self) -> None:
        """Tick forever, recording how late each tick woke up."""
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.TICK)
            self.worst = max(self.worst, loop.time() - before - self.TICK)


class _ErrorCollector(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(level=logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


@contextlib.contextmanager
def capture_bot_errors(sink: list[logging.LogRecord]) -> Iterator[None]:
    """Collect ERROR records of the bot's own loggers (the funnel's "unexpected error" too)."""
    handler = _ErrorCollector(sink)
    loggers = [logging.getLogger(name) for name in ("bot", "cogs")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@contextlib.asynccontextmanager
async def fuzz_world(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> AsyncIterator[FuzzWorld]:
    """Run Lightstick with fake X and MusicBrainz (unpaced) so fuzzed input reaches deep code."""
    news = guild.add_channel("news-feed", type=5)
    async with contextlib.AsyncExitStack() as stack:
        fake_x = await stack.enter_async_context(FakeX())
        fake_x.add_user("BTS_twt")
        mb = FakeMusicBrainz()
        await mb.start()
        stack.push_async_callback(mb.close)
        http = httpx.AsyncClient()
        stack.push_async_callback(http.aclose)

        def configure(bot: Lightstick) -> None:
            # Unpaced clients: a fuzz example takes milliseconds, not a second per request.
            bot.x_client = XClient(
                http, fake_x.base_url, SecretStr(fake_x.token), min_interval=0.0, max_retries=0
            )
            client = MusicBrainzClient(
                http, mb.base_url, "fuzz@example.org", "0", min_interval=0.0, max_attempts=1
            )
            bot.musicbrainz = MusicBrainzService(client, MusicBrainzCacheRepo(bot.store.db))

        errors: list[logging.LogRecord] = []
        stack.enter_context(capture_bot_errors(errors))
        bot = await stack.enter_async_context(
            start_lightstick(loopback, tmp_path / "fuzz.db", configure=configure)
        )
        trivia = bot.get_cog("Trivia")
        if trivia is not None:
            # Games play out in seconds, so hostile pack questions really get posted.
            cast(Any, trivia).seconds_override = 0.5
            cast(Any, trivia).reveal_pause = 0.05
        world = FuzzWorld(bot, loopback, guild, fake_x, news, errors)
        ticker = asyncio.create_task(world.lag.run())
        try:
            yield world
        finally:
            ticker.cancel()


# -- checking one interaction ----------------------------------------------------------------


@dataclass
class Outcome:
    """What one interaction produced, and everything wrong with it."""

    ix: InjectedInteraction | None
    problems: list[str]
    text: str = ""


def _describe_record(record: logging.LogRecord) -> str:
    text = f"{record.name}: {record.getMessage()}"
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        text += f" [{type(exc).__name__}: {exc}]"
    return text


def slash(
    world: FuzzWorld,
    path: str,
    options: dict[str, Any],
    *,
    user: MemberFx,
    channel: ChannelFx | None = None,
) -> Callable[[], Awaitable[InjectedInteraction]]:
    """Return the action "invoke /path as user" for `probe`, as if the server unhid it.

    A DM channel makes it a DM invocation (by the channel's recipient).
    """
    return functools.partial(
        world.loopback.slash,
        world.guild if channel is None or channel.guild_id is not None else None,
        path,
        options,
        user=user,
        channel=channel,
        override_permissions=True,
    )


async def probe(
    world: FuzzWorld,
    act: Callable[[], Awaitable[InjectedInteraction]],
    *,
    settle: float = 15.0,
) -> Outcome:
    """Run one interaction; report no answer, late answers, violations, errors and pings."""
    lb = world.loopback
    violations_before = len(lb.violations)
    errors_before = len(world.errors)
    pinged_before = set(lb.messages.pings)
    problems: list[str] = []
    ix: InjectedInteraction | None = None
    world.lag.reset()
    try:
        ix = await act()
        await ix.response(timeout=ACK_DEADLINE + 2)
        if ix.response_type == 5:
            await ix.wait_until(lambda: not ix.loading, timeout=settle)
    except AssertionError as exc:
        problems.append(str(exc))
    # Work after the answer (a followup, a log line) lands within a loop turn or two.
    await asyncio.sleep(0.02)
    stall = world.lag.reset()
    if stall > STALL_LIMIT:
        problems.append(f"the event loop was blocked for {stall:.2f} s")
    if ix is not None and ix.latency is not None and ix.latency > ACK_DEADLINE:
        problems.append(f"answered after {ix.latency:.2f} s")
    problems += [
        f"violation {v.describe()}"
        for v in lb.violations[violations_before:]
        if not any(p.search(v.describe()) for p in lb._expected)
    ]
    problems += [f"ERROR log {_describe_record(r)}" for r in world.errors[errors_before:]]
    problems += await unwanted_pings(world, set(lb.messages.pings) - pinged_before)
    text = ix.all_text() if ix is not None else ""
    return Outcome(ix, problems, text)


async def configured_ping_roles(world: FuzzWorld) -> set[int]:
    """Return the roles a moderator configured Spaces or new parties to ping (the fuzz may set
    some)."""
    rows = await world.bot.store.db.fetchall(
        "SELECT role_id FROM spaces_config UNION SELECT role_id FROM spaces_follows "
        "UNION SELECT announce_role_id FROM party_settings"
    )
    return {int(row[0]) for row in rows if row[0] is not None}


async def unwanted_pings(world: FuzzWorld, message_ids: set[int]) -> list[str]:
    """Describe every ping among these messages beyond a role a moderator configured."""
    lb = world.loopback
    problems: list[str] = []
    for mid in sorted(message_ids):
        pings = lb.messages.pings[mid]
        if pings.nobody:
            continue
        # A live-Space announcement (or a new party's post) pings exactly the role a fuzzed
        # /spaces setup (or /party settings) chose.
        only_roles = not pings.users and not pings.everyone
        if only_roles and pings.roles <= await configured_ping_roles(world):
            continue
        content = lb.messages.by_id.get(mid, {}).get("content", "")
        problems.append(f"message {mid} pinged {pings}: {content[:200]!r}")
    return problems


# -- hypothesis from a worker thread ------------------------------------------------------------


def fuzz_settings(max_examples: int) -> settings:
    """Return bounded hypothesis settings: no deadline, no shrinking against a stateful bot.

    CI replays the same examples every run (derandomized, so a red build is reproducible);
    LIGHTSTICK_FUZZ_EXPLORE=1 draws fresh random examples, five times as many, to hunt bugs.
    """
    explore = os.environ.get("LIGHTSTICK_FUZZ_EXPLORE") == "1"
    return settings(
        max_examples=max_examples * (5 if explore else 1),
        derandomize=not explore,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        # Shrinking replays against a bot whose state moved on; the raw example is reported.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        database=None,
        print_blob=True,
    )


async def run_hypothesis(
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], Coroutine[Any, Any, None]],
    *,
    max_examples: int,
    timeout: float = 60.0,
) -> None:
    """Drive `check` with `strategy` examples; hypothesis runs in a thread, checks on this loop."""
    loop = asyncio.get_running_loop()

    @fuzz_settings(max_examples)
    @given(strategy)
    def run(value: Any) -> None:
        future = asyncio.run_coroutine_threadsafe(check(value), loop)
        future.result(timeout=timeout)

    await asyncio.to_thread(run)


def describe_failure(exc: BaseException, limit: int = 4000) -> str:
    """Flatten an exception (and a hypothesis group's sub-exceptions) into readable text."""
    parts = [f"{type(exc).__name__}: {exc}"]
    if isinstance(exc, BaseExceptionGroup):
        parts += [describe_failure(sub, limit) for sub in exc.exceptions]
    if exc.__cause__ is not None:
        parts.append(f"caused by {describe_failure(exc.__cause__, limit)}")
    return "\n".join(parts)[:limit]
