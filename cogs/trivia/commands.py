"""/trivia: start, stop, leaderboard, stats, server packs and settings; answer-click handling."""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.checks import (
    is_moderator,
    moderator_only,
    permission_name,
    require_manage_guild,
    require_member_can_post,
    who_can_fix,
)
from bot.core.tree import respond
from bot.domain.text import join_words, plural
from bot.domain.trivia.bank import Bank, load_bank
from bot.domain.trivia.daily import parse_daily_time
from bot.domain.trivia.game import (
    TriviaGame,
)
from bot.domain.trivia.model import CATEGORIES, PACK_NAME_MAX, Question
from bot.domain.trivia.selection import Pick, choose_unseen
from bot.errors import Conflict, NotAllowed, NotFound
from bot.store.trivia import (
    QUESTIONS_MAX,
    SECONDS_MAX,
    SECONDS_MIN,
    TriviaRepo,
    week_ago,
)
from bot.store.trivia_packs import TriviaPackRepo
from bot.store.trivia_shared import TriviaAcrossGuilds
from cogs.trivia.answers import AnswerDesk
from cogs.trivia.daily import DailyPoster
from cogs.trivia.game import GameRunner, final_nonce
from cogs.trivia.packs import import_pack, list_packs, remove_pack, send_template
from cogs.trivia.render import final_embed, leaderboard_embed, stats_embed
from cogs.trivia.views import (
    TYPED_MODAL_ID,
    AnswerButton,
    TypedAnswerButton,
    handle_typed_submission,
)

if TYPE_CHECKING:
    from bot.core.client import Lightstick

log = logging.getLogger(__name__)

CATEGORY_CHOICES = [app_commands.Choice(name=label, value=key) for key, label in CATEGORIES.items()]
PERIOD_CHOICES = [
    app_commands.Choice(name="This week", value="week"),
    app_commands.Choice(name="All time", value="all"),
]
NEEDED = ("view_channel", "send_messages", "embed_links")
RECENT_DAILIES = 7  # the daily question avoids the last week's daily questions


