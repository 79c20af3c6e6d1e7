"""Settings: the documented variable names, .env.example, and secrets that stay secret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store.backend import redact_url, sqlite_path, url_passwords

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTED = {
    "DISCORD_TOKEN", "DISCORD_API_BASE", "DISCORD_GATEWAY_URL", "DISCORD_SHARED_BUDGET",
    "DATABASE_URL", "DATABASE_PATH",
    "DEV_GUILD_ID",
    "OWNER_IDS", "LOG_LEVEL", "X_BEARER_TOKEN", "X_API_BASE", "SPACES_POLL_SECONDS",
    "MUSICBRAINZ_API_BASE", "MUSICBRAINZ_CONTACT", "DOCS_URL", "SHARD_COUNT", "SHARD_IDS",
}  # fmt: skip


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DOCUMENTED:
        monkeypatch.delenv(name, raising=False)


def test_env_example_validates_and_lists_every_setting() -> None:
    """.env.example parses into Settings and names exactly the documented variables."""
    path = ROOT / ".env.example"
    settings = Settings(_env_file=path)  # type: ignore[call-arg]
    assert settings.discord_api_base == "https://discord.com/api/v10"
    # A setting the deployment usually provides (DATABASE_PATH) is listed commented out.
    text = path.read_text(encoding="utf-8")
    names = set(re.findall(r"^(?:# )?([A-Z_]+)=", text, flags=re.MULTILINE))
    assert names == DOCUMENTED
    assert {f.upper() for f in Settings.model_fields} == DOCUMENTED


def test_env_example_leaves_the_database_to_the_deployment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An env file copied from .env.example keeps the DATABASE_PATH the Dockerfile or the
    systemd unit sets: it sets neither DATABASE_URL (which would win) nor DATABASE_PATH."""
    monkeypatch.setenv("DATABASE_PATH", "/var/lib/lightstick/lightstick.db")
    settings = Settings(_env_file=ROOT / ".env.example")  # type: ignore[call-arg]
    assert settings.database() == "sqlite:////var/lib/lightstick/lightstick.db"
    # systemd: EnvironmentFile= overrides Environment=, so the file must not set it either.
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^DATABASE_(PATH|URL)=\S", text, flags=re.MULTILINE) is None


def test_every_field_is_described() -> None:
    """Each setting carries a description (the README and .env.example are built from them)."""
    for name, field in Settings.model_fields.items():
        assert field.description, name


def test_defaults_match_the_contract() -> None:
    """Defaults are the documented ones."""
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.discord_gateway_url == "wss://gateway.discord.gg/"
    assert s.database_path == Path("data/lightstick.db")
    assert s.x_api_base == "https://api.x.com"
    assert s.musicbrainz_api_base == "https://musicbrainz.org/ws/2"
    assert s.discord_token is None
    assert s.x_bearer_token is None
    assert s.docs_url == ""  # no made-up address: the operator says where the README lives


def test_docs_url_must_be_a_web_link_or_empty() -> None:
    """DOCS_URL is an http(s) link, or empty for no link; anything else is refused."""
    assert Settings(_env_file=None, docs_url="").docs_url == ""  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="DOCS_URL"):
        Settings(_env_file=None, docs_url="javascript:alert(1)")  # type: ignore[call-arg]


