"""The panel's outside world: a followed account's Space through the fake X, announced at once."""

from __future__ import annotations

import pytest

from bot.sandbox.session import Sandbox, SandboxError


async def follow_blackpink(box: Sandbox) -> None:
    """As the moderator: announcements to #announcements pinging the fan role; follow BLACKPINK."""
    mod, guild = box.demo.people[0].member, box.demo.guild
    options = {"channel": guild.announcements.id, "ping_role": box.demo.fan_role.id}
    await box.slash(mod.id, guild.general.id, "spaces setup", options)
    await box.slash(mod.id, guild.general.id, "spaces follow", {"artist": "id:blackpink"})
    for asked in box.asked.values():
        await asked.ix.settled(timeout=10)
    assert await box.followed_handles() == ["BLACKPINK"]


async def test_schedule_live_update_and_end_one_space(sandbox: tuple[Sandbox, str]) -> None:
    """Schedule, go live, a new listener count, end: one Space on X, posted then edited in place;
    actions that make no sense in the Space's state are refused with a reason."""
    box, _ = sandbox
    await follow_blackpink(box)
    channel = box.demo.guild.announcements.id
    with pytest.raises(SandboxError, match="no Space to end"):
        await box.space_action("BLACKPINK", "end")
    await box.space_action("BLACKPINK", "schedule", title="Comeback eve")
    [space] = [s["space"] for s in box.x_state(["BLACKPINK"])]
    assert space["state"] == "scheduled"
    await box.space_action("BLACKPINK", "live", listeners=1200, title="Comeback eve")
    await box.space_action("BLACKPINK", "live", listeners=5300, title="Comeback eve")
    live = box.x_state(["BLACKPINK"])[0]["space"]
    assert (live["id"], live["state"], live["participant_count"]) == (space["id"], "live", 5300)
    with pytest.raises(SandboxError, match="live already"):
        await box.space_action("BLACKPINK", "schedule")
    posts = box.loopback.messages_in(channel)
    assert box.loopback.pings(posts[-1]).roles == frozenset({box.demo.fan_role.id})
    await box.space_action("BLACKPINK", "end")
    assert box.x_state(["BLACKPINK"])[0]["space"]["state"] == "ended"
    after = box.loopback.messages_in(channel)
    assert [m["id"] for m in after] == [m["id"] for m in posts]
    assert "ended" in after[-1]["content"]
    await box.space_action("BLACKPINK", "live", listeners=10)
    assert box.x_state(["BLACKPINK"])[0]["space"]["id"] != space["id"]
