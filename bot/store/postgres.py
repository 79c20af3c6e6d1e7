"""The PostgreSQL backend: an asyncpg pool behind the interface repositories use.

Repositories write `:name` parameters; SQLAlchemy Core compiles each statement once to asyncpg's
`$n` form (and the order of the values), so no placeholder rewriting lives here.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any, ClassVar, TypeAlias, TypeVar

import asyncpg
import sqlalchemy
from asyncpg.pool import PoolConnectionProxy
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from bot.aio import wait_event as wait_for_event
from bot.store.backend import NO_PARAMS, Database, Dialect, Params, Row, redact_url
from bot.store.db import DatabaseUnavailable, DatabaseUnusable

log = logging.getLogger(__name__)

T = TypeVar("T")
_Conn: TypeAlias = "PoolConnectionProxy[asyncpg.Record]"

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]

# Transactions take one writer lock for the whole database, as SQLite's BEGIN IMMEDIATE does:
# the repositories were written for serialized read-modify-write transactions, and this keeps
# that guarantee across every process that shares the database.
_WRITER_LOCK_KEY = 0x4C53_5449_434B  # "LSTICK"

# Below Discord's 3 s interaction deadline (as SQLite's busy timeout), so a command that waits
# too long for the writer lock can still tell the person to try again.
DEFAULT_LOCK_TIMEOUT_MS = 2000

# The connection the current task's open transaction holds, so its statements join it.
_current: contextvars.ContextVar[tuple[PostgresDatabase, _Conn] | None] = contextvars.ContextVar(
    "pg_transaction", default=None
)

# What asyncpg raises when the server goes away or refuses a connection. Not every
# InterfaceError: "another operation is in progress" is a bug to see, not an outage.
_LOST = (OSError, asyncpg.ConnectionDoesNotExistError, asyncpg.PostgresConnectionError)


@functools.lru_cache(maxsize=2048)
def compile_sql(sql: str) -> tuple[str, tuple[str, ...]]:
    """Return the statement in asyncpg's `$n` form and the parameter names in `$n` order."""
    compiled = sqlalchemy.text(sql).compile(dialect=_DIALECT)
    return str(compiled), tuple(compiled.positiontup or ())


def bind(sql: str, params: Params | None) -> tuple[str, list[Any]]:
    """Return the compiled statement and its values in order.

    Raises KeyError naming a `:name` parameter that `params` lacks.
    """
    text, names = compile_sql(sql)
    if not names:
        return text, []
    if params is None:
        raise KeyError(names[0])
    return text, [params[name] for name in names]


