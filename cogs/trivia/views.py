"""Answer buttons whose state lives in the custom_id, so old and ended games still answer; the
typed-answer button opens a modal (a Discord text input) whose submission is judged the same way."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol, cast

import discord

from bot.core.buttons import PersistentItem, feature_cog
from bot.core.checks import truncate
from bot.core.tree import answer_in_time, handle_interaction_error
from bot.domain.trivia.matching import TYPED_MAX
from bot.domain.trivia.model import ANSWER_MAX, QuestionKind


class AnswerHandler(Protocol):
    """What the answer buttons and boxes need: the cog's answer desk (cogs/trivia/answers.py)."""

    async def handle_click(
        self, interaction: discord.Interaction[Any], game_id: int, q_index: int, choice: int
    ) -> None:
        """Judge one click on a choice button."""

    async def open_typed(
        self, interaction: discord.Interaction[Any], game_id: int, q_index: int
    ) -> None:
        """Open the answer box of a typed question."""

    async def handle_typed(
        self, interaction: discord.Interaction[Any], game_id: int, q_index: int, text: str
    ) -> None:
        """Judge a typed answer."""


EMOJI = ("🇦", "🇧", "🇨", "🇩")
TYPED_EMOJI = "✏️"


def answer_custom_id(game_id: int, q_index: int, choice: int) -> str:
    """Return the custom_id of one answer button."""
    return f"trivia:{game_id}:{q_index}:{choice}"


class AnswerButton(
    PersistentItem[discord.ui.Button[discord.ui.View]],
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
    def from_match(cls, match: re.Match[str]) -> AnswerButton:
        """Rebuild the component from its custom_id."""
        return cls(int(match["game"]), int(match["q"]), int(match["choice"]))

    where = "trivia answer button"

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Record the answer through the cog."""
        await _answers(interaction).handle_click(
            interaction, self.game_id, self.q_index, self.choice
        )


def typed_custom_id(game_id: int, q_index: int) -> str:
    """Return the custom_id of a typed-answer question's "Answer" button."""
    return f"trivia:{game_id}:{q_index}:answer"


def _answers(interaction: discord.Interaction[Any]) -> AnswerHandler:
    return cast(AnswerHandler, feature_cog(interaction, "Trivia").answers)


# Answer boxes are judged by the cog's listener (see TypedAnswerModal), which the bot's
# fallback for unclaimed components learns from the cog's `claimed_custom_ids`.
TYPED_MODAL_ID = re.compile(r"^trivia-typed:([0-9]{1,19}):([0-9]{1,3}):[0-9]{1,20}$")
# Discord keeps an open modal until the member closes it; the bot forgets it after this long.
MODAL_TIMEOUT = 900.0


def typed_modal_id(game_id: int, q_index: int, member_id: int) -> str:
    """Return the custom_id of one member's answer box (discord.py keys open modals by it)."""
    return f"trivia-typed:{game_id}:{q_index}:{member_id}"


def parse_typed_submission(data: Mapping[str, Any] | None) -> tuple[int, int, str] | None:
    """Return (game id, question index, typed text) of an answer-box submission, else None."""
    if not data:
        return None
    match = TYPED_MODAL_ID.match(str(data.get("custom_id", "")))
    if match is None:
        return None
    return int(match[1]), int(match[2]), _text_value(data.get("components") or [], "answer")


def _text_value(components: list[Any], custom_id: str) -> str:
    for comp in components:
        if comp.get("custom_id") == custom_id:
            return str(comp.get("value") or "")
        nested = comp.get("components") or ([comp["component"]] if "component" in comp else [])
        found = _text_value(nested, custom_id)
        if found:
            return found
    return ""


class TypedAnswerModal(discord.ui.Modal):
    """The text box a member types an answer in.

    Submissions are judged by the cog's `on_interaction` listener from the custom_id and the
    submitted value, not by this object: discord.py forgets open modals when the bot restarts,
    and an answer typed across a restart must still get a reply (here: that the game ended).
    """

    answer: discord.ui.TextInput[TypedAnswerModal] = discord.ui.TextInput(
        label="Your answer",
        custom_id="answer",
        placeholder="Spelling, case and spacing are forgiven",
        min_length=1,
        max_length=TYPED_MAX,
    )

    def __init__(self, game_id: int, q_index: int, member_id: int) -> None:
        super().__init__(
            title=f"Question {q_index + 1}",
            custom_id=typed_modal_id(game_id, q_index, member_id),
            timeout=MODAL_TIMEOUT,
        )

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Do nothing: the cog's listener answers every submission (see the class docstring)."""


async def handle_typed_submission(interaction: discord.Interaction[Any]) -> bool:
    """Judge an answer-box submission if this is one; errors go through the one funnel.

    Return whether the interaction was an answer-box submission.
    """
    if interaction.type is not discord.InteractionType.modal_submit:
        return False
    parsed = parse_typed_submission(cast("Mapping[str, Any] | None", interaction.data))
    if parsed is None:
        return False
    answer_in_time(interaction)
    try:
        await _answers(interaction).handle_typed(interaction, *parsed)
    except Exception as exc:
        await handle_interaction_error(interaction, exc, where="trivia answer modal")
    return True


class TypedAnswerButton(
    PersistentItem[discord.ui.Button[discord.ui.View]],
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

    where = "trivia typed answer button"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> TypedAnswerButton:
        """Rebuild the button from its custom_id."""
        return cls(int(match["game"]), int(match["q"]))

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Open the answer modal (or say why not)."""
        await _answers(interaction).open_typed(interaction, self.game_id, self.q_index)


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
