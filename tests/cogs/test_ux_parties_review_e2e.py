"""The issue 18 party review, end to end through the loopback Discord: 24-hour times, the zone a
weekly party keeps, the announce role in the preview and /settings, time-change pings, the RSVP
reply after pings:off, and the wording of limits, permissions, reminders and cancels."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.store.parties import PartyRepo
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import EMBED_LINKS, SEND_MESSAGES
from bot.testing.loopback.world import GuildFixture
from tests.cogs.test_parties_e2e import (
    custom_ids,
    parties_cog,
    party_posts,
    rsvp,
    running_bot,
    schedule,
)

SEOUL = ZoneInfo("Asia/Seoul")


async def ask(
    lb: LoopbackDiscord,
    guild: GuildFixture,
    command: str,
    options: dict[str, Any],
    user: Any = None,
    **kw: Any,
) -> Any:
    """Run a slash command and wait until its answer is complete."""
    ix = await lb.slash(guild.id, command, options=options, user=user or guild.member, **kw)
    return await ix.settled()


async def settings_overview(lb: LoopbackDiscord, guild: GuildFixture) -> str:
    """Return everything /settings shows a moderator."""
    ix = await lb.slash(guild.id, "settings", user=guild.moderator)
    await ix.response()
    await ix.wait_followup(1)
    return str(ix.all_text())


def time_notices(lb: LoopbackDiscord, channel_id: int) -> list[dict[str, Any]]:
    """Return the messages telling members that a party's time changed."""
    return [m for m in lb.messages_in(channel_id) if "has a new time" in m["content"]]


# -- 1. 24-hour clock times --------------------------------------------------------------------


