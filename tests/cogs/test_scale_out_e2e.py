"""Scale out end to end: three real `python -m bot` processes owning shards of 4, one
PostgreSQL database, the fake X over TCP, 40 servers following one artist.

A: the artist goes live, every server gets exactly one live post.
B: SIGKILL the process holding the poller lease (restarted at once, as a supervisor would),
   the Space ends and a new one goes live: within two poll intervals of the kill every server
   has exactly one "ended" edit and one new live post.
C: SIGKILL a process in the middle of its fan-out and restart it: no duplicate, no gap.

Select with `pytest -m scale`. B and C need the lease row of the elected poller (table
`leases`, name 'spaces-poller', holder 'host:pid:random'); until a migration creates that
table they are expected to fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import pytest

from bot.store import Store
from bot.store.pg_admin import create_database, drop_database
from bot.store.spaces import Follow, SpacesRepo
from bot.testing.fake_x import FakeX
from bot.testing.loopback.harness import BotProcess, run_bot_process
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture

pytestmark = pytest.mark.scale

SHARD_COUNT = 4
PROCESSES = ("0,1", "2", "3")
SERVERS = 40
# The least SPACES_POLL_SECONDS production settings accept; no test-only override exists.
POLL_SECONDS = 15
POLLER_LEASE = "spaces-poller"


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


@pytest.fixture
async def scale_db(pg_url: str) -> AsyncIterator[str]:
    """A throw-away PostgreSQL database for the three processes, dropped afterwards."""
    url = await create_database(pg_url, "lightstick_scale")
    try:
        yield url
    finally:
        await drop_database(pg_url, url)


class Cluster:
    """Three shard processes of one bot; each can be killed and started again."""

    def __init__(self, loopback: LoopbackDiscord, db: str, fake: FakeX) -> None:
        self.loopback = loopback
        self.base_env = {
            "DATABASE_URL": db,
            "X_BEARER_TOKEN": fake.token,
            "X_API_BASE": fake.base_url,
            "SPACES_POLL_SECONDS": str(POLL_SECONDS),
            "SHARD_COUNT": str(SHARD_COUNT),
            "MUSICBRAINZ_API_BASE": "",
            "LOG_LEVEL": "INFO",
        }
        self.stack = contextlib.AsyncExitStack()
        self.procs: dict[str, BotProcess] = {}
        self.dead: list[BotProcess] = []

    async def start(self, shard_ids: str) -> BotProcess:
        """Start the process owning `shard_ids`; wait until it logged that it is ready."""
        env = {**self.base_env, "SHARD_IDS": shard_ids}
        proc = await self.stack.enter_async_context(
            run_bot_process(self.loopback, env, wait_ready=False)
        )
        self.procs[shard_ids] = proc
        return proc

    async def wait_ready(self, shard_ids: str, timeout: float = 60) -> None:
        """Wait for the process's own "ready as ... in N servers" line."""
        await self.procs[shard_ids].wait_for_output(r"ready as \S+ in \d+ servers", timeout)

    async def kill(self, shard_ids: str) -> None:
        """SIGKILL the process owning `shard_ids` and reap it."""
        proc = self.procs.pop(shard_ids)
        proc.kill()
        await proc.wait(10)
        self.dead.append(proc)

    def owner_of_pid(self, pid: int) -> str:
        """Return the shard ids of the running process with that pid."""
        for shard_ids, proc in self.procs.items():
            if proc.pid == pid:
                return shard_ids
        raise AssertionError(f"no running shard process has pid {pid}")

    def log_lines(self, pattern: str) -> list[str]:
        """Return the stderr lines of every process (live or killed) matching `pattern`."""
        return [
            f"pid {p.pid}: {line}"
            for p in (*self.procs.values(), *self.dead)
            for line in p.stderr.splitlines()
            if re.search(pattern, line)
        ]

    def tracebacks(self) -> list[str]:
        """Return the stderr of every process (live or killed) that logged a traceback."""
        return [p.stderr for p in (*self.procs.values(), *self.dead) if "Traceback" in p.stderr]


