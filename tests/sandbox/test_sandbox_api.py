"""The sandbox's JSON endpoints: refusals are clear answers, and it stays on this computer."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import aiohttp

from bot.sandbox.session import Sandbox


async def test_refusals_come_back_as_clear_errors(sandbox: tuple[Sandbox, str]) -> None:
    """What Discord would refuse, an unknown person and an unfollowed account answer 400 + text."""
    box, url = sandbox
    fan = str(box.demo.people[1].member.id)
    general = str(box.demo.guild.general.id)
    async with aiohttp.ClientSession() as http:
        body = {"user": fan, "channel": general, "command": "artist", "options": {}}
        async with http.post(f"{url}api/slash", json=body) as resp:
            assert resp.status == 400
            assert "missing required options ['name']" in (await resp.json())["error"]
        async with http.get(f"{url}api/messages", params={"user": "1", "channel": general}) as resp:
            assert resp.status == 400
        body = {"handle": "BLACKPINK", "action": "live"}
        async with http.post(f"{url}api/x/space", json=body) as resp:
            assert resp.status == 400
            assert "not followed" in (await resp.json())["error"]


async def test_everything_listens_on_127_0_0_1_and_the_database_is_temporary(
    sandbox: tuple[Sandbox, str],
) -> None:
    """The page, the loopback Discord and the fake X bind 127.0.0.1; the database is a temp file."""
    box, url = sandbox
    assert url.startswith("http://127.0.0.1:")
    assert box.loopback.base_url.startswith("http://127.0.0.1:")
    assert box.fake_x.base_url.startswith("http://127.0.0.1:")
    db = box.bot.settings.database_path
    assert db.is_relative_to(Path(tempfile.gettempdir()))
    assert db.exists()


async def test_the_log_panel_sees_the_bots_log(sandbox: tuple[Sandbox, str]) -> None:
    """/api/logs returns the bot's log lines with increasing sequence numbers."""
    _, url = sandbox
    async with aiohttp.ClientSession() as http, http.get(f"{url}api/logs") as resp:
        lines = await resp.json()
    assert any("synced" in line["text"] for line in lines)
    assert [line["seq"] for line in lines] == sorted(line["seq"] for line in lines)


async def test_other_sites_cannot_drive_the_sandbox(sandbox: tuple[Sandbox, str]) -> None:
    """A foreign Host (DNS rebinding) is refused, and so is a POST that is not JSON (a form)."""
    box, url = sandbox
    fan, general = str(box.demo.people[1].member.id), str(box.demo.guild.general.id)
    body = json.dumps({"user": fan, "channel": general, "command": "about", "options": {}})
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}api/world", headers={"Host": "evil.example:8765"}) as resp:
            assert resp.status == 403
        headers = {"Content-Type": "text/plain"}
        async with http.post(f"{url}api/slash", data=body, headers=headers) as resp:
            assert resp.status == 415
        async with http.get(f"{url}api/world") as resp:
            assert resp.status == 200
    assert box.asked == {}
