"""What every database backend (SQLite, PostgreSQL) offers the repositories, and how to pick one.

Repositories write portable SQL with named parameters (`:name` and a dict); each backend runs it
on its own driver. The URL says which backend: `sqlite:///relative/path.db`,
`sqlite:////absolute/path.db` or `postgresql://user[:password]@host[:port]/database`.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg
from asyncpg import connect_utils

# Every statement names its parameters (`:name`) and passes them as a mapping: sqlite3 binds
# that natively, and the PostgreSQL backend compiles the same text to asyncpg's `$1` style.
# No parameters: leave `params` out (None is accepted too).
Params = Mapping[str, Any]
NO_PARAMS: Params = {}
Dialect = Literal["sqlite", "postgresql"]

SQLITE_SCHEME = "sqlite"
POSTGRES_SCHEMES = frozenset({"postgresql", "postgres"})


class Row(Protocol):
    """One result row as both backends return it: by position (`row[0]`), by column name
    (`row["name"]`), or iterated over its values in column order."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


class Database(abc.ABC):
    """The interface repositories use, whatever the engine behind it.

    Statements inside `transaction()` (in the same task) join it; outside, each statement is its
    own transaction. Every method may raise the backend's driver errors; `storage_failure()` in
    `bot.store.db` says which of them mean busy, full, gone or unavailable.
    """

    # Branch on it only where no portable SQL exists, with a comment saying why.
    dialect: ClassVar[Dialect]
    # What a violated UNIQUE (or other) constraint raises, for repositories that turn it into a
    # Conflict.
    integrity_errors: ClassVar[tuple[type[Exception], ...]]

    @abc.abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[None]:
        """Run the block in one transaction (one writer at a time); roll back if it raises."""

    @abc.abstractmethod
    async def execute(self, sql: str, params: Params | None = NO_PARAMS) -> int:
        """Run one statement and return the number of rows it changed."""

    @abc.abstractmethod
    async def execute_many(self, sql: str, seq: Iterable[Params]) -> None:
        """Run one statement for every parameter set (inside the caller's transaction if any)."""

    @abc.abstractmethod
    async def fetchone(self, sql: str, params: Params | None = NO_PARAMS) -> Row | None:
        """Return the first row of a query, or None."""

    @abc.abstractmethod
    async def fetchall(self, sql: str, params: Params | None = NO_PARAMS) -> list[Row]:
        """Return every row of a query."""

    @abc.abstractmethod
    async def fetchval(self, sql: str, params: Params | None = NO_PARAMS) -> Any:
        """Return the first column of the first row, or None."""

    @abc.abstractmethod
    async def notify(self, channel: str) -> None:
        """Wake the processes listening on `channel` once the current transaction commits.

        SQLite serves one process, which wakes itself: nothing to do. PostgreSQL sends a NOTIFY.
        Idempotent within a transaction.
        """

    @abc.abstractmethod
    async def listen(self, channel: str, callback: Callable[[], None]) -> None:
        """Call `callback` (in this event loop) after every committed `notify(channel)`, and
        after a lost connection comes back (a notification may have been missed meanwhile).

        SQLite serves one process: nothing to hear, so nothing is called.
        """

    @abc.abstractmethod
    def check_present(self) -> None:
        """Raise DatabaseGone if the database vanished under the running process."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Wait for in-flight statements and close. Idempotent."""


def backend_of(url: str) -> Dialect:
    """Return which backend a database URL names; raise ValueError for any other scheme."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == SQLITE_SCHEME:
        return "sqlite"
    if scheme in POSTGRES_SCHEMES:
        return "postgresql"
    raise ValueError(
        f"unsupported database URL scheme {scheme!r} in {redact_url(url)}; "
        "use sqlite:///path/to/file.db or postgresql://user@host/database"
    )


def sqlite_path(url: str) -> Path:
    """Return the file of an `sqlite:///relative` or `sqlite:////absolute` URL.

    Raises ValueError when the URL names a host (`sqlite://host/file`) or no file.
    """
    prefix = "sqlite://"
    if not url.lower().startswith(prefix):
        raise ValueError(f"not an sqlite URL: {redact_url(url)}")
    rest = url[len(prefix) :]
    if not rest.startswith("/"):
        raise ValueError(f"an sqlite URL has three slashes before the path: {url}")
    path = rest[1:]
    if not path:
        raise ValueError(f"the sqlite URL names no file: {url}")
    return Path(path)


def sqlite_url(path: Path | str) -> str:
    """Return the URL of an SQLite file (`sqlite:///` then the path as given)."""
    return f"sqlite:///{path}"


def _query_passwords(query: str) -> list[str]:
    """Return the values of every `password=` parameter (any case) of a URL's query string."""
    found = []
    for piece in query.split("&"):
        key, sep, value = piece.partition("=")
        if sep and unquote(key).strip().lower() == "password" and value:
            found.append(unquote(value))
    return found


def url_passwords(url: str) -> list[str]:
    """Return every password a database URL carries: in `user:password@` and in `password=`
    query parameters (any case). Never raises; an unparsable URL carries none it can name."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    userinfo, at, _ = parts.netloc.rpartition("@")
    found = []
    if at and ":" in userinfo:
        password = unquote(userinfo.partition(":")[2])
        if password:
            found.append(password)
    return found + _query_passwords(parts.query)


def redact_url(url: str) -> str:
    """Return the URL with every password (`user:password@`, `?password=`) replaced by `***`,
    safe to log or print. Never raises: a URL that cannot be split at all is not shown."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable database URL>"
    netloc = parts.netloc
    userinfo, at, hostport = netloc.rpartition("@")
    if at and ":" in userinfo:
        netloc = f"{userinfo.partition(':')[0]}:***@{hostport}"
    pieces = []
    for piece in parts.query.split("&") if parts.query else []:
        key, sep, _ = piece.partition("=")
        if sep and unquote(key).strip().lower() == "password":
            piece = f"{key}=***"
        pieces.append(piece)
    return urlunsplit((parts.scheme, netloc, parts.path, "&".join(pieces), parts.fragment))


def check_url(url: str) -> None:
    """Raise ValueError (its text shows the URL with passwords masked) unless `url` is a
    database URL Lightstick can open: a known scheme, an SQLite file, or a PostgreSQL URL whose
    port is a number and whose options asyncpg accepts. Nothing is connected to."""
    if backend_of(url) == "sqlite":
        sqlite_path(url)
        return
    shown = redact_url(url)
    try:
        urlsplit(url).port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(f"the port in {shown} must be a number, like 5432") from None
    problem = _asyncpg_refusal(url)
    if problem is not None:
        for password in url_passwords(url):
            problem = problem.replace(password, "***")
        raise ValueError(f"{shown} is not a usable PostgreSQL URL: {problem}")


def _asyncpg_refusal(url: str) -> str | None:
    """Let asyncpg parse the URL as it would to connect (no connection); return its objection.

    asyncpg offers no public parse-only call, so this uses its internal parser when present and
    otherwise leaves the check to connect time.
    """
    parse = getattr(connect_utils, "_parse_connect_dsn_and_args", None)
    if parse is None:
        return None
    names = [
        *("host", "port", "user", "password", "passfile", "database", "ssl", "service"),
        *("servicefile", "direct_tls", "server_settings", "target_session_attrs"),
        *("krbsrvname", "gsslib"),
    ]
    try:
        parse(dsn=url, **dict.fromkeys(names))
    except TypeError:
        return None  # another asyncpg version: connect time reports the problem
    except (ValueError, asyncpg.ClientConfigurationError) as exc:
        return str(exc) or type(exc).__name__
    return None
