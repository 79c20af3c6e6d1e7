"""Answer buttons whose state lives in the custom_id, so old and ended games still answer; the
typed-answer button opens a modal (a Discord text input) whose submission is judged the same way."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.core.checks import truncate
from bot.core.tree import handle_interaction_error
from bot.domain.trivia.matching import TYPED_MAX
from bot.domain.trivia.model import ANSWER_MAX, QuestionKind

if TYPE_CHECKING:
    from cogs.trivia.commands import Trivia

EMOJI = ("🇦", "🇧", "🇨", "🇩")
TYPED_EMOJI = "✏️"


def answer_custom_id(game_id: int, q_index: int, choice: int) -> str:
    """Return the custom_id of one answer button."""
    return f"trivia:{game_id}:{q_index}:{choice}"


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"trivia:(?P<game>[0-9]{1,19}):(?P<q>[0-9]{1,3}):(?P<choice>[0-3])",
):
    """One answer; a click is judged against the stored game, even after a restart."""

    def __init__(
        self,
        game_id: int,
        q_index: int,
        choice: int,
        *,
        label: str = "?",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=truncate(label, ANSWER_MAX),
                emoji=EMOJI[choice],
                style=style,
                custom_id=answer_custom_id(game_id, q_index, choice),
                disabled=disabled,
            )
        )
        self.game_id = game_id
        self.q_index = q_index
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> AnswerButton:
        """Rebuild the button from its custom_id."""
        return cls(int(match["game"]), int(match["q"]), int(match["choice"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Record the answer through the cog; errors go through the one funnel."""
        try:
            await _cog(interaction).answers.handle_click(
                interaction, self.game_id, self.q_index, self.choice
            )
        except Exception as exc:
            await handle_interaction_error(interaction, exc, where="trivia answer button")


def typed_custom_id(game_id: int, q_index: int) -> str:
    """Return the custom_id of a typed-answer question's "Answer" button."""
    return f"trivia:{game_id}:{q_index}:answer"


def _cog(interaction: discord.Interaction[Any]) -> Trivia:
    cog = cast("Trivia | None", interaction.client.get_cog("Trivia"))
    if cog is None:
        raise RuntimeError("Trivia cog not loaded")
    return cog


class TypedAnswerModal(discord.ui.Modal):
    """The text box a member types an answer in; judged when submitted."""

    answer: discord.ui.TextInput[TypedAnswerModal] = discord.ui.TextInput(
        label="Your answer",
        custom_id="answer",
        placeholder="Spelling, case and spacing are forgiven",
        min_length=1,
        max_length=TYPED_MAX,
    )

    def __init__(self, game_id: int, q_index: int) -> None:
        super().__init__(
            title=f"Question {q_index + 1}", custom_id=f"trivia-typed:{game_id}:{q_index}"
        )
        self.game_id = game_id
        self.q_index = q_index

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Judge the typed answer against the stored game."""
        await _cog(interaction).answers.handle_typed(
            interaction, self.game_id, self.q_index, self.answer.value
        )

    # discord.ui.Modal narrows BaseView.on_error (no `item`); mypy sees the narrowing here.
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        """Route the failure through the one error funnel (discord.py would only log it)."""
        await handle_interaction_error(interaction, error, where="trivia answer modal")


class TypedAnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"trivia:(?P<game>[0-9]{1,19}):(?P<q>[0-9]{1,3}):answer",
):
    """The "Answer" button of a typed question: opens the text box if the question is open."""

    def __init__(
        self,
        game_id: int,
        q_index: int,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.primary,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label="Answer",
                emoji=TYPED_EMOJI,
                style=style,
                custom_id=typed_custom_id(game_id, q_index),
            )
        )
        self.game_id = game_id
        self.q_index = q_index

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> TypedAnswerButton:
        """Rebuild the button from its custom_id."""
        return cls(int(match["game"]), int(match["q"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Open the answer modal (or say why not); errors go through the one funnel."""
        try:
            await _cog(interaction).answers.open_typed(interaction, self.game_id, self.q_index)
        except Exception as exc:
            await handle_interaction_error(interaction, exc, where="trivia typed answer button")


def question_view(
    game_id: int,
    q_index: int,
    kind: QuestionKind,
    choices: tuple[str, ...],
    *,
    revealed: bool = False,
    correct: int | None = None,
) -> discord.ui.View:
    """Return the answer controls of a question: four buttons, or the one "Answer" button."""
    if kind == "choice":
        return answer_view(game_id, q_index, choices, correct=correct if revealed else None)
    view = discord.ui.View(timeout=None)
    style = discord.ButtonStyle.secondary if revealed else discord.ButtonStyle.primary
    view.add_item(TypedAnswerButton(game_id, q_index, style=style))
    return view


def answer_view(
    game_id: int, q_index: int, choices: tuple[str, ...], *, correct: int | None = None
) -> discord.ui.View:
    """Return the four answer buttons; with `correct` set the right one is shown in green.

    Revealed buttons stay clickable on purpose: a late click is told the question is closed or
    the game has ended, instead of a greyed-out button that explains nothing.
    """
    view = discord.ui.View(timeout=None)
    for i, label in enumerate(choices):
        style = discord.ButtonStyle.primary
        if correct is not None:
            style = discord.ButtonStyle.success if i == correct else discord.ButtonStyle.secondary
        view.add_item(AnswerButton(game_id, q_index, i, label=label, style=style))
    return view
