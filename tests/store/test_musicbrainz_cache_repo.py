"""MusicBrainzCacheRepo against a real SQLite database migrated by the Store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import Store
from bot.store.musicbrainz_cache import MusicBrainzCacheRepo

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


async def open_store(tmp_path: Path) -> Store:
    """Open a Store in tmp_path with every migration applied, as the bot does on start."""
    store = await Store.open(tmp_path / "lightstick.db")
    await store.migrate()
    return store


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[MusicBrainzCacheRepo]:
    store = await open_store(tmp_path)
    try:
        yield MusicBrainzCacheRepo(store.db)
    finally:
        await store.close()


async def test_put_then_get_returns_entry(repo: MusicBrainzCacheRepo) -> None:
    """A stored answer is read back with its id, payload and UTC fetch time."""
    await repo.put_cached("bol4", "74600214-1e66-4773-ab42-a14821f31ac9", '{"a":1}', NOW)
    entry = await repo.get_cached("bol4", newer_than=NOW - timedelta(days=7))
    assert entry is not None
    assert entry.mbid == "74600214-1e66-4773-ab42-a14821f31ac9"
    assert entry.payload == '{"a":1}'
    assert entry.fetched_at == NOW
    assert entry.fetched_at.tzinfo is UTC
    assert not entry.is_negative


async def test_get_ignores_entries_older_than_cutoff(repo: MusicBrainzCacheRepo) -> None:
    """An entry fetched before `newer_than` is not returned."""
    await repo.put_cached("heize", None, None, NOW - timedelta(days=8))
    assert await repo.get_cached("heize", newer_than=NOW - timedelta(days=7)) is None
    assert await repo.get_cached("heize", newer_than=NOW - timedelta(days=9)) is not None


async def test_negative_entry_is_stored(repo: MusicBrainzCacheRepo) -> None:
    """A "no result" answer is cached with neither id nor payload."""
    await repo.put_cached("nobody", None, None, NOW)
    entry = await repo.get_cached("nobody", newer_than=NOW - timedelta(days=1))
    assert entry is not None
    assert entry.is_negative
    assert entry.mbid is None


async def test_put_is_an_idempotent_upsert(repo: MusicBrainzCacheRepo) -> None:
    """Putting the same query again replaces the row instead of failing or duplicating."""
    await repo.put_cached("bol4", None, None, NOW - timedelta(days=3))
    await repo.put_cached("bol4", "74600214-1e66-4773-ab42-a14821f31ac9", "{}", NOW)
    await repo.put_cached("bol4", "74600214-1e66-4773-ab42-a14821f31ac9", "{}", NOW)
    entry = await repo.get_cached("bol4", newer_than=NOW)
    assert entry is not None
    assert entry.payload == "{}"
    assert await repo.purge_older_than(NOW + timedelta(seconds=1)) == 1


async def test_purge_deletes_only_old_rows(repo: MusicBrainzCacheRepo) -> None:
    """Purging removes rows fetched before the cutoff and reports how many."""
    await repo.put_cached("old", None, None, NOW - timedelta(days=40))
    await repo.put_cached("older", None, None, NOW - timedelta(days=50))
    await repo.put_cached("fresh", None, None, NOW - timedelta(days=1))
    assert await repo.purge_older_than(NOW - timedelta(days=30)) == 2
    assert await repo.purge_older_than(NOW - timedelta(days=30)) == 0
    assert await repo.get_cached("fresh", newer_than=NOW - timedelta(days=2)) is not None


async def test_naive_datetimes_are_refused(repo: MusicBrainzCacheRepo) -> None:
    """A naive datetime is a bug and raises instead of being stored in local time."""
    with pytest.raises(ValueError, match="aware"):
        await repo.put_cached("x", None, None, datetime(2026, 1, 1))  # noqa: DTZ001
