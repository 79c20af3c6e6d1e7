"""The SQLite backend (one aiosqlite connection) and the storage failures every backend shares."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar, Literal

import aiosqlite
import asyncpg

from bot.store.backend import NO_PARAMS as _NO_PARAMS
from bot.store.backend import Database, Dialect, Params, Row

__all__ = [
    "Database",
    "DatabaseGone",
    "DatabaseUnavailable",
    "DatabaseUnusable",
    "Params",
    "Row",
    "SqliteDatabase",
    "StorageFailure",
    "storage_failure",
]

log = logging.getLogger(__name__)

# The task that holds the write lock, so statements it issues inside `transaction()` join it
# instead of waiting for themselves.
_owner: contextvars.ContextVar[object | None] = contextvars.ContextVar("db_owner", default=None)

# Below Discord's 3 s interaction deadline, so a command that meets a locked database can still
# tell the person so instead of timing out silently.
DEFAULT_BUSY_TIMEOUT_MS = 2000

StorageFailure = Literal["busy", "full", "gone", "unavailable"]

# PostgreSQL errors that mean "try again shortly" (a lock wait ran out, a conflict to retry).
_PG_BUSY = (
    asyncpg.LockNotAvailableError,
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
)
# PostgreSQL errors that mean the server cannot be reached or will not take us right now.
_PG_UNAVAILABLE = (
    asyncpg.PostgresConnectionError,
    asyncpg.TooManyConnectionsError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
)
_PG_FULL = (asyncpg.DiskFullError, asyncpg.OutOfMemoryError, asyncpg.InsufficientResourcesError)


class DatabaseUnusable(Exception):
    """The database file cannot be opened or used: not SQLite, a directory, corrupt, deleted.

    `str()` is one line meant for operators (it names the path and the reason).
    """


class DatabaseGone(DatabaseUnusable):
    """The database file was deleted or replaced while the bot was running; writes refused."""


class DatabaseUnavailable(Exception):
    """The database server cannot be reached (refused, dropped, shut down); nothing was done.

    `str()` names the server with any password masked.
    """


def storage_failure(error: BaseException) -> StorageFailure | None:
    """Say whether an exception means the database is locked ("busy"), out of space ("full"),
    deleted while running ("gone") or unreachable ("unavailable", PostgreSQL only)."""
    if isinstance(error, DatabaseGone):
        return "gone"
    if isinstance(error, DatabaseUnavailable):
        return "unavailable"
    if isinstance(error, asyncpg.PostgresError):
        return _postgres_failure(error)
    if not isinstance(error, sqlite3.OperationalError):
        return None
    name = getattr(error, "sqlite_errorname", "")
    text = str(error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return "busy"
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return "full"
    return None


def _postgres_failure(error: BaseException) -> StorageFailure | None:
    if isinstance(error, _PG_BUSY):
        return "busy"
    if isinstance(error, _PG_FULL):
        return "full"
    if isinstance(error, _PG_UNAVAILABLE):
        return "unavailable"
    return None


class SqliteDatabase(Database):
    """Serialized access to one SQLite connection: single statements and explicit transactions.

    SQL given to it uses named `:name` parameters with a mapping, in syntax PostgreSQL 15 also
    accepts; where no portable form exists, repositories branch on `dialect`.
    """

    dialect: ClassVar[Dialect] = "sqlite"
    integrity_errors: ClassVar[tuple[type[Exception], ...]] = (sqlite3.IntegrityError,)

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._closed = False
        self._identity = _file_identity(path)
        self._gone_logged = False

    @classmethod
    async def open(
        cls, path: Path | str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
    ) -> SqliteDatabase:
        """Open (creating folders) and configure the database: WAL, foreign keys, busy timeout.

        Raises DatabaseUnusable (one line naming the path and why) when the path is a
        directory, not an SQLite file, or corrupt; the connection is closed first, so no
        worker thread is left behind to keep the process alive.
        """
        p = Path(path)
        if str(p) != ":memory:":
            _prepare_path(p)
        try:
            conn = await aiosqlite.connect(p, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseUnusable(f"cannot open {p}: {exc}") from exc
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            # Reading the schema is what finds a file that is not a database, or a corrupt one.
            await conn.execute_fetchall("SELECT count(*) FROM sqlite_master")
        except sqlite3.Error as exc:
            await conn.close()
            raise DatabaseUnusable(f"{p} is not a usable SQLite database: {exc}") from exc
        return cls(conn, p)

    def check_present(self) -> None:
        """Raise DatabaseGone (and log CRITICAL once) if the file was deleted or replaced.

        SQLite keeps writing to an unlinked file's open handle, so without this check writes
        would be confirmed to members and vanish at the next start.
        """
        if self._identity is None or _file_identity(self.path) == self._identity:
            return
        if not self._gone_logged:
            self._gone_logged = True
            log.critical(
                "the database file %s was deleted or replaced while running; refusing writes. "
                "Restart Lightstick (restore the file from a backup first if you have one).",
                self.path,
            )
        raise DatabaseGone(f"the database file {self.path} was deleted or replaced")

    @property
    def connection(self) -> aiosqlite.Connection:
        """Return the raw connection (for the migration runner only)."""
        return self._conn

    def _in_transaction(self) -> bool:
        return _owner.get() is self

    @asynccontextmanager
    async def _use(self) -> AsyncIterator[aiosqlite.Connection]:
        if self._in_transaction():
            yield self._conn
            return
        async with self._lock:
            yield self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Run the block in one BEGIN IMMEDIATE ... COMMIT; roll back if it raises."""
        if self._in_transaction():
            yield
            return
        async with self._lock:
            self.check_present()
            token = _owner.set(self)
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._rollback()
                    raise
            finally:
                _owner.reset(token)

    async def _rollback(self) -> None:
        # SQLite already rolled back on SQLITE_FULL and some I/O errors; a second ROLLBACK would
        # raise "no transaction is active" and hide the error that matters. A failed COMMIT
        # (busy, full) leaves the transaction open, and it must not linger into the next one.
        if not self._conn.in_transaction:
            return
        try:
            await self._conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.warning("ROLLBACK failed", exc_info=True)

    async def execute(self, sql: str, params: Params | None = _NO_PARAMS) -> int:
        """Run one statement and return the number of rows it changed; raise DatabaseGone."""
        self.check_present()
        async with self._use() as conn:
            cur = await conn.execute(sql, params or _NO_PARAMS)
            count = cur.rowcount
            await cur.close()
            return count

    async def execute_many(self, sql: str, seq: Iterable[Params]) -> None:
        """Run one statement for every parameter mapping (inside the caller's transaction if
        any); raise DatabaseGone."""
        self.check_present()
        async with self._use() as conn:
            await conn.executemany(sql, seq)

    async def fetchone(self, sql: str, params: Params | None = _NO_PARAMS) -> Row | None:
        """Return the first row of a query (or of an `INSERT ... RETURNING`), or None."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params | None = _NO_PARAMS) -> list[Row]:
        """Return every row of a query (or of an `INSERT ... RETURNING`)."""
        # One trip to the connection's thread instead of three (execute, fetch, close): under
        # load every trip is a wait in the queue that all clicks share (bench/db_throughput.py).
        async with self._use() as conn:
            return list(await conn.execute_fetchall(sql, params or _NO_PARAMS))

    async def fetchval(self, sql: str, params: Params | None = _NO_PARAMS) -> Any:
        """Return the first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def notify(self, channel: str) -> None:
        """Do nothing: one process uses an SQLite file, and its poller wakes its own fan-out."""

    async def listen(self, channel: str, callback: Callable[[], None]) -> None:
        """Do nothing: no other process writes to this file, so there is nothing to hear."""

    async def close(self) -> None:
        """Wait for in-flight statements, checkpoint the WAL and close. Idempotent."""
        if self._closed:
            return
        async with self._lock:
            self._closed = True
            try:
                await self._conn.execute("PRAGMA optimize")
            except aiosqlite.Error:
                log.debug("PRAGMA optimize failed on close", exc_info=True)
            await self._conn.close()


def _file_identity(path: Path) -> tuple[int, int] | None:
    """Return (device, inode) of the file at `path`; None for ":memory:"; (-1, -1) if missing."""
    if str(path) == ":memory:":
        return None
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_dev, st.st_ino)


def _prepare_path(path: Path) -> None:
    """Create the database's folder; raise DatabaseUnusable if the path is a directory."""
    if path.is_dir():
        raise DatabaseUnusable(f"{path} is a directory, not an SQLite database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnusable(f"cannot create the folder of {path}: {exc.strerror}") from exc
