"""Streaming parties end to end through the loopback Discord: schedule, RSVP, remind, cancel."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.core.client import Lightstick
from bot.store import Store
from bot.store.parties import PartyRepo
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from cogs.parties import Parties

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
STAMP = re.compile(r"<t:(\d+):([FR])>")


@contextlib.asynccontextmanager
async def running_bot(
    lb: LoopbackDiscord,
    guild: GuildFixture,
    db_path: Path,
    *,
    clock: Callable[[], datetime] | None = None,
) -> AsyncIterator[Lightstick]:
    """Run one Lightstick process against the loopback on `db_path` until the block ends."""

    def set_clock(bot: Lightstick) -> None:
        if clock is not None:
            bot.clock = clock  # type: ignore[method-assign]

    async with start_lightstick(lb, db_path, configure=set_clock, dev_guild_id=guild.id) as bot:
        yield bot


def parties_cog(bot: Lightstick) -> Parties:
    """Return the loaded Parties cog."""
    return cast(Parties, bot.get_cog("Parties"))


def custom_ids(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Map custom_id -> button for every button on a message."""
    return {c["custom_id"]: c for row in message.get("components") or [] for c in row["components"]}


def party_posts(lb: LoopbackDiscord, channel_id: int) -> list[dict[str, Any]]:
    """Return the party posts (messages with RSVP buttons) in a channel."""
    return [
        m
        for m in lb.messages_in(channel_id)
        if any(k.startswith("party:rsvp:") for k in custom_ids(m))
    ]


async def rsvp(
    lb: LoopbackDiscord, post: dict[str, Any], party_id: int, status: str, member: Any
) -> Any:
    """Click an RSVP button and wait for everything the bot answers (Going adds a followup)."""
    click = await lb.click(post, f"party:rsvp:{party_id}:{status}", user=member)
    await click.response()
    if status == "going" and click.response_type == 7:
        await click.wait_followup()
    return click


async def schedule(
    lb: LoopbackDiscord, guild: GuildFixture, options: dict[str, Any], user: Any = None
) -> tuple[Any, dict[str, Any]]:
    """Run /party schedule, press Confirm, and return (preview interaction, party post)."""
    before = len(party_posts(lb, guild.general.id))
    ix = await lb.slash(guild.id, "party schedule", options=options, user=user or guild.member)
    await ix.response()
    confirm = next(k for k, b in custom_ids(ix.original or {}).items() if b["label"] == "Confirm")
    click = await lb.click(ix, confirm, user=user or guild.member)
    await click.response()
    await ix.wait_until(lambda: "Posted" in ix.content)
    posts = party_posts(lb, guild.general.id)
    assert len(posts) == before + 1
    return ix, posts[-1]


