"""Print what a moderator reads in their first five minutes with Lightstick, word for word.

Run `.venv/bin/python scripts/first_five_minutes.py [--no-x]`. It starts the real, unmodified
bot against the loopback Discord and the fake X (nothing leaves 127.0.0.1; the database is a
temporary file), invites it to a server, then as the server's moderator runs `/help`,
`/spaces setup`, `/spaces follow` (saved at once without a template), `/spaces test` and
`/spaces announce` (the preview, then Post), printing every reply as Discord would show it and
the post fans get. `--no-x` runs it as a bot whose operator set no X bearer token.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python scripts/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import logging
import tempfile
from typing import Any

from bot.testing.fake_x import FakeX
from bot.testing.lightstick import running_bot
from bot.testing.loopback.injected import InjectedInteraction
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture

SPACE_ID = "1FirstFiveMinutes"


def render(message: dict[str, Any]) -> str:
    """Return one message as a reader sees it: text, embeds, then the buttons' labels."""
    lines: list[str] = []
    if message.get("content"):
        lines.append(message["content"])
    for embed in message.get("embeds") or []:
        for key in ("title", "description"):
            if embed.get(key):
                lines.append(embed[key])
        for field in embed.get("fields") or []:
            lines.append(f"[{field['name']}]\n{field['value']}")
        footer = (embed.get("footer") or {}).get("text")
        if footer:
            lines.append(f"({footer})")
    labels = [
        c.get("label") or c.get("placeholder") or "?"
        for row in message.get("components") or []
        for c in row.get("components", [])
    ]
    if labels:
        lines.append("Buttons: " + " | ".join(f"[{label}]" for label in labels))
    return "\n".join(lines)


def replies(ix: InjectedInteraction) -> str:
    """Return every reply of one interaction (the response and its followups), rendered."""
    # A deferred reply's first followup fills the original message: show each message once.
    unique = {m["id"]: m for m in (ix.original, *ix.followups) if m is not None}
    messages = list(unique.values())
    who = "only you" if ix.ephemeral else "everyone"
    return "\n--\n".join(render(m) for m in messages) + f"\n(seen by {who})"


def button(ix: InjectedInteraction, label: str) -> str | None:
    """Return the custom_id of the button labelled `label` under a reply, if there is one."""
    for row in ix.components:
        for component in row["components"]:
            if component.get("label") == label and "custom_id" in component:
                return str(component["custom_id"])
    return None


def step(title: str, text: str) -> None:
    """Print one step of the transcript."""
    sys.stdout.write(f"\n=== {title} ===\n{text}\n")


async def wait_for_message(loopback: LoopbackDiscord, guild: GuildFixture) -> dict[str, Any]:
    """Wait up to 5 s for the bot's first message anywhere in `guild`; return it."""
    for _ in range(500):
        for channel_id in guild.channels:
            found = loopback.messages_in(channel_id)
            if found:
                return found[0]
        await asyncio.sleep(0.01)
    raise RuntimeError("the bot posted no setup guide")


async def run(*, x_enabled: bool) -> None:
    """Run the five minutes once and print the transcript."""
    async with LoopbackDiscord() as loopback, FakeX() as fake:
        fake.add_user("BTS_twt", name="방탄소년단")
        fake.add_user("bts_bighit", name="BTS_official")
        with tempfile.TemporaryDirectory(prefix="lightstick-five-") as tmp:
            db = Path(tmp) / "bot.db"
            async with running_bot(loopback, db, fake if x_enabled else None):
                guild = loopback.add_guild("Fan Server")
                mod = guild.moderator
                guide = await wait_for_message(loopback, guild)
                channel = loopback.channels[int(guide["channel_id"])].name
                step(f"The bot joins: setup guide in #{channel}", render(guide))

                ix = await loopback.slash(guild, "help", user=mod)
                step("/help (as the moderator)", replies(await ix.settled()))

                ix = await loopback.slash(
                    guild,
                    "spaces setup",
                    {"channel": guild.announcements.id, "ping_role": guild.stans.id},
                    user=mod,
                )
                step(
                    "/spaces setup channel:#announcements ping_role:@Stans",
                    replies(await ix.settled()),
                )

                ix = await loopback.slash(guild, "spaces follow", {"artist": "BTS"}, user=mod)
                await ix.settled(10)
                save = button(ix, "Save")
                # A follow without a template saves at once; only a template asks for Save.
                how = "(a preview: nothing saved until Save)" if save else "(saved at once)"
                step(f"/spaces follow artist:BTS {how}", replies(ix))
                if save:
                    click = await loopback.click(ix, save, user=mod)
                    await click.settled()
                    step("... after pressing Save", replies(ix))

                ix = await loopback.slash(guild, "spaces test", {}, user=mod)
                step("/spaces test", replies(await ix.settled()))

                fake.set_space("BTS_twt", SPACE_ID, "live", title="Comeback eve")
                ix = await loopback.slash(
                    guild,
                    "spaces announce",
                    {"url": f"https://x.com/i/spaces/{SPACE_ID}", "artist": "BTS"},
                    user=mod,
                )
                step(
                    f"/spaces announce url:https://x.com/i/spaces/{SPACE_ID} artist:BTS",
                    replies(await ix.settled(10)),
                )
                post = button(ix, "Post")
                if post:
                    click = await loopback.click(ix, post, user=mod)
                    await click.response()
                    await ix.wait_until(lambda: "Announced" in ix.content, 10)
                    step("... after pressing Post", replies(ix))
                posts = loopback.messages_in(guild.announcements.id)
                if posts:
                    step("... what fans see in #announcements", render(posts[-1]))


def main() -> None:
    """Parse arguments and print the transcript."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-x", action="store_true", help="run as a bot without X access")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(x_enabled=not args.no_x))


if __name__ == "__main__":
    main()
