"""Sharding: IDENTIFY's `shard` picks the guilds a session hears about, and who gets each event."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import discord
import pytest
from discord.ext import commands

from bot.domain.shards import shard_of
from bot.testing.echo_bot import EchoBot, build_echo_bot
from bot.testing.loopback.harness import run_client_in_loop
from bot.testing.loopback.server import LoopbackDiscord


def test_guild_ids_land_on_the_shard_asked_for(loopback: LoopbackDiscord) -> None:
    """add_guild(shard=(i, n)) makes a real snowflake whose (id >> 22) % n is i, for each i."""
    for count in (1, 2, 3, 16):
        for shard_id in range(count):
            guild = loopback.add_guild(f"On {shard_id} of {count}", shard=(shard_id, count))
            assert shard_of(guild.id, count) == shard_id
            # Still a snowflake of about now: its timestamp is Discord's epoch plus a few ms.
            created = discord.utils.snowflake_time(guild.id)
            assert abs((created - discord.utils.utcnow()).total_seconds()) < 5
    with pytest.raises(ValueError, match="no shard 2 among 2"):
        loopback.add_guild("Nowhere", shard=(2, 2))


async def test_each_shard_session_gets_only_its_guilds(loopback: LoopbackDiscord) -> None:
    """Two clients of shards 0 and 1 of 2: READY, joins, leaves and commands go to the owner."""
    first = loopback.add_guild("Zero", shard=(0, 2))
    second = loopback.add_guild("One", shard=(1, 2))
    zero, one = build_echo_bot(shard_id=0, shard_count=2), build_echo_bot(shard_id=1, shard_count=2)
    async with run_client_in_loop(loopback, zero), run_client_in_loop(loopback, one):
        assert sorted(loopback.gateway.shards_connected(), key=str) == [(0, 2), (1, 2)]
        assert [g.id for g in zero.guilds] == [first.id]
        assert [g.id for g in one.guilds] == [second.id]
        ready = _sent_ready(loopback)
        assert [[g["id"] for g in r["guilds"]] for r in ready] == [
            [str(first.id)],
            [str(second.id)],
        ]

        joined = loopback.add_guild("One again", shard=(1, 2))
        await loopback.gateway.wait_for(lambda: one.get_guild(joined.id) is not None)
        assert zero.get_guild(joined.id) is None

        answered: list[EchoBot] = []
        for bot in (zero, one):
            bot.add_listener(_recorder(bot, answered), "on_interaction")
        ix = await loopback.slash(joined, "echo", {"text": "shard one"})
        await ix.response()
        assert ix.content == "shard one"
        assert answered == [one]
        ix = await loopback.slash(first, "echo", {"text": "shard zero"})
        await ix.response()
        assert answered == [one, zero]

        loopback.remove_guild(joined)
        await loopback.gateway.wait_for(lambda: one.get_guild(joined.id) is None)
        assert loopback.gateway.identify_count == 2


async def test_a_guild_whose_shard_is_not_connected_gets_no_bot(
    loopback: LoopbackDiscord,
) -> None:
    """With only shard 0 of 2 connected, an interaction in a shard-1 guild reaches no bot."""
    lonely = loopback.add_guild("Unserved", shard=(1, 2))
    async with run_client_in_loop(loopback, build_echo_bot(shard_id=0, shard_count=2)) as bot:
        assert bot.get_guild(lonely.id) is None
        with pytest.raises(AssertionError, match="no bot is connected"):
            await loopback.slash(lonely, "echo", {"text": "anyone?"})


async def test_gateway_bot_recommends_the_configured_shard_count(
    loopback: LoopbackDiscord,
) -> None:
    """GET /gateway/bot says `shards: 2`; AutoShardedBot then runs shards [0, 2] and [1, 2]."""
    loopback.recommended_shards = 2
    guilds = [loopback.add_guild(f"G{i}", shard=(i % 2, 2)) for i in range(4)]
    bot = _QuickShardedBot(command_prefix="!", intents=discord.Intents.default())
    async with run_client_in_loop(loopback, bot):
        assert bot.shard_count == 2
        assert sorted(g.id for g in bot.guilds) == sorted(g.id for g in guilds)
        for g in guilds:
            cached = bot.get_guild(g.id)
            assert cached is not None
            assert cached.shard_id == shard_of(g.id, 2)
    shards = [f["d"]["shard"] for f in loopback.gateway.received if f["op"] == 2]
    assert sorted(shards) == [[0, 2], [1, 2]]


@pytest.mark.parametrize("shard", [[2, 2], [-1, 2], [0, 0], [0], "0,1"])
async def test_invalid_shard_is_closed_with_4010(loopback: LoopbackDiscord, shard: Any) -> None:
    """IDENTIFY with a shard id outside 0..count-1 (or a malformed one) is closed with 4010."""
    loopback.expect_violation("invalid_shard")
    assert await _identify_close_code(loopback, shard) == 4010
    assert loopback.gateway.ready_count == 0


async def test_too_many_guilds_for_one_session_is_closed_with_4011(
    loopback: LoopbackDiscord,
) -> None:
    """A session that would get more guilds than a shard may hold is closed: sharding required."""
    loopback.gateway.max_guilds_per_shard = 2
    for i in range(4):
        loopback.add_guild(f"G{i}", shard=(i % 2, 2))
    assert await _identify_close_code(loopback, None) == 4011
    assert await _identify_close_code(loopback, [1, 2]) is None  # two guilds: allowed


class _QuickShardedBot(commands.AutoShardedBot):
    """AutoShardedBot without discord.py's 5 s pause between two shards' IDENTIFYs."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Identify at once (the loopback has no IDENTIFY rate limit)."""
        return


def _sent_ready(loopback: LoopbackDiscord) -> list[dict[str, Any]]:
    frames = [f for s in loopback.gateway.sessions.values() for f in s.buffer]
    return [
        f["d"]
        for f in sorted(frames, key=lambda f: f["d"].get("shard") or [0])
        if f["t"] == "READY"
    ]


def _recorder(bot: EchoBot, sink: list[EchoBot]) -> Any:
    async def on_interaction(_interaction: discord.Interaction) -> None:
        sink.append(bot)

    return on_interaction


async def _identify_close_code(loopback: LoopbackDiscord, shard: Any) -> int | None:
    """IDENTIFY over a raw websocket; return the close code, or None when READY came."""
    identify: dict[str, Any] = {"token": loopback.token, "intents": 1, "properties": {}}
    if shard is not None:
        identify["shard"] = shard
    async with aiohttp.ClientSession() as http, http.ws_connect(loopback.gateway_url) as ws:
        await ws.receive_json()  # HELLO
        await ws.send_str(json.dumps({"op": 2, "d": identify}))
        async with asyncio.timeout(5):
            msg = await ws.receive()
        if msg.type == aiohttp.WSMsgType.TEXT:
            assert json.loads(msg.data)["t"] == "READY"
            return None
        return ws.close_code
