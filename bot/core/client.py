"""The Lightstick bot: owns the store, one httpx client, the extensions and background tasks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any, cast

import discord
import httpx
import yarl
from discord.ext import commands

from bot import __version__
from bot.clients.x import XClient
from bot.core.buttons import custom_id_of, expired_text, is_claimed
from bot.core.chores import leave_cluster, start_chores
from bot.core.loops import BackgroundLoop
from bot.core.sync import sync_if_needed
from bot.core.tree import LightstickTree
from bot.domain.catalog import Catalog, load_catalog
from bot.domain.shards import ShardSpec
from bot.services.cluster import Cluster, process_name
from bot.services.musicbrainz import MusicBrainzService, build_musicbrainz_service
from bot.settings import Settings
from bot.store import Store
from bot.store.cluster import ClusterRepo
from bot.store.musicbrainz_cache import MusicBrainzCacheRepo

log = logging.getLogger(__name__)

# Loaded in this order; one that fails to load is logged and the others still run.
EXTENSIONS: tuple[str, ...] = (
    "cogs.core",
    "cogs.artist",
    "cogs.aliases",
    "cogs.spaces",
    "cogs.trivia",
    "cogs.parties",
    "cogs.timezone",
)

TASK_STOP_SECONDS = 10.0


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at the configured REST and gateway URLs (a proxy, or the loopback)."""
    # discord.py reads these class attributes for every request and connection it makes.
    discord.http.Route.BASE = settings.discord_api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def build_intents() -> discord.Intents:
    """Return the fewest intents the features need: guild structure only, no message content."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class Lightstick(commands.AutoShardedBot):
    """The bot. Built with its dependencies; nothing here is read from the environment."""

    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        force_sync: bool = False,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        configure_endpoints(settings)
        # Lightstick has no voice features; discord.py's voice warnings would only confuse.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        spec = settings.shards
        # No spec: one process owns every shard, as many as Discord recommends.
        sharding: dict[str, Any] = (
            {} if spec is None else {"shard_count": spec.count, "shard_ids": list(spec.ids)}
        )
        super().__init__(
            **sharding,
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=build_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            tree_cls=LightstickTree,
            max_messages=None,
            guild_ready_timeout=guild_ready_timeout,
            owner_ids=set(settings.owner_ids) or None,
        )
        # discord.py 2.7 creates the sharded event queue in connect(), but close() uses it; a
        # bot closed without connecting (`--check`, tests) would crash without this one.
        setattr(self, "_AutoShardedClient__queue", asyncio.PriorityQueue())  # noqa: B010
        self.settings = settings
        self.shard_spec: ShardSpec | None = spec
        # Names this process (host:pid:random) in the rows it claims (deliveries, reminders),
        # the leases it holds and its heartbeat: one id for all three.
        self.process_id = process_name()
        self.store = store
        cast(LightstickTree, self.tree).on_guild_seen = self.ensure_guild_known
        self.version = __version__
        self.force_sync = force_sync
        self.started_at = datetime.now(UTC)
        self.failed_extensions: dict[str, str] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        # Every background loop by name, for /settings (see bot/core/loops.py).
        self.loops: dict[str, BackgroundLoop] = {}
        self._known_guilds: set[int] = set()
        # Set once READY's membership reconciliation, and the setup guides it posts, are done
        # (or skipped); tests and tools wait on it before they look at the servers.
        self.reconciled = asyncio.Event()
        self._closing = False
        self._http_client: httpx.AsyncClient | None = None
        # Shared services, built in prepare(); tests may set them before start.
        self.catalog: Catalog | None = None
        self.x_client: XClient | None = None
        self.musicbrainz: MusicBrainzService | None = None
        # This process among the others on the database: leases, heartbeat, request share.
        self.cluster = Cluster(
            store.shared(ClusterRepo),
            shards=spec,
            shared_budget=settings.discord_shared_budget,
            clock=lambda: self.clock(),
            name=self.process_id,
        )

    @property
    def http_client(self) -> httpx.AsyncClient:
        """Return the one shared httpx client (opened in setup_hook)."""
        if self._http_client is None:
            raise RuntimeError("http client used before setup_hook")
        return self._http_client

    def clock(self) -> datetime:
        """Return the current aware UTC time (one place for tests to reason about)."""
        return datetime.now(UTC)

    # -- lifecycle -------------------------------------------------------------------------

    async def prepare(self) -> None:
        """Open shared resources and load every extension (no network; also used by --check)."""
        if self._http_client is None:
            self._http_client = httpx.AsyncClient(
                timeout=httpx.Timeout(10.0, connect=5.0),
                headers={"User-Agent": f"Lightstick/{__version__}"},
                follow_redirects=False,
            )
        await self._build_services()
        for name in EXTENSIONS:
            if name in self.extensions:
                continue
            try:
                await self.load_extension(name)
            except Exception as exc:  # one broken cog must not take the bot down
                self.failed_extensions[name] = f"{type(exc).__name__}: {exc}"
                log.exception("extension %s failed to load; the rest keep running", name)

    async def _build_services(self) -> None:
        """Build what several features share: the catalog, the X client, MusicBrainz."""
        settings = self.settings
        if self.catalog is None:
            try:
                self.catalog = await asyncio.to_thread(load_catalog)
            except Exception:  # the bot still serves everything that needs no catalog
                log.exception("artist catalog failed to load")
        if self.x_client is None and settings.x_bearer_token is not None:
            self.x_client = XClient(self.http_client, settings.x_api_base, settings.x_bearer_token)
        if self.musicbrainz is None:
            self.musicbrainz = build_musicbrainz_service(
                self.http_client,
                self.store.shared(MusicBrainzCacheRepo),
                api_base=settings.musicbrainz_api_base,
                contact=settings.musicbrainz_contact,
                version=self.version,
                clock=self.clock,
            )

    async def setup_hook(self) -> None:
        """Prepare, sync commands if their schema changed, and start lifecycle tasks."""
        await self.prepare()
        try:
            await sync_if_needed(
                self.tree,
                self.store.meta,
                dev_guild_id=self.settings.dev_guild_id,
                force=self.force_sync,
            )
        except discord.HTTPException:
            log.exception("command sync failed; commands may be out of date")
        start_chores(self)

    def start_loop(self, loop: BackgroundLoop) -> BackgroundLoop:
        """Register `loop` under its name (shown in /settings) and start it as a tracked task.

        A bot that never logged in (`--check`, a prepared bot in tests) registers without starting.
        """
        self.loops[loop.name] = loop
        if self.http.token is not None:
            loop.start(lambda coro, name: self.spawn(coro, name=name))
        return loop

    async def stop_loop(self, loop: BackgroundLoop) -> None:
        """Stop `loop` and forget it (a cog's `cog_unload`)."""
        if self.loops.get(loop.name) is loop:
            del self.loops[loop.name]
        await loop.stop()

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        """Start a tracked background task whose failure is logged, never silent."""
        task = asyncio.create_task(coro, name=name)
        if self._closing:
            # A listener that was mid-await when close() began must not start work on a closed
            # store: the task is cancelled before its first step runs.
            task.cancel()
            return task
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("background task %s crashed", task.get_name(), exc_info=exc)

    async def close(self) -> None:
        """Stop background tasks, then the gateway, then the http client (store closed by owner).

        The chores this process held are released, so another process takes them at its next
        round instead of waiting for the lease to expire.
        """
        first = not self._closing
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            # Bounded: a task that ignores cancellation must not hang shutdown forever.
            _done, stuck = await asyncio.wait(list(self._tasks), timeout=TASK_STOP_SECONDS)
            for task in stuck:
                log.error(
                    "background task %s did not stop within %s s",
                    task.get_name(),
                    TASK_STOP_SECONDS,
                )
        if first and self.http.token is not None:
            await leave_cluster(self)
        await super().close()
        if self._http_client is not None:
            await self._http_client.aclose()
            self._http_client = None

    # -- guilds ----------------------------------------------------------------------------

    def owns_guild(self, guild_id: int) -> bool:
        """Say whether per-server work for `guild_id` is this process's (its shard is ours)."""
        return self.shard_spec is None or self.shard_spec.owns(guild_id)

    async def ensure_guild_known(self, guild_id: int) -> None:
        """Create the server's rows once per process (idempotent in the database too)."""
        if guild_id in self._known_guilds:
            return
        await self.store.ensure_guild(guild_id)
        self._known_guilds.add(guild_id)

    async def on_ready(self) -> None:
        """Reconcile membership: servers joined or left while the bot was offline.

        Servers found here for the first time (invited while the bot was offline), or back
        within their grace period, get the setup guide once: the reconciliation reports each
        join exactly once, so a restart posts nothing again.
        """
        if self._has_unavailable_guilds():
            log.warning("some servers are unavailable; membership reconciliation skipped")
            self.reconciled.set()
            return
        # One transaction for every server (10,000 sequential writes would delay readiness);
        # the snapshot is taken with no await in between, so a join cannot slip past it.
        present = [(g.id, g.name) for g in self.guilds]
        # Only servers of our own shards can be missing here: another process serves the rest.
        found = await self.store.guilds.reconcile_present(
            present, self.clock(), owned=self.owns_guild
        )
        self._known_guilds.update(gid for gid, _ in present)
        # A join that landed while the transaction ran is re-recorded by on_guild_join itself.
        for gid in found.gone:
            if self.get_guild(gid) is not None:
                await self.store.guilds.mark_joined(gid, None, self.clock())
        log.info(
            "ready as %s in %d servers (%d joined, %d back, %d left while offline)%s",
            self.user,
            len(present),
            len(found.joined),
            len(found.rejoined),
            len(found.gone),
            f", {self.shard_spec.describe()}" if self.shard_spec is not None else "",
        )
        welcome = [(gid, True) for gid in found.joined] + [(gid, False) for gid in found.rejoined]
        self.spawn(self._welcome_found_at_ready(welcome), name="setup-guides")

    def _has_unavailable_guilds(self) -> bool:
        return any(g.unavailable for g in self.guilds)

    async def _welcome_found_at_ready(self, found: list[tuple[int, bool]]) -> None:
        """Post the setup guide in each server READY found new or back, one after another."""
        try:
            for guild_id, first_time in found:
                guild = self.get_guild(guild_id)
                if guild is None:
                    continue
                try:
                    await self.welcome(guild, first_time=first_time)
                except Exception:  # one server's failure must not cost the others their guide
                    log.exception("setup guide for server %s failed", guild_id)
        finally:
            self.reconciled.set()

    async def welcome(self, guild: discord.Guild, *, first_time: bool) -> None:
        """Post the setup guide in `guild` (new, or back within its grace) where allowed."""
        core = self.get_cog("Core")
        post = getattr(core, "post_setup_guide", None)
        if post is not None:
            await post(guild, first_time=first_time)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Record the join and post the setup guide where allowed."""
        is_new = await self.store.guilds.mark_joined(guild.id, guild.name, self.clock())
        self._known_guilds.add(guild.id)
        await self.welcome(guild, first_time=is_new)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Start the 30-day grace period before the server's data is purged."""
        await self.store.guilds.mark_left(guild.id, self.clock())
        self._known_guilds.discard(guild.id)
        log.info("left server %s; its data is kept for 30 days", guild.id)

    async def housekeep(self) -> None:
        """Delete what is kept no longer: servers gone 30+ days, stale MusicBrainz answers."""
        purged = await self.store.guilds.purge_departed(self.clock())
        if purged:
            log.info("purged data of %d servers left 30+ days ago", len(purged))
        if self.musicbrainz is not None:
            stale = await self.musicbrainz.purge_expired()
            if stale:
                log.info("purged %d stale MusicBrainz cache rows", stale)

    # -- components --------------------------------------------------------------------------

    async def add_cog(self, cog: commands.Cog, /, **kwargs: Any) -> None:
        """Add `cog` and register the restart-proof components it lists in `persistent_items`."""
        await super().add_cog(cog, **kwargs)
        self.add_dynamic_items(*getattr(cog, "persistent_items", ()))

    async def remove_cog(self, name: str, /, **kwargs: Any) -> commands.Cog | None:
        """Remove the cog `name` and its restart-proof components."""
        cog = await super().remove_cog(name, **kwargs)
        if cog is not None:
            self.remove_dynamic_items(*getattr(cog, "persistent_items", ()))
        return cog

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        """Dispatch an event; a click or modal that nothing claims gets an "expired" answer.

        The check runs here, synchronously, right after discord.py routed the interaction: by the
        time an `on_interaction` listener ran, a view that handled the click may have stopped.
        """
        if event_name == "interaction" and args and isinstance(args[0], discord.Interaction):
            interaction: discord.Interaction[Any] = args[0]
            kinds = (discord.InteractionType.component, discord.InteractionType.modal_submit)
            if interaction.type in kinds and not is_claimed(self, interaction):
                self.spawn(self._answer_unclaimed(interaction), name="unclaimed-component")
        super().dispatch(event_name, *args, **kwargs)

    async def _answer_unclaimed(self, interaction: discord.Interaction[Any]) -> None:
        """Answer a click or modal that nothing claims (expired, or of a removed feature)."""
        custom_id = custom_id_of(interaction)
        log.info("unclaimed component %r; answering that it expired", custom_id[:100])
        try:
            await interaction.response.send_message(
                expired_text(custom_id, self.cogs.values()), ephemeral=True
            )
        except discord.HTTPException:
            log.debug("could not answer an unclaimed component", exc_info=True)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Log event handler failures with their traceback."""
        # discord.py calls on_error from inside its except block, so the traceback is current.
        log.exception("unhandled error in event %s", event_method)  # noqa: LOG004