def _rows_changed(status: str) -> int:
    """Return the row count of a command status ("UPDATE 3", "INSERT 0 1"); 0 when none."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresDatabase(Database):
    """A pool of asyncpg connections; `transaction()` pins one connection to the task."""

    dialect: ClassVar[Dialect] = "postgresql"
    integrity_errors: ClassVar[tuple[type[Exception], ...]] = (
        asyncpg.IntegrityConstraintViolationError,
    )

    def __init__(
        self,
        pool: asyncpg.Pool,
        url: str,
        *,
        lock_timeout_ms: int,
        server_settings: Mapping[str, str] | None = None,
    ) -> None:
        self._pool = pool
        self.url = url
        self._lock_timeout_ms = lock_timeout_ms
        self._server_settings = dict(server_settings or {})
        self._closed = False
        self._listener = Listener(url, self._server_settings)

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        min_size: int = 1,
        max_size: int = 10,
        server_settings: Mapping[str, str] | None = None,
        lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
    ) -> PostgresDatabase:
        """Connect a pool to `url` (`postgresql://user[:password]@host[:port]/database`).

        Raises DatabaseUnavailable when the server cannot be reached and DatabaseUnusable when
        it refuses us (no such database, bad password); both name the URL with its password
        masked.
        """
        where = redact_url(url)
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=min_size,
                max_size=max_size,
                server_settings=dict(server_settings or {}),
                timeout=10,
            )
        except asyncpg.PostgresError as exc:
            raise DatabaseUnusable(f"cannot use the PostgreSQL database {where}: {exc}") from exc
        except (*_LOST, TimeoutError) as exc:
            raise DatabaseUnavailable(f"cannot reach the PostgreSQL server {where}: {exc}") from exc
        return cls(pool, url, lock_timeout_ms=lock_timeout_ms, server_settings=server_settings)

    @property
    def pool(self) -> asyncpg.Pool:
        """Return the connection pool (for the migration runner and `migrate-db`)."""
        return self._pool

    def check_present(self) -> None:
        """Do nothing: a server does not lose its files under us the way a deleted file does."""

    def _joined(self) -> _Conn | None:
        current = _current.get()
        if current is not None and current[0] is self:
            return current[1]
        return None

    async def _run(self, call: Callable[[_Conn], Awaitable[T]]) -> T:
        conn = self._joined()
        try:
            if conn is not None:
                return await call(conn)
            async with self._pool.acquire() as pooled:
                return await call(pooled)
        except _LOST as exc:
            raise self._lost(exc) from exc

    def _lost(self, exc: BaseException) -> DatabaseUnavailable:
        return DatabaseUnavailable(f"lost the PostgreSQL server {redact_url(self.url)}: {exc}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Run the block in one transaction holding the writer lock; roll back if it raises.

        Raises asyncpg.LockNotAvailableError ("busy") when another writer holds the lock for
        longer than the lock timeout, DatabaseUnavailable when the server is lost.
        """
        if self._joined() is not None:
            yield
            return
        try:
            conn = await self._pool.acquire()
        except _LOST as exc:
            raise self._lost(exc) from exc
        token = _current.set((self, conn))
        committing = False
        try:
            # asyncpg's managed form: it rolls back on any exception, cancellation included,
            # so no open transaction is ever handed back to the pool.
            async with conn.transaction():
                try:
                    # One round trip: the lock wait is bounded, then the writer lock is taken.
                    await conn.execute(
                        "SELECT set_config('lock_timeout', $1, true), pg_advisory_xact_lock($2)",
                        f"{int(self._lock_timeout_ms)}ms",
                        _WRITER_LOCK_KEY,
                    )
                except _LOST as exc:
                    raise self._lost(exc) from exc
                yield
                committing = True
        except _LOST as exc:
            if not committing:
                raise
            raise self._lost(exc) from exc
        finally:
            _current.reset(token)
            await self._pool.release(conn)

    async def execute(self, sql: str, params: Params | None = NO_PARAMS) -> int:
        """Run one statement and return the number of rows it changed."""
        text, args = bind(sql, params)
        status = await self._run(lambda c: c.execute(text, *args))
        return _rows_changed(status)

    async def execute_many(self, sql: str, seq: Iterable[Params]) -> None:
        """Run one statement for every parameter set (inside the caller's transaction if any)."""
        text, _ = compile_sql(sql)
        rows = [bind(sql, params)[1] for params in seq]
        if rows:
            await self._run(lambda c: c.executemany(text, rows))

    async def fetchone(self, sql: str, params: Params | None = NO_PARAMS) -> Row | None:
        """Return the first row of a query, or None."""
        text, args = bind(sql, params)
        return await self._run(lambda c: c.fetchrow(text, *args))

    async def fetchall(self, sql: str, params: Params | None = NO_PARAMS) -> list[Row]:
        """Return every row of a query."""
        text, args = bind(sql, params)
        return list(await self._run(lambda c: c.fetch(text, *args)))

    async def fetchval(self, sql: str, params: Params | None = NO_PARAMS) -> Any:
        """Return the first column of the first row, or None."""
        text, args = bind(sql, params)
        return await self._run(lambda c: c.fetchval(text, *args))

    async def notify(self, channel: str) -> None:
        """Send NOTIFY `channel`: inside a transaction it is delivered when that commits."""
        await self.execute("SELECT pg_notify(:channel, '')", {"channel": channel})

    async def listen(self, channel: str, callback: Callable[[], None]) -> None:
        """Call `callback` on every NOTIFY `channel`, on a dedicated connection that reconnects
        by itself (calling `callback` once it is back); see `Listener`."""
        await self._listener.add(channel, callback)

    async def close(self) -> None:
        """Wait for in-flight statements (up to 10 s) and close the pool. Idempotent."""
        if self._closed:
            return
        self._closed = True
        await self._listener.close()
        try:
            await asyncio.wait_for(self._pool.close(), timeout=10)
        except (TimeoutError, *_LOST):
            log.warning("the PostgreSQL pool did not close in time; terminating it", exc_info=True)
            self._pool.terminate()


