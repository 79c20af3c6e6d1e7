"""Answer buttons whose state lives in the custom_id, so old and ended games still answer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.core.buttons import PersistentItem, feature_cog
from bot.core.checks import truncate
from bot.domain.trivia.model import ANSWER_MAX

if TYPE_CHECKING:
    from cogs.trivia.commands import Trivia

EMOJI = ("🇦", "🇧", "🇨", "🇩")


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
        cog = cast("Trivia", feature_cog(interaction, "Trivia"))
        await cog.handle_answer(interaction, self.game_id, self.q_index, self.choice)


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