async def seed(db: str, guilds: list[GuildFixture], uid: str) -> None:
    """Migrate the database once and give every server a Spaces setup following BTS_twt."""
    store = await Store.open(db)
    try:
        await store.migrate()
        for g in guilds:
            await store.ensure_guild(g.id)
            repo = store.guild(g.id).repo(SpacesRepo)
            await repo.set_config(g.announcements.id, g.stans.id)
            await repo.upsert_follows([Follow("bts_twt", "BTS_twt", "bts", "BTS", uid)])
    finally:
        await store.close()


def posts(loopback: LoopbackDiscord, g: GuildFixture) -> list[dict[str, Any]]:
    return loopback.messages_in(g.announcements)


def titles(loopback: LoopbackDiscord, g: GuildFixture, wanted: tuple[str, ...]) -> list[str]:
    """Return, per post in the channel, which of `wanted` titles it carries ('?' for none)."""
    return [next((t for t in wanted if t in str(m)), "?") for m in posts(loopback, g)]


def ended_edits(loopback: LoopbackDiscord, message: dict[str, Any]) -> int:
    """Count the accepted PATCHes (not the 429s retried) that made `message` an "ended" post."""
    path = rf"/channels/{message['channel_id']}/messages/{message['id']}$"
    return sum(
        1
        for r in loopback.requests_to("PATCH", path)
        if r.status < 300 and isinstance(r.json, dict) and "ended" in str(r.json.get("content", ""))
    )


async def wait_until(
    check: Callable[[], bool],
    timeout: float,
    what: str,
    detail: Callable[[], str] = lambda: "",
) -> float:
    """Wait until `check()` holds; return the seconds it took, or fail naming `what` (and
    `detail()`, what the processes did, to tell a slow machine from a bot that got it wrong)."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"after {timeout:.0f} s: {what}\n{detail()}")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def poller_holder(db: str) -> int:
    """Return the pid in the 'spaces-poller' lease's holder ('host:pid:random')."""
    conn = await asyncpg.connect(db)
    try:
        holder = await conn.fetchval("SELECT holder FROM leases WHERE name = $1", POLLER_LEASE)
    finally:
        await conn.close()
    assert holder, "nobody holds the spaces-poller lease"
    return int(str(holder).split(":")[-2])


@contextlib.asynccontextmanager
async def cluster_live(
    loopback: LoopbackDiscord, db: str, fake: FakeX
) -> AsyncIterator[tuple[Cluster, list[GuildFixture]]]:
    """Start the three processes on seeded servers; scenario A: one live post per server."""
    guilds = [
        loopback.add_guild(f"Fans {i}", shard=(i % SHARD_COUNT, SHARD_COUNT))
        for i in range(SERVERS)
    ]
    uid = fake.add_user("BTS_twt")
    await seed(db, guilds, uid)
    cluster = Cluster(loopback, db, fake)
    async with cluster.stack:
        for shard_ids in PROCESSES:
            await cluster.start(shard_ids)
        for shard_ids in PROCESSES:
            await cluster.wait_ready(shard_ids)
        assert sorted(loopback.gateway.shards_connected(), key=str) == [
            (i, SHARD_COUNT) for i in range(SHARD_COUNT)
        ]
        fake.set_space("BTS_twt", "1ScaleA", "live", title="Scale A live")
        await wait_until(
            lambda: all(posts(loopback, g) for g in guilds),
            POLL_SECONDS + 20,
            "some servers never got the live post",
        )
        await asyncio.sleep(2.0)  # a duplicate from a second poller or process arrives now
        counts = [len(posts(loopback, g)) for g in guilds]
        assert counts == [1] * SERVERS, counts
        for g in guilds:
            [live] = posts(loopback, g)
            assert "Scale A live" in str(live)
            assert loopback.pings(live).roles == frozenset({g.stans.id})
        yield cluster, guilds
    assert not cluster.tracebacks(), cluster.tracebacks()[0][-3000:]


