"""Workloads the SIGKILL drills put in the database while the bot process is down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from pydantic import SecretStr

from bot.clients.x import XClient
from bot.domain.parties.model import PartyDraft
from bot.services.spaces import SpacesPoller
from bot.store import Store
from bot.store.parties import PartyRepo
from bot.store.spaces import Follow, SpacesRepo, SpaceTrackingRepo
from bot.testing.fake_x import FakeX
from bot.testing.loopback.world import GuildFixture


async def follow_everywhere(db: Path, guilds: list[GuildFixture], fake: FakeX) -> None:
    """Make every server follow one X account, announcing in its #announcements."""
    uid = fake.add_user("Drill_twt")
    store = await Store.open(db)
    try:
        await store.migrate()
        for g in guilds:
            await store.ensure_guild(g.id)
            repo = store.guild(g.id).repo(SpacesRepo)
            await repo.set_config(g.announcements.id, g.stans.id)
            await repo.upsert_follows([Follow("drill_twt", "Drill_twt", "drill", "Drill", uid)])
    finally:
        await store.close()


async def queue_space(db: Path, fake: FakeX, space_id: str) -> None:
    """Let the real poller see a Space go live and then end: two outbox events."""
    store = await Store.open(db)
    try:
        async with httpx.AsyncClient() as http:
            client = XClient(http, fake.base_url, SecretStr(fake.token), min_interval=0.0)
            poller = SpacesPoller(
                SpaceTrackingRepo(store.db), client, interval=60, grace=timedelta(0)
            )
            fake.set_space("Drill_twt", space_id, "live", title=f"Drill {space_id}")
            assert (await poller.poll_once()).events == 1
            fake.set_space("Drill_twt", space_id, "ended", title=f"Drill {space_id}")
            assert (await poller.poll_once()).events == 1
    finally:
        await store.close()


async def seed_parties(
    db: Path, guilds: list[GuildFixture], per_guild: int, start_in: timedelta
) -> int:
    """Create parties (lead 0) whose reminders fall due soon, with a few Going members each."""
    now = datetime.now(UTC)
    store = await Store.open(db)
    created = 0
    try:
        await store.migrate()
        for g in guilds:
            await store.ensure_guild(g.id)
            repo = store.guild(g.id).repo(PartyRepo)
            await repo.set_reminder_leads((0,), now=now)
            for i in range(per_guild):
                party = await repo.create_party(
                    PartyDraft(
                        title=f"Drill party {i}",
                        starts_at=now + start_in + timedelta(milliseconds=50 * i),
                        duration=timedelta(hours=1),
                        channel_id=g.general.id,
                        organiser_id=g.member.id,
                        zone="Asia/Seoul",
                    ),
                    now=now,
                )
                for member in (g.member, g.moderator):
                    await repo.set_rsvp(party.id, member.id, "going", now=now)
                created += 1
    finally:
        await store.close()
    return created
