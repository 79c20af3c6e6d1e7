"""The daily question: posted at a server-local time, revealed when the next one posts."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfoNotFoundError

import discord

from bot.core.checks import safe_text
from bot.core.loops import BackgroundLoop
from bot.domain.trivia.daily import DAILY_SECONDS, daily_due, local_date
from bot.domain.trivia.game import TriviaGame, correct_for
from bot.domain.trivia.model import Question
from bot.domain.trivia.selection import Pick
from bot.store.trivia import TriviaRepo
from bot.store.trivia_shared import TriviaAcrossGuilds
from cogs.trivia.render import question_embed, reveal_embed
from cogs.trivia.views import question_view

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
TICK_SECONDS = 30.0


class QuestionSource(Protocol):
    """Where the daily question comes from (the Trivia cog): repositories and the question pool."""

    def repo(self, guild_id: int) -> TriviaRepo:
        """Return the trivia repository of one server."""
        ...

    async def pool(self, guild_id: int, category: str | None) -> list[Question]:
        """Return every question the server can be asked, optionally one category only."""
        ...

    async def pick(
        self, guild_id: int, category: str | None, count: int, seed: int, *, kind: str = "game"
    ) -> tuple[list[Question], Pick, list[str]]:
        """Choose questions without repeats; return them, the Pick, and the pool's ids."""
        ...


class DailyPoster:
    """Checks every server's daily time twice a minute and posts when it is due."""

    def __init__(self, bot: Lightstick, source: QuestionSource) -> None:
        self.bot = bot
        self.source = source

    def loop(self) -> BackgroundLoop:
        """Return the daily question's background loop: `tick` twice a minute, never ending."""
        return BackgroundLoop(
            "trivia-daily",
            self._step,
            interval=TICK_SECONDS,
            before=self.bot.wait_until_ready,
            backoff_max=TICK_SECONDS,
            clock=self.bot.clock,
        )

    async def _step(self) -> None:
        await self.tick()

    async def tick(self) -> int:
        """Post every daily question that is due now; return how many were posted."""
        posted = 0
        now = self.bot.clock()
        schedules = await self.bot.store.shared(TriviaAcrossGuilds).daily_guilds()
        for guild_id, channel_id, hhmm, zone in schedules:
            if not self.bot.owns_guild(guild_id):
                continue  # another process's shard posts there
            repo = self.source.repo(guild_id)
            last = await repo.get_daily()
            try:
                if not daily_due(now, zone, hhmm, last[1] if last else None):
                    continue
                await self.post(guild_id, channel_id, zone, last[0] if last else None)
                posted += 1
            except (discord.HTTPException, ZoneInfoNotFoundError, ValueError):
                log.warning("daily trivia failed in server %s", guild_id, exc_info=True)
        return posted

    async def post(self, guild_id: int, channel_id: int, zone: str, previous: int | None) -> int:
        """Reveal the previous daily question (if any) and post a new one; return its game id."""
        repo = self.source.repo(guild_id)
        now = self.bot.clock()
        channel = self.bot.get_partial_messageable(channel_id, guild_id=guild_id)
        if previous is not None:
            await self._reveal(repo, channel, previous)
        seed = secrets.randbits(31)
        chosen, pick, pool = await self.source.pick(guild_id, None, 1, seed, kind="daily")
        game_id = await repo.start_game(
            channel_id=channel_id,
            starter_id=None,
            pick=pick,
            pool=pool,
            seed=seed,
            seconds=DAILY_SECONDS,
            now=now,
            kind="daily",
        )
        # Record the date before posting so a failing channel is not retried every tick all day.
        await repo.set_daily(game_id, local_date(now, zone), None)
        correct = correct_for(chosen[0], seed, 0)
        await repo.open_question(game_id, 0, correct, int(now.timestamp() * 1000))
        game = TriviaGame(game_id, chosen, DAILY_SECONDS, seed)
        game.open_next()
        embed = question_embed(
            chosen[0], 0, 1, game.choices(), now + timedelta(seconds=DAILY_SECONDS)
        )
        embed.title = "Daily question"
        embed.set_footer(text="One answer each; revealed when the next daily question posts.")
        message = await channel.send(
            embed=embed,
            view=question_view(game_id, 0, chosen[0].kind, game.choices()),
            allowed_mentions=NO_PINGS,
        )
        await repo.add_message(game_id, message.id)
        await repo.set_daily(game_id, local_date(now, zone), message.id)
        return game_id

    async def _reveal(
        self, repo: TriviaRepo, channel: discord.PartialMessageable, game_id: int
    ) -> None:
        rec = await repo.get_game(game_id)
        if rec is None or not rec.running:
            return
        await repo.close_question(game_id)
        by_id = {q.id: q for q in await self.source.pool(repo.guild_id, None)}
        question = by_id.get(rec.question_ids[0])
        answers = await repo.round_answers(game_id, 0)
        await repo.end_game(game_id, "daily", self.bot.clock())
        if question is None:  # its pack was removed since
            return
        game = TriviaGame(game_id, [question], rec.seconds, rec.seed)
        game.open_next()
        result = game.close(answers)
        embed = reveal_embed(result, game.choices(), 1)
        embed.title = f"Yesterday's daily question: {embed.title}"
        prompt = safe_text(question.prompt, 1024)
        embed.insert_field_at(0, name="Question", value=prompt, inline=False)
        for message_id in rec.message_ids:
            try:
                await channel.get_partial_message(message_id).edit(
                    view=question_view(
                        game_id,
                        0,
                        question.kind,
                        game.choices(),
                        revealed=True,
                        correct=result.correct_choice,
                    )
                )
            except discord.HTTPException:
                log.info("could not close daily question message %s", message_id)
        await channel.send(embed=embed, allowed_mentions=NO_PINGS)
