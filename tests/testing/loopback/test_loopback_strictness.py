"""The loopback refuses what Discord refuses, records a violation, and answers like Discord."""

from __future__ import annotations

import aiohttp
import discord
import pytest

from bot.testing.echo_bot import build_echo_bot
from bot.testing.loopback.guard import DiscordLogGuard
from bot.testing.loopback.harness import run_client_in_loop
from bot.testing.loopback.limits import validate_message
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import DiscordError
from bot.testing.loopback.world import GuildFixture


def _kinds(server: LoopbackDiscord) -> list[str]:
    return [v.kind for v in server.violations]


async def test_answer_after_three_seconds_is_unknown_interaction(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A callback after 3 s gets 404 10062 on the bot side and is recorded as a violation."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        ix = await loopback.slash(guild, "slow")
        await ix.wait_until(lambda: bool(bot.errors), timeout=6)
        assert isinstance(bot.errors[0], discord.NotFound)
        assert bot.errors[0].code == 10062
        assert ix.callback is None
        assert _kinds(loopback) == ["ack_deadline"]
        with pytest.raises(AssertionError, match="ack_deadline"):
            loopback.assert_no_unexpected_violations()
        loopback.expect_violation("^ack_deadline")
        loopback.assert_no_unexpected_violations()


async def test_unknown_endpoint_is_a_violation(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A route the loopback does not implement answers 404 and is recorded so the test fails."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        with pytest.raises(discord.NotFound):
            await bot.http.request(discord.http.Route("GET", "/guilds/{g}/bans", g=guild.id))
    assert _kinds(loopback) == ["unknown_endpoint"]
    assert "/bans" in loopback.violations[0].describe()
    loopback.expect_violation("unknown_endpoint: GET /guilds/\\d+/bans")


async def test_send_to_locked_channel_is_forbidden(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """The bot's overwrite in #locked denies SEND_MESSAGES: 403 50013 reaches the bot."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        ix = await loopback.slash(guild, "say", {"channel": guild.locked, "text": "hi"})
        await ix.response()
        assert ix.content == "cannot post there"
        assert isinstance(bot.errors[0], discord.Forbidden)
        assert bot.errors[0].code == 50013
        assert loopback.messages_in(guild.locked) == []
        ok = await loopback.slash(guild, "say", {"channel": guild.announcements, "text": "news"})
        await ok.response()
        assert [m["content"] for m in loopback.messages_in(guild.announcements)] == ["news"]


async def test_embed_limits_are_enforced(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """26 embed fields answer 400 50035 Invalid Form Body and record a violation."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        channel = bot.get_channel(guild.general.id)
        assert isinstance(channel, discord.TextChannel)
        embed = discord.Embed(title="t")
        for i in range(26):
            embed.add_field(name=f"f{i}", value="v")
        with pytest.raises(discord.HTTPException) as caught:
            await channel.send(embed=embed)
        assert caught.value.status == 400
        assert caught.value.code == 50035
        with pytest.raises(discord.HTTPException, match="2000"):
            await channel.send("x" * 2001)
    assert _kinds(loopback) == ["invalid_form", "invalid_form"]
    loopback.expect_violation("^invalid_form: (embeds.0.fields|content)")


async def test_enforce_nonce_deduplicates(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """Two sends with the same caller nonce create one message and return it twice."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        channel = bot.get_channel(guild.general.id)
        assert isinstance(channel, discord.TextChannel)
        first = await channel.send("once", nonce=424242)
        second = await channel.send("once", nonce=424242)
        third = await channel.send("twice")
        assert first.id == second.id != third.id
        assert [m["content"] for m in loopback.messages_in(guild.general)] == ["once", "twice"]


async def test_allowed_mentions_decide_who_is_pinged(
    loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """Pings honour allowed_mentions, role mentionability and MENTION_EVERYONE."""
    async with run_client_in_loop(loopback, build_echo_bot()) as bot:
        channel = bot.get_channel(guild.general.id)
        assert isinstance(channel, discord.TextChannel)
        text = f"{guild.fans.mention} {guild.stans.mention} {guild.member.mention} @everyone"
        quiet = await channel.send(text)
        only_stans = await channel.send(
            text, allowed_mentions=discord.AllowedMentions(roles=[discord.Object(guild.stans.id)])
        )
        loud = await channel.send(text, allowed_mentions=discord.AllowedMentions.all())
    assert loopback.pings(quiet).nobody
    assert loopback.pings(only_stans).roles == {guild.stans.id}
    assert not loopback.pings(only_stans).users
    assert loopback.pings(loud).roles == {guild.stans.id}  # Fans is not mentionable
    assert loopback.pings(loud).users == {guild.member.id}
    assert not loopback.pings(loud).everyone  # the bot lacks MENTION_EVERYONE


async def test_raw_interaction_rules(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """Followup before ack, double ack, empty message and expired tokens answer Discord's errors."""
    async with run_client_in_loop(loopback, build_echo_bot()):
        ix = await loopback.slash(guild, "ignore")
        app = loopback.application_id
        base = loopback.api_base
        async with aiohttp.ClientSession() as http:
            r = await http.post(f"{base}/webhooks/{app}/{ix.token}", json={"content": "early"})
            assert (r.status, (await r.json())["code"]) == (404, 10015)
            cb = f"{base}/interactions/{ix.id}/{ix.token}/callback"
            r = await http.post(cb, json={"type": 4, "data": {}})
            assert (r.status, (await r.json())["code"]) == (400, 50006)
            r = await http.post(cb, json={"type": 4, "data": {"content": "ok"}})
            assert r.status == 200
            assert r.headers["Content-Type"] == "application/json"
            r = await http.post(cb, json={"type": 4, "data": {"content": "again"}})
            assert (r.status, (await r.json())["code"]) == (400, 40060)
            loopback.advance(15 * 60 + 1)
            r = await http.patch(
                f"{base}/webhooks/{app}/{ix.token}/messages/@original", json={"content": "late"}
            )
            assert (r.status, (await r.json())["code"]) == (401, 50027)
    assert _kinds(loopback) == [
        "followup_before_ack",
        "empty_message",
        "double_ack",
        "token_expired",
    ]
    loopback.expect_violation("^(followup_before_ack|empty_message|double_ack|token_expired)")


async def test_too_many_autocomplete_choices_are_refused(
    loopback: LoopbackDiscord, guild: GuildFixture, discord_log_guard: DiscordLogGuard
) -> None:
    """30 autocomplete choices answer 400 50035; the helper fails with the loopback's reason."""
    discord_log_guard.allow("autocomplete")
    async with run_client_in_loop(loopback, build_echo_bot()):
        with pytest.raises(AssertionError, match=r"refused.*choices"):
            await loopback.autocomplete(guild, "fans pick", {"name": "everyone"}, focused="name")
    assert _kinds(loopback) == ["autocomplete"]
    loopback.expect_violation("^autocomplete: data.choices")


@pytest.mark.parametrize(
    ("components", "field"),
    [
        (
            [
                {
                    "type": 1,
                    "components": [{"type": 2, "style": 1, "label": "x" * 81, "custom_id": "a"}],
                }
            ],
            "label",
        ),
        (
            [{"type": 1, "components": [{"type": 2, "style": 5, "label": "go", "custom_id": "a"}]}],
            "url",
        ),
        (
            [
                {
                    "type": 1,
                    "components": [{"type": 2, "style": 1, "label": "b", "custom_id": "c" * 101}],
                }
            ],
            "custom_id",
        ),
        (
            [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "style": 1, "label": "b", "custom_id": str(i)} for i in range(6)
                    ],
                }
            ],
            "components",
        ),
        (
            [
                {
                    "type": 1,
                    "components": [{"type": 2, "style": 1, "label": "b", "custom_id": str(i)}],
                }
                for i in range(6)
            ],
            "components",
        ),
    ],
)
def test_component_limits(components: list[dict[str, object]], field: str) -> None:
    """Rows, buttons, labels, custom ids and link buttons follow Discord's component rules."""
    with pytest.raises(DiscordError) as caught:
        validate_message({"content": "x", "components": components}, n_files=0)
    assert caught.value.code == 50035
    assert field in (caught.value.violation or "")


async def test_global_rate_limit(loopback: LoopbackDiscord, guild: GuildFixture) -> None:
    """Past the global requests/second the answer is a global 429 with X-RateLimit-Global."""
    loopback.rate_limits.global_rps = 3
    headers = {"Authorization": f"Bot {loopback.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        answers = [await http.get(f"{loopback.api_base}/users/@me") for _ in range(4)]
        assert [a.status for a in answers] == [200, 200, 200, 429]
        assert answers[3].headers["X-RateLimit-Global"] == "true"
        assert (await answers[3].json())["global"] is True
    assert loopback.rate_limits.global_hits == 1
