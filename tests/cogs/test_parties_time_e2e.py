"""/party schedule reads times in the member's own language and says how it read them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.server import LoopbackDiscord

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
SEOUL = ZoneInfo("Asia/Seoul")
STAMP = re.compile(r"<t:(\d+):([FR])>")


async def test_pt_br_member_schedules_amanha_as_20h(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """A São Paulo member with Discord in pt-BR types `amanhã às 20h`: tomorrow 20:00 BRT."""
    lb = loopback
    guild = lb.add_guild()
    async with start_lightstick(lb, tmp_path / "db.sqlite", dev_guild_id=guild.id):
        tz = await lb.slash(guild.id, "timezone set", {"zone": "America/Sao_Paulo"})
        await tz.response()
        preview = await lb.slash(
            guild.id,
            "party schedule",
            {"title": "Festa do MV", "when": "amanhã às 20h"},
            user=guild.member,
            locale="pt-BR",
        )
        await preview.response()
        tomorrow = (datetime.now(SAO_PAULO) + timedelta(days=1)).date()
        expected = datetime.combine(tomorrow, time(20, 0), SAO_PAULO).astimezone(UTC)
        assert preview.ephemeral
        stamps = {style: int(sec) for sec, style in STAMP.findall(preview.content)}
        assert stamps == {"F": int(expected.timestamp()), "R": int(expected.timestamp())}
        text = preview.all_text()
        assert "read as **America/Sao_Paulo** (your timezone)" in text
        assert f"{tomorrow:%-d %b %Y}, 20:00" in text
        assert any(b["label"] == "Confirm" for row in preview.components for b in row["components"])


async def test_preview_names_the_zone_really_used(
    tmp_path: Path, loopback: LoopbackDiscord
) -> None:
    """A Paris member who types KST sees "read as Korea time (KST)", and Seoul's 20:00."""
    lb = loopback
    guild = lb.add_guild()
    async with start_lightstick(lb, tmp_path / "db.sqlite", dev_guild_id=guild.id):
        await (await lb.slash(guild.id, "timezone set", {"zone": "Europe/Paris"})).response()
        preview = await lb.slash(
            guild.id, "party schedule", {"title": "Comeback", "when": "tomorrow 8pm KST"}
        )
        await preview.response()
        tomorrow = (datetime.now(SEOUL) + timedelta(days=1)).date()
        expected = datetime.combine(tomorrow, time(20, 0), SEOUL).astimezone(UTC)
        assert "read as **Korea time (KST)** (you wrote KST)" in preview.all_text()
        assert f"<t:{int(expected.timestamp())}:F>" in preview.content


async def test_errors_name_the_real_problem(tmp_path: Path, loopback: LoopbackDiscord) -> None:
    """`tomorrow 25:00` is not a time, `in 400 days` is past the limit, `8pm CST` is asked about."""
    lb = loopback
    guild = lb.add_guild()
    async with start_lightstick(lb, tmp_path / "db.sqlite", dev_guild_id=guild.id):
        await (await lb.slash(guild.id, "timezone set", {"zone": "Europe/Paris"})).response()
        answers = {}
        for when in ("tomorrow 25:00", "in 400 days", "8pm CST", "tonight"):
            ix = await lb.slash(guild.id, "party schedule", {"title": "Party", "when": when})
            await ix.response()
            assert ix.ephemeral
            answers[when] = ix.all_text()
        assert "`25:00` is not a time" in answers["tomorrow 25:00"]
        assert "one-year limit" in answers["in 400 days"]
        assert "America/Chicago" in answers["8pm CST"]
        assert "Asia/Shanghai" in answers["8pm CST"]
        assert "add a clock time" in answers["tonight"]
        assert all("Something went wrong" not in text for text in answers.values())
