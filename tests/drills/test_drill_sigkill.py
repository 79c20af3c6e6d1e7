"""SIGKILL drills: the real bot process killed 20 times in each of a Spaces fan-out, trivia games
and a party reminder dispatch, restarted each time: nothing lost, nothing sent twice.

Kill points come from a seeded plan (after 1..N new deliveries seen on the loopback's request
log, plus a few ms of jitter), so a failing seed reproduces. While the process is down, the test
checks the file (integrity_check) and Discord (no duplicate posts), and tops the work up.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.domain.parties.reminders import LATE_WINDOW
from bot.testing.fake_x import FakeX
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from tests.drills.drill_support import (
    KillPlan,
    bot_env,
    duplicates,
    integrity,
    kill_after,
    message_nonces,
    query,
    run_drill_bot,
    wait_bot_ready,
    wait_for,
)
from tests.drills.sigkill_workloads import follow_everywhere, queue_space, seed_parties

KILLS = 20
SEEDS = [20260501]


@pytest.fixture
async def fake() -> AsyncIterator[FakeX]:
    """A fake X API (used only by the test to queue Spaces while the bot is down)."""
    async with FakeX() as server:
        yield server


def delivered(loopback: LoopbackDiscord, channel_ids: set[int]) -> int:
    """Count successful posts and edits the bot made in these channels."""
    pattern = re.compile(r"^/channels/(\d+)/messages(/\d+)?$")
    count = 0
    for r in loopback.requests:
        found = pattern.match(r.path)
        if found and r.status == 200 and int(found.group(1)) in channel_ids:
            count += r.method in ("POST", "PATCH")
    return count


def count(db: Path, sql: str) -> int:
    """Return the single number a COUNT query yields."""
    return int(query(db, sql)[0][0])


def assert_no_duplicate_posts(loopback: LoopbackDiscord, channel_ids: set[int], when: str) -> None:
    """Every message carrying a nonce appears once per channel."""
    for cid in channel_ids:
        dupes = duplicates(message_nonces(loopback, cid))
        assert not dupes, f"{when}: duplicate posts in channel {cid}: {dupes}"


# -- Spaces fan-out ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
async def test_fanout_survives_20_sigkills(
    loopback: LoopbackDiscord, fake: FakeX, tmp_path: Path, seed: int
) -> None:
    """Twenty kills mid fan-out (posts and "ended" edits): every server ends with exactly one
    post per Space, edited to ended, every delivery sent, none stuck in 'sending'."""
    guilds = [loopback.add_guild(f"Fans {i}") for i in range(12)]
    channels = {g.announcements.id for g in guilds}
    db = tmp_path / "bot.db"
    await follow_everywhere(db, guilds, fake)
    loopback.rate_limits.global_rps = 10  # slow enough that kills land mid fan-out
    plan = KillPlan(seed, low=1, high=4)
    env = bot_env(db)
    spaces: list[str] = []
    interrupted = 0
    for kill in range(KILLS):
        open_events = query(db, "SELECT count(*) FROM space_events WHERE status != 'done'")[0][0]
        if open_events <= 1:  # keep one whole Space queued ahead of the kills
            spaces.append(f"1Drill{len(spaces):03d}")
            await queue_space(db, fake, spaces[-1])
        async with run_drill_bot(loopback, env) as bot:
            await kill_after(bot, lambda: delivered(loopback, channels), plan)
        assert integrity(db) == "ok", f"seed {seed} kill {kill}"
        assert_no_duplicate_posts(loopback, channels, f"seed {seed} kill {kill}")
        interrupted += count(db, "SELECT count(*) FROM space_deliveries WHERE status = 'sending'")
    assert interrupted, "no kill landed between a claim and its outcome"

    async with run_drill_bot(loopback, env) as bot:
        await wait_for(
            lambda: (
                query(db, "SELECT count(*) FROM space_events WHERE status != 'done'")[0][0] == 0
            ),
            90,
            "every Space event delivered",
        )
        await asyncio.sleep(0.5)  # a duplicate would arrive now
        bot.terminate()
        await bot.wait()
    assert integrity(db) == "ok"
    assert_no_duplicate_posts(loopback, channels, "final")
    rows = query(db, "SELECT space_id, state, status, guild_id, message_id FROM space_deliveries")
    assert {r[2] for r in rows} == {"sent"}, f"seed {seed}: {sorted({r[2] for r in rows})}"
    assert len(rows) == 2 * len(guilds) * len(spaces)
    for g in guilds:
        msgs = loopback.messages_in(g.announcements)
        assert len(msgs) == len(spaces), f"seed {seed}: server {g.name} got {len(msgs)} posts"
        assert all(m.get("edited_timestamp") for m in msgs), "every post edited to ended"
        assert all(loopback.pings(m).roles == frozenset({g.stans.id}) for m in msgs)


# -- trivia --------------------------------------------------------------------------------


def question_posts(loopback: LoopbackDiscord, channel_id: int) -> list[tuple[int, int, str]]:
    """Return (game id, question index, message id) of each question post in the channel."""
    out = []
    for m in loopback.messages_in(channel_id):
        for row in m.get("components") or []:
            for c in row.get("components") or []:
                found = re.fullmatch(r"trivia:(\d+):(\d+):0", c.get("custom_id", ""))
                if found:
                    out.append((int(found.group(1)), int(found.group(2)), str(m["id"])))
    return out


def finals(loopback: LoopbackDiscord, channel_id: int) -> list[dict[str, Any]]:
    """Return the final scoreboards posted in the channel."""
    return [
        m
        for m in loopback.messages_in(channel_id)
        if (m.get("embeds") or [{}])[0].get("title") == "Trivia over: final scoreboard"
    ]


async def click_along(
    loopback: LoopbackDiscord,
    guild: GuildFixture,
    channel_id: int,
    players: list[Any],
    rng: random.Random,
    acked: set[tuple[int, int, int]],
) -> None:
    """Have every player answer every question that appears; record the acknowledged picks."""
    clicked: set[str] = set()
    while True:
        for game_id, index, message_id in question_posts(loopback, channel_id):
            if message_id in clicked:
                continue
            clicked.add(message_id)
            for player in players:
                choice = rng.randrange(4)
                with contextlib.suppress(AssertionError, TimeoutError):
                    ix = await loopback.click(
                        message_id, f"trivia:{game_id}:{index}:{choice}", user=player
                    )
                    await ix.response(timeout=2.0)
                    if "You picked" in ix.content:
                        acked.add((game_id, index, player.id))
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("seed", SEEDS)
async def test_trivia_survives_20_sigkills(
    loopback: LoopbackDiscord, tmp_path: Path, seed: int
) -> None:
    """Twenty games each killed mid-play: after every restart the game ends with exactly one
    scoreboard, no question is posted twice, and every acknowledged answer keeps its points."""
    guild = loopback.add_guild("Trivia drill")
    players = [guild.add_member(f"player{i}") for i in range(3)]
    rooms = [guild.add_channel(f"trivia-{i}") for i in range(KILLS)]
    db = tmp_path / "bot.db"
    env = bot_env(
        db,
        DEV_GUILD_ID=str(guild.id),
        DRILL_TRIVIA_SECONDS="0.35",
        DRILL_TRIVIA_REVEAL_PAUSE="0.05",
    )
    plan = KillPlan(seed, low=1, high=10)
    rng = random.Random(seed)
    acked: set[tuple[int, int, int]] = set()
    for kill, room in enumerate(rooms):
        async with run_drill_bot(loopback, env) as bot:
            await wait_bot_ready(bot)
            if kill:
                previous = rooms[kill - 1].id
                await wait_for(
                    lambda p=previous: bool(finals(loopback, p)), 15, "restart scoreboard"
                )
            ix = await loopback.slash(guild.id, "trivia start", {"questions": 5}, channel=room)
            await ix.response()
            assert "Trivia time!" in ix.content, ix.content
            clicker = asyncio.create_task(
                click_along(loopback, guild, room.id, players, rng, acked)
            )
            try:
                await kill_after(bot, lambda r=room.id: delivered(loopback, {r}), plan)
            finally:
                clicker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await clicker
        assert integrity(db) == "ok", f"seed {seed} kill {kill}"
        assert len(finals(loopback, room.id)) <= 1
        posts = [(g, i) for g, i, _ in question_posts(loopback, room.id)]
        assert not duplicates(posts), f"seed {seed} kill {kill}: question posted twice"

    async with run_drill_bot(loopback, env) as bot:
        last = rooms[-1].id
        await wait_for(lambda: finals(loopback, last), 15, "last restart scoreboard")
        await asyncio.sleep(0.5)
        bot.terminate()
        await bot.wait()
    assert integrity(db) == "ok"
    for room in rooms:
        assert len(finals(loopback, room.id)) == 1, f"seed {seed}: {room.name} scoreboards"
    assert query(db, "SELECT count(*) FROM trivia_games WHERE status = 'running'")[0][0] == 0
    stored = set(query(db, "SELECT game_id, q_index, member_id FROM trivia_answers"))
    assert acked <= stored, f"seed {seed}: acknowledged answers lost: {acked - stored}"
    assert query(db, "SELECT count(*) FROM trivia_answers WHERE applied = 0")[0][0] == 0
    answered = dict(query(db, "SELECT member_id, answered FROM trivia_stats"))
    for player in players:
        mine = [a for a in stored if a[2] == player.id]
        assert answered.get(player.id, 0) == len(mine), "each answer counted exactly once"


# -- party reminders -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
async def test_reminder_dispatch_survives_20_sigkills(
    loopback: LoopbackDiscord, tmp_path: Path, seed: int
) -> None:
    """Twenty kills mid reminder dispatch: every due reminder ends sent exactly once (or skipped
    only when past the documented late window), none stuck in 'sending'."""
    guilds = [loopback.add_guild(f"Party {i}") for i in range(4)]
    channels = {g.general.id for g in guilds}
    db = tmp_path / "bot.db"
    loopback.rate_limits.global_rps = 8
    plan = KillPlan(seed, low=1, high=3)
    env = bot_env(db)
    interrupted = 0
    for kill in range(KILLS):
        due = (
            query(
                db,
                "SELECT count(*) FROM party_reminders WHERE kind = 'remind' "
                "AND state IN ('pending', 'sending')",
            )[0][0]
            if db.exists()
            else 0
        )
        if due < 8:
            await seed_parties(db, guilds, 4, start_in=timedelta(seconds=1.5))
        async with run_drill_bot(loopback, env) as bot:
            await kill_after(bot, lambda: delivered(loopback, channels), plan)
        assert integrity(db) == "ok", f"seed {seed} kill {kill}"
        assert_no_duplicate_posts(loopback, channels, f"seed {seed} kill {kill}")
        interrupted += count(db, "SELECT count(*) FROM party_reminders WHERE state = 'sending'")
    assert interrupted, "no kill landed between a claim and its outcome"

    async with run_drill_bot(loopback, env) as bot:
        await wait_for(
            lambda: (
                query(
                    db,
                    "SELECT count(*) FROM party_reminders WHERE kind = 'remind' "
                    "AND state != 'sent' AND state != 'skipped'",
                )[0][0]
                == 0
            ),
            60,
            "every reminder handled",
        )
        await asyncio.sleep(0.5)
        bot.terminate()
        await bot.wait()
    assert integrity(db) == "ok"
    assert_no_duplicate_posts(loopback, channels, "final")
    rows = query(
        db,
        "SELECT reminder_id, state, due_at, done_at, message_id FROM party_reminders "
        "WHERE kind = 'remind'",
    )
    by_nonce = {
        str(m["nonce"]): m for cid in channels for m in loopback.messages_in(cid) if m.get("nonce")
    }
    for reminder_id, state, due_at, done_at, message_id in rows:
        if state == "skipped":
            assert done_at - due_at >= LATE_WINDOW.total_seconds(), f"reminder {reminder_id}"
            continue
        assert state == "sent", f"seed {seed}: reminder {reminder_id} is {state}"
        posted = by_nonce.get(f"lsrem{reminder_id}")
        assert posted is not None, f"seed {seed}: reminder {reminder_id} never posted"
        assert int(posted["id"]) == message_id
