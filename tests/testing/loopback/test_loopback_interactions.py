"""Interaction shapes through the real client: subcommands, resolved options, views, modals."""

from __future__ import annotations

import pytest

from bot.testing.echo_bot import build_echo_bot
from bot.testing.loopback.harness import run_client_in_loop
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import Attachment
from bot.testing.loopback.world import GuildFixture


async def test_subcommand_with_user_option_resolves_member(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A grouped subcommand with a USER option reaches the bot as a resolved Member."""
    async with run_client_in_loop(loopback, build_echo_bot()):
        ix = await loopback.slash(guild, "fans greet", {"member": guild.moderator, "times": 2})
        await ix.response()
        assert ix.content == f"hi <@{guild.moderator.id}> x2"
        assert loopback.pings(ix.original).nobody


async def test_unknown_option_and_missing_required_fail_clearly(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Options are validated against the synced schema before anything is sent."""
    async with run_client_in_loop(loopback, build_echo_bot()):
        with pytest.raises(AssertionError, match="no option 'txt'"):
            await loopback.slash(guild, "echo", {"txt": "x"})
        with pytest.raises(AssertionError, match="missing required options"):
            await loopback.slash(guild, "echo", {})
        with pytest.raises(AssertionError, match="not synced"):
            await loopback.slash(guild, "nope", {})
        with pytest.raises(AssertionError, match="INTEGER"):
            await loopback.slash(guild, "fans greet", {"member": guild.member, "times": "many"})


async def test_autocomplete_returns_bot_choices(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Autocomplete injects a focused option and returns the choices the bot sent."""
    async with run_client_in_loop(loopback, build_echo_bot()):
        choices = await loopback.autocomplete(guild, "fans pick", {"name": "j"}, focused="name")
        assert [c["name"] for c in choices] == ["Jisoo", "Jennie"]


async def test_button_click_updates_message(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """Clicking the stored message's button routes to the view, which edits that message."""
    async with run_client_in_loop(loopback, build_echo_bot()):
        ix = await loopback.slash(guild, "buttons")
        await ix.response()
        assert ix.components[0]["components"][0]["custom_id"] == "echo:press"
        click = await loopback.click(ix, "echo:press", user=guild.admin)
        cb = await click.response()
        assert cb["type"] == 7
        assert ix.content == f"pressed by {guild.admin.id}"
        assert ix.components == []
        with pytest.raises(AssertionError, match="no component"):
            await loopback.click(ix, "echo:press")


async def test_modal_round_trip(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """A modal opened by a command can be submitted; the bot sees the typed value."""
    async with run_client_in_loop(loopback, build_echo_bot()):
        ix = await loopback.slash(guild, "ask")
        await ix.response()
        assert ix.modal is not None
        submitted = await loopback.submit_modal(ix, {"echo:name": "Lisa"})
        await submitted.response()
        assert submitted.content == "hello Lisa"
        assert submitted.ephemeral
        assert loopback.messages_in(guild.general) == []


async def test_defer_then_followup_fills_the_thinking_message(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """After a defer, the first followup becomes the deferred (ephemeral) response."""
    async with run_client_in_loop(loopback, build_echo_bot()):
        ix = await loopback.slash(guild, "defer", {"text": "done"})
        assert (await ix.response())["type"] == 5
        await ix.settled()
        assert ix.content == "done"
        assert ix.ephemeral
        assert len(ix.followups) == 1
        assert "done" in ix.all_text()


async def test_attachment_option_is_downloadable(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """ATTACHMENT options are served from the loopback's own CDN URL."""
    async with run_client_in_loop(loopback, build_echo_bot()):
        ix = await loopback.slash(guild, "size", {"file": Attachment("a.ics", b"BEGIN:VCALENDAR")})
        await ix.response()
        assert ix.content == "a.ics: 15 bytes"


async def test_files_in_callback_and_followup(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Multipart callbacks and followups record file names and bytes and attach them."""
    async with run_client_in_loop(loopback, build_echo_bot()):
        ix = await loopback.slash(guild, "export")
        await ix.response()
        followup = await ix.wait_followup(1)
    assert ix.ephemeral
    assert [a["filename"] for a in ix.original["attachments"]] == ["events.ics"]  # type: ignore[index]
    assert [a["filename"] for a in followup["attachments"]] == ["more.ics"]
    (cb,) = loopback.requests_to("POST", r"^/interactions/\d+/.+/callback$")
    assert [(f.filename, f.data) for f in cb.files] == [("events.ics", b"BEGIN:VCALENDAR")]
    (fu,) = loopback.requests_to("POST", r"^/webhooks/\d+/[^/]+$")
    assert [(f.filename, f.data) for f in fu.files] == [("more.ics", b"END:VCALENDAR")]
    assert [m["content"] for m in loopback.messages_in(guild.general)] == ["more"]


async def test_interactions_carry_the_members_discord_locale(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """An interaction's `locale` is the acting member's Discord locale (en-US unless set)."""
    seoul = guild.add_member("jiwoo", locale="ko")
    async with run_client_in_loop(loopback, build_echo_bot()):
        ix = await loopback.slash(guild, "echo", {"text": "안녕"}, user=seoul)
        await ix.response()
        assert ix.payload["locale"] == "ko"
        ix = await loopback.slash(guild, "echo", {"text": "hi"}, user=guild.member)
        await ix.response()
        assert ix.payload["locale"] == "en-US"


async def test_a_prepared_guild_reaches_the_bot_already_changed(loopback: LoopbackDiscord) -> None:
    """`add_guild(prepare=...)` changes names and the system channel before GUILD_CREATE."""

    def prepare(g: GuildFixture) -> None:
        g.stans.name = "Lightstick Fans"
        g.system_channel_id = g.general.id

    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        fixture = loopback.add_guild("Prepared", prepare=prepare)
        joined = await bot.wait_for("guild_join", check=lambda g: g.id == fixture.id, timeout=5)
        role = joined.get_role(fixture.stans.id)
        assert role is not None
        assert role.name == "Lightstick Fans"
        assert joined.system_channel is not None
        assert joined.system_channel.id == fixture.general.id
