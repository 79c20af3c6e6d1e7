"""Hardening of /party through the loopback Discord: opt-outs, hostile text, limits, races."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar

from bot.store.parties import PartyRepo
from bot.testing.loopback.server import LoopbackDiscord
from tests.cogs.test_parties_e2e import parties_cog, rsvp, running_bot, schedule


async def test_cancel_does_not_ping_a_member_who_opted_out(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """/party cancel pings Going and Maybe members, except those who turned reminders off."""
    lb = loopback
    guild = lb.add_guild()
    fan, quiet = guild.add_member("fan"), guild.add_member("quiet")
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(lb, guild, {"title": "MV party", "when": "tomorrow 20:00"})
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        await rsvp(lb, post, party.id, "going", fan)
        await rsvp(lb, post, party.id, "going", quiet)
        optout = await lb.slash(
            guild.id, "party reminders", options={"party": party.id, "pings": "off"}, user=quiet
        )
        await optout.settled()
        assert "won't ping you" in optout.content
        cancel = await lb.slash(
            guild.id, "party cancel", options={"party": party.id}, user=guild.member
        )
        await cancel.settled()
        notices = [m for m in lb.messages_in(guild.general.id) if "cancelled" in m["content"]]
        assert notices
        pinged = set().union(*(lb.pings(m).users for m in notices))
        assert pinged == {fan.id}
        assert (
            "Pinged 1 member who RSVPed; 1 more turned pings off and sees the post"
            in cancel.content
        )


async def test_absurd_dates_get_a_clear_refusal_in_schedule_and_edit(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """`9999-12-31 23:59 EST` is refused in plain words by /party schedule and /party edit."""
    lb = loopback
    guild = lb.add_guild()
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        bad = await lb.slash(
            guild.id,
            "party schedule",
            options={"title": "Forever", "when": "9999-12-31 23:59 EST"},
            user=guild.member,
        )
        await bad.settled()
        assert "365 days" in bad.content
        assert "Something went wrong" not in bad.content
        await schedule(lb, guild, {"title": "Real party", "when": "tomorrow 20:00"})
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        edit = await lb.slash(
            guild.id,
            "party edit",
            options={"party": party.id, "when": "9999-12-31 23:59 EST"},
            user=guild.member,
        )
        await edit.settled()
        assert "365 days" in edit.content
        assert "Something went wrong" not in edit.content


async def test_hostile_characters_never_reach_posts_or_calendars(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """Bidi overrides in a title and NUL/VT/ESC in notes are stripped from the post and .ics."""
    lb = loopback
    guild = lb.add_guild()
    hostile = "\u202e\u2066\x00\x0b\x1b\x7f\u200f"
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(
            lb,
            guild,
            {
                "title": f"MV {hostile}party",
                "when": "tomorrow 20:00",
                "notes": "Bring\x00 light\x0bsticks\x1b[31m\nsee you",
            },
        )
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        assert party.title == "MV party"
        assert party.notes == "Bring lightsticks[31m\nsee you"
        assert post["embeds"][0]["title"] == "MV party"
        export = await lb.slash(guild.id, "party export", options={}, user=guild.member)
        await export.response()
        [attachment] = (export.original or {})["attachments"]
        _, data, _ = lb.messages.cdn[int(attachment["id"])]
        assert not any(ch in data.decode() for ch in hostile)
        [vevent] = Calendar.from_ical(data).walk("VEVENT")
        assert str(vevent["SUMMARY"]) == "MV party"


async def preview(lb: LoopbackDiscord, guild_id: int, title: str, user: Any) -> Any:
    """Run /party schedule (no Confirm) and return the settled interaction."""
    ix = await lb.slash(
        guild_id, "party schedule", options={"title": title, "when": "tomorrow 20:00"}, user=user
    )
    await ix.settled()
    return ix


async def test_one_member_cannot_fill_the_server(tmp_path: Path, loopback: LoopbackDiscord) -> None:
    """A member is held to the server's per-member limit and to 3 parties per 10 minutes;
    moderators set the limit and are not held to it."""
    lb = loopback
    guild = lb.add_guild()
    now = [datetime.now(UTC)]
    async with running_bot(lb, guild, tmp_path / "db.sqlite", clock=lambda: now[0]):
        limit = await lb.slash(
            guild.id, "party settings", options={"member_limit": 4}, user=guild.moderator
        )
        await limit.settled()
        assert "**4 upcoming parties**" in limit.content
        for n in range(3):
            await schedule(lb, guild, {"title": f"Party {n}", "when": "tomorrow 20:00"})
        cooled = await preview(lb, guild.id, "Party 3", guild.member)
        assert "3 parties in the last 10 minutes" in cooled.content
        now[0] += timedelta(minutes=11)
        await schedule(lb, guild, {"title": "Party 3", "when": "tomorrow 20:00"})
        now[0] += timedelta(minutes=11)
        full = await preview(lb, guild.id, "Party 4", guild.member)
        assert "You already organise 4 upcoming parties" in full.content
        assert "Confirm" not in str(full.original)
        # Another member, and a moderator, still can.
        other = guild.add_member("other")
        await schedule(lb, guild, {"title": "Theirs", "when": "tomorrow 20:00"}, user=other)
        for n in range(5):
            await schedule(
                lb, guild, {"title": f"Mod {n}", "when": "tomorrow 20:00"}, user=guild.moderator
            )


async def test_reminder_in_flight_during_an_edit_is_cancelled(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """Rule: a reminder claimed before an edit moved the party is not sent (with either time);
    the edit's own reminder is sent once, at the new time. Clock injected."""
    lb = loopback
    guild = lb.add_guild()
    fan = guild.add_member("fan")
    now = [datetime.now(UTC)]
    async with running_bot(lb, guild, tmp_path / "db.sqlite", clock=lambda: now[0]) as bot:
        cog = parties_cog(bot)
        _, post = await schedule(lb, guild, {"title": "Moved party", "when": "tomorrow 20:00"})
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        await rsvp(lb, post, party.id, "going", fan)
        now[0] = party.starts_at - timedelta(minutes=15) + timedelta(seconds=3)
        in_flight = await cog.dispatcher.queue.claim_due(now[0], holder="crashed")
        assert [r.lead_minutes for r in in_flight] == [15]
        before = len(lb.messages_in(guild.general.id))
        edit = await lb.slash(
            guild.id,
            "party edit",
            options={"party": party.id, "when": "in 2 hours"},
            user=guild.member,
        )
        await edit.settled()
        assert "Updated" in edit.content
        await cog.dispatcher.recover_interrupted()  # as after a crash mid-send
        await cog.dispatcher.settle()
        # Only the notice of the new time (issue 18 item 16) is posted, no reminder.
        [notice] = lb.messages_in(guild.general.id)[before:]
        assert "has a new time" in notice["content"]
        before += 1
        [moved] = await repo.list_upcoming()
        now[0] = moved.starts_at - timedelta(minutes=15) + timedelta(seconds=3)
        await cog.dispatcher.settle()
        [reminder] = lb.messages_in(guild.general.id)[before:]
        assert f"<t:{int(moved.starts_at.timestamp())}:" in reminder["content"]
        assert lb.pings(reminder).users == {fan.id}
