"""The game runner: post each question with buttons and a countdown, reveal, then the scoreboard."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import discord

from bot.aio import wait_event
from bot.domain.trivia.game import TriviaGame, correct_for
from bot.store.trivia import TriviaRepo
from cogs.trivia.render import final_embed, question_embed, reveal_embed
from cogs.trivia.views import question_view

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()


def final_nonce(game_id: int) -> str:
    """Return the nonce of a game's final scoreboard (the same from every process)."""
    return f"tvend{game_id}"


class GameRunner:
    """Drives one live game; the database holds the answers, this holds the clock."""

    def __init__(
        self,
        game: TriviaGame,
        *,
        repo: TriviaRepo,
        channel: discord.PartialMessageable,
        seconds: float,
        reveal_pause: float,
        clock: Callable[[], datetime],
        on_done: Callable[[int], object],
    ) -> None:
        """Play `game` in `channel`: `seconds` per question, `reveal_pause` seconds between.

        `repo` is the server's trivia repository, `clock` gives aware UTC time, and `on_done`
        is called with the game id when play stops (before the scoreboard is posted).
        """
        self.game = game
        self.repo = repo
        self._channel = channel
        self._seconds = seconds
        self._reveal_pause = reveal_pause
        self._clock = clock
        self._on_done = on_done
        self._stop = asyncio.Event()

    def stop(self) -> None:
        """Ask the game to reveal the open question and end."""
        self._stop.set()

    async def _wait(self, seconds: float) -> None:
        await wait_event(self._stop, seconds)

    async def run(self) -> None:
        """Play the game to its end; on a Discord failure end it cleanly, keeping points."""
        game = self.game
        try:
            while not game.finished and not self._stop.is_set():
                await self._play_question()
                if not game.finished and not self._stop.is_set():
                    await self._wait(self._reveal_pause)
        except discord.HTTPException:
            log.warning("trivia game %s lost its channel; ending it", game.game_id, exc_info=True)
            game.end("error")
        finally:
            self._on_done(game.game_id)
        reason = "stopped" if self._stop.is_set() else (game.end_reason or "finished")
        game.end(reason)
        # Scoreboard first, then the end mark: a crash in between leaves the game "running",
        # so the restart clean-up posts it again, and the shared nonce makes that a no-op.
        scores = await self.repo.game_scores(game.game_id)
        with contextlib.suppress(discord.HTTPException):
            await self._channel.send(
                embed=final_embed(scores, reason),
                allowed_mentions=NO_PINGS,
                nonce=final_nonce(game.game_id),
            )
        await self.repo.end_game(game.game_id, reason, self._clock())

    async def _play_question(self) -> None:
        game = self.game
        question = game.open_next()
        index = game.index
        seconds = self._seconds
        now = self._clock()
        await self.repo.open_question(
            game.game_id,
            index,
            correct_for(question, game.seed, index),
            int(now.timestamp() * 1000),
        )
        choices = game.choices()
        message = await self._channel.send(
            embed=question_embed(
                question, index, len(game.questions), choices, now + timedelta(seconds=seconds)
            ),
            view=question_view(game.game_id, index, question.kind, choices),
            allowed_mentions=NO_PINGS,
        )
        await self.repo.add_message(game.game_id, message.id)
        await self._wait(seconds)
        await self.repo.close_question(game.game_id)
        result = game.close(await self.repo.round_answers(game.game_id, index))
        await self.repo.apply_answers(game.game_id, self._clock())
        with contextlib.suppress(discord.HTTPException):
            await message.edit(
                view=question_view(
                    game.game_id,
                    index,
                    question.kind,
                    choices,
                    revealed=True,
                    correct=result.correct_choice,
                )
            )
        await self._channel.send(
            embed=reveal_embed(result, choices, len(game.questions)), allowed_mentions=NO_PINGS
        )
