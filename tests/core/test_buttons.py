"""Restart-proof components and the one fallback for a component nothing claims any more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.core.buttons import EXPIRED_DEFAULT, PersistentItem
from bot.core.client import Lightstick
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    """Map label -> custom_id for every button on a message."""
    return {
        c.get("label", ""): c["custom_id"]
        for row in message.get("components") or []
        for c in row["components"]
        if "custom_id" in c
    }


async def test_every_cog_component_uses_the_one_base(lightstick: Lightstick) -> None:
    """Every registered restart-proof component derives from PersistentItem (one error path)."""
    registered = list(lightstick._connection._view_store._dynamic_items.values())
    assert len(registered) >= 4
    assert all(issubclass(item, PersistentItem) for item in registered), registered


async def test_preview_buttons_after_a_restart_say_the_preview_expired(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Confirm on a party preview shown before a restart answers, instead of failing silently."""
    db = tmp_path / "lightstick.db"
    async with start_lightstick(loopback, db, dev_guild_id=guild.id):
        preview = await loopback.slash(
            guild.id, "party schedule", {"title": "MV party", "when": "tomorrow 8pm"}
        )
        await preview.response()
        confirm = _buttons(preview.original or {})["Confirm"]
    async with start_lightstick(loopback, db, dev_guild_id=guild.id):
        click = await loopback.click(preview, confirm, user=guild.member)
        await click.response()
        assert click.ephemeral
        assert "This preview expired; run `/party schedule` again." in click.all_text()
    assert not [m for m in loopback.messages_in(guild.general.id) if "MV party" in str(m)]


async def test_a_component_nothing_claims_gets_a_polite_answer(
    lightstick: Lightstick, loopback: LoopbackDiscord, guild: GuildFixture
) -> None:
    """A button whose custom_id no live view or registered item claims: "has expired", privately."""
    preview = await loopback.slash(
        guild.id, "party schedule", {"title": "Watch party", "when": "tomorrow 9pm"}
    )
    await preview.response()
    buttons = _buttons(preview.original or {})
    # The same message, as a button of a feature this bot no longer has.
    message = loopback.messages.get(preview.original_id)
    message["components"][0]["components"][0]["custom_id"] = "oldfeature:42"
    click = await loopback.click(preview, "oldfeature:42", user=guild.member)
    await click.response()
    assert click.ephemeral
    assert click.all_text() == EXPIRED_DEFAULT
    assert "Cancel" in buttons