async def test_24_hour_times_are_read_in_schedule_and_edit(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """ "tomorrow 10:00", "... 10:00 KST", "<ISO date> 10:00" and "tomorrow 10:30" are read in
    every locale; "yesterday 10:00" has already passed; "tomorrow 8:30" is asked about with
    forms that exist (`08:30`, never `010:30`)."""
    lb = loopback
    guild = lb.add_guild()
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        await ask(lb, guild, "timezone set", {"zone": "Asia/Seoul"})
        now = datetime.now(SEOUL)
        tomorrow = now.date() + timedelta(days=1)
        in_two_weeks = now.date() + timedelta(days=14)
        cases = {
            "tomorrow 10:00": datetime.combine(tomorrow, time(10), SEOUL),
            "tomorrow 10:00 KST": datetime.combine(tomorrow, time(10), SEOUL),
            f"{in_two_weeks.isoformat()} 10:00": datetime.combine(in_two_weeks, time(10), SEOUL),
            "tomorrow 10:30": datetime.combine(tomorrow, time(10, 30), SEOUL),
            "tomorrow 11:59": datetime.combine(tomorrow, time(11, 59), SEOUL),
        }
        for locale in ("en-US", "ko", "pt-BR", "ja"):
            for when, expected in cases.items():
                preview = await ask(
                    lb, guild, "party schedule", {"title": "MV", "when": when}, locale=locale
                )
                assert f"<t:{int(expected.timestamp())}:F>" in preview.content, (when, locale)
                assert "am or" not in preview.content

        passed = await ask(lb, guild, "party schedule", {"title": "MV", "when": "yesterday 10:00"})
        assert "has already passed" in passed.content
        assert "am or" not in passed.content

        doubt = await ask(lb, guild, "party schedule", {"title": "MV", "when": "tomorrow 8:30"})
        assert "Is `8:30` am or pm?" in doubt.content
        assert "`8:30pm` or `20:30` for pm, `08:30` for am" in doubt.content
        assert "010" not in doubt.content

        await schedule(lb, guild, {"title": "Morning stream", "when": "tomorrow 10:00"})
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        assert party.starts_at == cases["tomorrow 10:00"].astimezone(UTC)
        edit = await ask(lb, guild, "party edit", {"party": party.id, "when": "tomorrow 11:30"})
        assert "Updated **Morning stream**" in edit.content
        moved = await bot.store.guild(guild.id).repo(PartyRepo).get_party(party.id)
        assert moved.starts_at == datetime.combine(tomorrow, time(11, 30), SEOUL).astimezone(UTC)
        late = await ask(lb, guild, "party edit", {"party": party.id, "when": "yesterday 10:00"})
        assert "has already passed" in late.content


# -- 2. The zone a weekly party keeps ----------------------------------------------------------


def eu_spring_forward(after: date) -> date:
    """Return the first last-Sunday-of-March (Europe's DST start) at least 10 days after `after`."""
    year = after.year
    while True:
        last = max(d for d in range(25, 32) if calendar.weekday(year, 3, d) == calendar.SUNDAY)
        found = date(year, 3, last)
        if found >= after + timedelta(days=10):
            return found
        year += 1


async def test_a_weekly_party_keeps_the_zone_its_time_was_written_in(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """A Paris member's "<date> 20:00 KST" weekly party is still 20:00 KST after Europe's DST
    change (stored in Asia/Seoul, not the member's zone); so is one moved there by /party edit."""
    lb = loopback
    guild = lb.add_guild()
    change = eu_spring_forward(datetime.now(UTC).date())
    day = change - timedelta(days=7)  # the Sunday before Europe's clocks go forward
    now = [datetime.combine(day - timedelta(days=6), time(12), UTC)]
    async with running_bot(lb, guild, tmp_path / "db.sqlite", clock=lambda: now[0]) as bot:
        await ask(lb, guild, "timezone set", {"zone": "Europe/Paris"})
        await schedule(
            lb, guild, {"title": "Weekly MV", "when": f"{day:%Y-%m-%d} 20:00 KST", "weekly": True}
        )
        await schedule(
            lb, guild, {"title": "Edited MV", "when": f"{day:%Y-%m-%d} 13:00", "weekly": True}
        )
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        first, second = await repo.list_upcoming()
        assert second.zone == "Europe/Paris"  # written in the member's own zone
        edit = await ask(
            lb, guild, "party edit", {"party": second.id, "when": f"{day:%Y-%m-%d} 21:00 KST"}
        )
        assert "Updated" in edit.content
        assert (await repo.get_party(first.id)).zone == "Asia/Seoul"
        assert (await repo.get_party(second.id)).zone == "Asia/Seoul"

        now[0] = datetime.combine(day, time(23), SEOUL).astimezone(UTC)
        await parties_cog(bot).dispatcher.settle()
        next_week = day + timedelta(days=7)
        for party_id, hour in ((first.id, 20), (second.id, 21)):
            rolled = await repo.get_party(party_id)
            local = rolled.starts_at.astimezone(SEOUL)
            assert (local.date(), local.hour, local.minute) == (next_week, hour, 0), party_id


# -- 3. The announce role: preview, /settings, confirm reply -----------------------------------


async def test_the_preview_says_who_is_pinged_and_settings_flag_a_broken_role(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """The preview says "Posting pings @Stans"; a deleted role is flagged to moderators in
    /settings and /party settings; a member is told a moderator can fix it, never to do it."""
    lb = loopback
    guild = lb.add_guild()
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        await ask(lb, guild, "party settings", {"announce_role": guild.stans}, guild.moderator)
        preview = await ask(lb, guild, "party schedule", {"title": "MV", "when": "tomorrow 20:00"})
        assert f"Posting pings <@&{guild.stans.id}>." in preview.content
        assert lb.pings(preview.original).nobody

        # Not mentionable any more, and the bot lacks Mention @everyone: moderators see why.
        guild.update_role(guild.stans, mentionable=False)
        cached = bot.get_guild(guild.id)
        assert cached is not None
        await lb.gateway.wait_for(lambda: not cached.get_role(guild.stans.id).mentionable)  # type: ignore[union-attr]
        overview = await settings_overview(lb, guild)
        assert f"⚠️ New parties are set to ping <@&{guild.stans.id}>, but" in overview
        assert "isn't mentionable" in overview

        guild.delete_role(guild.stans)
        await lb.gateway.wait_for(lambda: cached.get_role(guild.stans.id) is None)
        preview = await ask(lb, guild, "party schedule", {"title": "MV", "when": "tomorrow 20:00"})
        assert "Posting pings nobody: the role set for new parties was deleted." in preview.content
        assert "A moderator can pick another" in preview.content
        assert "You can" not in preview.content

        ix, post = await schedule(lb, guild, {"title": "MV", "when": "tomorrow 20:00"})
        assert lb.pings(post).nobody
        assert "Nobody was pinged: the role set for new parties was deleted." in ix.content
        assert "A moderator can pick another with `/party settings announce_role`" in ix.content

        mod_ix, _ = await schedule(
            lb, guild, {"title": "Mod MV", "when": "tomorrow 21:00"}, user=guild.moderator
        )
        assert "You can pick another with `/party settings announce_role`" in mod_ix.content

        overview = await settings_overview(lb, guild)
        assert "⚠️ New parties ping a role that was deleted" in overview
        own = await ask(lb, guild, "party settings", {}, guild.moderator)
        assert "⚠️ New parties ping a role that was deleted" in own.content
        assert f"<@&{guild.stans.id}>" not in own.content


# -- 4. Time-change notices leave out the editor -----------------------------------------------


async def test_the_editor_is_not_pinged_about_their_own_time_change(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """An organiser or moderator who edits the time is not pinged about it even if going; the
    reply counts only the others, and says nothing (and nothing is posted) when nobody else is."""
    lb = loopback
    guild = lb.add_guild()
    fan = guild.add_member("fan")
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        dispatcher = parties_cog(bot).dispatcher
        channel = guild.general.id
        _, post = await schedule(lb, guild, {"title": "Shared", "when": "tomorrow 20:00"})
        [shared] = await repo.list_upcoming()
        for who in (guild.member, fan, guild.moderator):
            await rsvp(lb, post, shared.id, "going", who)

        edit = await ask(lb, guild, "party edit", {"party": shared.id, "when": "tomorrow 21:00"})
        assert "I'll tell the 2 members going about the new time" in edit.content
        await dispatcher.settle()
        [notice] = time_notices(lb, channel)
        assert lb.pings(notice).users == {fan.id, guild.moderator.id}

        by_mod = await ask(
            lb, guild, "party edit", {"party": shared.id, "when": "tomorrow 22:00"}, guild.moderator
        )
        assert "I'll tell the 2 members going about the new time" in by_mod.content
        await dispatcher.settle()
        second = time_notices(lb, channel)[-1]
        assert len(time_notices(lb, channel)) == 2
        assert lb.pings(second).users == {fan.id, guild.member.id}

        _, alone_post = await schedule(lb, guild, {"title": "Alone", "when": "tomorrow 18:00"})
        alone = next(p for p in await repo.list_upcoming() if p.title == "Alone")
        await rsvp(lb, alone_post, alone.id, "going", guild.member)
        quiet = await ask(lb, guild, "party edit", {"party": alone.id, "when": "tomorrow 19:00"})
        assert "Updated **Alone**" in quiet.content
        assert "I'll tell" not in quiet.content
        await dispatcher.settle()
        assert len(time_notices(lb, channel)) == 2


# -- 5. The RSVP reply after pings:off ---------------------------------------------------------


async def test_going_after_turning_pings_off_is_not_promised_pings(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """Maybe, `/party reminders pings:off`, then Going: the reply says pings are off and how to
    turn them on, not "I'll ping you"."""
    lb = loopback
    guild = lb.add_guild()
    fan = guild.add_member("fan")
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(lb, guild, {"title": "MV", "when": "tomorrow 20:00"})
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        await rsvp(lb, post, party.id, "maybe", fan)
        await ask(lb, guild, "party reminders", {"party": party.id, "pings": "off"}, fan)
        going = await rsvp(lb, post, party.id, "going", fan)
        text = going.all_text()
        assert "I'll ping you" not in text
        assert "You turned reminder pings off for it, so I won't ping you" in text
        assert f"`/party reminders party:{party.id} pings:on`" in text

        other = guild.add_member("other")
        on = await rsvp(lb, post, party.id, "going", other)
        assert "I'll ping you 15 minutes before and at the start." in on.all_text()


# -- 6. Wording ---------------------------------------------------------------------------------


async def test_limits_permissions_reminders_and_cancels_are_worded_right(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """Singular "1 upcoming party"; missing permissions listed with "and", "those" for several,
    and Embed Links not blamed when only Send Messages is denied; "60 and 15 minutes before, and
    at the start"; a cancel says whom it pinged and who turned pings off."""
    lb = loopback
    guild = lb.add_guild()
    fan, quiet = guild.add_member("fan"), guild.add_member("quiet")
    both = guild.add_channel("both-denied", deny_bot=SEND_MESSAGES | EMBED_LINKS)
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        limit = await ask(lb, guild, "party settings", {"member_limit": 1}, guild.moderator)
        assert "Each member may organise **1 upcoming party** at once" in limit.content
        leads = await ask(lb, guild, "party settings", {"reminders": "60,15,0"}, guild.moderator)
        assert "**60 and 15 minutes before, and at the start** (`60,15,0`)" in leads.content

        when = {"title": "MV", "when": "tomorrow 20:00"}
        locked = await ask(lb, guild, "party schedule", {**when, "channel": guild.locked.id})
        assert "I'm missing Send Messages there." in locked.content
        assert "Embed Links" not in locked.content
        assert "Ask a moderator to give me that in the channel's settings." in locked.content
        denied = await ask(lb, guild, "party schedule", {**when, "channel": both.id})
        assert "I'm missing Send Messages and Embed Links there." in denied.content
        assert "Ask a moderator to give me those in the channel's settings." in denied.content

        _, post = await schedule(lb, guild, when)
        full = await ask(lb, guild, "party schedule", {"title": "Second", "when": "tomorrow 21:00"})
        assert "You already organise 1 upcoming party; this server allows 1 per member" in (
            full.content
        )

        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        await rsvp(lb, post, party.id, "going", fan)
        await rsvp(lb, post, party.id, "going", quiet)
        await ask(lb, guild, "party reminders", {"party": party.id, "pings": "off"}, quiet)
        cancel = await ask(lb, guild, "party cancel", {"party": party.id})
        assert "Pinged 1 member who RSVPed; 1 more turned pings off and sees the post." in (
            cancel.content
        )
        assert "Told" not in cancel.content
        assert len(party_posts(lb, guild.general.id)) == 1
        assert custom_ids(post)