async def test_party_story_sao_paulo(tmp_path: Path, loopback: LoopbackDiscord) -> None:
    """São Paulo "tomorrow 20:00" is 23:00 UTC; only the 2 Going get pinged; cancel drops event."""
    lb = loopback
    guild = lb.add_guild()
    fan1, fan2, maybe = guild.add_member("fan1"), guild.add_member("fan2"), guild.moderator
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        tz = await lb.slash(
            guild.id, "timezone set", options={"zone": "America/Sao_Paulo"}, user=guild.member
        )
        await tz.response()

        preview = await lb.slash(
            guild.id,
            "party schedule",
            options={
                "title": "MV party",
                "when": "tomorrow 20:00",
                "link": "https://youtu.be/abc123",
            },
            user=guild.member,
        )
        await preview.response()
        tomorrow = (datetime.now(SAO_PAULO) + timedelta(days=1)).date()
        expected = datetime.combine(tomorrow, time(20, 0), SAO_PAULO).astimezone(UTC)
        assert expected.hour == 23  # UTC-3, no DST in Brazil since 2019
        assert preview.ephemeral
        assert party_posts(lb, guild.general.id) == []  # nothing posted before confirming
        stamps = {style: int(sec) for sec, style in STAMP.findall(preview.content)}
        assert stamps == {"F": int(expected.timestamp()), "R": int(expected.timestamp())}
        assert "America/Sao_Paulo" in preview.all_text()

        confirm = next(
            k for k, b in custom_ids(preview.original or {}).items() if b["label"] == "Confirm"
        )
        await (await lb.click(preview, confirm, user=guild.member)).response()
        await preview.wait_until(lambda: "Posted" in preview.content)
        [post] = party_posts(lb, guild.general.id)
        assert post["embeds"][0]["title"] == "MV party"
        assert f"<t:{int(expected.timestamp())}:F>" in post["embeds"][0]["description"]
        assert "YouTube" in post["embeds"][0]["description"]
        assert lb.pings(post).nobody

        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        assert party.starts_at == expected
        assert party.zone == "America/Sao_Paulo"

        [event] = lb.scheduled_events(guild.id)
        assert datetime.fromisoformat(event["scheduled_start_time"]) == expected
        assert datetime.fromisoformat(event["scheduled_end_time"]) == expected + timedelta(hours=1)
        assert event["entity_type"] == 3
        assert event["entity_metadata"]["location"] == "https://youtu.be/abc123"

        going = f"party:rsvp:{party.id}:going"
        for member in (fan1, fan2):
            await rsvp(lb, post, party.id, "going", member)
        await rsvp(lb, post, party.id, "maybe", maybe)
        post = lb.messages.get(int(post["id"]))
        assert custom_ids(post)[going]["label"] == "Going (2)"
        fields = {f["name"]: f["value"] for f in post["embeds"][0]["fields"]}
        assert fields == {
            "Going": "2",
            "Maybe": "1",
            "Can't": "0",
            "Who's going": f"<@{fan1.id}>, <@{fan2.id}>",
        }

        cog = parties_cog(bot)
        before = len(lb.messages_in(guild.general.id))
        cog.dispatcher.clock = lambda: expected - timedelta(minutes=15) + timedelta(seconds=3)
        await cog.dispatcher.settle()
        cog.dispatcher.clock = lambda: expected + timedelta(seconds=3)
        await cog.dispatcher.settle()
        await cog.dispatcher.settle()
        reminders = lb.messages_in(guild.general.id)[before:]
        assert len(reminders) == 2
        assert "starts" in reminders[0]["content"]
        assert "starting now" in reminders[1]["content"]
        for message in reminders:
            pinged = lb.pings(message)
            assert pinged.users == {fan1.id, fan2.id}
            assert not pinged.roles
            assert not pinged.everyone
            assert "Sent late" not in message["content"]

        cancel = await lb.slash(
            guild.id, "party cancel", options={"party": party.id}, user=guild.member
        )
        await cancel.settled()
        assert cancel.ephemeral
        assert lb.scheduled_events(guild.id) == []
        notice = lb.messages_in(guild.general.id)[-1]
        assert "cancelled" in notice["content"]
        assert lb.pings(notice).users == {fan1.id, fan2.id, maybe.id}
        post = lb.messages.get(int(post["id"]))
        assert all(b.get("disabled") for b in custom_ids(post).values())
        assert post["embeds"][0]["title"].startswith("Cancelled")


