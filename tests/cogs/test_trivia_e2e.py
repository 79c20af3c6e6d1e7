"""Trivia end to end through the loopback Discord: a 3-question game, refusals, leaderboard,
no repeats across games and a restart, and a broken pack refused by name."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

from bot.core.client import Lightstick
from bot.domain.trivia.game import correct_choice
from bot.store.trivia import GameRecord, TriviaRepo
from bot.store.trivia_packs import TriviaPackRepo
from bot.testing.lightstick import start_lightstick
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import Attachment
from bot.testing.loopback.world import GuildFixture
from cogs.trivia import Trivia

SEED = 424242


@contextlib.asynccontextmanager
async def running_bot(
    lb: LoopbackDiscord, guild: GuildFixture, db_path: Path, *, seconds: float = 1.5
) -> AsyncIterator[Lightstick]:
    """Run one Lightstick against the loopback on `db_path`, with short trivia timings."""
    async with start_lightstick(lb, db_path, dev_guild_id=guild.id) as bot:
        cog = trivia(bot)
        # Test-only knobs on the cog; users stay bound to 10-60 s by /trivia settings.
        cog.seconds_override = seconds
        cog.reveal_pause = 0.05
        cog.new_seed = lambda: SEED
        yield bot


def trivia(bot: Lightstick) -> Trivia:
    """Return the loaded Trivia cog."""
    return cast(Trivia, bot.get_cog("Trivia"))


def buttons(message: dict[str, Any]) -> list[str]:
    """Return the custom_ids of a message's buttons."""
    return [c["custom_id"] for row in message.get("components") or [] for c in row["components"]]


