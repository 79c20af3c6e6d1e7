"""Seed a Lightstick database for N servers through the real repositories (no raw SQL).

Each server gets what a busy fan server has: a Spaces setup with two follows, a party with its
planned reminders and a few RSVPs, a finished trivia game (so member stats exist), a server alias
and a member timezone. Batches of servers share one transaction so seeding 10,000 servers takes
seconds, not minutes; the repositories' own transactions join the batch's.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.parties.model import PartyDraft
from bot.domain.trivia.bank import load_bank
from bot.domain.trivia.game import Answer
from bot.domain.trivia.selection import Pick
from bot.store import Store
from bot.store.aliases import AliasRepo
from bot.store.parties import PartyRepo
from bot.store.spaces import Follow, SpacesRepo
from bot.store.timezones import TimezoneRepo
from bot.store.trivia import TriviaRepo

BATCH = 250
ACTS = (("bts", "BTS", "BTS_twt"), ("blackpink", "BLACKPINK", "ygofficialblink"))


async def seed_servers(
    db_path: Path | str, guilds: Sequence[tuple[int, int, int]], *, members_per_guild: int = 3
) -> float:
    """Migrate `db_path` (a file or a database URL) and seed each (guild id, channel id,
    role id); return seconds taken."""
    started = time.perf_counter()
    store = await Store.open(db_path)
    try:
        await store.migrate()
        question_ids = [q.id for q in load_bank().questions][:5]
        now = datetime.now(UTC)
        rng = random.Random(20240607)
        for start in range(0, len(guilds), BATCH):
            async with store.db.transaction():
                for guild_id, channel_id, role_id in guilds[start : start + BATCH]:
                    await _seed_one(
                        store,
                        guild_id,
                        channel_id,
                        role_id,
                        question_ids,
                        now,
                        rng,
                        members_per_guild,
                    )
    finally:
        await store.close()
    return time.perf_counter() - started


async def _seed_one(
    store: Store,
    guild_id: int,
    channel_id: int,
    role_id: int,
    question_ids: list[str],
    now: datetime,
    rng: random.Random,
    members: int,
) -> None:
    await store.guilds.mark_joined(guild_id, f"Fans {guild_id}", now)
    scope = store.guild(guild_id)
    spaces = scope.repo(SpacesRepo)
    await spaces.set_config(channel_id, role_id)
    await spaces.upsert_follows(
        [Follow(handle.lower(), handle, act, name, None) for act, name, handle in ACTS]
    )
    member_ids = [guild_id + i for i in range(1, members + 1)]
    parties = scope.repo(PartyRepo)
    party = await parties.create_party(
        PartyDraft(
            title="Comeback MV party",
            starts_at=now + timedelta(days=rng.randint(1, 14), minutes=rng.randint(0, 1440)),
            duration=timedelta(hours=1),
            channel_id=channel_id,
            organiser_id=member_ids[0],
            zone="Asia/Seoul",
            artist_id="bts",
            link="https://youtu.be/abc123",
        ),
        now=now,
    )
    for member in member_ids:
        await parties.set_rsvp(party.id, member, "going", now=now)
    trivia = scope.repo(TriviaRepo)
    ids = tuple(question_ids[:1])
    game_id = await trivia.start_game(
        channel_id=channel_id,
        starter_id=member_ids[0],
        pick=Pick(ids, False, ids),
        pool=question_ids,
        seed=rng.randrange(1 << 30),
        seconds=20,
        now=now,
    )
    await trivia.open_question(game_id, 0, 1, int(now.timestamp() * 1000))
    for member in member_ids:
        choice = rng.randrange(4)
        answer = Answer(member, choice, choice == 1, 100 if choice == 1 else 0, 3.0)
        await trivia.record_answer(game_id, 0, member, choice, answer, now)
    await trivia.end_game(game_id, "finished", now)
    await scope.repo(AliasRepo).add_alias("bangtan", "bts", member_ids[0], now)
    await scope.repo(TimezoneRepo).set_member_timezone(member_ids[0], "America/Sao_Paulo")
