"""Bench: one Space going live across 1,000 servers, with Discord's rate limits emulated.

Run `python -m bench.spaces_fanout [--servers N]`. It starts the loopback Discord (global
limit 50 requests/s, 5 messages per 5 s per channel, as Discord documents) and the fake X API,
makes N servers follow one account, lets the real poller see the Space go live, and times the
real fan-out (discord.py, our nonce and pacing) until every server has its post.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import logging
import math
import tempfile
import time

from bot.store import Store
from bot.store.spaces import Follow, SpacesRepo, SpaceTrackingRepo
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import running_bot
from bot.testing.loopback.server import LoopbackDiscord


def theoretical_minimum(posts: int, global_rps: int) -> float:
    """Return the least seconds `posts` requests need under a per-second global limit."""
    # The first window's worth goes at once; each further full window costs a second.
    return max(0.0, math.ceil(posts / global_rps) - 1)


async def known_servers(db: Path, guild_ids: list[int]) -> None:
    """Record the servers before the bot starts, as a bot already in them would have them.

    Servers new to the database at READY would each get the setup guide (1,000 posts at 50 a
    second) before the fan-out this bench times.
    """
    store = await Store.open(db)
    try:
        await store.migrate()
        for guild_id in guild_ids:
            await store.ensure_guild(guild_id)
    finally:
        await store.close()


async def run(servers: int) -> dict[str, float]:
    """Run the bench once and return its measurements."""
    async with LoopbackDiscord() as loopback, FakeX() as fake:
        guilds = [loopback.add_guild(f"Fans {i}") for i in range(servers)]
        uid = fake.add_user("BTS_twt")
        with tempfile.TemporaryDirectory(prefix="lightstick-bench-") as tmp:
            db = Path(tmp) / "bench.db"
            await known_servers(db, [g.id for g in guilds])
            async with running_bot(loopback, db, fake) as (bot, cog):
                for g in guilds:
                    repo = bot.store.guild(g.id).repo(SpacesRepo)
                    await repo.set_config(g.announcements.id, g.stans.id)
                    await repo.upsert_follows([Follow("bts_twt", "BTS_twt", "bts", "BTS", uid)])
                assert cog.poller is not None
                fake.set_space("BTS_twt", "1BenchSpace", "live", title="Bench live")
                requests_before = len(loopback.requests_to("POST", r"/channels/\d+/messages$"))
                hits_before = loopback.rate_limits.hits
                x_before = fake.count("/2/spaces")
                started = time.perf_counter()
                await cog.poller.poll_once()
                while await SpaceTrackingRepo(bot.store.db).open_events():
                    await cog.announcer.drain()
                elapsed = time.perf_counter() - started
                delivered = sum(1 for g in guilds if loopback.messages_in(g.announcements))
                duplicates = sum(
                    1 for g in guilds if len(loopback.messages_in(g.announcements)) > 1
                )
                sends = len(loopback.requests_to("POST", r"/channels/\d+/messages$"))
                return {
                    "servers": servers,
                    "seconds": elapsed,
                    "delivered": delivered,
                    "duplicates": duplicates,
                    "discord_requests": sends - requests_before,
                    "rate_limited_429": loopback.rate_limits.hits - hits_before,
                    "x_requests": fake.count("/2/spaces") - x_before,
                    "minimum_seconds": theoretical_minimum(
                        servers, loopback.rate_limits.global_rps
                    ),
                    "global_rps": loopback.rate_limits.global_rps,
                }


def main() -> None:
    """Parse arguments, run the bench and print the result table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    r = asyncio.run(run(args.servers))
    print(f"Space going live across {int(r['servers'])} servers")
    print(f"  delivered        {int(r['delivered'])} posts ({int(r['duplicates'])} duplicated)")
    print(f"  time             {r['seconds']:.2f} s")
    print(f"  Discord requests {int(r['discord_requests'])} message POSTs")
    print(f"  429 responses    {int(r['rate_limited_429'])}")
    print(f"  X requests       {int(r['x_requests'])} (Spaces lookup)")
    print(
        f"  minimum allowed  {r['minimum_seconds']:.2f} s "
        f"(global limit {int(r['global_rps'])}/s, 1 post per channel)"
    )
    print(f"  efficiency       {r['minimum_seconds'] / r['seconds']:.0%} of the limit")


if __name__ == "__main__":
    main()
