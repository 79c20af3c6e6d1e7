"""Issue 18 party items end to end through the loopback Discord (the rest is in test_ux_e2e)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from bot.store.parties import PartyRepo
from bot.testing.loopback.server import LoopbackDiscord
from tests.cogs.test_parties_e2e import custom_ids, running_bot, schedule


async def test_item_17_clicking_going_again_removes_the_rsvp(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """Going clicked twice removes the answer, says so, and the count drops back; a third
    click answers Going again."""
    lb = loopback
    guild = lb.add_guild()
    fan = guild.add_member("fan")
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(lb, guild, {"title": "MV party", "when": "tomorrow 20:00"})
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        going = f"party:rsvp:{party.id}:going"
        first = await lb.click(post, going, user=fan)
        await first.wait_followup()
        assert "Click Going again to take it back" in first.all_text()
        post = lb.messages.get(int(post["id"]))
        assert custom_ids(post)[going]["label"] == "Going (1)"
        again = await lb.click(post, going, user=fan)
        followup = await again.wait_followup()
        assert followup["content"].startswith("Removed your “Going” answer to **MV party**")
        assert int(followup.get("flags") or 0) & 64
        post = lb.messages.get(int(post["id"]))
        assert custom_ids(post)[going]["label"] == "Going (0)"
        assert await repo.rsvp_of(party.id, fan.id) is None
        third = await lb.click(post, going, user=fan)
        await third.wait_followup()
        assert await repo.rsvp_of(party.id, fan.id) == "going"


async def test_item_15_party_post_lists_who_is_going(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """The post names the members going (mentions that ping nobody), up to 15, then
    "and N more"; a member who takes back Going leaves the list."""
    lb = loopback
    guild = lb.add_guild()
    fans = [guild.add_member(f"fan{i}") for i in range(17)]
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(lb, guild, {"title": "MV party", "when": "tomorrow 20:00"})
        [party] = await bot.store.guild(guild.id).repo(PartyRepo).list_upcoming()
        going = f"party:rsvp:{party.id}:going"
        for fan in fans[:2]:
            await (await lb.click(post, going, user=fan)).wait_followup()
        post = lb.messages.get(int(post["id"]))
        fields = {f["name"]: f["value"] for f in post["embeds"][0]["fields"]}
        assert fields["Who's going"] == f"<@{fans[0].id}>, <@{fans[1].id}>"
        assert lb.pings(post).nobody
        for fan in fans[2:]:
            await (await lb.click(post, going, user=fan)).wait_followup()
        post = lb.messages.get(int(post["id"]))
        fields = {f["name"]: f["value"] for f in post["embeds"][0]["fields"]}
        assert fields["Going"] == "17"
        names = fields["Who's going"].split(", ")
        assert names[:15] == [f"<@{fan.id}>" for fan in fans[:15]]
        assert names[15:] == ["and 2 more"]
        await (await lb.click(post, going, user=fans[0])).wait_followup()
        post = lb.messages.get(int(post["id"]))
        fields = {f["name"]: f["value"] for f in post["embeds"][0]["fields"]}
        assert f"<@{fans[0].id}>" not in fields["Who's going"]
        assert fields["Who's going"].endswith("and 1 more")


async def test_item_19_local_times_reminders_on_off_and_no_export_hint_when_over(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """Party autocomplete shows the member's own wall clock; `/party reminders off|on` flips
    the pings; a cancelled post no longer suggests /party export."""
    lb = loopback
    guild = lb.add_guild()
    fan = guild.add_member("fan")
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(lb, guild, {"title": "MV party", "when": "tomorrow 20:00"})
        assert "/party export" in post["embeds"][0]["footer"]["text"]
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        tz = await lb.slash(guild.id, "timezone set", options={"zone": "Asia/Seoul"}, user=fan)
        await tz.settled()
        seoul = party.starts_at.astimezone(ZoneInfo("Asia/Seoul"))
        choices = await lb.autocomplete(
            guild.id, "party reminders", options={"party": ""}, focused="party", user=fan
        )
        assert choices[0]["name"] == f"#{party.id} MV party · {seoul:%a %d %b %H:%M} KST"
        await (await lb.click(post, f"party:rsvp:{party.id}:going", user=fan)).wait_followup()
        off = await lb.slash(
            guild.id, "party reminders", options={"party": party.id, "pings": "off"}, user=fan
        )
        await off.settled()
        assert off.ephemeral
        assert off.content.startswith("OK: I won't ping you before **MV party**")
        assert await repo.ping_targets(party.id) == []
        on = await lb.slash(
            guild.id, "party reminders", options={"party": party.id, "pings": "on"}, user=fan
        )
        await on.settled()
        assert on.content.startswith("OK: I will ping you before **MV party**")
        assert await repo.ping_targets(party.id) == [fan.id]
        cancel = await lb.slash(
            guild.id, "party cancel", options={"party": party.id}, user=guild.member
        )
        await cancel.settled()
        post = lb.messages.get(int(post["id"]))
        assert post["embeds"][0]["footer"]["text"] == f"Party #{party.id}"


async def test_the_going_tip_names_a_command_that_works(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """The "No pings wanted?" tip after Going is a command a member can run as written."""
    lb = loopback
    guild = lb.add_guild()
    fan = guild.add_member("fan")
    async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
        _, post = await schedule(lb, guild, {"title": "MV party", "when": "tomorrow 20:00"})
        repo = bot.store.guild(guild.id).repo(PartyRepo)
        [party] = await repo.list_upcoming()
        click = await lb.click(post, f"party:rsvp:{party.id}:going", user=fan)
        await click.wait_followup()
        tip = f"/party reminders party:{party.id} pings:off"
        assert tip in click.all_text()
        off = await lb.slash(
            guild.id, "party reminders", options={"party": party.id, "pings": "off"}, user=fan
        )
        await off.settled()
        assert fan.id not in await repo.ping_targets(party.id)
