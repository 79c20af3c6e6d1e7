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

    def __init__(self, pool: asyncpg.Pool, url: str, *, lock_timeout_ms: int) -> None:
        self._pool = pool
        self.url = url
        self._lock_timeout_ms = lock_timeout_ms
        self._closed = False

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
        return cls(pool, url, lock_timeout_ms=lock_timeout_ms)

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

    async def close(self) -> None:
        """Wait for in-flight statements (up to 10 s) and close the pool. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.wait_for(self._pool.close(), timeout=10)
        except (TimeoutError, *_LOST):
            log.warning("the PostgreSQL pool did not close in time; terminating it", exc_info=True)
            self._pool.terminate()
