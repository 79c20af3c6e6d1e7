"""AliasRepo against a real SQLite file: folding, bounds, guild isolation, cascade."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.catalog.normalize import search_key
from bot.errors import Conflict, InvalidInput, NotFound
from bot.store import Store
from bot.store.aliases import MAX_ALIASES_PER_GUILD, AliasRepo

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
G1, G2 = 1001, 2002


@pytest.fixture
async def store(store: Store) -> Store:
    """The shared migrated store, with the servers these tests use."""
    await store.ensure_guild(G1)
    await store.ensure_guild(G2)
    return store


async def test_add_then_map_uses_the_search_key(store: Store) -> None:
    """An added alias is stored under its search key and shows up in alias_map."""
    repo = store.guild(G1).repo(AliasRepo)
    added = await repo.add_alias("  Bangtan   Boyz ", "bts", 42, NOW)
    assert added.alias == "Bangtan Boyz"
    assert await repo.alias_map() == {search_key("bangtan boyz"): "bts"}
    listed = await repo.list_aliases()
    assert [(a.alias, a.artist_id, a.created_by, a.created_at) for a in listed] == [
        ("Bangtan Boyz", "bts", 42, NOW)
    ]


async def test_aliases_are_per_server(store: Store) -> None:
    """Server 1's alias is invisible to server 2, which may reuse the same text."""
    await store.guild(G1).repo(AliasRepo).add_alias("mother", "blackpink", 1, NOW)
    other = store.guild(G2).repo(AliasRepo)
    assert await other.alias_map() == {}
    await other.add_alias("mother", "twice", 2, NOW)
    assert (await other.alias_map())[search_key("mother")] == "twice"
    assert (await store.guild(G1).repo(AliasRepo).alias_map())[search_key("mother")] == "blackpink"


async def test_same_alias_in_another_spelling_conflicts(store: Store) -> None:
    """ "Rosie" and "ROSIE!" are the same alias: the second add is a Conflict."""
    repo = store.guild(G1).repo(AliasRepo)
    await repo.add_alias("Rosie", "rose", 1, NOW)
    with pytest.raises(Conflict):
        await repo.add_alias("ROSIE!", "lisa", 1, NOW)


@pytest.mark.parametrize("alias", ["", "   ", "x" * 51, "!!!", "\u200b"])
async def test_invalid_aliases_are_refused(store: Store, alias: str) -> None:
    """Empty, over-long and letterless aliases raise InvalidInput and store nothing."""
    repo = store.guild(G1).repo(AliasRepo)
    with pytest.raises(InvalidInput):
        await repo.add_alias(alias, "bts", 1, NOW)
    assert await repo.list_aliases() == []


async def test_remove_by_any_spelling_and_missing_is_not_found(store: Store) -> None:
    """Removing folds the text like adding; removing twice raises NotFound."""
    repo = store.guild(G1).repo(AliasRepo)
    await repo.add_alias("Bangtan Boyz", "bts", 1, NOW)
    removed = await repo.remove_alias("bangtan-boyz")
    assert removed.artist_id == "bts"
    assert await repo.alias_map() == {}
    with pytest.raises(NotFound):
        await repo.remove_alias("Bangtan Boyz")


async def test_remove_cannot_reach_another_server(store: Store) -> None:
    """Server 2 cannot remove server 1's alias."""
    await store.guild(G1).repo(AliasRepo).add_alias("mother", "blackpink", 1, NOW)
    with pytest.raises(NotFound):
        await store.guild(G2).repo(AliasRepo).remove_alias("mother")
    assert await store.guild(G1).repo(AliasRepo).alias_map() != {}


async def test_at_most_200_aliases_per_server(store: Store) -> None:
    """The 201st alias is refused with Conflict; another server is unaffected."""
    repo = store.guild(G1).repo(AliasRepo)
    for i in range(MAX_ALIASES_PER_GUILD):
        await repo.add_alias(f"nick {i}", "bts", 1, NOW)
    with pytest.raises(Conflict, match="200"):
        await repo.add_alias("one too many", "bts", 1, NOW)
    assert len(await repo.alias_map()) == MAX_ALIASES_PER_GUILD
    await store.guild(G2).repo(AliasRepo).add_alias("one too many", "bts", 1, NOW)


async def test_deleting_the_server_row_cascades(store: Store) -> None:
    """Purging a server (deleting its guilds row) deletes its aliases."""
    await store.guild(G1).repo(AliasRepo).add_alias("mother", "blackpink", 1, NOW)
    await store.db.execute("DELETE FROM guilds WHERE guild_id = :guild_id", {"guild_id": G1})
    count = await store.db.fetchval("SELECT COUNT(*) FROM artist_aliases")
    assert count == 0