async def test_reminders_after_downtime_sent_once_or_skipped(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """After downtime: due 5 min ago is sent late once, 30 min ago skipped; restarts add nothing."""
    db = tmp_path / "shared.sqlite"
    lb = loopback
    guild = lb.add_guild()
    fan1, fan2 = guild.add_member("fan1"), guild.add_member("fan2")
    async with running_bot(lb, guild, db) as bot:
        settings = await lb.slash(
            guild.id, "party settings", options={"reminders": "0"}, user=guild.moderator
        )
        await settings.response()
        await schedule(lb, guild, {"title": "Early party", "when": "tomorrow 20:00"})
        await schedule(lb, guild, {"title": "Late party", "when": "tomorrow 20:25"})
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        early, late = await repo.list_upcoming()
        assert late.starts_at - early.starts_at == timedelta(minutes=25)
        for party in (early, late):
            post = next(
                p
                for p in party_posts(lb, guild.general.id)
                if f"party:rsvp:{party.id}:going" in custom_ids(p)
            )
            for member in (fan1, fan2):
                await rsvp(lb, post, party.id, "going", member)

    # Back up at late.start + 5 min: late's reminder is 5 min old, early's is 30 min old.
    wake = late.starts_at + timedelta(minutes=5)
    before = len(lb.messages_in(guild.general.id))
    async with running_bot(lb, guild, db, clock=lambda: wake) as bot:
        await parties_cog(bot).dispatcher.settle()
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        states = {
            p.title: [r.state for r in await repo.list_reminders(p.id) if r.kind == "remind"]
            for p in (early, late)
        }
    assert states == {"Early party": ["skipped"], "Late party": ["sent"]}
    sent = lb.messages_in(guild.general.id)[before:]
    assert len(sent) == 1
    assert "Late party" in sent[0]["content"]
    assert "Sent late" in sent[0]["content"]
    assert lb.pings(sent[0]).users == {fan1.id, fan2.id}

    # A second restart finds nothing left to do.
    async with running_bot(lb, guild, db, clock=lambda: wake) as bot:
        await parties_cog(bot).dispatcher.settle()
    assert len(lb.messages_in(guild.general.id)) == before + 1

    # A crash between Discord accepting the send and the row being marked: the retry
    # reuses the nonce, so Discord hands back the first message instead of posting again.
    store = await Store.open(db)
    await store.db.execute(
        "UPDATE party_reminders SET state = 'sending' "
        "WHERE party_id = :party_id AND kind = 'remind'",
        {"party_id": late.id},
    )
    await store.close()
    async with running_bot(lb, guild, db, clock=lambda: wake) as bot:
        await parties_cog(bot).dispatcher.settle()
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [row] = [r for r in await repo.list_reminders(late.id) if r.kind == "remind"]
        assert row.state == "sent"
    assert len(lb.messages_in(guild.general.id)) == before + 1


async def test_opt_out_member_is_not_pinged(tmp_path: Path, loopback: LoopbackDiscord) -> None:
    """A Going member who opted out is left out of the reminder; the other is still pinged."""
    lb = loopback
    guild = lb.add_guild()
    fan1, fan2 = guild.add_member("fan1"), guild.add_member("fan2")
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(lb, guild, {"title": "Comeback", "when": "tomorrow 18:00"})
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        for member in (fan1, fan2):
            await rsvp(lb, post, party.id, "going", member)
        opt = await lb.slash(
            guild.id, "party reminders", options={"party": party.id, "pings": "off"}, user=fan2
        )
        await opt.response()
        cog = parties_cog(bot)
        before = len(lb.messages_in(guild.general.id))
        cog.dispatcher.clock = lambda: party.starts_at + timedelta(seconds=1)
        await cog.dispatcher.settle()
        new = lb.messages_in(guild.general.id)[before:]
        assert [lb.pings(m).users for m in new] == [{fan1.id}]


async def test_capacity_blocks_extra_going(tmp_path: Path, loopback: LoopbackDiscord) -> None:
    """With capacity 1 the second Going click is refused ephemerally and counts stay at 1."""
    lb = loopback
    guild = lb.add_guild()
    fan1, fan2 = guild.add_member("fan1"), guild.add_member("fan2")
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(
            lb, guild, {"title": "Small room", "when": "tomorrow 18:00", "capacity": 1}
        )
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        going = f"party:rsvp:{party.id}:going"
        await rsvp(lb, post, party.id, "going", fan1)
        refused = await rsvp(lb, post, party.id, "going", fan2)
        assert refused.ephemeral
        assert "full" in refused.all_text()
        post = lb.messages.get(int(post["id"]))
        assert custom_ids(post)[going]["label"] == "Going (1)"


async def test_without_manage_events_told_once(tmp_path: Path, loopback: LoopbackDiscord) -> None:
    """Without Manage Events no event is made and the organiser is told only the first time."""
    lb = loopback
    guild = lb.add_guild(manage_events=False)
    async with running_bot(lb, guild, tmp_path / "db.sqlite"):
        first, _ = await schedule(lb, guild, {"title": "One", "when": "tomorrow 18:00"})
        second, _ = await schedule(lb, guild, {"title": "Two", "when": "tomorrow 19:00"})
        assert "Manage Events" in first.content
        assert "Manage Events" not in second.content
        assert lb.scheduled_events(guild.id) == []


async def test_edit_moves_event_and_export_parses(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """Editing the time moves the Discord event; /party export attaches an ICS icalendar reads."""
    lb = loopback
    guild = lb.add_guild()
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        await schedule(
            lb, guild, {"title": "Weekly listening", "when": "tomorrow 18:00", "weekly": True}
        )
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        edit = await lb.slash(
            guild.id,
            "party edit",
            options={"party": party.id, "when": "tomorrow 21:00", "duration": "2h"},
            user=guild.member,
        )
        await edit.response()
        moved = await repo.get_party(party.id)
        assert moved.starts_at == party.starts_at + timedelta(hours=3)
        [event] = lb.scheduled_events(guild.id)
        assert datetime.fromisoformat(event["scheduled_start_time"]) == moved.starts_at
        assert datetime.fromisoformat(event["scheduled_end_time"]) == moved.ends_at

        stranger = guild.add_member("stranger")
        denied = await lb.slash(
            guild.id, "party edit", options={"party": party.id, "title": "x"}, user=stranger
        )
        await denied.response()
        assert "organiser or a moderator" in denied.all_text()

        export = await lb.slash(guild.id, "party export", options={}, user=guild.member)
        await export.response()
        [attachment] = (export.original or {})["attachments"]
        assert attachment["filename"].endswith(".ics")
        _, data, _ = lb.messages.cdn[int(attachment["id"])]
        [vevent] = Calendar.from_ical(data).walk("VEVENT")
        assert str(vevent["SUMMARY"]) == "Weekly listening"
        assert vevent.decoded("DTSTART") == moved.starts_at
        assert vevent["RRULE"]["FREQ"] == ["WEEKLY"]


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"title": "x", "when": "yesterday 20:00"}, "already passed"),
        ({"title": "x", "when": "next decade"}, "tomorrow"),
        ({"title": "x", "when": "tomorrow 20:00", "link": "http://youtu.be/a"}, "https"),
        ({"title": "x", "when": "tomorrow 20:00", "duration": "13h"}, "12 hours"),
    ],
)
async def test_bad_input_is_explained(
    tmp_path: Path, loopback: LoopbackDiscord, options: dict[str, Any], needle: str
) -> None:
    """Past times, unreadable times, http links and long durations get a clear ephemeral reply."""
    lb = loopback
    guild = lb.add_guild()
    async with running_bot(lb, guild, tmp_path / "db.sqlite"):
        ix = await lb.slash(guild.id, "party schedule", options=options, user=guild.member)
        await ix.response()
        assert ix.ephemeral
        assert needle in ix.all_text().lower()
        assert party_posts(lb, guild.general.id) == []


