"""Operator settings, read from the environment and `.env`; built once in `bot/__main__.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.shards import ShardSpec
from bot.store.backend import backend_of, check_url, redact_url, sqlite_url, url_passwords

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Every setting Lightstick reads; field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        # A refused DATABASE_URL or token must not be echoed back with the error.
        hide_input_in_errors=True,
    )

    discord_token: SecretStr | None = Field(
        default=None,
        description="Bot token from the Discord Developer Portal (Bot tab). Required to run.",
    )
    discord_api_base: str = Field(
        default="https://discord.com/api/v10",
        description="Discord REST base URL; point at a REST proxy (or the loopback in tests).",
    )
    discord_gateway_url: str = Field(
        default="wss://gateway.discord.gg/",
        description="Discord gateway URL; point at a gateway proxy (or the loopback in tests).",
    )
    discord_shared_budget: bool = Field(
        default=True,
        description=(
            "Processes sharing the database split Discord's global 50 requests a second "
            "between them; false when DISCORD_API_BASE is a REST proxy that paces them all."
        ),
    )
    database_url: SecretStr | None = Field(
        default=None,
        description=(
            "Where the data lives: sqlite:///data/lightstick.db (the default; four slashes for "
            "an absolute path) or postgresql://user:password@host:5432/database. Secret: it "
            "may hold a password."
        ),
    )
    database_path: Path = Field(
        default=Path("data/lightstick.db"),
        description="Older name: the SQLite file, used only when DATABASE_URL is not set.",
    )
    dev_guild_id: int | None = Field(
        default=None,
        description="Optional server id: sync slash commands to that server only (instant).",
    )
    owner_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(),
        description="Comma-separated Discord user ids of the bot's operators.",
    )
    log_level: LogLevel = Field(default="INFO", description="Logging level.")
    x_bearer_token: SecretStr | None = Field(
        default=None,
        description="Optional X API v2 app bearer token; without it Spaces are not polled.",
    )
    x_api_base: str = Field(default="https://api.x.com", description="X API base URL.")
    spaces_poll_seconds: int = Field(
        default=60,
        ge=15,
        le=3600,
        description="Seconds between two polls of X for the followed accounts' Spaces.",
    )
    musicbrainz_api_base: str = Field(
        default="https://musicbrainz.org/ws/2",
        description="MusicBrainz web service base URL; empty turns the fallback off.",
    )
    shard_count: int | None = Field(
        default=None,
        ge=1,
        description="How many shards the bot has in all; unset: as many as Discord recommends.",
    )
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = Field(
        default=None,
        description="Comma-separated shards this process owns (e.g. 0,1); needs SHARD_COUNT.",
    )
    musicbrainz_contact: str = Field(
        default="",
        max_length=200,
        description="Contact (e-mail or URL) sent in the MusicBrainz User-Agent, as they ask.",
    )

    docs_url: str = Field(
        default="",
        max_length=300,
        description="Where this deployment publishes the README, linked from /help and /about; "
        "empty (the default) shows no link.",
    )

    @field_validator("docs_url")
    @classmethod
    def _http_docs(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("DOCS_URL must start with https:// or http://, or be empty")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            check_url(value.get_secret_value())  # ValueError text masks any password
        return value

    def database(self) -> str:
        """Return the database URL: DATABASE_URL, else `sqlite:///` and DATABASE_PATH."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return sqlite_url(self.database_path)

    def database_password(self) -> SecretStr | None:
        """Return the password inside DATABASE_URL, if any, so logs can redact it alone too."""
        if self.database_url is None:
            return None
        passwords = url_passwords(self.database_url.get_secret_value())
        return SecretStr(passwords[0]) if passwords else None

    def database_passwords(self) -> list[SecretStr]:
        """Return every password inside DATABASE_URL (`user:password@`, `?password=`), for the
        log redaction."""
        if self.database_url is None:
            return []
        return [SecretStr(p) for p in url_passwords(self.database_url.get_secret_value())]

    def database_shown(self) -> str:
        """Return the database URL with any password masked, for logs and messages."""
        return redact_url(self.database())

    @field_validator("discord_token", "x_bearer_token", "database_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("dev_guild_id", mode="before")
    @classmethod
    def _blank_guild_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("owner_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return frozenset(int(p) for p in parts if p)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("shard_count", mode="before")
    @classmethod
    def _blank_count_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_shard_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",")]
            if not any(parts):
                return None
            if not all(p.isdigit() for p in parts):
                raise ValueError(
                    f"must be shard numbers separated by commas, like 0,1; got {value!r}"
                )
            return tuple(int(p) for p in parts)
        if isinstance(value, int):
            return (value,)
        return value

    @model_validator(mode="after")
    def _check_shards(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("SHARD_IDS needs SHARD_COUNT (the bot's total number of shards)")
            try:
                ShardSpec.of(self.shard_count, self.shard_ids)
            except ValueError as exc:
                raise ValueError(f"SHARD_IDS: {exc}") from None
            every = set(range(self.shard_count))
            if set(self.shard_ids) != every and backend_of(self.database()) == "sqlite":
                raise ValueError(
                    "SQLite serves one process: use PostgreSQL (DATABASE_URL) to split shards "
                    "over processes, or leave SHARD_IDS unset"
                )
        return self

    @property
    def shards(self) -> ShardSpec | None:
        """Return the shards this process owns, or None when Discord's recommendation decides."""
        if self.shard_count is None:
            return None
        return ShardSpec.of(self.shard_count, self.shard_ids)

    @field_validator("discord_api_base", "x_api_base", "musicbrainz_api_base")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")
