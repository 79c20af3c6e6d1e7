"""Embeds for trivia: the question, the reveal, the final scoreboard, leaderboards and stats."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.core.checks import safe_text, truncate
from bot.domain.trivia.game import RoundResult
from bot.domain.trivia.links import link_host, markdown_link
from bot.domain.trivia.model import CATEGORIES, Question
from bot.store.trivia import MemberStats

COLOUR = discord.Colour.from_rgb(255, 105, 180)
LETTERS = ("A", "B", "C", "D")
MEDALS = ("🥇", "🥈", "🥉")
END_REASONS = {
    "finished": "That's the last question!",
    "silent": "Nobody answered three questions in a row, so the game ended itself.",
    "stopped": "The game was stopped.",
    "restart": "The bot restarted, so this game was ended; every point earned so far is kept.",
}


def question_embed(
    question: Question, index: int, total: int, choices: tuple[str, ...], ends_at: datetime
) -> discord.Embed:
    """Render a question with its lettered options and a live countdown."""
    embed = discord.Embed(
        title=f"Question {index + 1}/{total} · {CATEGORIES.get(question.category, 'Trivia')}",
        description=safe_text(question.prompt, 1000),
        colour=COLOUR,
    )
    if question.kind == "typed":
        embed.add_field(
            name="Type your answer",
            value="Press **Answer** and type it: spelling slips, case and spacing are forgiven.",
            inline=False,
        )
    else:
        options = "\n".join(
            f"**{LETTERS[i]}** · {safe_text(c, 100)}" for i, c in enumerate(choices)
        )
        embed.add_field(name="Options", value=options, inline=False)
    embed.add_field(name="Time", value=f"Ends {discord.utils.format_dt(ends_at, 'R')}")
    embed.set_footer(text="One answer each; your answer is confirmed privately.")
    return embed


def source_line(question: Question) -> str:
    """Render the year and source link of a question (or say a pack question has none)."""
    parts = []
    if question.year is not None:
        parts.append(f"Year: **{question.year}**")
    host = link_host(question.source_url) if question.source_url else None
    target = markdown_link(question.source_url) if question.source_url else None
    if host and target:
        # The label is the host the link really opens (see bot.domain.trivia.links).
        parts.append(f"Source: [{safe_text(host, 80)}]({target})")
    else:
        parts.append("Source: server pack (no link given)")
    return " · ".join(parts)


def reveal_embed(result: RoundResult, choices: tuple[str, ...], total: int) -> discord.Embed:
    """Render the answer, its year and source, and the round's scores."""
    q = result.question
    typed = q.kind == "typed"
    if typed:
        heading = safe_text(q.answer, 100)
    else:
        heading = (
            f"{LETTERS[result.correct_choice]} · {safe_text(choices[result.correct_choice], 100)}"
        )
    embed = discord.Embed(
        title=f"Answer {result.index + 1}/{total}: {heading}",
        description=source_line(q),
        colour=discord.Colour.green(),
    )
    if q.source_quote:
        embed.add_field(name="From the source", value=f"> {safe_text(q.source_quote, 900)}")
    if typed and q.accepted:
        also = ", ".join(safe_text(a, 80) for a in q.accepted)
        embed.add_field(name="Also accepted", value=truncate(also, 1024), inline=False)
    lines = [
        f"{'✅' if a.correct else '❌'} <@{a.member_id}> "
        f"{'typed' if typed else LETTERS[a.choice]} · +{a.points}"
        for a in result.answers
    ]
    embed.add_field(
        name="This round",
        value=truncate("\n".join(lines) or "Nobody answered this one.", 1024),
        inline=False,
    )
    return embed


def scoreboard_lines(scores: list[tuple[int, int, int]]) -> str:
    """Render (member, points, correct) rows with medals for the top three."""
    lines = []
    for rank, (member, points, correct) in enumerate(scores, start=1):
        badge = MEDALS[rank - 1] if rank <= len(MEDALS) else f"{rank}."
        lines.append(f"{badge} <@{member}> — **{points}** pts ({correct} correct)")
    return truncate("\n".join(lines), 4000)


def final_embed(scores: list[tuple[int, int, int]], reason: str | None) -> discord.Embed:
    """Render the end-of-game scoreboard."""
    embed = discord.Embed(
        title="Trivia over: final scoreboard",
        description=scoreboard_lines(scores) or "Nobody scored this time.",
        colour=COLOUR,
    )
    embed.set_footer(text=END_REASONS.get(reason or "", "Thanks for playing!"))
    return embed


def leaderboard_embed(rows: list[tuple[int, int, int]], period: str) -> discord.Embed:
    """Render the server leaderboard for the week or all time."""
    title = "Trivia leaderboard · last 7 days" if period == "week" else "Trivia leaderboard"
    return discord.Embed(
        title=title,
        description=scoreboard_lines(rows) or "No points yet. Start a game with `/trivia start`!",
        colour=COLOUR,
    )


def stats_embed(member_id: int, stats: MemberStats | None) -> discord.Embed:
    """Render one member's lasting trivia record."""
    embed = discord.Embed(title="Trivia stats", description=f"<@{member_id}>", colour=COLOUR)
    if stats is None:
        embed.description = f"<@{member_id}> hasn't answered a trivia question here yet."
        return embed
    embed.add_field(name="Points", value=str(stats.points))
    embed.add_field(name="Games", value=str(stats.games))
    embed.add_field(name="Correct", value=f"{stats.correct}/{stats.answered}")
    embed.add_field(name="Best streak", value=str(stats.best_streak))
    embed.add_field(name="Current streak", value=str(stats.current_streak))
    return embed