@pytest.mark.timeout(120)
async def test_three_shard_processes_post_one_live_post_per_server(
    loopback: LoopbackDiscord, fake: FakeX, scale_db: str
) -> None:
    """A: three processes, 40 servers over 4 shards, one PostgreSQL: a followed artist goes
    live and every server gets exactly one live post pinging its fan role."""
    async with cluster_live(loopback, scale_db, fake):
        pass


@pytest.mark.timeout(240)
async def test_poller_moves_and_a_killed_fanout_is_finished_exactly_once(
    loopback: LoopbackDiscord, fake: FakeX, scale_db: str
) -> None:
    """B: killing the poller's holder: within two poll intervals every server has one "ended"
    edit and one new live post. C: SIGKILL mid fan-out, restart: no duplicate and no gap."""
    wanted = ("Scale A live", "Scale B live", "Scale C live")
    async with cluster_live(loopback, scale_db, fake) as (cluster, guilds):
        lb = loopback
        # B
        holder = cluster.owner_of_pid(await poller_holder(scale_db))
        killed_at = time.monotonic()
        killed_wall = time.strftime("%H:%M:%S", time.gmtime())
        await cluster.kill(holder)
        await cluster.start(holder)  # a supervisor restarts it; its shards are offline till then
        fake.end_space("1ScaleA")
        fake.set_space("BTS_twt", "1ScaleB", "live", title="Scale B live")

        def b_done_in(g: GuildFixture) -> bool:
            return titles(lb, g, wanted) == ["Scale A live", "Scale B live"] and (
                "ended" in posts(lb, g)[0]["content"]
            )

        def b_done() -> bool:
            return all(b_done_in(g) for g in guilds)

        def b_detail() -> str:
            late = [(g.id, titles(lb, g, wanted)) for g in guilds if not b_done_in(g)]
            lines = cluster.log_lines(r"spaces-poller|Space 1Scale|ready as|processes share")
            return "\n".join([f"killed at {killed_wall} UTC; late: {late}", *lines])

        await wait_until(
            b_done,
            2 * POLL_SECONDS - (time.monotonic() - killed_at),
            "not every server had the ended edit and the new live post two poll intervals "
            "after the poller's process was killed",
            b_detail,
        )
        assert cluster.owner_of_pid(await poller_holder(scale_db)) in PROCESSES
        # C: slow Discord down so the fan-out takes seconds and the kill lands inside it.
        lb.rate_limits.global_rps = 8
        victim = "0,1"
        theirs = [g for g in guilds if (g.id >> 22) % SHARD_COUNT in (0, 1)]
        fake.end_space("1ScaleB")
        fake.set_space("BTS_twt", "1ScaleC", "live", title="Scale C live")

        def c_started() -> int:
            return sum(1 for g in theirs if "Scale C live" in titles(lb, g, wanted))

        await wait_until(lambda: c_started() >= 2, POLL_SECONDS + 30, "fan-out C never began")
        await cluster.kill(victim)
        at_kill = c_started()
        assert at_kill < len(theirs), "the kill must land in the middle of the fan-out"
        await cluster.start(victim)
        await wait_until(
            lambda: all(len(posts(lb, g)) >= len(wanted) for g in guilds),
            POLL_SECONDS + 60,
            "some servers never got the third live post",
        )
        await wait_until(
            lambda: all("ended" in posts(lb, g)[1]["content"] for g in guilds),
            30,
            "some servers never got the second post's ended edit",
        )
        await asyncio.sleep(2.0)  # anything duplicated would arrive now
        for g in guilds:
            assert titles(lb, g, wanted) == list(wanted), (g.id, titles(lb, g, wanted))
            first, second, third = posts(lb, g)
            assert ended_edits(lb, first) == 1
            assert ended_edits(lb, second) == 1
            assert "ended" not in third["content"]
