"""/timezone end to end through the loopback Discord: set, autocomplete, show, clear, server."""

from __future__ import annotations

from bot.core.client import Lightstick
from bot.store.timezones import TimezoneRepo
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


def repo(bot: Lightstick, guild: GuildFixture) -> TimezoneRepo:
    return bot.store.guild(guild.id).repo(TimezoneRepo)


async def test_set_saves_the_zone_and_echoes_its_local_time(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/timezone set stores the member's zone and answers, ephemerally, with the time there."""
    ix = await loopback.slash(
        guild.id, "timezone set", options={"zone": "America/Sao_Paulo"}, user=guild.member
    )
    await ix.response()
    assert ix.ephemeral
    assert "America/Sao_Paulo" in ix.content
    assert "UTC-03:00" in ix.content
    assert await repo(lightstick, guild).get_member_timezone(guild.member.id) == (
        "America/Sao_Paulo"
    )
    zone, source = await repo(lightstick, guild).effective_timezone(guild.member.id)
    assert (zone.key, source) == ("America/Sao_Paulo", "member")


async def test_set_accepts_an_abbreviation_and_stores_the_iana_name(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Typing "KST" without picking a suggestion stores Asia/Seoul."""
    ix = await loopback.slash(guild.id, "timezone set", options={"zone": "KST"}, user=guild.member)
    await ix.response()
    assert "Asia/Seoul" in ix.content
    assert await repo(lightstick, guild).get_member_timezone(guild.member.id) == "Asia/Seoul"


async def test_autocomplete_offers_sao_paulo_first(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Typing "sao" suggests America/Sao_Paulo first, labelled with its offset."""
    choices = await loopback.autocomplete(
        guild.id, "timezone set", options={"zone": "sao"}, focused="zone", user=guild.member
    )
    assert choices[0]["value"] == "America/Sao_Paulo"
    assert "UTC-03:00" in choices[0]["name"]
    assert len(choices) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 64 for c in choices)


async def test_autocomplete_with_nothing_typed_offers_fan_zones(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """An empty box lists the common fan zones, Seoul first, within Discord's 25."""
    choices = await loopback.autocomplete(
        guild.id, "timezone set", options={"zone": ""}, focused="zone", user=guild.member
    )
    values = [c["value"] for c in choices]
    assert values[:3] == ["Asia/Seoul", "Asia/Manila", "Asia/Tokyo"]
    assert "Europe/Paris" in values
    assert len(values) == 25


async def test_unknown_zone_is_refused_and_nothing_is_saved(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A made-up zone (even one that mentions @everyone) gets a clear ephemeral error, no ping."""
    ix = await loopback.slash(
        guild.id, "timezone set", options={"zone": "@everyone/Nowhere"}, user=guild.member
    )
    await ix.response()
    assert ix.ephemeral
    assert "don't know that timezone" in ix.content
    assert loopback.pings(ix.original).nobody
    assert await repo(lightstick, guild).get_member_timezone(guild.member.id) is None


async def test_show_and_clear_fall_back_to_the_server_default(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/timezone show names the member's zone and the default; after clear, only the default."""
    await repo(lightstick, guild).set_member_timezone(guild.member.id, "Europe/Paris")
    ix = await loopback.slash(guild.id, "timezone show", user=guild.member)
    await ix.response()
    assert ix.ephemeral
    assert "Your timezone: **Europe/Paris**" in ix.content
    assert "Server default: **Asia/Seoul**" in ix.content
    assert "<t:" in ix.content

    ix = await loopback.slash(guild.id, "timezone clear", user=guild.member)
    await ix.response()
    assert "forgotten" in ix.content
    assert "Asia/Seoul" in ix.content
    assert await repo(lightstick, guild).get_member_timezone(guild.member.id) is None

    ix = await loopback.slash(guild.id, "timezone show", user=guild.member)
    await ix.response()
    assert "haven't set a timezone" in ix.content


async def test_server_default_is_for_moderators_only(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A plain member is refused at run time; a moderator changes the default for everyone."""
    ix = await loopback.slash(
        guild.id,
        "timezone server",
        options={"zone": "Europe/Paris"},
        user=guild.member,
        override_permissions=True,
    )
    await ix.response()
    assert ix.ephemeral
    assert "Manage Server" in ix.content
    assert await repo(lightstick, guild).get_guild_timezone() == "Asia/Seoul"

    ix = await loopback.slash(
        guild.id, "timezone server", options={"zone": "Europe/Paris"}, user=guild.moderator
    )
    await ix.response()
    assert "Europe/Paris" in ix.content
    assert await repo(lightstick, guild).get_guild_timezone() == "Europe/Paris"
    zone, source = await repo(lightstick, guild).effective_timezone(guild.member.id)
    assert (zone.key, source) == ("Europe/Paris", "server")


async def test_settings_section_shows_the_server_default(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/settings carries a Timezones section with the default zone and the member count."""
    await repo(lightstick, guild).set_member_timezone(guild.member.id, "Asia/Manila")
    ix = await loopback.slash(guild.id, "settings", user=guild.moderator)
    await ix.response()
    await ix.wait_followup(1)
    text = ix.all_text()
    assert "Timezones" in text
    assert "Server default: `Asia/Seoul`" in text
    assert "1 member has set their own zone" in text