def test_environment_values_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Owner ids split on commas, blank optional values become None."""
    monkeypatch.setenv("OWNER_IDS", "1, 2,3")
    monkeypatch.setenv("DEV_GUILD_ID", "")
    monkeypatch.setenv("X_BEARER_TOKEN", "   ")
    monkeypatch.setenv("SPACES_POLL_SECONDS", "30")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.owner_ids == frozenset({1, 2, 3})
    assert s.dev_guild_id is None
    assert s.x_bearer_token is None
    assert s.spaces_poll_seconds == 30


def test_tokens_never_show_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    """SecretStr keeps tokens out of repr/str of the settings."""
    monkeypatch.setenv("DISCORD_TOKEN", "super-secret-discord")
    monkeypatch.setenv("X_BEARER_TOKEN", "super-secret-x")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    text = repr(s) + str(s) + s.model_dump_json()
    assert "super-secret" not in text
    assert s.discord_token is not None
    assert s.discord_token.get_secret_value() == "super-secret-discord"


def test_out_of_range_poll_interval_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A poll interval below 15 s would burn the X budget and is refused."""
    monkeypatch.setenv("SPACES_POLL_SECONDS", "1")
    with pytest.raises(ValueError, match="spaces_poll_seconds"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_shards_default_to_discords_recommendation() -> None:
    """Without SHARD_COUNT and SHARD_IDS the process owns every shard Discord recommends."""
    assert Settings(_env_file=None).shards is None  # type: ignore[call-arg]


def test_shard_count_alone_owns_every_shard(monkeypatch: pytest.MonkeyPatch) -> None:
    """SHARD_COUNT without SHARD_IDS: this process owns all shards of that count."""
    monkeypatch.setenv("SHARD_COUNT", "3")
    shards = Settings(_env_file=None).shards  # type: ignore[call-arg]
    assert shards is not None
    assert (shards.count, shards.ids, shards.owns_all) == (3, (0, 1, 2), True)


def test_shard_ids_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """SHARD_IDS is a comma list owned out of SHARD_COUNT; the process owns only those."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot@db.internal/lightstick")
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", " 3, 1")
    shards = Settings(_env_file=None).shards  # type: ignore[call-arg]
    assert shards is not None
    assert (shards.count, shards.ids, shards.owns_all) == (4, (1, 3), False)
    assert shards.owns(3 << 22)
    assert not shards.owns(2 << 22)


@pytest.mark.parametrize(
    ("count", "ids", "says"),
    [
        (None, "0", "SHARD_IDS needs SHARD_COUNT"),
        ("2", "2", "between 0 and 1"),
        ("2", "0,0", "listed twice"),
        ("2", "0;1", "separated by commas"),
        ("0", None, "greater than or equal to 1"),
    ],
)
def test_bad_shard_settings_are_refused(
    monkeypatch: pytest.MonkeyPatch, count: str | None, ids: str | None, says: str
) -> None:
    """Shard ids outside the count, duplicates, or ids without a count are refused clearly."""
    if count is not None:
        monkeypatch.setenv("SHARD_COUNT", count)
    if ids is not None:
        monkeypatch.setenv("SHARD_IDS", ids)
    with pytest.raises(ValueError, match=says):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_database_url_defaults_to_the_sqlite_file_of_database_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No DATABASE_URL: sqlite:/// and DATABASE_PATH (the older name); DATABASE_URL wins."""
    assert Settings(_env_file=None).database() == "sqlite:///data/lightstick.db"  # type: ignore[call-arg]
    monkeypatch.setenv("DATABASE_PATH", "/srv/old.db")
    assert Settings(_env_file=None).database() == "sqlite:////srv/old.db"  # type: ignore[call-arg]
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot@db.internal:5433/lightstick")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.database() == "postgresql://bot@db.internal:5433/lightstick"
    monkeypatch.setenv("DATABASE_URL", "  ")
    assert Settings(_env_file=None).database() == "sqlite:////srv/old.db"  # type: ignore[call-arg]


def test_sqlite_urls_name_relative_and_absolute_files() -> None:
    """Three slashes then a relative path; four for an absolute one; a host is refused."""
    assert sqlite_path("sqlite:///data/lightstick.db") == Path("data/lightstick.db")
    assert sqlite_path("sqlite:////var/lib/lightstick.db") == Path("/var/lib/lightstick.db")
    with pytest.raises(ValueError, match="three slashes"):
        sqlite_path("sqlite://host/file.db")


def test_database_password_stays_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The URL's password is out of repr, masked when shown, and a bad scheme names no password."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:pa55word@db:5432/lightstick")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert "pa55word" not in repr(s) + str(s) + s.model_dump_json()
    assert s.database_shown() == "postgresql://bot:***@db:5432/lightstick"
    assert s.database_password() is not None
    assert redact_url("postgresql://bot@db/x") == "postgresql://bot@db/x"
    monkeypatch.setenv("DATABASE_URL", "mysql://bot:pa55word@db/lightstick")
    with pytest.raises(ValueError, match="unsupported database URL scheme") as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert "pa55word" not in str(caught.value)


@pytest.mark.parametrize("url", [None, "sqlite:///data/shared.db"])
def test_sqlite_refuses_shard_ids_that_are_not_every_shard(
    monkeypatch: pytest.MonkeyPatch, url: str | None
) -> None:
    """SQLite serves one process: a partial SHARD_IDS would leave shards to nobody (or to two
    processes stealing each other's leases on one file). Every shard listed is fine."""
    if url is not None:
        monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", "0,1")
    with pytest.raises(ValueError, match="SQLite serves one process: use PostgreSQL"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("SHARD_IDS", "3,2,1,0")
    shards = Settings(_env_file=None).shards  # type: ignore[call-arg]
    assert shards is not None
    assert shards.owns_all


def test_a_password_anywhere_in_the_url_is_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    """`user:password@` and `?password=` (any case) are masked, and handed to the log redaction."""
    url = (
        "postgresql://bot:one%40@db:5432/lightstick?sslmode=disable&PASSWORD=two&application_name=x"
    )
    assert redact_url(url) == (
        "postgresql://bot:***@db:5432/lightstick?sslmode=disable&PASSWORD=***&application_name=x"
    )
    assert url_passwords(url) == ["one@", "two"]
    monkeypatch.setenv("DATABASE_URL", url)
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert [p.get_secret_value() for p in s.database_passwords()] == ["one@", "two"]
    assert "two" not in s.database_shown().replace("application_name", "")
    query_only = "postgresql://bot@db/lightstick?password=hunter2"
    assert redact_url(query_only) == "postgresql://bot@db/lightstick?password=***"
    monkeypatch.setenv("DATABASE_URL", query_only)
    password = Settings(_env_file=None).database_password()  # type: ignore[call-arg]
    assert password is not None
    assert password.get_secret_value() == "hunter2"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://bot:hunter2@db:port/lightstick",
        "postgresql://bot:hunter2@[::1/lightstick",
        "postgresql://bot:hunter2@db:99999999/lightstick",
    ],
)
def test_redact_url_never_raises(url: str) -> None:
    """A malformed URL is shown masked (or not at all), never as an exception."""
    assert "hunter2" not in redact_url(url)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://bot:hunter2@db:port/lightstick", "must be a number"),
        ("postgresql://bot:hunter2@db/lightstick?sslmode=bogus", "sslmode"),
        ("postgresql://bot@db/lightstick?password=hunter2&sslmode=bogus", "sslmode"),
    ],
)
def test_a_malformed_postgresql_url_is_refused_at_settings_time(
    monkeypatch: pytest.MonkeyPatch, url: str, says: str
) -> None:
    """DATABASE_URL is parsed as asyncpg would, without connecting; the error masks passwords."""
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ValueError, match=says) as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert "hunter2" not in str(caught.value)
