"""Judging answers against the stored game: a click on a choice button, or a typed answer."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.checks import safe_text
from bot.core.tree import respond
from bot.domain.trivia.game import (
    CLOSED_MESSAGE,
    DUPLICATE_MESSAGE,
    ENDED_MESSAGE,
    TYPED_CHOICE,
    Answer,
    Verdict,
    choices_for,
    judge_click,
)
from bot.domain.trivia.matching import NameVariants, is_correct
from bot.domain.trivia.model import Question
from bot.domain.trivia.scoring import score_answer
from bot.errors import NotAllowed
from bot.store.trivia import GameRecord, TriviaRepo
from cogs.trivia.host import TriviaHost
from cogs.trivia.views import EMOJI, TypedAnswerModal

NOT_TYPED_MESSAGE = "That question is answered with its buttons."


class AnswerDesk:
    """Takes members' answers for every live game of the cog; the database decides what counts."""

    def __init__(self, cog: TriviaHost) -> None:
        self.cog = cog
        self._variants: NameVariants | None = None

    def variants(self) -> NameVariants:
        """Return the other spellings of every catalog act (empty until the catalog loads)."""
        catalog = self.cog.bot.catalog
        if self._variants is None and catalog is not None:
            self._variants = NameVariants(
                (e.name, *((e.name_hangul,) if e.name_hangul else ()), *e.aliases)
                for e in catalog.entries
                if e.is_act
            )
        return self._variants or NameVariants()

    async def question(self, guild_id: int, question_id: str) -> Question | None:
        """Return a bank or pack question by id (None if its pack was removed)."""
        question = self.cog.bank.by_id.get(question_id)
        if question is None:
            packs = {q.id: q for q in await self.cog.packs(guild_id).pack_questions()}
            question = packs.get(question_id)
        return question

    async def _open_game(
        self, interaction: discord.Interaction[Any], game_id: int, q_index: int
    ) -> tuple[TriviaRepo, GameRecord] | None:
        """Return the game if question `q_index` is open; else tell the member why and None."""
        if interaction.guild_id is None:
            raise NotAllowed("Trivia only works inside a server.")
        repo = self.cog.repo(interaction.guild_id)
        rec = await repo.get_game(game_id)
        verdict = (
            Verdict.ENDED
            if rec is None
            else judge_click(
                running=rec.running,
                current_index=rec.current_index,
                question_open=rec.question_open,
                q_index=q_index,
            )
        )
        if verdict is Verdict.ENDED or rec is None:
            await respond(interaction, ENDED_MESSAGE, ephemeral=True)
            return None
        if verdict is Verdict.CLOSED or rec.current_correct is None:
            await respond(interaction, CLOSED_MESSAGE, ephemeral=True)
            return None
        return repo, rec

    async def _record(
        self,
        interaction: discord.Interaction[Any],
        repo: TriviaRepo,
        rec: GameRecord,
        q_index: int,
        choice: int,
        correct: bool,
    ) -> bool:
        """Store the answer with its speed points; tell the member if it could not count."""
        now = self.cog.bot.clock()
        elapsed = max(0.0, now.timestamp() - (rec.question_started_ms or 0) / 1000)
        points = score_answer(correct, elapsed, rec.seconds)
        answer = Answer(interaction.user.id, choice, correct, points, elapsed)
        outcome = await repo.record_answer(
            rec.game_id, q_index, interaction.user.id, choice, answer, now
        )
        if outcome == "duplicate":
            await respond(interaction, DUPLICATE_MESSAGE, ephemeral=True)
        elif outcome == "closed":
            await respond(interaction, CLOSED_MESSAGE, ephemeral=True)
        return outcome == "ok"

    async def handle_click(
        self, interaction: discord.Interaction[Any], game_id: int, q_index: int, choice: int
    ) -> None:
        """Judge one click on a choice button and confirm the pick privately."""
        opened = await self._open_game(interaction, game_id, q_index)
        if opened is None:
            return
        repo, rec = opened
        correct = choice == rec.current_correct
        if await self._record(interaction, repo, rec, q_index, choice, correct):
            question = await self.question(repo.guild_id, rec.question_ids[q_index])
            options = choices_for(question, rec.seed, q_index) if question else ()
            label = safe_text(options[choice], 100) if choice < len(options) else "that answer"
            await respond(
                interaction,
                f"You picked {EMOJI[choice]} **{label}**. The answer is revealed when time is up.",
                ephemeral=True,
            )

    async def open_typed(
        self, interaction: discord.Interaction[Any], game_id: int, q_index: int
    ) -> None:
        """Open the answer box if the question is open and the member hasn't answered yet."""
        opened = await self._open_game(interaction, game_id, q_index)
        if opened is None:
            return
        repo, _ = opened
        if await repo.has_answered(game_id, q_index, interaction.user.id):
            await respond(interaction, DUPLICATE_MESSAGE, ephemeral=True)
            return
        await interaction.response.send_modal(
            TypedAnswerModal(game_id, q_index, interaction.user.id)
        )

    async def handle_typed(
        self, interaction: discord.Interaction[Any], game_id: int, q_index: int, text: str
    ) -> None:
        """Judge a typed answer (see bot.domain.trivia.matching) and confirm it privately."""
        opened = await self._open_game(interaction, game_id, q_index)
        if opened is None:
            return
        repo, rec = opened
        question = await self.question(repo.guild_id, rec.question_ids[q_index])
        if question is None or question.kind != "typed":
            await respond(interaction, NOT_TYPED_MESSAGE, ephemeral=True)
            return
        correct = is_correct(text, (question.answer, *question.accepted), self.variants())
        if await self._record(interaction, repo, rec, q_index, TYPED_CHOICE, correct):
            await respond(
                interaction,
                f"You answered **{safe_text(text, 100)}**. The answer is revealed when time is up.",
                ephemeral=True,
            )