async def test_event_cap_skips_the_mirror(tmp_path: Path, loopback: LoopbackDiscord) -> None:
    """At Discord's 100 scheduled events the party is posted without an event, with a note."""
    lb = loopback
    guild = lb.add_guild()
    async with running_bot(lb, guild, tmp_path / "db.sqlite"):
        await schedule(lb, guild, {"title": "First", "when": "tomorrow 18:00"})
        [template] = lb.scheduled_events(guild.id)
        for n in range(99):
            event_id = int(template["id"]) + n + 1
            guild.scheduled_events[event_id] = {**template, "id": str(event_id)}
        capped, _ = await schedule(lb, guild, {"title": "Second", "when": "tomorrow 19:00"})
        assert "100 scheduled events" in capped.content
        assert len(lb.scheduled_events(guild.id)) == 100
        assert len(party_posts(lb, guild.general.id)) == 2


async def test_weekly_party_rolls_over(tmp_path: Path, loopback: LoopbackDiscord) -> None:
    """When a weekly party ends it moves a week on (same local time) and its event follows."""
    lb = loopback
    guild = lb.add_guild()
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        await schedule(
            lb, guild, {"title": "Sunday stream", "when": "tomorrow 18:00", "weekly": True}
        )
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        cog = parties_cog(bot)
        cog.dispatcher.clock = lambda: party.ends_at + timedelta(seconds=1)
        await cog.dispatcher.settle()
        moved = await repo.get_party(party.id)
        assert moved.status == "scheduled"
        seoul = ZoneInfo("Asia/Seoul")
        assert moved.starts_at.astimezone(seoul) == party.starts_at.astimezone(seoul) + timedelta(
            weeks=1
        )
        [event] = lb.scheduled_events(guild.id)
        assert datetime.fromisoformat(event["scheduled_start_time"]) == moved.starts_at
        pending = [r for r in await repo.list_reminders(party.id) if r.state == "pending"]
        assert min(r.due_at for r in pending) == moved.starts_at - timedelta(minutes=15)
