"""The real bot on PostgreSQL through the loopback Discord: a party scheduled and answered, a
Space followed and announced; and the answer a member gets when the database is unreachable."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.core.tree import DATABASE_UNREACHABLE
from bot.store.parties import PartyRepo
from bot.store.pg_admin import scratch_schema
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import cycle, running_bot
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from tests.cogs.test_parties_e2e import custom_ids, schedule
from tests.cogs.test_spaces_e2e import setup_and_follow


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


async def test_party_rsvp_and_spaces_follow_run_on_postgresql(
    loopback: LoopbackDiscord, guild: GuildFixture, fake: FakeX, pg_url: str
) -> None:
    """On PostgreSQL: /party schedule posts, Going counts the click, /spaces follow then a live
    Space posts once; the rows are in the PostgreSQL schema, not in some file."""
    lb = loopback
    fan = guild.add_member("fan")
    fake.add_user("BTS_twt")
    async with (
        scratch_schema(pg_url, "test") as schema,
        running_bot(lb, pg_url, fake, schema=schema) as (bot, cog),
    ):
        assert bot.store.db.dialect == "postgresql"
        _, post = await schedule(lb, guild, {"title": "MV party", "when": "tomorrow 20:00"})
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        going = f"party:rsvp:{party.id}:going"
        click = await lb.click(post, going, user=fan)
        await click.wait_followup()
        post = lb.messages.get(int(post["id"]))
        assert custom_ids(post)[going]["label"] == "Going (1)"
        assert await repo.rsvp_of(party.id, fan.id) == "going"

        await setup_and_follow(lb, guild, "@BTS_twt")
        fake.set_space("BTS_twt", "1PgSpace", "live", title="Live on PostgreSQL")
        await cycle(cog)
        await cycle(cog)
        [live] = lb.messages_in(guild.announcements.id)
        assert "Live on PostgreSQL" in str(live)

        conn = await asyncpg.connect(pg_url, server_settings={"search_path": schema})
        try:
            assert await conn.fetchval("SELECT count(*) FROM party_rsvps") == 1
            assert await conn.fetchval("SELECT count(*) FROM spaces_follows") == 1
            assert await conn.fetchval("SELECT count(*) FROM space_deliveries") == 1
        finally:
            await conn.close()


class Relay:
    """A TCP relay to the PostgreSQL server that a test can cut, as a network failure would."""

    def __init__(self, host: str, port: int) -> None:
        self._upstream = (host, port)
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> Relay:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        self._writers += [writer, up_writer]

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def cut(self) -> None:
        """Stop accepting and drop every open connection."""
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.transport.abort()
        await self._server.wait_closed()


async def test_an_unreachable_database_gets_a_plain_answer(
    loopback: LoopbackDiscord, guild: GuildFixture, pg_url: str
) -> None:
    """The database server goes away mid-run: the member is told it is unreachable (no error
    code), and nothing is posted."""
    parts = urlsplit(pg_url)
    relay = await Relay(parts.hostname or "127.0.0.1", parts.port or 5432).start()
    via_relay = urlunsplit(
        (parts.scheme, f"{parts.username}@127.0.0.1:{relay.port}", parts.path, "", "")
    )
    async with (
        scratch_schema(pg_url, "test") as schema,
        running_bot(loopback, via_relay, None, schema=schema) as _,
    ):
        await relay.cut()
        ix = await loopback.slash(
            guild, "timezone set", options={"zone": "Asia/Seoul"}, user=guild.member
        )
        await ix.settled(timeout=15)
        assert DATABASE_UNREACHABLE in ix.all_text()
