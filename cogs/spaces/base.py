"""State and helpers behind /spaces: repositories, the poller and fan-out loops, autocomplete."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.clients.x import XClient
from bot.core.checks import (
    require_member_can_post,
    safe_text,
)
from bot.core.confirm import ConfirmView
from bot.core.loops import BackgroundLoop
from bot.core.tree import defer, edit_message, respond
from bot.domain.catalog.pick import pick_artist
from bot.domain.spaces.keys import handle_key
from bot.domain.spaces.text import parse_keywords, validate_template
from bot.domain.text import clean_text
from bot.errors import InvalidInput, NotFound, Upstream
from bot.services.cluster import LEASE_ROUNDS, POLLER_LEASE
from bot.services.spaces.accounts import (
    FollowTarget,
    act_with_handle,
    entry_target,
    handle_target,
    looks_like_handle,
    resolve_accounts,
)
from bot.services.spaces.fanout import Announcer
from bot.services.spaces.poller import SpacesPoller
from bot.store.aliases import AliasRepo
from bot.store.spaces import Follow, SpacesConfig, SpacesRepo
from bot.store.spaces_tracking import SpaceTrackingRepo
from cogs.artist_names import RUN_AGAIN, choice_text, near_miss_text
from cogs.spaces.announce import DiscordSender
from cogs.spaces.confirm import PREVIEW_WORDS
from cogs.spaces.health import ChannelHealth
from cogs.spaces.helpers import (
    NO_API_HELP,
    ROLE_DELETED,
    artist_choices,
    check_channel,
    check_role,
    follow_changes,
    follow_choices,
    follow_preview,
    template_preview,
)

if TYPE_CHECKING:
    from bot.core.client import Lightstick
    from bot.domain.catalog import Catalog

log = logging.getLogger(__name__)


def checked_template(artist_name: str, template: str | None) -> str | None:
    """Return the cleaned template, or raise InvalidInput showing what fans would have seen."""
    if template is None:
        return None
    try:
        return validate_template(template)
    except InvalidInput as exc:
        shown = template_preview(artist_name, clean_text(template, multiline=True)[:600])
        raise InvalidInput(
            f"{exc.message} Nothing was saved. Fans would have read:\n{shown}"
        ) from None


class SpacesBase(commands.Cog):
    """What every /spaces command shares: the tracking repository, X client, loops, helpers."""

    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot
        self.tracking = bot.store.shared(SpaceTrackingRepo)
        self.x_client: XClient | None = None
        self.health = ChannelHealth(bot, self.tracking)
        self.announcer = Announcer(
            self.tracking,
            DiscordSender(bot),
            holder=bot.process_id,
            on_broken=self._on_broken,
            shards=bot.shard_spec,
        )
        self.poller: SpacesPoller | None = None
        self._loops: list[BackgroundLoop] = []
        super().__init__()

    async def cog_load(self) -> None:
        """Use the bot's X client (built from X_BEARER_TOKEN) and build the poller."""
        self.x_client = self.bot.x_client
        self.poller = SpacesPoller(
            self.tracking,
            self.x_client,
            interval=float(self.bot.settings.spaces_poll_seconds),
            on_events=self.announcer.wake,
        )
        # The fan-out first drains what a stopped bot left (resuming interrupted deliveries).
        self._loops.append(
            self.bot.start_loop(
                BackgroundLoop(
                    "spaces-fanout",
                    self._drain_step,
                    interval=self.announcer.idle_seconds,
                    wake=self.announcer.wake_event,
                    before=self.bot.wait_until_ready,
                    clock=self.bot.clock,
                )
            )
        )
        # The fan-out sends at this process's share of Discord's budget, and wakes as soon as
        # the poller (whichever process it is in) commits new transitions.
        self.bot.cluster.on_share(self.announcer.pacer.set_rate)
        await self.bot.cluster.on_outbox(self.announcer.wake)
        if self.x_client is not None:
            self._loops.append(
                self.bot.start_loop(
                    BackgroundLoop(
                        "spaces-poller",
                        self._poll_step,
                        interval=self.poller.interval,
                        before=self.bot.wait_until_ready,
                        clock=self.bot.clock,
                    )
                )
            )

    async def _drain_step(self) -> None:
        await self.announcer.drain()

    async def _poll_step(self) -> float | None:
        """Poll X if this process holds the poller's lease; else look again when the holder's
        lease runs out (a dead holder is replaced at once), and at least every half round."""
        if self.poller is None:
            return None
        interval = self.poller.interval
        lease = interval * LEASE_ROUNDS
        if not await self.bot.cluster.hold(POLLER_LEASE, lease):
            return self.bot.cluster.next_look(POLLER_LEASE, interval / 2)
        await self.poller.poll_once()
        # Renewed after the poll too, so a slow poll does not let the lease lapse.
        await self.bot.cluster.hold(POLLER_LEASE, lease)
        return None

    async def who_polls(self) -> str:
        """Say which process polls X: "this", "other" (another process holds the lease), "none"."""
        cluster = self.bot.cluster
        if self.x_client is not None and cluster.holds(POLLER_LEASE):
            return "this"
        lease = await cluster.holder(POLLER_LEASE)
        if lease is None:
            return "none"
        return "this" if lease.holder == cluster.name else "other"

    async def cog_unload(self) -> None:
        """Stop the poller and fan-out loops (a reload starts them again)."""
        self.bot.cluster.off_share(self.announcer.pacer.set_rate)
        for loop in self._loops:
            await self.bot.stop_loop(loop)
        self._loops.clear()

    # -- broken channels -------------------------------------------------------------------

    def _on_broken(self, guild_id: int, channel_id: int, reason: str) -> None:
        self.bot.spawn(
            self.health.tell_stopped(guild_id, channel_id, reason), name="spaces-broken-notice"
        )

    # -- helpers ---------------------------------------------------------------------------

    def _repo(self, guild_id: int) -> SpacesRepo:
        return self.bot.store.guild(guild_id).repo(SpacesRepo)

    async def catalog(self) -> Catalog | None:
        """Return the bot's artist catalog (None if it failed to load: @handles still work)."""
        return self.bot.catalog

    async def server_aliases(self, guild_id: int) -> dict[str, str]:
        """Return this server's own nicknames for acts (folded alias: entry id)."""
        return await self.bot.store.guild(guild_id).repo(AliasRepo).alias_map()

    async def follow_target(self, guild_id: int, artist: str) -> FollowTarget:
        """Read what `/spaces follow` was given: an @handle or profile link, an act by the rule
        every artist option follows (exact name, alias, picked id), or an act's bare X handle.

        Raises NotFound "Did you mean …?" for a near miss, InvalidInput when several acts share
        the name or the text is no handle either.
        """
        catalog = await self.catalog()
        raw = artist.strip()
        if catalog is None or looks_like_handle(raw):
            return handle_target(catalog, raw)
        pick = pick_artist(
            catalog,
            raw,
            extra_aliases=await self.server_aliases(guild_id),
            keep=lambda entry: bool(entry.x_handles),
        )
        if pick.entry is not None:
            return entry_target(pick.entry)
        if pick.kind == "choose":
            raise InvalidInput(choice_text(catalog, pick))
        if act_with_handle(catalog, raw) is not None:
            return handle_target(catalog, raw)
        if pick.kind == "near":
            then = f"{RUN_AGAIN} For an X account, write its @handle."
            raise NotFound(near_miss_text(catalog, pick, then))
        try:
            return handle_target(catalog, raw)
        except InvalidInput:
            raise NotFound(
                "I couldn't find that act. Pick one from the list, or give an X handle like "
                "@BTS_twt."
            ) from None

    def _require_x(self) -> XClient:
        if self.x_client is None:
            raise Upstream(NO_API_HELP)
        return self.x_client

    async def _config(self, guild_id: int) -> SpacesConfig:
        config = await self._repo(guild_id).get_config()
        if config is None:
            raise NotFound("Run `/spaces setup` first to choose the announcement channel.")
        return config

    async def _follow(
        self,
        interaction: discord.Interaction,
        artist: str,
        channel: discord.TextChannel | None,
        role: discord.Role | None,
        keywords: str | None,
        template: str | None,
    ) -> None:
        guild = interaction.guild
        assert guild is not None  # noqa: S101 - guild_only
        client = self._require_x()
        repo = self._repo(guild.id)
        config = await repo.get_config()
        target = await self.follow_target(guild.id, artist)
        keys = {handle_key(h) for h in target.handles}
        prev = next(
            (
                f
                for f in await repo.list_follows()
                if (target.artist_id and f.artist_id == target.artist_id) or f.handle_key in keys
            ),
            None,
        )
        # Following again changes only what was given; the rest of the follow is kept.
        channel_id = channel.id if channel else (prev.channel_id if prev else None)
        role_id = role.id if role else (prev.role_id if prev else None)
        if config is None and channel_id is None:
            raise NotFound("Run `/spaces setup` first, or give this follow a channel.")
        where = guild.get_channel(channel_id or (config.channel_id if config else 0))
        if where is None:
            raise NotFound("The announcement channel no longer exists; run `/spaces setup`.")
        check_role(guild, role)
        ping = guild.get_role(role_id or (config.role_id if config and config.role_id else 0))
        if channel is not None:
            require_member_can_post(interaction, channel)
        check_channel(guild, where, ping)
        words = (
            parse_keywords(keywords) if keywords is not None else (prev.keywords if prev else ())
        )
        text = (
            checked_template(target.artist_name, template)
            if template is not None
            else (prev.template if prev else None)
        )
        if not interaction.response.is_done():
            await defer(interaction)
        accounts = await resolve_accounts(self.tracking, client, target.handles)
        new = [
            Follow(
                handle_key=a.handle_key,
                handle=a.username,
                artist_id=target.artist_id,
                artist_name=target.artist_name,
                x_user_id=a.user_id,
                channel_id=channel_id,
                role_id=role_id,
                keywords=words,
                template=text,
            )
            for a in accounts
        ]
        handles = ", ".join(f"@{a.username}" for a in accounts)
        changes = follow_changes(prev, new[0]) if prev is not None and new else []
        summary = (
            f"Following **{safe_text(target.artist_name, 100)}** ({handles}): their Spaces go to "
            f"{where.mention}"
            + (f", live ones ping {ping.mention}." if ping else " without a ping.")
            + (f" Only titles containing: {', '.join(words)}." if words else "")
        )
        if ping is None and (role_id or (config and config.role_id)):
            summary += f" {ROLE_DELETED}"
        preview = "\n" + follow_preview(target.artist_name, text)
        if template is None and not changes:
            await repo.upsert_follows(new)
            already = "Already followed; nothing changed. " if prev is not None else ""
            await respond(interaction, already + summary + preview, ephemeral=True)
            return

        async def save(ix: discord.Interaction) -> None:
            await repo.upsert_follows(new)
            await edit_message(ix, content=f"Saved. {summary}{preview}"[:2000], view=None)

        if prev is not None:
            ask = (
                f"Already followed: this changes {', '.join(changes)}; everything else is kept."
                if changes
                else "Already followed: this keeps every setting as it is."
            )
        else:
            ask = "Check what fans will read."
        view = ConfirmView(interaction.user.id, save, PREVIEW_WORDS)
        view.origin = interaction
        await respond(
            interaction,
            f"{ask} Press Save to keep it; nothing is saved until then.\n{summary}{preview}"[:2000],
            view=view,
            ephemeral=True,
        )

    # -- autocomplete ----------------------------------------------------------------------

    async def artist_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest catalog acts that have official X handles; a typed @handle is offered too."""
        return [
            app_commands.Choice(name=name, value=value)
            for name, value in artist_choices(await self.catalog(), current)
        ]

    async def followed_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest this server's follows."""
        if interaction.guild_id is None:
            return []
        follows = await self._repo(interaction.guild_id).list_follows()
        return [
            app_commands.Choice(name=name, value=value)
            for name, value in follow_choices(follows, current)
        ]
