"""Issue 18 party items 16, 18 and 20 end to end through the loopback Discord."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.store import Store
from bot.store.parties import PartyRepo
from bot.testing.loopback.server import LoopbackDiscord
from tests.cogs.test_parties_e2e import (
    custom_ids,
    parties_cog,
    party_posts,
    rsvp,
    running_bot,
    schedule,
)

SEOUL = ZoneInfo("Asia/Seoul")


def sent_body(lb: LoopbackDiscord, channel_id: int, needle: str) -> dict[str, Any]:
    """Return the JSON the bot sent to create the one message whose content holds `needle`."""
    [request] = [
        r
        for r in lb.requests_to("POST", rf"/channels/{channel_id}/messages$")
        if needle in ((r.json or {}).get("content") or "")
    ]
    body: dict[str, Any] = request.json
    return body


def notices(lb: LoopbackDiscord, channel_id: int) -> list[dict[str, Any]]:
    """Return the messages telling members that a party's time changed."""
    return [m for m in lb.messages_in(channel_id) if "has a new time" in m["content"]]


async def test_item_16_editing_the_time_tells_the_members_going_once(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """A new time is posted once as a reply to the party post, with the old and new time,
    pinging exactly the Going members who kept pings on; reminders follow the new time, one
    already sent is not sent again, and a restart after a crash mid-send posts nothing more."""
    lb = loopback
    guild = lb.add_guild()
    fan, quiet, maybe = guild.add_member("fan"), guild.add_member("quiet"), guild.add_member("m")
    db = tmp_path / "db.sqlite"
    now = [datetime.now(UTC)]
    channel = guild.general.id
    async with running_bot(lb, guild, db, clock=lambda: now[0]) as bot:
        _, post = await schedule(lb, guild, {"title": "MV party", "when": "tomorrow 20:00"})
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        old = party.starts_at
        for member, answer in ((fan, "going"), (quiet, "going"), (maybe, "maybe")):
            await rsvp(lb, post, party.id, answer, member)
        off = await lb.slash(
            guild.id, "party reminders", options={"party": party.id, "pings": "off"}, user=quiet
        )
        await off.settled()
        dispatcher = parties_cog(bot).dispatcher
        now[0] = old - timedelta(minutes=15) + timedelta(seconds=3)
        await dispatcher.settle()
        assert [m for m in lb.messages_in(channel) if "starts <t:" in m["content"]]

        day = old.astimezone(SEOUL).date()
        edit = await lb.slash(
            guild.id,
            "party edit",
            options={"party": party.id, "when": f"{day:%Y-%m-%d} 21:00"},
            user=guild.member,
        )
        await edit.settled()
        assert "I'll tell the 2 members going about the new time" in edit.content
        new = old + timedelta(hours=1)
        assert (await repo.get_party(party.id)).starts_at == new
        await dispatcher.settle()
        [notice] = notices(lb, channel)
        stamp_old, stamp_new = f"<t:{int(old.timestamp())}:F>", f"<t:{int(new.timestamp())}:F>"
        assert stamp_old in notice["content"]
        assert stamp_new in notice["content"]
        assert int(notice["message_reference"]["message_id"]) == int(post["id"])
        pinged = lb.pings(notice)
        assert pinged.users == {fan.id}
        assert not pinged.roles
        assert not pinged.everyone
        mentions = sent_body(lb, channel, stamp_new)["allowed_mentions"]
        assert mentions["parse"] == []
        assert [int(u) for u in mentions["users"]] == [fan.id]
        assert not mentions.get("roles")
        assert not mentions.get("replied_user")
        pending = sorted(
            r.due_at
            for r in await repo.list_reminders(party.id)
            if r.kind == "remind" and r.state == "pending"
        )
        assert pending == [new - timedelta(minutes=15), new]

        # Moved back: the members hear of it once more, and the 15-minute reminder already
        # sent for 20:00 is not sent a second time.
        back = await lb.slash(
            guild.id,
            "party edit",
            options={"party": party.id, "when": f"{day:%Y-%m-%d} 20:00"},
            user=guild.member,
        )
        await back.settled()
        await dispatcher.settle()
        assert len(notices(lb, channel)) == 2
        now[0] = old + timedelta(seconds=3)
        await dispatcher.settle()
        assert len([m for m in lb.messages_in(channel) if "starts <t:" in m["content"]]) == 1
        [start] = [m for m in lb.messages_in(channel) if "starting now" in m["content"]]
        assert lb.pings(start).users == {fan.id}

    # A crash between Discord's answer and the bookkeeping, found long after Discord forgot
    # the nonce: the notice already in the channel is recognised, not posted again.
    store = await Store.open(db)
    await store.db.execute(
        "UPDATE party_reminders SET state = 'sending', message_id = NULL "
        "WHERE party_id = ? AND kind = 'moved'",
        (party.id,),
    )
    await store.close()
    lb.advance(3600)
    # Back before the start, where a notice would still be worth sending.
    restart = old - timedelta(minutes=10)
    async with running_bot(lb, guild, db, clock=lambda: restart) as bot:
        await parties_cog(bot).dispatcher.settle()
        rows = await bot.store.guild(guild.id).repo(PartyRepo).list_reminders(party.id)
        assert [r.state for r in rows if r.kind == "moved"] == ["sent", "sent"]
    assert len(notices(lb, channel)) == 2


async def test_item_18_a_weekly_party_starts_each_week_with_nobody_going(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """When a weekly party rolls over, last week's answers are gone, the post says RSVPs
    start fresh each week, and the next week's reminder pings only who answered Going again."""
    lb = loopback
    guild = lb.add_guild()
    fan1, fan2 = guild.add_member("fan1"), guild.add_member("fan2")
    now = [datetime.now(UTC)]
    async with running_bot(lb, guild, tmp_path / "db.sqlite", clock=lambda: now[0]) as bot:
        _, post = await schedule(
            lb, guild, {"title": "Sunday stream", "when": "tomorrow 18:00", "weekly": True}
        )
        assert "RSVPs start fresh each week" in post["embeds"][0]["description"]
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        going = f"party:rsvp:{party.id}:going"
        first = await rsvp(lb, post, party.id, "going", fan1)
        assert f"on <t:{int(party.starts_at.timestamp())}:F>" in first.all_text()
        await rsvp(lb, post, party.id, "going", fan2)

        now[0] = party.ends_at + timedelta(seconds=1)
        await parties_cog(bot).dispatcher.settle()
        moved = await repo.get_party(party.id)
        next_week = party.starts_at.astimezone(SEOUL) + timedelta(weeks=1)
        assert moved.starts_at.astimezone(SEOUL) == next_week
        assert await repo.rsvp_of(party.id, fan1.id) is None
        assert (await repo.counts(party.id)).going == 0
        post = lb.messages.get(int(post["id"]))
        assert custom_ids(post)[going]["label"] == "Going (0)"
        fields = {f["name"]: f["value"] for f in post["embeds"][0]["fields"]}
        assert fields["Going"] == "0"
        assert "Who's going" not in fields
        assert "RSVPs start fresh each week" in post["embeds"][0]["description"]

        again = await rsvp(lb, post, party.id, "going", fan2)
        assert f"on <t:{int(moved.starts_at.timestamp())}:F>" in again.all_text()
        before = len(lb.messages_in(guild.general.id))
        now[0] = moved.starts_at + timedelta(seconds=1)
        await parties_cog(bot).dispatcher.settle()
        [reminder] = lb.messages_in(guild.general.id)[before:]
        assert "starting now" in reminder["content"]
        assert lb.pings(reminder).users == {fan2.id}


async def test_item_20_new_parties_ping_the_role_moderators_chose(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """`/party settings announce_role` (Manage Server, checked when run) makes each new party
    post ping exactly that role; a role the bot could not ping is refused when set; /settings
    shows it; `announce_role_off` stops it."""
    lb = loopback
    guild = lb.add_guild()
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        member = await lb.slash(
            guild.id,
            "party settings",
            options={"announce_role": guild.stans},
            user=guild.member,
            override_permissions=True,
        )
        await member.settled()
        assert "Manage Server" in member.content
        assert await repo.get_announce_role() is None

        # Fans is not mentionable and the bot lacks Mention @everyone: refused, nothing saved.
        refused = await lb.slash(
            guild.id, "party settings", options={"announce_role": guild.fans}, user=guild.moderator
        )
        await refused.settled()
        assert refused.ephemeral
        assert "the role isn't mentionable" in refused.content
        assert "Mention @everyone, @here, and All Roles" in refused.content
        assert await repo.get_announce_role() is None

        chosen = await lb.slash(
            guild.id, "party settings", options={"announce_role": guild.stans}, user=guild.moderator
        )
        await chosen.settled()
        assert f"New parties ping <@&{guild.stans.id}>" in chosen.content
        overview = await lb.slash(guild.id, "settings", user=guild.moderator)
        await overview.response()
        await overview.wait_followup(1)
        assert f"New parties ping <@&{guild.stans.id}>" in overview.all_text()

        _, post = await schedule(lb, guild, {"title": "MV party", "when": "tomorrow 20:00"})
        pinged = lb.pings(post)
        assert pinged.roles == {guild.stans.id}
        assert not pinged.users
        assert not pinged.everyone
        mentions = sent_body(lb, guild.general.id, f"<@&{guild.stans.id}>")["allowed_mentions"]
        assert mentions["parse"] == []
        assert [int(r) for r in mentions["roles"]] == [guild.stans.id]
        assert not mentions.get("users")

        cleared = await lb.slash(
            guild.id, "party settings", options={"announce_role_off": True}, user=guild.moderator
        )
        await cleared.settled()
        assert "New parties ping nobody" in cleared.content
        _, quiet = await schedule(lb, guild, {"title": "Second party", "when": "tomorrow 21:00"})
        assert lb.pings(quiet).nobody
        assert len(party_posts(lb, guild.general.id)) == 2