LISTEN_RETRY_MAX_SECONDS = 30.0
LISTEN_CHECK_SECONDS = 10.0


class Listener:
    """One dedicated connection for LISTEN (a pooled one would be handed to other work).

    It connects on the first `add`; when the connection is lost it reconnects with back-off (1 s
    doubling to 30 s), listens again on every channel and calls every callback once, since a
    notification sent while it was away is gone. A quiet connection is checked every 10 s, so a
    silently dropped one is noticed.
    """

    def __init__(self, url: str, server_settings: Mapping[str, str]) -> None:
        self._url = url
        self._server_settings = dict(server_settings)
        self._callbacks: dict[str, list[Callable[[], None]]] = {}
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()

    async def add(self, channel: str, callback: Callable[[], None]) -> None:
        """Listen on `channel` too; wait (up to 10 s) for the first connection to be up."""
        first = channel not in self._callbacks
        self._callbacks.setdefault(channel, []).append(callback)
        if self._task is None:
            self._task = asyncio.create_task(self._keep(), name="postgres-listen")
        elif first and self._conn is not None and not self._conn.is_closed():
            try:
                await self._conn.add_listener(channel, self._notified)
            except _LOST:
                log.warning("LISTEN %s failed; it is retried on reconnect", channel)
        try:
            await asyncio.wait_for(self._connected.wait(), timeout=10)
        except TimeoutError:
            log.warning("LISTEN %s is not up yet; the fan-out polls until it is", channel)

    def _notified(self, _conn: object, _pid: int, channel: str, _payload: object) -> None:
        self._call(self._callbacks.get(channel, []))

    def _call(self, callbacks: Iterable[Callable[[], None]]) -> None:
        for callback in list(callbacks):
            try:
                callback()
            except Exception:  # one listener's bug must not silence the others
                log.exception("a NOTIFY callback failed")

    async def _keep(self) -> None:
        delay = 1.0
        while True:
            try:
                conn = await asyncpg.connect(
                    self._url, server_settings=self._server_settings, timeout=10
                )
            except (*_LOST, TimeoutError, asyncpg.PostgresError) as exc:
                self._connected.clear()
                log.warning("LISTEN connection failed (%s); retrying in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, LISTEN_RETRY_MAX_SECONDS)
                continue
            self._conn = conn
            lost = asyncio.Event()
            conn.add_termination_listener(lambda _c, lost=lost: lost.set())
            try:
                for channel in list(self._callbacks):
                    await conn.add_listener(channel, self._notified)
                self._connected.set()
                if delay > 1.0:
                    log.info("LISTEN connection is back")
                delay = 1.0
                # What was committed while nobody listened: let every listener look now.
                self._call(cb for cbs in self._callbacks.values() for cb in cbs)
                while not lost.is_set():
                    await wait_for_event(lost, LISTEN_CHECK_SECONDS)
                    if not lost.is_set():
                        await conn.execute("SELECT 1", timeout=LISTEN_CHECK_SECONDS)
            except Exception as exc:  # whatever broke it, listening must come back
                log.warning("LISTEN connection lost (%r); reconnecting", exc)
            finally:
                self._connected.clear()
                self._conn = None
                conn.terminate()
            await asyncio.sleep(delay)
            delay = min(delay * 2, LISTEN_RETRY_MAX_SECONDS)

    async def close(self) -> None:
        """Stop listening and close the connection. Idempotent."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