async def wait_message(
    lb: LoopbackDiscord, channel_id: int, predicate: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """Wait (up to 10 s) for a message in the channel that matches."""
    async with asyncio.timeout(10):
        while True:
            for m in lb.messages_in(channel_id):
                if predicate(m):
                    return m
            await asyncio.sleep(0.02)


def question_message(game_id: int, index: int) -> Callable[[dict[str, Any]], bool]:
    """Match the post of question `index` of a game."""
    return lambda m: f"trivia:{game_id}:{index}:0" in buttons(m)


def titled(prefix: str) -> Callable[[dict[str, Any]], bool]:
    """Match a message whose first embed title starts with `prefix`."""
    return lambda m: bool(m.get("embeds")) and m["embeds"][0].get("title", "").startswith(prefix)


async def start_game(
    lb: LoopbackDiscord, guild: GuildFixture, bot: Lightstick, options: dict[str, Any]
) -> GameRecord:
    """Run /trivia start in #general and return the stored game."""
    ix = await lb.slash(guild.id, "trivia start", options=options, user=guild.member)
    await ix.response()
    assert "Trivia time!" in ix.content
    rec = await bot.store.guild(guild.id).repo(TriviaRepo).running_game_in(guild.general.id)
    assert rec is not None
    return rec


async def click(lb: LoopbackDiscord, message: dict[str, Any], custom_id: str, user: Any) -> Any:
    """Click a button and wait for the reply."""
    c = await lb.click(message["id"], custom_id, user=user)
    await c.response()
    return c


async def test_three_question_game_story(tmp_path: Path) -> None:
    """Two members answer (one right and fast, one wrong); a second click is refused; the reveal
    names the source; the final board and /trivia leaderboard show the right totals."""
    async with LoopbackDiscord() as lb:
        guild = lb.add_guild()
        fast, wrong = guild.add_member("fast"), guild.add_member("wrong")
        async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
            rec = await start_game(lb, guild, bot, {"questions": 3})
            gid = rec.game_id
            assert len(rec.question_ids) == 3
            right = correct_choice(SEED, 0)
            bad = (right + 1) % 4

            q1 = await wait_message(lb, guild.general.id, question_message(gid, 0))
            assert re.search(r"<t:\d+:R>", str(q1["embeds"][0])), "countdown is a relative stamp"
            assert len(buttons(q1)) == 4
            c1 = await click(lb, q1, f"trivia:{gid}:0:{right}", fast)
            assert c1.ephemeral
            assert "You picked" in c1.content
            c2 = await click(lb, q1, f"trivia:{gid}:0:{bad}", wrong)
            assert c2.ephemeral
            again = await click(lb, q1, f"trivia:{gid}:0:{bad}", fast)
            assert again.ephemeral
            assert "already answered" in again.content

            reveal = await wait_message(lb, guild.general.id, titled("Answer 1/3"))
            question = trivia(bot).bank.by_id[rec.question_ids[0]]
            assert question.source_url is not None
            embed = reveal["embeds"][0]
            assert question.source_url in embed["description"]
            assert str(question.year) in embed["description"]
            rounds = embed["fields"][-1]["value"]
            points = int(re.search(rf"<@{fast.id}> \w · \+(\d+)", rounds).group(1))  # type: ignore[union-attr]
            assert points > 100, "right and fast earns a speed bonus"
            assert f"<@{wrong.id}> " in rounds
            assert "+0" in rounds

            late = await click(lb, q1, f"trivia:{gid}:0:{right}", wrong)
            assert "closed" in late.content

            final = await wait_message(lb, guild.general.id, titled("Trivia over"))
            board = final["embeds"][0]["description"]
            assert board.index(f"<@{fast.id}>") < board.index(f"<@{wrong.id}>")
            assert f"**{points}** pts (1 correct)" in board

            ended = await click(lb, q1, f"trivia:{gid}:0:{right}", fast)
            assert ended.ephemeral
            assert ended.content == "This game has ended."

            lbix = await lb.slash(guild.id, "trivia leaderboard", options={}, user=guild.member)
            await lbix.response()
            text = lbix.embeds[0]["description"]
            assert f"<@{fast.id}> — **{points}** pts (1 correct)" in text
            assert f"<@{wrong.id}> — **0** pts (0 correct)" in text

            stats = await lb.slash(guild.id, "trivia stats", options={"member": fast.id})
            await stats.response()
            fields = {f["name"]: f["value"] for f in stats.embeds[0]["fields"]}
            assert fields["Points"] == str(points)
            assert fields["Games"] == "1"
            assert fields["Correct"] == "1/1"
            for m in lb.messages_in(guild.general.id):
                assert not lb.pings(m).users, "trivia posts never ping"


async def test_no_repeats_across_games_and_a_restart(tmp_path: Path) -> None:
    """Two games and a restart mid-game: the running game ends with points kept, old buttons say
    it ended, and no question repeats until the category is used up."""
    db = tmp_path / "db.sqlite"
    async with LoopbackDiscord() as lb:
        guild = lb.add_guild()
        fan = guild.add_member("fan")
        async with running_bot(lb, guild, db, seconds=0.6) as bot:
            first = await start_game(lb, guild, bot, {"questions": 1, "category": "world_stage"})
            await wait_message(lb, guild.general.id, titled("Trivia over"))
            trivia(bot).seconds_override = 30
            second = await start_game(lb, guild, bot, {"questions": 2, "category": "world_stage"})
            q = await wait_message(lb, guild.general.id, question_message(second.game_id, 0))
            await click(lb, q, f"trivia:{second.game_id}:0:{correct_choice(SEED, 0)}", fan)
        # The bot stopped with question 1 of game 2 still open.
        async with running_bot(lb, guild, db, seconds=0.6) as bot:
            repo = bot.store.guild(guild.id).repo(TriviaRepo)
            notice = await wait_message(
                lb, guild.general.id, lambda m: "restarted" in str(m.get("embeds"))
            )
            assert f"<@{fan.id}>" in notice["embeds"][0]["description"]
            # The scoreboard is posted first, then the game is marked ended (discord.py may
            # hold the send's return until the channel's rate-limit bucket resets).
            for _ in range(500):
                stopped = await repo.get_game(second.game_id)
                assert stopped is not None
                if not stopped.running:
                    break
                await asyncio.sleep(0.02)
            assert not stopped.running
            stats = await repo.member_stats(fan.id)
            assert stats is not None
            assert stats.points > 100
            assert stats.games == 1
            old = await click(lb, q, f"trivia:{second.game_id}:0:0", fan)
            assert old.content == "This game has ended."

            third = await start_game(lb, guild, bot, {"questions": 1, "category": "world_stage"})
            shown = [*first.question_ids, *second.question_ids, *third.question_ids]
            assert len(shown) == 4
            assert len(set(shown)) == 4, "no repeats before the 4-question category is used up"
            await wait_message(lb, guild.general.id, titled("Trivia over"))


BROKEN_PACK = b"""
questions:
  - prompt: "Which year did our fan server open?"
    answer: "2021"
    distractors: ["2019", "2020", "2022"]
  - prompt: "Who hosted our first listening party?"
    answer: Mina
    distractors: [Jisoo, Yuna]
"""


async def test_broken_pack_is_refused_naming_the_question(tmp_path: Path) -> None:
    """A pack with a bad question is refused with its number, prompt and field; a fixed one loads
    and only a moderator may import."""
    async with LoopbackDiscord() as lb:
        guild = lb.add_guild()
        async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
            ix = await lb.slash(
                guild.id,
                "trivia pack import",
                options={"file": Attachment("ours.yaml", BROKEN_PACK), "name": "Ours"},
                user=guild.moderator,
            )
            await ix.settled()
            text = ix.all_text()
            assert 'question 2 ("Who hosted our first listenin…")' in text
            assert "field 'distractors' needs exactly 3 answers" in text
            assert await bot.store.guild(guild.id).repo(TriviaPackRepo).list_packs() == []

            fixed = BROKEN_PACK.replace(b"[Jisoo, Yuna]", b"[Jisoo, Yuna, Sana]")
            denied = await lb.slash(
                guild.id,
                "trivia pack import",
                options={"file": Attachment("ours.yaml", fixed), "name": "Ours"},
                user=guild.member,
            )
            await denied.response()
            assert "Manage Server" in denied.content
            ok = await lb.slash(
                guild.id,
                "trivia pack import",
                options={"file": Attachment("ours.yaml", fixed), "name": "Ours"},
                user=guild.moderator,
            )
            await ok.settled()
            assert "Imported **Ours** from a Lightstick pack: 2 questions (2 multiple choice)" in (
                ok.all_text()
            )
            listing = await lb.slash(guild.id, "trivia pack list", options={}, user=guild.member)
            await listing.response()
            assert "Ours" in listing.content


async def test_daily_question_posts_and_is_revealed_by_the_next(tmp_path: Path) -> None:
    """A moderator sets the daily question; it posts when due, takes one answer per member, and
    the next post reveals it with its source and counts the points."""
    async with LoopbackDiscord() as lb:
        guild = lb.add_guild()
        fan = guild.add_member("fan")
        async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
            ix = await lb.slash(
                guild.id,
                "trivia settings",
                options={"daily_channel": guild.general.id, "daily_time": "00:00", "seconds": 15},
                user=guild.moderator,
            )
            await ix.response()
            assert "15 s per question" in ix.content
            assert "00:00 (Asia/Seoul)" in ix.content
            cog = trivia(bot)
            assert await cog.daily.tick() == 1
            assert await cog.daily.tick() == 0, "once per local day"
            daily = await wait_message(lb, guild.general.id, titled("Daily question"))
            repo = bot.store.guild(guild.id).repo(TriviaRepo)
            state = await repo.get_daily()
            assert state is not None
            game_id = state[0]
            assert game_id is not None
            rec = await repo.get_game(game_id)
            assert rec is not None
            right = rec.current_correct
            first = await click(lb, daily, f"trivia:{game_id}:0:{right}", fan)
            assert "You picked" in first.content
            second = await click(lb, daily, f"trivia:{game_id}:0:{right}", fan)
            assert "already answered" in second.content

            await cog.daily.post(guild.id, guild.general.id, "Asia/Seoul", game_id)
            reveal = await wait_message(lb, guild.general.id, titled("Yesterday's daily question"))
            question = cog.bank.by_id[rec.question_ids[0]]
            assert question.source_url is not None
            assert question.source_url in reveal["embeds"][0]["description"]
            stats = await repo.member_stats(fan.id)
            assert stats is not None
            assert stats.correct == 1
            assert stats.games == 0, "the daily question is not counted as a game"
            late = await click(lb, daily, f"trivia:{game_id}:0:{right}", fan)
            assert late.content == "This game has ended."
