"""The SQL condition that keeps a cross-server query to the servers of this process's shards."""

from __future__ import annotations

from bot.domain.shards import SNOWFLAKE_TIMESTAMP_DIVISOR, ShardSpec

# Every server, as a condition: what a process owning all shards (or no spec at all) uses.
EVERY_SERVER = "1 = 1"


def shard_condition(shards: ShardSpec | None, column: str) -> tuple[str, dict[str, int]]:
    """Return a WHERE condition on `column` (a guild id) and its named parameters.

    The condition is `(column >> 22) % :shard_count IN (:shard_id_0, ...)`, written with an
    integer division that SQLite and PostgreSQL compute alike for 64-bit ids. `column` must be
    a column name written in the code, never text from outside. None or a spec that owns every
    shard: a condition true for every row, and no parameters.
    """
    if shards is None or shards.owns_all:
        return EVERY_SERVER, {}
    names = [f"shard_id_{i}" for i in range(len(shards.ids))]
    params = {"shard_count": shards.count, **dict(zip(names, shards.ids, strict=True))}
    marks = ", ".join(f":{n}" for n in names)
    condition = f"({column} / {SNOWFLAKE_TIMESTAMP_DIVISOR}) % :shard_count IN ({marks})"
    return condition, params
