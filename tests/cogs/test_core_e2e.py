"""/about, /help, /settings, guild join and the error funnel, end to end through the loopback."""

from __future__ import annotations

import asyncio

from bot.core.client import Lightstick
from bot.core.invite import INVITE_PERMISSIONS, invite_permissions
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


async def test_about_shows_version_and_exact_invite(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/about answers ephemerally with the version and an invite link carrying the exact perms."""
    ix = await loopback.slash(guild.id, "about", user=guild.member)
    await ix.response()
    assert ix.ephemeral
    text = ix.all_text()
    assert lightstick.version in text
    assert f"client_id={lightstick.application_id}" in text
    assert f"permissions={invite_permissions().value}" in text
    assert "applications.commands" in text
    for name, _why in INVITE_PERMISSIONS:
        assert name.replace("_", " ").title() in text


async def test_help_lists_every_command_from_the_tree(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """/help names, for a moderator, every leaf command in the tree, so it cannot go stale."""
    ix = await loopback.slash(guild.id, "help", user=guild.moderator)
    await ix.response()
    text = ix.all_text()
    leaves = [
        c.qualified_name for c in lightstick.tree.walk_commands() if not hasattr(c, "walk_commands")
    ]
    assert len(leaves) > 10
    for name in leaves:
        assert f"/{name}" in text, name


async def test_settings_is_for_moderators_only(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A member let in by a server override is still refused at run time; moderators see all."""
    ix = await loopback.slash(guild.id, "settings", user=guild.member, override_permissions=True)
    await ix.response()
    assert ix.ephemeral
    assert "Manage Server" in ix.all_text()

    ix = await loopback.slash(guild.id, "settings", user=guild.moderator)
    await ix.response()
    await ix.wait_followup(1)
    text = ix.all_text()
    assert "Asia/Seoul" in text
    sections = [name for name, cog in lightstick.cogs.items() if hasattr(cog, "settings_section")]
    assert len(sections) >= 3
    assert "Spaces" in text


async def test_everything_but_manage_is_refused_settings(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Holding every permission except Manage Server and Administrator is not enough."""
    ix = await loopback.slash(
        guild.id, "settings", user=guild.everything_but_manage, override_permissions=True
    )
    await ix.response()
    assert ix.ephemeral
    assert "Manage Server" in ix.all_text()


async def test_guild_join_posts_setup_guide_and_registers(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Joining a server posts the setup guide in its system channel and records the server."""
    new = loopback.add_guild("Second Fan Server")
    system_id = new.system.id
    for _ in range(200):
        if loopback.messages_in(system_id):
            break
        await asyncio.sleep(0.01)
    posts = loopback.messages_in(system_id)
    assert len(posts) == 1
    assert "spaces setup" in str(posts[0])
    assert loopback.pings(posts[0]).nobody
    assert await lightstick.store.guilds.left_at(new.id) is None
    assert (
        await lightstick.store.db.fetchval(
            "SELECT count(*) FROM guilds WHERE guild_id = :guild_id", {"guild_id": new.id}
        )
        == 1
    )


async def test_guild_leave_starts_grace_period(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """When the bot is removed from a server, its purge clock starts (data kept 30 days)."""
    loopback.remove_guild(guild.id)
    for _ in range(200):
        if await lightstick.store.guilds.left_at(guild.id) is not None:
            break
        await asyncio.sleep(0.01)
    assert await lightstick.store.guilds.left_at(guild.id) is not None


async def test_unexpected_error_gets_a_code_not_a_traceback(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture, caplog
) -> None:
    """An unexpected exception reaches the user as a short code, with the traceback in the log."""
    from discord import app_commands

    @app_commands.command(name="explode", description="Test-only failing command.")
    async def explode(interaction) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    lightstick.tree.add_command(explode)
    await lightstick.tree.sync()
    ix = await loopback.slash(guild.id, "explode", user=guild.member)
    await ix.response()
    assert ix.ephemeral
    text = ix.all_text()
    assert "code" in text
    assert "secret internals" not in text
    assert "Traceback" not in text
    assert any("secret internals" in (r.exc_text or str(r.exc_info)) for r in caplog.records)


async def test_housekeeping_purges_departed_servers_and_stale_musicbrainz_rows(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """The periodic pass deletes servers gone 30+ days and MusicBrainz answers kept too long."""
    from datetime import timedelta

    from bot.store.musicbrainz_cache import MusicBrainzCacheRepo

    now = lightstick.clock()
    await lightstick.store.guilds.mark_joined(42, "Gone", now - timedelta(days=40))
    await lightstick.store.guilds.mark_left(42, now - timedelta(days=31))
    cache = MusicBrainzCacheRepo(lightstick.store.db)
    await cache.put_cached("old act", None, "null", now - timedelta(days=90))
    await cache.put_cached("fresh act", None, "null", now - timedelta(days=1))
    await lightstick.housekeep()
    assert (
        await lightstick.store.db.fetchval("SELECT count(*) FROM guilds WHERE guild_id = 42") == 0
    )
    kept = await lightstick.store.db.fetchall("SELECT query_norm FROM musicbrainz_cache")
    assert [r[0] for r in kept] == ["fresh act"]
    assert await lightstick.store.guilds.left_at(guild.id) is None