@app_commands.guild_only()
class Trivia(commands.GroupCog, group_name="trivia", group_description="K-pop trivia games."):
    """Trivia about K-pop firsts: games on buttons, lasting leaderboards, server packs."""

    pack = app_commands.Group(name="pack", description="Your server's own trivia questions.")
    # Registered by the bot when this cog is added (bot/core/buttons.py).
    persistent_items = (AnswerButton, TypedAnswerButton)
    # Answer boxes are judged by `on_interaction` below, also after a restart.
    claimed_custom_ids = (TYPED_MODAL_ID,)

    def __init__(self, bot: Lightstick, bank: Bank | None = None) -> None:
        self.bot = bot
        self.bank = bank or load_bank()
        self.runners: dict[int, GameRunner] = {}
        self.daily = DailyPoster(self.bot, self)
        self._daily_loop = self.daily.loop()
        self.answers = AnswerDesk(self)
        # Test-only knobs: real users are held to 10-60 s by the settings command.
        self.seconds_override: float | None = None
        self.reveal_pause: float = 3.0
        self.new_seed: Callable[[], int] = lambda: secrets.randbits(31)
        self._started = False
        super().__init__()

    # -- helpers -------------------------------------------------------------------------------

    def repo(self, guild_id: int) -> TriviaRepo:
        """Return the trivia repository of one server."""
        return self.bot.store.guild(guild_id).repo(TriviaRepo)

    def packs(self, guild_id: int) -> TriviaPackRepo:
        """Return the pack repository of one server."""
        return self.bot.store.guild(guild_id).repo(TriviaPackRepo)

    def question_seconds(self, stored: int) -> float:
        """Return how long a question stays open (the test override wins)."""
        return self.seconds_override if self.seconds_override is not None else float(stored)

    async def pool(self, guild_id: int, category: str | None) -> list[Question]:
        """Return the bank plus this server's packs, optionally one category only."""
        questions = [*self.bank.questions, *await self.packs(guild_id).pack_questions()]
        return [q for q in questions if category is None or q.category == category]

    async def pick(
        self, guild_id: int, category: str | None, count: int, seed: int, *, kind: str = "game"
    ) -> tuple[list[Question], Pick, list[str]]:
        """Choose unseen questions, avoiding the server's last game (or last week's daily
        questions); return them, the Pick, and the pool's ids."""
        pool = await self.pool(guild_id, category)
        if not pool:
            raise NotFound("There are no questions in that category yet.")
        by_id = {q.id: q for q in pool}
        ids = list(by_id)
        repo = self.repo(guild_id)
        recent = await repo.recent_question_ids(kind, RECENT_DAILIES if kind == "daily" else 1)
        choice = choose_unseen(
            ids, await repo.seen_ids(), count, random.Random(seed), recent=recent
        )
        return [by_id[i] for i in choice.ids], choice, ids

    # -- lifecycle -----------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """End games a stopped bot left running (keeping points)."""
        if self._started:
            return
        self._started = True
        await self.end_orphaned_games()

    async def end_orphaned_games(self) -> int:
        """End every game marked running that no runner of this process owns; return how many.

        Only games in servers of this process's shards: another process runs the others.
        """
        ended = 0
        for rec in await self.bot.store.shared(TriviaAcrossGuilds).running_games():
            if rec.game_id in self.runners or not self.bot.owns_guild(rec.guild_id):
                continue
            repo = self.repo(rec.guild_id)
            scores = await repo.game_scores(rec.game_id)
            channel = self.bot.get_partial_messageable(rec.channel_id, guild_id=rec.guild_id)
            try:
                # Same nonce as the runner's own scoreboard, in case it got out before a crash.
                await channel.send(
                    embed=final_embed(scores, "restart"),
                    allowed_mentions=discord.AllowedMentions.none(),
                    nonce=final_nonce(rec.game_id),
                )
            except discord.HTTPException:
                log.info("could not post the restart notice of trivia game %s", rec.game_id)
            if await repo.end_game(rec.game_id, "restart", self.bot.clock()):
                ended += 1
        return ended

    async def cog_load(self) -> None:
        """Start the daily question's loop."""
        self.bot.start_loop(self._daily_loop)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Judge typed answers from the answer box, including boxes opened before a restart."""
        await handle_typed_submission(interaction)

    async def cog_unload(self) -> None:
        """Stop live games (the database keeps them for the restart clean-up) and the daily loop."""
        await self.bot.stop_loop(self._daily_loop)
        for runner in list(self.runners.values()):
            runner.stop()

    # -- commands ------------------------------------------------------------------------------

    @app_commands.command(name="start", description="Start a trivia game in this channel.")
    @app_commands.describe(
        questions="How many questions (1-20; the server default if left out).",
        category="Only questions from this category.",
    )
    @app_commands.choices(category=CATEGORY_CHOICES)
    async def start(
        self,
        interaction: discord.Interaction[Lightstick],
        questions: app_commands.Range[int, 1, QUESTIONS_MAX] | None = None,
        category: app_commands.Range[str, 1, 20] | None = None,
    ) -> None:
        """Start a game: one per channel, questions the server has not seen first."""
        guild_id, channel_id = _where(interaction)
        missing = [
            permission_name(p) for p in NEEDED if not getattr(interaction.app_permissions, p)
        ]
        if missing:
            raise NotAllowed(
                f"I can't run a game here: I'm missing {join_words(missing)} in this channel. "
                + who_can_fix(interaction.permissions, len(missing))
            )
        repo = self.repo(guild_id)
        if await repo.running_game_in(channel_id) is not None:
            raise Conflict("A trivia game is already running in this channel.")
        settings = await repo.get_settings()
        count = questions or settings.questions_per_game
        seed = self.new_seed()
        cat = category if category in CATEGORIES else None
        chosen, pick, pool = await self.pick(guild_id, cat, count, seed)
        seconds = max(1, round(self.question_seconds(settings.seconds_per_question)))
        game_id = await repo.start_game(
            channel_id=channel_id,
            starter_id=interaction.user.id,
            pick=pick,
            pool=pool,
            seed=seed,
            seconds=seconds,
            now=self.bot.clock(),
            category=cat,
        )
        game = TriviaGame(game_id, chosen, seconds, seed)
        runner = GameRunner(
            game,
            repo=self.repo(guild_id),
            channel=self.bot.get_partial_messageable(channel_id, guild_id=guild_id),
            seconds=self.question_seconds(game.seconds),
            reveal_pause=self.reveal_pause,
            clock=self.bot.clock,
            on_done=lambda done_id: self.runners.pop(done_id, None),
        )
        self.runners[game_id] = runner
        where = f" from **{CATEGORIES[cat]}**" if cat else ""
        await respond(
            interaction,
            f"Trivia time! {plural(len(chosen), 'question')}{where}, {seconds} s each. "
            "Fast and right scores most.",
        )
        self.bot.spawn(runner.run(), name=f"trivia-game-{game_id}")

    @app_commands.command(name="stop", description="Stop the trivia game in this channel.")
    async def stop(self, interaction: discord.Interaction[Lightstick]) -> None:
        """Stop the channel's game: its starter or a moderator only."""
        guild_id, channel_id = _where(interaction)
        repo = self.repo(guild_id)
        rec = await repo.running_game_in(channel_id)
        if rec is None:
            raise NotFound("No trivia game is running in this channel.")
        if rec.starter_id != interaction.user.id and not is_moderator(interaction.permissions):
            raise NotAllowed("Only the member who started this game or a moderator can stop it.")
        runner = self.runners.get(rec.game_id)
        if runner is not None:
            runner.stop()
            await respond(interaction, "Stopping the game: revealing this answer, then scores.")
            return
        await repo.end_game(rec.game_id, "stopped", self.bot.clock())
        await respond(
            interaction, embed=final_embed(await repo.game_scores(rec.game_id), "stopped")
        )

    @app_commands.command(name="leaderboard", description="The server's trivia leaderboard.")
    @app_commands.describe(period="This week or all time (all time if left out).")
    @app_commands.choices(period=PERIOD_CHOICES)
    async def leaderboard(
        self,
        interaction: discord.Interaction[Lightstick],
        period: app_commands.Range[str, 1, 4] = "all",
    ) -> None:
        """Show the top members by points, for the last 7 days or all time."""
        guild_id, _ = _where(interaction)
        since = week_ago(self.bot.clock()) if period == "week" else None
        rows = await self.repo(guild_id).leaderboard(since=since)
        await respond(interaction, embed=leaderboard_embed(rows, period))

    @app_commands.command(name="stats", description="A member's trivia points, games and streaks.")
    @app_commands.describe(member="Whose stats (yours if left out).")
    async def stats(
        self, interaction: discord.Interaction[Lightstick], member: discord.User | None = None
    ) -> None:
        """Show one member's lasting record in this server."""
        guild_id, _ = _where(interaction)
        target = (member or interaction.user).id
        stats = await self.repo(guild_id).member_stats(target)
        await respond(interaction, embed=stats_embed(target, stats), ephemeral=True)

    @pack.command(
        name="import",
        description="Import questions: a Lightstick pack, Red trivia list or sir-lancebot quiz.",
        extras=moderator_only(),
    )
    @app_commands.describe(
        file="A .yaml, .yml or .json question file.", name="A name for the pack."
    )
    async def pack_import(
        self,
        interaction: discord.Interaction[Lightstick],
        file: discord.Attachment,
        name: app_commands.Range[str, 1, PACK_NAME_MAX],
    ) -> None:
        """Validate an attached pack and store it for this server only."""
        await import_pack(self, interaction, file, name)

    @pack.command(
        name="template",
        description="Get an example question pack to edit.",
        extras=moderator_only(),
    )
    async def pack_template(self, interaction: discord.Interaction[Lightstick]) -> None:
        """Send the ready-to-edit example pack as a file (moderators: only they can import it)."""
        require_manage_guild(interaction)
        await send_template(interaction)

    @pack.command(name="list", description="List this server's question packs.")
    async def pack_list(self, interaction: discord.Interaction[Lightstick]) -> None:
        """List the packs with their sizes."""
        await list_packs(self, interaction)

    @pack.command(
        name="remove",
        description="Remove one of this server's question packs.",
        extras=moderator_only(),
    )
    @app_commands.describe(name="The pack's name.")
    async def pack_remove(
        self,
        interaction: discord.Interaction[Lightstick],
        name: app_commands.Range[str, 1, PACK_NAME_MAX],
    ) -> None:
        """Delete a pack and its questions."""
        await remove_pack(self, interaction, name)

    @app_commands.command(
        name="settings",
        description="Trivia timing, game length and daily question.",
        extras=moderator_only(),
    )
    @app_commands.describe(
        seconds="Seconds per question (10-60).",
        questions="Questions per game by default (1-20).",
        daily_channel="Channel for the daily question.",
        daily_time="Local time for the daily question, HH:MM (server timezone).",
        daily_off="Turn the daily question off.",
    )
    @app_commands.default_permissions(manage_guild=True)
    async def settings(
        self,
        interaction: discord.Interaction[Lightstick],
        seconds: app_commands.Range[int, SECONDS_MIN, SECONDS_MAX] | None = None,
        questions: app_commands.Range[int, 1, QUESTIONS_MAX] | None = None,
        daily_channel: discord.TextChannel | None = None,
        daily_time: app_commands.Range[str, 4, 5] | None = None,
        daily_off: bool = False,
    ) -> None:
        """Change (or just show) the server's trivia settings."""
        require_manage_guild(interaction)
        guild_id, _ = _where(interaction)
        changes: dict[str, Any] = {}
        if seconds is not None:
            changes["seconds"] = seconds
        if questions is not None:
            changes["questions"] = questions
        if daily_channel is not None:
            require_member_can_post(interaction, daily_channel)
            changes["daily_channel_id"] = daily_channel.id
        if daily_time is not None:
            changes["daily_time"] = parse_daily_time(daily_time)
        if daily_off:
            changes.update(daily_channel_id=None, daily_time=None)
        if changes:
            await self.repo(guild_id).update_settings(**changes)
        _, text = await self.settings_section(guild_id)
        await respond(interaction, text, ephemeral=True)

    async def kept_on_rejoin(self, guild_id: int) -> list[str]:
        """Say what a returning server kept of trivia: its scores and its question packs."""
        kept = ["trivia scores"] if await self.repo(guild_id).leaderboard(limit=1) else []
        packs = len(await self.packs(guild_id).list_packs())
        return kept + ([plural(packs, "question pack")] if packs else [])

    async def settings_section(self, guild_id: int) -> tuple[str, str]:
        """Describe timing, game length and the daily question for /settings."""
        s = await self.repo(guild_id).get_settings()
        zone = await self.bot.store.guild(guild_id).settings.get_timezone()
        if s.daily_channel_id and s.daily_time:
            daily = f"daily question in <#{s.daily_channel_id}> at {s.daily_time} ({zone})"
        else:
            daily = "no daily question (set one with `/trivia settings daily_channel daily_time`)"
        packs = len(await self.packs(guild_id).list_packs())
        return (
            "Trivia",
            f"{s.seconds_per_question} s per question, "
            f"{plural(s.questions_per_game, 'question')} per game; "
            f"{daily}; {plural(packs, 'server pack')}.",
        )


def _where(interaction: discord.Interaction[Any]) -> tuple[int, int]:
    if interaction.guild_id is None or interaction.channel_id is None:
        raise NotAllowed("Trivia only works inside a server.")
    return interaction.guild_id, interaction.channel_id
